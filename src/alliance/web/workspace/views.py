"""Workspace pages: home, the data pages (batches, quality, rollback, upload), health check."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.pool.quality import GLOSSARY
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import origin, record
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

BATCH_COLUMNS = ("id", "kind", "source", "status", "description", "created_at", "created_by",
                 "rows_read", "rows_loaded", "rows_set_aside", "rows_superseded", "quality")


@requires("view_batches")
def batches(request: HttpRequest) -> HttpResponse:
    rows = list(ImportBatch.objects.order_by("-id").values(*BATCH_COLUMNS)[:200])
    for row in rows:
        row["what"] = KINDS.get(row["kind"], row["kind"])
        row["status_label"] = STATUSES.get(row["status"], row["status"])
        row["report"] = batch_quality(row)
    return render(request, "workspace/batches.html",
                  {"batches": rows, "form": UploadForm(), "glossary": GLOSSARY})


@requires("rollback_batch")
@require_POST
def rollback(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        with transaction.atomic():
            batch = pool_services.rollback(batch_id, by=request.user.email)
    except pool_services.PoolError as exc:
        messages.error(request, f"Batch {batch_id} was not rolled back: {exc}")
        return redirect("workspace:batches")
    record(request, "rollback", target=f"batch {batch.pk}", source=batch.source,
           rows=batch.rows_loaded)
    messages.success(request, f"Batch {batch.pk} was rolled back: its rows are no longer used.")
    return redirect("workspace:batches")


def _store_upload(name: str, content: bytes) -> str:
    """Keep a checked upload under ALLIANCE_HOME/uploads for the task; its path from there."""
    folder = uploads_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    (folder / name).write_bytes(content)
    return f"{folder.name}/{name}"


@requires("upload_data")
def upload(request: HttpRequest) -> HttpResponse:
    """Check one police.uk file in the request, then load it as a ``load_police_uk`` task.

    The checks are quick and their messages belong on the form; the load is queued for the
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
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > MAX_UPLOAD_BYTES:
                raise UploadRejected(f"{uploaded.name} is {uploaded.size / 2**20:.0f} MB; the "
                                     f"limit is {MAX_UPLOAD_BYTES // 2**20} MB.")
            checked = check_upload(uploaded.name, uploaded.read())
        except UploadRejected as exc:
            form.add_error("file", str(exc))
            record(request, "upload_rejected", target=uploaded.name, reason=str(exc)[:300])
        else:
            task = submit("load_police_uk", created_by=request.user, **origin(request),
                          path=_store_upload(checked.name, checked.content), name=checked.name)
            if not task.finished:
                messages.info(request, f"{checked.name} passed its checks and is queued to load.")
                return redirect("tasks:task", pk=task.pk)
            if task.status == Task.Status.FAILED:
                form.add_error("file", task.error)
            else:
                if task.result.get("batch_id") is None:
                    skipped = "; ".join(f"{f}: {why}"
                                        for f, why in task.result.get("files_skipped", []))
                    messages.info(request,
                                  f"Nothing new was loaded ({skipped or 'already loaded'}).")
                else:
                    messages.success(request, f"Loaded {checked.name}: "
                                              f"{task.result['rows']:,} rows in batch "
                                              f"{task.result['batch_id']}.")
                return redirect("workspace:batches")
    return render(request, "workspace/upload.html", {"form": form},
                  status=400 if form.errors else 200)
