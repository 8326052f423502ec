"""Staff pages: create and seed, moderate, results, themes, Polis export and import."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.web.accounts.permissions import View, forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.conversations import polis_transfer, results, safeguarding, services
from alliance.web.conversations.forms import (
    ConversationForm,
    ImportForm,
    ModerationForm,
    SafeguardingForm,
)
from alliance.web.conversations.models import Conversation, Statement, StatementEdit

#: which named rule (accounts/rules.py) each staff page needs
PAGE_RULES = {
    "list": "view_dashboard", "results": "view_dashboard", "themes": "view_dashboard",
    "create": "moderate_voice", "moderate": "moderate_voice", "status": "moderate_voice",
    "export": "view_record_level", "import": "upload_data",
    "safeguarding": "manage_safeguarding",
}


def _mine(request: HttpRequest, pk: int) -> Conversation:
    """The conversation, only if it belongs to the user's partnership (else 404)."""
    return get_object_or_404(Conversation, pk=pk,
                             partnership=request.user.membership.partnership)


def conversation_page(rule: str) -> Any:
    """``requires(rule)`` for a page about one conversation, but an unknown conversation (or
    another partnership's) answers 404 before the rule is asked: 403 would say it exists."""
    def wrap(view: View) -> View:
        guarded = requires(rule)(view)

        @functools.wraps(view)
        def inner(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request.user, "membership", None)
            if membership is None or not Conversation.objects.filter(
                    pk=pk, partnership=membership.partnership).exists():
                raise Http404("no such conversation")
            return guarded(request, pk, *args, **kwargs)

        inner.alliance_rule = rule  # type: ignore[attr-defined]
        return inner

    return wrap


@requires(PAGE_RULES["list"])
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = Conversation.objects.filter(partnership=request.user.membership.partnership)
    return render(request, "conversations/list.html", {
        "conversations": conversations,
        "may_create": can(request.user, "moderate_voice"),
        "may_import": can(request.user, "upload_data")})


@requires(PAGE_RULES["create"])
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = ConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        conversation = form.save(commit=False)
        conversation.partnership = request.user.membership.partnership
        conversation.created_by = request.user
        conversation.save()
        for text in form.seeds():
            services.seed_statement(conversation, text, request.user)
        record(request, "conversation_create", target=f"conversation {conversation.pk}",
               mode=conversation.mode, statements=len(form.seeds()))
        messages.success(request, f"Conversation created with {len(form.seeds())} statements.")
        return redirect("conversations:moderate", pk=conversation.pk)
    return render(request, "conversations/create.html", {"form": form})


@conversation_page(PAGE_RULES["moderate"])
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    if request.method == "POST":
        statement = get_object_or_404(Statement, pk=request.POST.get("statement"),
                                      conversation=conversation)
        if request.POST.get("state") == Statement.State.REFERRED:
            _refer(request, statement)
        else:
            _decide(request, statement)
        return redirect("conversations:moderate", pk=pk)
    statements = list(conversation.statements.select_related("moderated_by"))
    queue = [s for s in statements if s.state == Statement.State.PENDING]
    # statements the screen thinks need safeguarding first, then personal data, then the rest
    queue.sort(key=lambda s: (not _needs_safeguarding(s), not s.flagged, s.number))
    return render(request, "conversations/moderate.html", {
        "conversation": conversation, "queue": queue,
        "decided": [s for s in statements if s.state != Statement.State.PENDING],
        "edits": StatementEdit.objects.filter(statement__conversation=conversation)
        .select_related("statement", "editor"),
        "safeguarding": safeguarding.contact_for(conversation.partnership),
        "may_set_safeguarding": can(request.user, "manage_safeguarding"),
        "public_url": request.build_absolute_uri(f"/have-your-say/{conversation.slug}/")})


def _needs_safeguarding(statement: Statement) -> bool:
    from alliance.voice.screening import CHILD_KIND, SELF_HARM_KIND, THREAT_KIND

    return any(kind in statement.flagged for kind in (CHILD_KIND, THREAT_KIND, SELF_HARM_KIND))


def _decide(request: HttpRequest, statement: Statement) -> None:
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the statement.")
        return
    before = statement.state
    try:
        services.moderate(statement, state=form.cleaned_data["state"],
                          reason=form.cleaned_data["reason"], user=request.user,
                          text=form.cleaned_data["text"] or None)
    except ValueError as error:
        messages.error(request, f"Statement {statement.number}: {error}.")
        return
    record(request, "moderate", target=f"conversation {statement.conversation_id} statement "
           f"{statement.number}", before=before, after=form.cleaned_data["state"],
           edited=bool(form.cleaned_data["text"]), flagged=statement.flagged)
    messages.success(request, f"Statement {statement.number} is now "
                     f"{Statement.State(form.cleaned_data['state']).label.lower()}.")


def _refer(request: HttpRequest, statement: Statement) -> None:
    try:
        referral = safeguarding.refer(statement, note=request.POST.get("reason", ""),
                                      user=request.user)
    except ValueError as error:
        messages.error(request, f"Statement {statement.number} was not referred: {error}.")
        return
    record(request, "safeguarding_referral", target=f"conversation "
           f"{statement.conversation_id} statement {statement.number}",
           referral=referral.pk, lead=referral.lead_email, emailed=referral.emailed)
    if referral.emailed:
        messages.success(request, f"Statement {statement.number} was referred to "
                         f"{referral.lead_name} and hidden everywhere.")
    else:
        messages.error(request, f"Statement {statement.number} is hidden, but the e-mail to "
                       f"{referral.lead_name} could not be sent ({referral.email_error}). "
                       f"Follow the safeguarding procedure now: contact them directly and "
                       f"give referral number {referral.pk}.")


@conversation_page(PAGE_RULES["status"])
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    status = request.POST.get("status", "")
    if status in Conversation.Status.values:
        before = conversation.status
        conversation.status = status
        conversation.save(update_fields=["status"])
        record(request, "conversation_status", target=f"conversation {conversation.pk}",
               before=before, after=status)
        messages.success(request, f"The conversation is now {conversation.get_status_display()}.")
    return redirect("conversations:moderate", pk=pk)


@conversation_page(PAGE_RULES["results"])
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    outcome = services.run_analysis(conversation)
    context: dict[str, object] = {"conversation": conversation, "problem": outcome.problem,
                                  "may_export": can(request.user, "view_record_level"),
                                  "n_participants": conversation.participants.count(),
                                  "n_votes": services.votes_frame(conversation).shape[0]}
    if outcome.analysis is not None:
        context.update(results.build(outcome.analysis, services.accepted_texts(conversation),
                                     services.consensus_eligible(conversation)))
    return render(request, "conversations/results.html", context)


@conversation_page(PAGE_RULES["themes"])
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversation's stored theme sets; a POST finds themes in its accepted statements
    (a background task) and opens the new theme set (alliance.web.themes)."""
    from alliance.web.themes import services as theme_services

    conversation = _mine(request, pk)
    if request.method == "POST":
        if not can(request.user, "analyse_themes"):
            return forbidden(request, "analyse_themes")
        try:
            theme_set = theme_services.create_from_conversation(conversation, request.user)
        except theme_services.ThemeError as error:
            messages.error(request, f"No themes were found: {error}.")
        else:
            return redirect("themes:detail", pk=theme_set.pk)
    return render(request, "conversations/themes.html", {
        "conversation": conversation, "theme_sets": conversation.theme_sets.all(),
        "may_find": can(request.user, "analyse_themes")})


@conversation_page(PAGE_RULES["export"])
def export(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    payload = polis_transfer.export_zip(conversation)
    record(request, "export", target=f"conversation {conversation.pk}", format="polis-csv")
    response = HttpResponse(payload, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="conversation-{conversation.pk}.zip"'
    return response


@requires(PAGE_RULES["import"])
@require_http_methods(["GET", "POST"])
def import_export(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST if request.method == "POST" else None)
    uploads = request.FILES.getlist("files")
    if request.method == "POST" and form.is_valid():
        if not uploads:
            form.add_error(None, "Choose a Polis export: a .zip, or comments.csv with "
                                 "votes.csv and/or participants-votes.csv")
        else:
            try:
                polis = polis_transfer.read_upload(uploads)
                conversation = polis_transfer.import_conversation(
                    polis, partnership=request.user.membership.partnership,
                    title=form.cleaned_data["title"], user=request.user,
                    source=", ".join(u.name or "" for u in uploads))
            except polis_transfer.ImportProblem as problem:
                record(request, "upload_rejected", target="polis import", problem=str(problem))
                form.add_error(None, str(problem))
            else:
                record(request, "upload", target=f"conversation {conversation.pk}",
                       format="polis-csv", statements=conversation.statements.count())
                messages.success(request, "Polis export imported.")
                return redirect("conversations:results", pk=conversation.pk)
    return render(request, "conversations/import.html", {"form": form},
                  status=400 if form.errors else 200)


@requires(PAGE_RULES["safeguarding"])
@require_http_methods(["GET", "POST"])
def safeguarding_settings(request: HttpRequest) -> HttpResponse:
    """The partnership's safeguarding lead and procedure (administrators); audited."""
    partnership = request.user.membership.partnership
    contact = safeguarding.contact_for(partnership)
    form = SafeguardingForm(request.POST if request.method == "POST" else None,
                            instance=contact)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.partnership, saved.updated_by = partnership, request.user
        saved.save()
        record(request, "safeguarding_settings", target=f"partnership {partnership.pk}",
               lead=saved.lead_email)
        messages.success(request, "The safeguarding lead and procedure are saved.")
        return redirect("conversations:safeguarding")
    return render(request, "conversations/safeguarding.html", {"form": form},
                  status=400 if form.errors else 200)
