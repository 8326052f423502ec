"""The SNA page: every build (from the workspace or the command line), new builds as background
tasks, and each build's files: the report opens in the browser, the rest download.

Builds never run in the request: :func:`alliance.web.reports.services.start_build` hands them to
a task, and the page follows their progress (``progress.json``, polled by
``reports/builds.js``; without JavaScript the page refreshes itself).
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.dashboards.views import area_choices
from alliance.web.partnerships.services import blocked_datasets
from alliance.web.reports import publishing, services
from alliance.web.reports.forms import SnaForm
from alliance.web.reports.models import PAGES, SnaBuild
from alliance.web.tasks.services import fail_stale

#: the pooled datasets an SNA draws on (checked against the agreements register)
SNA_DATASETS = ("police_uk_street",)
#: builds listed on the page, newest first
LISTED = 50
#: seconds between refreshes of the page while a build is unfinished (no-JS fallback)
REFRESH_SECONDS = 5
STYLE = re.compile(rb"<style[^>]*>(.*?)</style>", re.S | re.I)
NONE = "'none'"
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
}


@requires("view_dashboard")
def sna(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    areas = area_choices(partnership.area_code)
    form = SnaForm(request.POST or None, areas=areas)
    blocked = blocked_datasets(partnership, SNA_DATASETS)
    if request.method == "POST":
        if not can(request.user, "build_sna"):
            return forbidden(request, "build_sna")
        if form.is_valid() and not blocked:
            data = form.cleaned_data
            build = services.start_build(
                area_code=data["area"], area_name=dict(areas).get(data["area"], data["area"]),
                period=data["period"], pdf=bool(data["pdf"]), user=request.user,
                draft=bool(data.get("draft")))
            record(request, "export", target=f"SNA build {build.pk}", area=build.area_code,
                   period=build.period, task=build.task_id)
            messages.success(request, f"The SNA for {build.area_name}, {build.period}, is being "
                                      "built. You can leave this page: the build carries on.")
            return redirect("reports:sna")
    # a build whose process was stopped says so, rather than "Building" for ever
    fail_stale()
    services.fail_stale_builds()
    builds = list(SnaBuild.objects.select_related("started_by")[:LISTED])
    may_publish = can(request.user, "publish_sna")
    return render(request, "reports/sna.html",
                  {"form": form, "builds": builds, "blocked": blocked,
                   "may_build": can(request.user, "build_sna"), "may_publish": may_publish,
                   "publishable": {b.pk for b in builds if may_publish and not b.published
                                   and not publishing.why_not(b, partnership)},
                   "unfinished": any(not b.finished for b in builds),
                   "refresh": REFRESH_SECONDS, "opens": _openable(builds)},
                  status=400 if form.errors else 200)


def _openable(builds: list[SnaBuild]) -> set[int]:
    """Builds whose report is still on this server (a command-line build may have been written
    on another machine, or its folder moved)."""
    return {b.pk for b in builds if services.build_file(b, "index.html") is not None}


@requires("view_dashboard")
def build(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SnaBuild.objects.select_related("started_by"), pk=pk)
    available = {name for name in item.files if services.build_file(item, name) is not None}
    may_publish = can(request.user, "publish_sna")
    return render(request, "reports/build.html",
                  {"build": item, "batches": services.batches_used(item),
                   "may_publish": may_publish, "publishable": may_publish and not item.published
                   and not publishing.why_not(item, request.user.membership.partnership),
                   "available": available, "missing": bool(set(item.files) - available),
                   "refresh": REFRESH_SECONDS})


@requires("view_dashboard")
def progress(request: HttpRequest) -> JsonResponse:
    """The state of the builds ``?builds=1,2`` (the page polls it while any is unfinished)."""
    ids = [int(i) for i in request.GET.get("builds", "").split(",") if i.isdigit()][:LISTED]
    builds = SnaBuild.objects.filter(pk__in=ids)
    response = JsonResponse({"builds": [b.as_json() for b in builds]})
    response["Cache-Control"] = "no-store"
    return response


@requires("view_dashboard")
def report(request: HttpRequest, pk: int, name: str = "index.html") -> HttpResponse:
    """The report itself (``name``: in English, or ``index.cy.html`` in Welsh), opened in the
    browser (not downloaded), under a policy that lets its own inline styles and SVG through
    and nothing else: no scripts, no outside requests."""
    item = get_object_or_404(SnaBuild, pk=pk)
    path = services.build_file(item, name) if name in PAGES else None
    if path is None:
        raise Http404("this build's report is not on this server")
    content = path.read_bytes()
    record(request, "export", target=f"SNA build {item.pk} {name}")
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Security-Policy"] = report_policy(content)
    response["Cache-Control"] = "private, no-cache"
    return response


def report_policy(html: bytes) -> str:
    """A Content-Security-Policy for a self-contained report: its <style> blocks by hash,
    inline SVG and data: images, nothing else; sandboxed, so no script could ever run."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(css).digest()).decode()}'"
        for css in STYLE.findall(html))
    return "; ".join([f"default-src {NONE}", f"style-src {hashes or NONE}", "img-src data:",
                      f"base-uri {NONE}", f"form-action {NONE}", f"frame-ancestors {NONE}",
                      "sandbox"])


@requires("export_aggregates")
def download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The Word and PDF versions and the data tables, as downloads."""
    item = get_object_or_404(SnaBuild, pk=pk)
    path = services.build_file(item, name)
    if path is None:
        raise Http404("no such file in this build, or it is no longer on this server")
    record(request, "export", target=f"SNA build {item.pk} {name}")
    kind = CONTENT_TYPES.get(path.suffix.lower()) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    filename = f"sna-{slugify(item.area_code) or 'area'}-{item.pk}-{name.replace('/', '-')}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                        content_type=kind)
