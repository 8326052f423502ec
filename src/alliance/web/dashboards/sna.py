"""The SNA builder page: choose area and period, build, download HTML / Word / PDF.

A build is a ``build_sna`` background task (:mod:`alliance.web.tasks`): the page queues it and
sends the user to the task's progress page, or, when tasks run inline (a laptop, the tests),
runs it at once in the request. Either way it goes through :func:`run_build`, the SNA service of
:mod:`alliance.web.reports.services` (``gather`` then :func:`alliance.report.sna.write_sna`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from alliance import config
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.dashboards.models import SnaBuild
from alliance.web.dashboards.views import area_choices
from alliance.web.partnerships.services import blocked_datasets
from alliance.web.tasks.models import Task
from alliance.web.tasks.services import submit

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SNA_DATASETS = ("police_uk_street",)
#: download format -> the key of that file in ``SnaOutput.files``
OUTPUT_FILES = {"html": "index.html", "docx": "sna.docx", "pdf": "sna.pdf"}


class SnaForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    period = forms.CharField(
        label="Period", max_length=40,
        help_text="Months such as 2024-01:2024-12, or a financial year such as 2024/25")
    pdf = forms.BooleanField(label="Also make a PDF (slower)", required=False)

    def __init__(self, *args: object, areas: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas

    def clean_period(self) -> str:
        from alliance.report.sna import parse_period

        text = str(self.cleaned_data["period"]).strip()
        try:
            parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text


def run_build(build: SnaBuild, *, pdf: bool,
              progress: Callable[[str, int, int], None] | None = None) -> None:
    """Build ``build``'s files; a failure is kept on the build with its message."""
    from alliance.report.sna import write_sna
    from alliance.web.reports.services import gather

    def step(message: str, done: int) -> None:
        if progress is not None:
            progress(message, done, 2)

    out = config.load().home / "sna" / f"build-{build.pk}"
    try:
        step("Gathering the pooled data", 0)
        inputs = gather(build.area_code)
        step("Writing the report" + (" and its PDF" if pdf else ""), 1)
        result = write_sna(inputs, out, period=build.period,
                           threshold=config.load().suppression_threshold, pdf=pdf)
    except Exception as exc:  # any failure is shown on the page, with its message
        build.status = SnaBuild.Status.FAILED
        build.message = f"{type(exc).__name__}: {exc}"[:2000]
    else:
        build.status = SnaBuild.Status.DONE
        build.area_name = inputs.area.name[:200]
        build.batch_ids = sorted(int(b) for b in inputs.batches["id"])
        build.files = {kind: str(result.files[name]) for kind, name in OUTPUT_FILES.items()
                       if name in result.files}
    build.finished_at = timezone.now()
    build.save()


@requires("view_dashboard")
def sna(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    form = SnaForm(request.POST or None, areas=area_choices(partnership.area_code))
    blocked = blocked_datasets(partnership, SNA_DATASETS)
    if request.method == "POST":
        if not can(request.user, "build_sna"):
            from alliance.web.accounts.permissions import forbidden

            return forbidden(request, "build_sna")
        if form.is_valid() and not blocked:
            build = SnaBuild.objects.create(area_code=form.cleaned_data["area"],
                                            period=form.cleaned_data["period"],
                                            started_by=request.user)
            task = submit("build_sna", created_by=request.user, build_id=build.pk,
                          pdf=bool(form.cleaned_data["pdf"]))
            build.refresh_from_db()
            record(request, "export", target=f"SNA build {build.pk}", area=build.area_code,
                   period=build.period, status=build.status, task=task.pk)
            if not task.finished:
                return redirect("tasks:task", pk=task.pk)
            if build.status == SnaBuild.Status.DONE:
                messages.success(request, f"The SNA for {build.area_name} ({build.period}) "
                                          "is ready to download.")
            else:
                messages.error(request, f"The SNA could not be built: {build.message}")
            return redirect("dashboards:sna")
    builds = list(SnaBuild.objects.select_related("started_by")[:50])
    _link_running_builds_to_their_tasks(request, builds)
    return render(request, "dashboards/sna.html",
                  {"form": form, "builds": builds, "blocked": blocked,
                   "may_build": can(request.user, "build_sna")},
                  status=400 if form.errors else 200)


def _link_running_builds_to_their_tasks(request: HttpRequest, builds: list[SnaBuild]) -> None:
    """Set ``task_id`` on the running builds this user may follow (started by them, or all
    for those who may see every task), so the page can link to their progress."""
    running = [b.pk for b in builds if b.status == SnaBuild.Status.RUNNING
               and (b.started_by_id == request.user.pk or can(request.user, "view_all_tasks"))]
    tasks = dict(Task.objects.filter(kind="build_sna", arguments__build_id__in=running)
                 .values_list("arguments__build_id", "pk")) if running else {}
    for b in builds:
        b.task_id = tasks.get(b.pk)


@requires("export_aggregates")
def sna_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    build = get_object_or_404(SnaBuild, pk=pk, status=SnaBuild.Status.DONE)
    if kind not in CONTENT_TYPES or kind not in build.files:
        raise Http404("no such file")
    path = Path(build.files[kind])
    if not path.is_file():
        raise Http404("the file is no longer on the server; build the SNA again")
    record(request, "export", target=f"SNA build {build.pk} {kind}")
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"sna-{build.area_code}-{build.pk}.{kind}",
                        content_type=CONTENT_TYPES[kind])
