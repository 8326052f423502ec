"""Public pages (no account): consent, one statement at a time, submit a statement."""

from __future__ import annotations

from django.core.signing import BadSignature
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from alliance.web.accounts.network import client_address
from alliance.web.conversations import services
from alliance.web.conversations.forms import ConsentForm, StatementForm
from alliance.web.conversations.models import Conversation, Participant, Statement

COOKIE_SALT = "alliance.conversations.participant"
COOKIE_AGE = 60 * 60 * 24 * 180


def _cookie_name(slug: str) -> str:
    return f"hys_{slug}"


def _open_conversation(slug: str) -> Conversation:
    conversation = get_object_or_404(Conversation, slug=slug)
    if conversation.status == Conversation.Status.DRAFT:
        raise Http404("not open yet")
    return conversation


def _public_id(request: HttpRequest, slug: str) -> str | None:
    """The participant id in the conversation's signed cookie (None: no valid cookie)."""
    try:
        return request.get_signed_cookie(_cookie_name(slug), salt=COOKIE_SALT)
    except (KeyError, BadSignature):
        return None


def _participant(request: HttpRequest, conversation: Conversation) -> Participant | None:
    public_id = _public_id(request, conversation.slug)
    if public_id is None:
        return None
    return Participant.objects.filter(conversation=conversation, public_id=public_id,
                                      consented_at__isnull=False).first()


def _voter(request: HttpRequest, slug: str, *, count_votes: bool) -> Participant | None:
    """The participant the signed cookie names, with its conversation, in one query.

    The vote page is the hot path (one POST and one GET per vote), so the conversation comes
    joined to the participant, and ``n_votes`` (shown on the page) is counted in the same
    query when asked. None when there is no valid cookie for an open conversation.
    """
    public_id = _public_id(request, slug)
    if public_id is None:
        return None
    found = Participant.objects.select_related("conversation").filter(
        conversation__slug=slug, public_id=public_id, consented_at__isnull=False)
    if count_votes:
        found = found.annotate(n_votes=Count("votes"))
    participant = found.first()
    if participant is None or participant.conversation.status == Conversation.Status.DRAFT:
        return None
    return participant


def _context(conversation: Conversation, **extra: object) -> dict[str, object]:
    return {"conversation": conversation, "youth": conversation.youth_mode, **extra}


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Privacy notice and consent; consenting creates the pseudonymous participant."""
    conversation = _open_conversation(slug)
    if _participant(request, conversation) is not None:
        return redirect("have-your-say:vote", slug=slug)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # REMOTE_ADDR, or the client behind the partnership's trusted proxies
            participant = services.join(conversation, client_address(request) or "",
                                        age_band=form.cleaned_data["age_band"],
                                        area=form.cleaned_data["area"])
        except services.ParticipantRefused:
            return render(request, "conversations/start.html",
                          _context(conversation, form=form, refused=True), status=429)
        response = redirect("have-your-say:vote", slug=slug)
        response.set_signed_cookie(_cookie_name(conversation.slug), participant.public_id,
                                   salt=COOKIE_SALT, max_age=COOKIE_AGE, httponly=True,
                                   samesite="Lax", secure=request.is_secure())
        return response
    return render(request, "conversations/start.html", _context(conversation, form=form))


@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    participant = _voter(request, slug, count_votes=request.method == "GET")
    if participant is None:
        _open_conversation(slug)  # 404 for an unknown or draft conversation
        return redirect("have-your-say:start", slug=slug)
    conversation = participant.conversation
    if request.method == "POST":
        if conversation.status != Conversation.Status.OPEN:
            return redirect("have-your-say:vote", slug=slug)
        try:
            value = int(request.POST.get("vote", ""))
            services.cast_vote(participant, int(request.POST.get("statement", "")), value)
        except (ValueError, Statement.DoesNotExist):
            return render(request, "conversations/vote.html", _context(
                conversation, statement=services.next_statement(participant),
                error="That vote could not be recorded. Please choose again."), status=400)
        return redirect("have-your-say:vote", slug=slug)
    statement = (services.next_statement(participant)
                 if conversation.status == Conversation.Status.OPEN else None)
    return render(request, "conversations/vote.html", _context(
        conversation, statement=statement, voted=getattr(participant, "n_votes", 0)))


@require_http_methods(["GET", "POST"])
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _open_conversation(slug)
    participant = _participant(request, conversation)
    if participant is None:
        return redirect("have-your-say:start", slug=slug)
    form = StatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # a bot filled the honeypot: answer as if all is well, store nothing
            return render(request, "conversations/added.html", _context(conversation))
        try:
            statement = services.submit_statement(participant, form.cleaned_data["text"])
        except services.StatementRefused as refusal:
            form.add_error("text", str(refusal))
        else:
            return render(request, "conversations/added.html", _context(
                conversation, statement=statement, shown=services.is_visible(statement)))
    return render(request, "conversations/add.html", _context(
        conversation, form=form, max_length=services.MAX_LENGTH),
        status=400 if form.errors else 200)
