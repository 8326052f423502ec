"""Workspace pages: home, the data pages (batches, quality, rollback, upload), health check."""

from __future__ import annotations

import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance import config
from alliance.pool.quality import GLOSSARY
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.audit.services import origin, record
from alliance.web.pool import ownership
from alliance.web.pool import rollback as pool_rollback
from alliance.web.pool import services as pool_services
from alliance.web.pool.models import ImportBatch
from alliance.web.tasks.handlers import uploads_dir
from alliance.web.tasks.models import Task
from alliance.web.tasks.services import submit
from alliance.web.workspace.quality import KINDS, STATUSES, batch_quality
from alliance.web.workspace.uploads import MAX_UPLOAD_BYTES, UploadRejected, check_upload


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboards:dashboard")
    return redirect("accounts:sign-in")


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


class UploadForm(forms.Form):
    file = forms.FileField(
        label="police.uk street-crime file",
        help_text=f"One month's CSV (or .csv.gz) from data.police.uk, up to "
                  f"{MAX_UPLOAD_BYTES // 2**20} MB, named like 2024-01-northamptonshire-street.csv")


#: room for the multipart envelope around the file itself
MULTIPART_SLACK = 64 * 1024
#: in a waiting upload's folder: the id of the member who uploaded it (only they may confirm)
OWNER_FILE = "uploaded-by"
#: an upload nobody confirmed or cancelled is deleted after this long
UNCONFIRMED_LIFETIME = timedelta(hours=24)

BATCH_COLUMNS = ("id", "kind", "source", "status", "description", "created_at", "created_by",
                 "rows_read", "rows_loaded", "rows_set_aside", "rows_superseded", "quality")


@requires("view_batches")
def batches(request: HttpRequest) -> HttpResponse:
    rows = list(ImportBatch.objects.order_by("-id").values(*BATCH_COLUMNS)[:200])
    sources = ownership.batch_sources(row["id"] for row in rows)
    owners = {s: ownership.owner_of(s) for group in sources.values() for s in group}
    for row in rows:
        row["what"] = KINDS.get(row["kind"], row["kind"])
        row["status_label"] = STATUSES.get(row["status"], row["status"])
        row["report"] = batch_quality(row)
        mine = [owners[s] for s in sources[row["id"]]]
        row["owner"] = ", ".join(sorted({o.organisation for o in mine}))
        row["may_rollback"] = (row["status"] == "active" and row["kind"] == "incidents"
                               and all(ownership.may_change(request.user, o,
                                                            rule="rollback_batch")
                                       for o in mine))
    return render(request, "workspace/batches.html",
                  {"batches": rows, "form": UploadForm(), "glossary": GLOSSARY})


@requires("rollback_batch")
def rollback(request: HttpRequest, batch_id: int) -> HttpResponse:
    """GET (or a POST without ``confirm``) shows what rolling back will change; a POST with
    ``confirm=yes`` from that page rolls the batch back."""
    try:
        plan = pool_rollback.rollback_plan(batch_id)
    except pool_services.PoolError:
        raise Http404("no such batch") from None
    if not all(ownership.may_change(request.user, o, rule="rollback_batch")
               for o in plan.owners):
        return forbidden(request, "rollback_batch")
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(request, "workspace/rollback_confirm.html", {"plan": plan})
    try:
        with transaction.atomic():
            batch = pool_rollback.rollback(batch_id, by=request.user.email, user=request.user)
    except pool_services.PoolError as exc:
        messages.error(request, f"Batch {batch_id} was not rolled back: {exc}")
        return redirect("workspace:batches")
    record(request, "rollback", target=f"batch {batch.pk}", source=batch.source,
           rows=batch.rows_loaded, removed=plan.removed, restored=plan.restored,
           months=[m.month for m in plan.months])
    messages.success(request, f"Batch {batch.pk} was rolled back: {plan.removed:,} rows are no "
                              f"longer used" + (f" and {plan.restored:,} rows it had replaced "
                                                "are used again" if plan.restored else "") + ".")
    return redirect("workspace:batches")


def _refuse_upload(request: HttpRequest, form: forms.Form, name: str,
                   message: str) -> HttpResponse:
    form.add_error("file", message)
    record(request, "upload_rejected", target=name, reason=message[:300])
    return render(request, "workspace/upload.html", {"form": form}, status=400)


def _queue(request: HttpRequest, form: forms.Form, folder: Path, name: str, *,
           confirm_removals: bool) -> HttpResponse:
    """Load the checked file in ``folder`` as a ``load_police_uk`` task and follow it."""
    task = submit("load_police_uk", created_by=request.user, **origin(request),
                  path=f"{folder.name}/{name}", name=name, confirm_removals=confirm_removals)
    if not task.finished:
        messages.info(request, f"{name} passed its checks and is queued to load.")
        return redirect("tasks:task", pk=task.pk)
    if task.status == Task.Status.FAILED:
        form.add_error("file", task.error)
        return render(request, "workspace/upload.html", {"form": form}, status=400)
    if task.result.get("batch_id") is None:
        skipped = "; ".join(f"{f}: {why}" for f, why in task.result.get("files_skipped", []))
        messages.info(request, f"Nothing new was loaded ({skipped or 'already loaded'}).")
    else:
        messages.success(request, f"Loaded {name}: {task.result['rows']:,} rows in batch "
                                  f"{task.result['batch_id']}.")
    return redirect("workspace:batches")


def _forget_unconfirmed_uploads() -> None:
    """Uploads left waiting on the replacement question for a day are deleted."""
    cutoff = time.time() - UNCONFIRMED_LIFETIME.total_seconds()
    for marker in uploads_dir().glob(f"*/{OWNER_FILE}"):
        if marker.stat().st_mtime < cutoff:
            shutil.rmtree(marker.parent, ignore_errors=True)


def _pending_upload(request: HttpRequest, token: str) -> tuple[Path, Path]:
    """The folder and file of a checked upload waiting for its uploader to confirm."""
    if not token.isalnum():
        raise Http404("no such upload")
    folder = uploads_dir() / token
    owner = folder / OWNER_FILE
    files = list(folder.glob("*.csv")) if folder.is_dir() else []
    if (len(files) != 1 or not owner.is_file()
            or owner.read_text().strip() != str(request.user.pk)):
        raise Http404("no such upload waiting: upload the file again")
    return folder, files[0]


@requires("upload_data")
def upload(request: HttpRequest) -> HttpResponse:
    """Check one police.uk file in the request, then load it as a ``load_police_uk`` task.

    The checks (the file, who owns the data, its agreement, the partnership's area) are quick
    and their messages belong on the form. A file that would remove more than the stated share
    of a month already pooled is shown on a confirmation page first. The load is queued for the
    worker (the user is sent to the task's progress page) or, when tasks run inline, done now.
    """
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and declared > MAX_UPLOAD_BYTES + MULTIPART_SLACK:
        # refuse before Django reads the body: a 500 MB upload is never spooled to disk
        form = UploadForm({}, {})
        form.is_valid()
        form.errors["file"] = form.error_class([
            f"The upload is {declared / 2**20:.0f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // 2**20} MB. Upload one month at a time."])
        record(request, "upload_rejected", target="(too large)", bytes=declared)
        return render(request, "workspace/upload.html", {"form": form}, status=400)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "workspace/upload.html", {"form": form},
                      status=400 if form.errors else 200)
    _forget_unconfirmed_uploads()
    uploaded = form.cleaned_data["file"]
    folder = uploads_dir() / uuid.uuid4().hex
    try:
        if uploaded.size > MAX_UPLOAD_BYTES:  # the limit may be lowered below the slack
            raise UploadRejected(f"{uploaded.name} is {uploaded.size / 2**20:.0f} MB; the "
                                 f"limit is {MAX_UPLOAD_BYTES // 2**20} MB.")
        checked = check_upload(uploaded.name, uploaded, size=uploaded.size, folder=folder)
        pieces = pool_services.file_pieces([checked.path])
        pool_services.check_pieces(pieces, user=request.user)
        plan = pool_services.replacement_plan(pieces)
    except (UploadRejected, pool_services.PoolError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _refuse_upload(request, form, uploaded.name, str(exc))
    share = config.load().replace_confirm_share
    if any(r.needs_confirmation(share) for r in plan):
        (folder / OWNER_FILE).write_text(str(request.user.pk))
        return render(request, "workspace/replace_confirm.html",
                      {"name": checked.name, "token": folder.name, "plan": plan,
                       "share": share})
    return _queue(request, form, folder, checked.name, confirm_removals=False)


@requires("upload_data")
@require_POST
def confirm_replace(request: HttpRequest, token: str) -> HttpResponse:
    """The second step of an upload that removes many rows of a pooled month: load it once the
    uploader, having seen what will change, confirms; or cancel it."""
    folder, path = _pending_upload(request, token)
    if request.POST.get("confirm") != "yes":
        shutil.rmtree(folder, ignore_errors=True)
        messages.info(request, f"{path.name} was not loaded. Nothing was changed.")
        return redirect("workspace:batches")
    (folder / OWNER_FILE).unlink(missing_ok=True)
    return _queue(request, UploadForm(), folder, path.name, confirm_removals=True)
