"""Staff pages: theme sets, uploading free text, the themes, analyst edits, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.voice.themes.reading import MAX_BYTES, FreeTextError, read_free_text
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.themes import present, services
from alliance.web.themes.forms import (
    MergeForm,
    RecodeForm,
    RenameForm,
    SplitForm,
    UploadForm,
)
from alliance.web.themes.models import ThemeEdit, ThemeSet
from alliance.web.themes.store import load_result

#: which named rule (accounts/rules.py) each page needs
PAGE_RULES = {
    "list": "view_dashboard", "detail": "view_dashboard", "themes_csv": "export_aggregates",
    "upload": "analyse_themes", "edit": "analyse_themes", "sna": "analyse_themes",
    "texts": "view_record_level", "assignments_csv": "view_record_level",
}
EDIT_FORMS = {ThemeEdit.Kind.RENAME: RenameForm, ThemeEdit.Kind.MERGE: MergeForm,
              ThemeEdit.Kind.SPLIT: SplitForm, ThemeEdit.Kind.RECODE: RecodeForm}


def _mine(request: HttpRequest, pk: int) -> ThemeSet:
    """The theme set, only if it belongs to the user's partnership (else 404)."""
    return get_object_or_404(ThemeSet.objects.select_related("task", "conversation",
                                                             "created_by"),
                             pk=pk, partnership=request.user.membership.partnership)


@requires(PAGE_RULES["list"])
def theme_set_list(request: HttpRequest) -> HttpResponse:
    sets = (ThemeSet.objects.filter(partnership=request.user.membership.partnership)
            .select_related("conversation", "created_by"))
    return render(request, "themes/list.html", {
        "theme_sets": sets, "may_create": can(request.user, "analyse_themes")})


def _refer_concerns(request: HttpRequest, theme_set: ThemeSet) -> None:
    """Uploaded answers suggesting a child at risk, a threat or self-harm go to the
    safeguarding lead at once (alliance.web.themes.services.refer_concerns); audited."""
    referrals, unreferred = services.refer_concerns(theme_set, request.user)
    for referral in referrals:
        record(request, "safeguarding_referral", target=f"theme set {theme_set.pk}",
               referral=referral.pk, lead=referral.lead_email, emailed=referral.emailed)
    if referrals:
        failed = [r for r in referrals if not r.emailed]
        messages.warning(request, f"{len(referrals)} answers suggest a safeguarding concern "
                         f"and were referred to {referrals[0].lead_name}"
                         + (f"; {len(failed)} e-mails could not be sent, so contact them "
                            f"directly (referral numbers "
                            f"{', '.join(str(r.pk) for r in failed)})" if failed else "")
                         + ". They are withheld from the themes.")
    if unreferred:
        messages.error(request, f"{unreferred} answers suggest a safeguarding concern, but no "
                       f"safeguarding lead is named: ask an administrator to name one, and "
                       f"follow the partnership's procedure now.")


@requires(PAGE_RULES["upload"])
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = (uploaded.name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200]
        try:
            if uploaded.size > MAX_BYTES:
                raise FreeTextError(f"{name} is {uploaded.size / 2**20:.1f} MB; the limit is "
                                    f"{MAX_BYTES // 2**20} MB")
            free_text = read_free_text(uploaded.read(), name=name,
                                       column=form.cleaned_data["column"] or None)
            theme_set = services.create_from_upload(
                request.user.membership.partnership, request.user, free_text,
                title=form.cleaned_data["title"], source=form.cleaned_data["source"],
                include_in_sna=form.cleaned_data["include_in_sna"],
                n_themes=form.cleaned_data["n_themes"])
        except (FreeTextError, services.ThemeError) as exc:
            record(request, "upload_rejected", target=name, reason=str(exc)[:300])
            form.add_error("file", str(exc))
        else:
            record(request, "upload", target=f"theme set {theme_set.pk}", file=name,
                   texts=len(free_text.texts), skipped_blank=free_text.skipped_blank)
            messages.success(request, f"{len(free_text.texts)} texts read from {name}"
                             + (f" ({free_text.skipped_blank} blank answers skipped)"
                                if free_text.skipped_blank else "") + ".")
            _refer_concerns(request, theme_set)
            return redirect("themes:detail", pk=theme_set.pk)
    return render(request, "themes/upload.html", {"form": form},
                  status=400 if form.errors else 200)


def _edit_forms(theme_set: ThemeSet, choices: list[tuple[int, str]]) -> dict[str, object]:
    initial = {"version": theme_set.version}
    return {f"{kind}_form": cls(initial=initial, themes=choices, prefix=kind)
            for kind, cls in EDIT_FORMS.items()}


@requires(PAGE_RULES["detail"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme_set = _mine(request, pk)
    task = theme_set.task
    if (theme_set.status == ThemeSet.Status.PENDING and task is not None
            and task.status == task.Status.FAILED):
        theme_set.status, theme_set.error = ThemeSet.Status.FAILED, task.error
    unsuppressed = can(request.user, "view_record_level")  # record level: exact counts
    context: dict[str, object] = {
        "theme_set": theme_set, "task": task,
        "may_edit": can(request.user, "analyse_themes"), "may_see_texts": unsuppressed,
        "history": [(e, present.describe_edit(e, unsuppressed=unsuppressed))
                    for e in theme_set.edits.select_related("editor")]}
    if theme_set.status == ThemeSet.Status.READY:
        result = load_result(theme_set)
        context.update({
            "themes": present.theme_rows(result, unsuppressed=unsuppressed,
                                         allowed=services.quotable_ids(theme_set)),
            "n_texts": len(result.texts), "unsuppressed": unsuppressed,
            "unthemed": int((~result.membership.any(axis=1)).sum()) if unsuppressed else None})
        if context["may_edit"]:
            context.update(_edit_forms(theme_set, [(t.theme, t.label) for t in result.themes]))
        if unsuppressed:
            record(request, "view_restricted", target=f"theme set {theme_set.pk}",
                   view="unsuppressed theme counts")
    return render(request, "themes/detail.html", context)


@requires(PAGE_RULES["texts"])
def texts(request: HttpRequest, pk: int) -> HttpResponse:
    theme_set = _mine(request, pk)
    if theme_set.status != ThemeSet.Status.READY:
        return redirect("themes:detail", pk=pk)
    result = load_result(theme_set)
    labels = {t.theme: t.label for t in result.themes}
    recoded = {int(row) for row, _ in result.recoded}
    shown = services.shown_texts(theme_set, result,
                                 moderator=can(request.user, "moderate_voice"))
    rows = [{"text_id": text_id, "text": text, "recoded": i in recoded,
             "themes": [(t, labels[t]) for t in result.themes_of(text_id)]}
            for i, (text_id, text) in enumerate(zip(result.ids, shown, strict=True))]
    record(request, "view_restricted", target=f"theme set {theme_set.pk}", view="texts")
    context: dict[str, object] = {"theme_set": theme_set, "rows": rows,
                                  "may_edit": can(request.user, "analyse_themes")}
    if context["may_edit"]:
        context.update(_edit_forms(theme_set, list(labels.items())))
    return render(request, "themes/texts.html", context)


@requires(PAGE_RULES["edit"])
@require_POST
def edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    theme_set = _mine(request, pk)
    back = request.POST.get("back") == "texts"
    target = redirect("themes:texts" if back else "themes:detail", pk=pk)
    if kind not in EDIT_FORMS or theme_set.status != ThemeSet.Status.READY:
        messages.error(request, "That edit is not possible on this theme set.")
        return target
    result = load_result(theme_set)
    form = EDIT_FORMS[ThemeEdit.Kind(kind)](
        request.POST, themes=[(t.theme, t.label) for t in result.themes], prefix=kind)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {e}".lstrip(": ")
                             for f, errors in form.errors.items() for e in errors)
        messages.error(request, f"Nothing was changed. {problems}")
        return target
    data = dict(form.cleaned_data)
    version = int(data.pop("version"))
    if isinstance(form, RecodeForm):
        data = {"text_id": data["text_id"].strip(), "themes": form.themes()}
    try:
        logged = services.edit(theme_set, kind, user=request.user, version=version, **data)
    except services.ThemeError as exc:
        messages.error(request, f"Nothing was changed: {exc}")
        return target
    record(request, "theme_edit", target=f"theme set {theme_set.pk}", edit=logged.number,
           kind=kind, arguments=logged.arguments)
    messages.success(request, f"{logged.get_kind_display()}: the counts are updated.")
    return target


@requires(PAGE_RULES["sna"])
@require_POST
def set_in_sna(request: HttpRequest, pk: int) -> HttpResponse:
    theme_set = _mine(request, pk)
    theme_set.include_in_sna = request.POST.get("include") == "1"
    theme_set.save(update_fields=["include_in_sna"])
    messages.success(request, "These themes will be in the SNA." if theme_set.include_in_sna
                     else "These themes will be left out of the SNA.")
    return redirect("themes:detail", pk=pk)


def _csv(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _not_ready() -> HttpResponse:
    return HttpResponse("The themes have not been found yet.", status=409,
                        content_type="text/plain")


@requires(PAGE_RULES["themes_csv"])
def themes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    theme_set = _mine(request, pk)
    if theme_set.status != ThemeSet.Status.READY:
        return _not_ready()
    unsuppressed = can(request.user, "view_record_level")
    body = present.themes_csv(load_result(theme_set), unsuppressed=unsuppressed,
                              allowed=services.quotable_ids(theme_set))
    record(request, "export", target=f"theme set {theme_set.pk}", format="themes-csv",
           suppressed=not unsuppressed)
    return _csv(body, f"themes-{theme_set.pk}.csv")


@requires(PAGE_RULES["assignments_csv"])
def assignments_csv(request: HttpRequest, pk: int) -> HttpResponse:
    theme_set = _mine(request, pk)
    if theme_set.status != ThemeSet.Status.READY:
        return _not_ready()
    result = load_result(theme_set)
    body = present.assignments_csv(result, services.shown_texts(
        theme_set, result, moderator=can(request.user, "moderate_voice")))
    record(request, "export", target=f"theme set {theme_set.pk}", format="assignments-csv",
           suppressed=False)
    return _csv(body, f"theme-assignments-{theme_set.pk}.csv")
