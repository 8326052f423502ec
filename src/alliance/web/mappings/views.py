"""Partner CSV upload: upload -> map columns (with a preview) -> validate every row -> confirm.

Nothing reaches the pool until every row of the file has passed; a file with any fault changes
nothing, and the page lists the faults by line and field. The mapping is saved per organisation
and dataset when the file is loaded, and offered again for next month's file.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alliance import config
from alliance.pool.quality import flagged_rows
from alliance.privacy.pseudonym import MissingPseudonymKey
from alliance.sources.errors import SourceFileError
from alliance.sources.partner_extract import (
    ExtractInvalid,
    RowError,
    read_csv_text,
    suggest_mapping,
)
from alliance.web.accounts.models import Organisation
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import origin, record
from alliance.web.mappings import loading
from alliance.web.mappings.forms import MAX_PARTNER_UPLOAD_BYTES, MappingForm, PartnerUploadForm
from alliance.web.mappings.models import ColumnMapping, PendingExtract
from alliance.web.places import services as places
from alliance.web.pool import ownership
from alliance.web.pool import services as pool_services
from alliance.web.tasks import services as tasks
from alliance.web.tasks.models import Task

MULTIPART_SLACK = 64 * 1024
#: an upload nobody confirmed is deleted after this long: it may hold raw identifiers
PENDING_LIFETIME = timedelta(hours=24)
MAX_ERRORS_SHOWN = 50
PREVIEW_ROWS = 5


def _organisation(request: HttpRequest) -> Organisation:
    return request.user.membership.organisation


def _default_kind(organisation: Organisation) -> str:
    return {Organisation.Kind.POLICE: "police_extract", Organisation.Kind.YOUTH_JUSTICE: "yjs",
            Organisation.Kind.HEALTH: "istv_ae", Organisation.Kind.PROBATION: "probation",
            Organisation.Kind.FIRE: "fire"}.get(organisation.kind, "partner")


@requires("upload_data")
def upload(request: HttpRequest) -> HttpResponse:
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    PendingExtract.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    saved = ColumnMapping.objects.filter(organisation=_organisation(request))
    if request.method == "POST" and declared > MAX_PARTNER_UPLOAD_BYTES + MULTIPART_SLACK:
        form = PartnerUploadForm({}, {})
        form.is_valid()
        form.errors.clear()
        form.add_error("file", f"The upload is {declared / 2**20:.0f} MB; the limit is "
                               f"{MAX_PARTNER_UPLOAD_BYTES // 2**20} MB.")
        record(request, "upload_rejected", target="(too large)", bytes=declared)
        return render(request, "mappings/upload.html", {"form": form, "saved": saved},
                      status=400)
    form = PartnerUploadForm(request.POST or None, request.FILES or None,
                             initial={"kind": _default_kind(_organisation(request))})
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = uploaded.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        message = None
        data = b""
        refusal = _not_theirs(request, form.cleaned_data["dataset"].strip(),
                              form.cleaned_data["kind"])
        if refusal is not None:
            form.add_error("kind", refusal)
            record(request, "upload_rejected", target=name, reason=refusal[:300])
            return render(request, "mappings/upload.html", {"form": form, "saved": saved},
                          status=400)
        if uploaded.size > MAX_PARTNER_UPLOAD_BYTES:
            message = (f"{name} is {uploaded.size / 2**20:.0f} MB; the limit is "
                       f"{MAX_PARTNER_UPLOAD_BYTES // 2**20} MB.")
        else:
            data = uploaded.read()
            if data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b":
                message = f"{name} is a compressed archive; upload the CSV file itself."
            else:
                try:
                    read_csv_text(data, file=name)
                except SourceFileError as exc:
                    message = str(exc)
        if message is not None:
            form.add_error("file", message)
            record(request, "upload_rejected", target=name, reason=message[:300])
        else:
            pending = PendingExtract.objects.create(
                token=secrets.token_hex(16), uploaded_by=request.user,
                organisation=_organisation(request), dataset=form.cleaned_data["dataset"].strip(),
                kind=form.cleaned_data["kind"], name=name, content=data)
            return redirect("mappings:columns", token=pending.token)
    return render(request, "mappings/upload.html", {"form": form, "saved": saved},
                  status=400 if form.errors else 200)


def _not_theirs(request: HttpRequest, dataset: str, kind: str) -> str | None:
    """Why this person may not load this kind of data (its agreement expired, or it is another
    organisation's), or None."""
    source, _ = loading.source_for(_organisation(request), dataset, kind)
    try:
        ownership.check_usable([source])
        ownership.check_may_change(request.user, [source], rule="upload_data",
                                   action="load or replace")
    except ownership.OwnershipError as exc:
        return str(exc)
    return None


def _pending(request: HttpRequest, token: str) -> PendingExtract:
    try:
        return PendingExtract.objects.get(token=token, uploaded_by=request.user)
    except PendingExtract.DoesNotExist:
        raise Http404("no such upload waiting") from None


def _saved_mapping(pending: PendingExtract) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(organisation=pending.organisation,
                                        dataset=pending.dataset).first()


@requires("upload_data")
def columns(request: HttpRequest, token: str) -> HttpResponse:
    pending = _pending(request, token)
    text = read_csv_text(bytes(pending.content), file=pending.name)
    saved = _saved_mapping(pending)
    if pending.columns:
        initial = pending.columns
    elif saved is not None:
        initial = {k: v for k, v in saved.columns.items() if v in text.header}
    else:
        initial = suggest_mapping(text.header)
    form = MappingForm(request.POST or None, header=text.header, initial_mapping=initial)
    row_errors: list[RowError] = []
    truncated = False
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            loading.extract_of(pending, mapping)
        except ExtractInvalid as exc:
            row_errors, truncated = list(exc.errors), exc.truncated
        except MissingPseudonymKey as exc:
            row_errors = [RowError(None, "person_id", mapping.get("person_id"), str(exc))]
        else:
            pending.columns, pending.validated = mapping, True
            pending.save(update_fields=["columns", "validated"])
            return redirect("mappings:confirm", token=pending.token)
        for error in row_errors[:MAX_ERRORS_SHOWN]:
            if error.field in form.fields and len(form.errors.get(error.field, [])) < 3:
                form.add_error(error.field, str(error))
        pending.columns, pending.validated = mapping, False
        pending.save(update_fields=["columns", "validated"])
        record(request, "upload_rejected", target=pending.name, errors=len(row_errors),
               first=str(row_errors[0])[:300])
    context = {
        "pending": pending, "form": form, "header": text.header,
        "preview": text.preview(PREVIEW_ROWS), "rows": len(text.records), "saved": saved,
        "row_errors": row_errors[:MAX_ERRORS_SHOWN], "error_count": len(row_errors),
        "truncated": truncated or len(row_errors) > MAX_ERRORS_SHOWN,
    }
    return render(request, "mappings/columns.html", context,
                  status=400 if row_errors or form.errors else 200)


@requires("upload_data")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    pending = _pending(request, token)
    if not pending.validated:
        return redirect("mappings:columns", token=pending.token)
    try:
        extract, placing = places.place_extract(loading.read_extract(pending,
                                                                     dict(pending.columns)))
    except (ExtractInvalid, MissingPseudonymKey, SourceFileError):
        pending.validated = False
        pending.save(update_fields=["validated"])
        return redirect("mappings:columns", token=pending.token)
    plan = pool_services.replacement_plan(loading.pieces(extract, len(pending.content)))
    share = config.load().replace_confirm_share
    needs_confirmation = any(r.needs_confirmation(share) for r in plan)
    confirmed = request.POST.get("confirm_removals") == "yes"
    if request.method != "POST" or (needs_confirmation and not confirmed):
        frame = extract.frame
        summary = {
            "rows": len(frame), "months": extract.months, "source": extract.source,
            "partition": extract.partition,
            "with_place": int((frame["longitude"].notna() | frame["lsoa_published"].notna())
                              .sum()),
            "people": int(frame["person_key"].notna().sum()),
            "placing": sorted(placing.methods.items(), key=lambda kv: -kv[1]) if placing
            else [],
            "unplaced_words": len(placing.unplaced_texts) if placing else 0,
            "flagged": flagged_rows(extract.flagged),
            "encoding": extract.encoding,
        }
        return render(request, "mappings/confirm.html",
                      {"pending": pending, "summary": summary,
                       "mapping": sorted(pending.columns.items()), "plan": plan,
                       "share": share, "needs_confirmation": needs_confirmation,
                       "confirm_error": request.method == "POST"},
                      status=400 if request.method == "POST" else 200)
    return _load(request, pending, confirm_removals=needs_confirmation and confirmed)


def _load(request: HttpRequest, pending: PendingExtract, *,
          confirm_removals: bool) -> HttpResponse:
    """Start the load as a background task and follow it on the task's page."""
    started = Task.objects.filter(kind=loading.KIND, arguments__token=pending.token,
                                  status__in=[Task.Status.QUEUED, Task.Status.RUNNING]).first()
    if started is not None:  # a second click on "Load": follow the load already under way
        return redirect("tasks:task", pk=started.pk)
    task = tasks.submit(loading.KIND, created_by=request.user, **origin(request),
                        token=pending.token, name=pending.name,
                        confirm_removals=confirm_removals)
    return redirect("tasks:task", pk=task.pk)
