"""Staff pages: create and seed, moderate, results, themes, Polis export and import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.conversations import polis_transfer, results, services
from alliance.web.conversations.forms import ConversationForm, ImportForm, ModerationForm
from alliance.web.conversations.models import Conversation, Statement, StatementEdit

#: which named rule (accounts/rules.py) each staff page needs
PAGE_RULES = {
    "list": "view_dashboard", "results": "view_dashboard", "themes": "view_dashboard",
    "create": "moderate_voice", "moderate": "moderate_voice", "status": "moderate_voice",
    "export": "view_record_level", "import": "upload_data",
}


def _mine(request: HttpRequest, pk: int) -> Conversation:
    """The conversation, only if it belongs to the user's partnership (else 404)."""
    return get_object_or_404(Conversation, pk=pk,
                             partnership=request.user.membership.partnership)


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
        messages.success(request, f"Conversation created with {len(form.seeds())} statements.")
        return redirect("conversations:moderate", pk=conversation.pk)
    return render(request, "conversations/create.html", {"form": form})


@requires(PAGE_RULES["moderate"])
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    if request.method == "POST":
        statement = get_object_or_404(Statement, pk=request.POST.get("statement"),
                                      conversation=conversation)
        form = ModerationForm(request.POST)
        if form.is_valid():
            text = form.cleaned_data["text"] or None
            try:
                services.moderate(statement, state=form.cleaned_data["state"],
                                  reason=form.cleaned_data["reason"], user=request.user,
                                  text=text)
            except ValueError as error:
                messages.error(request, f"Statement {statement.number}: {error}.")
            else:
                messages.success(request, f"Statement {statement.number} is now "
                                 f"{Statement.State(form.cleaned_data['state']).label.lower()}.")
        else:
            messages.error(request, "Choose what to do with the statement.")
        return redirect("conversations:moderate", pk=pk)
    statements = conversation.statements.select_related("moderated_by")
    return render(request, "conversations/moderate.html", {
        "conversation": conversation,
        "queue": [s for s in statements if s.state == Statement.State.PENDING],
        "decided": [s for s in statements if s.state != Statement.State.PENDING],
        "edits": StatementEdit.objects.filter(statement__conversation=conversation)
        .select_related("statement", "editor"),
        "public_url": request.build_absolute_uri(f"/have-your-say/{conversation.slug}/")})


@requires(PAGE_RULES["status"])
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    status = request.POST.get("status", "")
    if status in Conversation.Status.values:
        conversation.status = status
        conversation.save(update_fields=["status"])
        messages.success(request, f"The conversation is now {conversation.get_status_display()}.")
    return redirect("conversations:moderate", pk=pk)


@requires(PAGE_RULES["results"])
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _mine(request, pk)
    outcome = services.run_analysis(conversation)
    context: dict[str, object] = {"conversation": conversation, "problem": outcome.problem,
                                  "may_export": can(request.user, "view_record_level"),
                                  "n_participants": conversation.participants.count(),
                                  "n_votes": services.votes_frame(conversation).shape[0]}
    if outcome.analysis is not None:
        texts = dict(conversation.statements.values_list("number", "text"))
        context.update(results.build(outcome.analysis, texts))
    return render(request, "conversations/results.html", context)


@requires(PAGE_RULES["themes"])
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


@requires(PAGE_RULES["export"])
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
