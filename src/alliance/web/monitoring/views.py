"""The board view (one page in plain English per priority), "did it work?" for an
intervention, and the monitoring report builds (a background task the page follows)."""

from __future__ import annotations

import mimetypes
from typing import Any

import pandas as pd
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from alliance.figures.measures import quarter_label, quarters_held
from alliance.figures.publication import Publication
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import origin, record
from alliance.web.monitoring import builds, services
from alliance.web.monitoring.evaluation import did_it_work
from alliance.web.monitoring.forms import MonitoringForm
from alliance.web.monitoring.models import MonitoringBuild
from alliance.web.pool.publication import NoFigures, publication
from alliance.web.reports.views import CONTENT_TYPES, report_policy
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.models import Intervention, Priority

REFRESH_SECONDS = 5


def _periods(pub: Publication) -> list[tuple[str, str]]:
    quarters = [(q, quarter_label(q)) for q in reversed(quarters_held(pub))]
    years = [(y.label, y.description[0].upper() + y.description[1:])
             for y in reversed(pub.years)]
    months = [(m, pd.Period(m, freq="M").strftime("%B %Y")) for m in reversed(pub.cube.months)]
    return quarters + years + months


def _setting(request: HttpRequest) -> tuple[Any, Publication | None, str]:
    partnership = request.user.membership.partnership
    strategy = strategy_services.in_force(partnership)
    try:
        pub = publication(partnership.area_code)
    except NoFigures as exc:
        return strategy, None, str(exc)
    return strategy, pub, ""


@requires("view_strategy")
def board(request: HttpRequest) -> HttpResponse:
    strategy, pub, problem = _setting(request)
    if strategy is None or pub is None:
        return render(request, "monitoring/board.html", {"strategy": strategy,
                                                         "problem": problem})
    periods = _periods(pub)
    period = request.GET.get("period") or services.latest_quarter(pub)
    if period not in dict(periods):
        period = services.latest_quarter(pub)
    inputs = services.gather(strategy, today=timezone.localdate(), pub=pub)
    return render(request, "monitoring/board.html", {
        "strategy": strategy, "period": period, "period_label": dict(periods).get(period),
        "periods": periods, "rows": services.board(inputs, period=period)})


@requires("view_strategy")
def board_priority(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Priority.objects.select_related("strategy"), pk=pk,
                             strategy__partnership=request.user.membership.partnership)
    strategy, pub, problem = _setting(request)
    if pub is None:
        return render(request, "monitoring/board.html", {"strategy": strategy,
                                                         "problem": problem})
    period = request.GET.get("period") or services.latest_quarter(pub)
    periods = dict(_periods(pub))
    if period not in periods:
        period = services.latest_quarter(pub)
    inputs = services.gather(item.strategy, today=timezone.localdate(), pub=pub)
    row = next(r for r in services.board(inputs, period=period)
               if r.priority.number == item.number)
    return render(request, "monitoring/priority.html", {
        "priority": item, "row": row, "period": period, "period_label": periods[period],
        "glossary": services.GLOSSARY})


@requires("view_strategy")
def intervention(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Intervention.objects.select_related("priority__strategy"), pk=pk,
                             priority__strategy__partnership=request.user.membership.partnership)
    record_level = can(request.user, "view_record_level")
    result = did_it_work(item, record_level=record_level)
    if result.sppt is not None:
        record(request, "view_restricted", target=f"did it work: {item.title}",
               what="neighbourhood counts before and after (SPPT)")
    return render(request, "monitoring/did_it_work.html", {
        "intervention": item, "result": result,
        "chart": mark_safe(result.chart)})


@requires("view_strategy")
def builds_page(request: HttpRequest) -> HttpResponse:
    strategy, pub, problem = _setting(request)
    form = MonitoringForm(request.POST or None, periods=_periods(pub) if pub else [])
    if request.method == "POST":
        if not can(request.user, "build_monitoring"):
            return forbidden(request, "build_monitoring")
        if strategy is not None and form.is_valid():
            build = builds.start_build(strategy=strategy, period=form.cleaned_data["period"],
                                       pdf=bool(form.cleaned_data["pdf"]), user=request.user,
                                       request_origin=origin(request))
            record(request, "export", target=f"monitoring report {build.pk}",
                   period=build.period, task=build.task_id)
            messages.success(request, f"The monitoring report for {build.period} is being "
                                      "built. You can leave this page: the build carries on.")
            return redirect("monitoring:builds")
    found = list(MonitoringBuild.objects.select_related("started_by")[:50])
    return render(request, "monitoring/builds.html", {
        "form": form, "builds": found, "strategy": strategy, "problem": problem,
        "may_build": can(request.user, "build_monitoring") and strategy is not None
        and pub is not None, "unfinished": any(not b.finished for b in found),
        "refresh": REFRESH_SECONDS}, status=400 if form.errors else 200)


@requires("view_strategy")
def build_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(MonitoringBuild, pk=pk)
    available = {n for n in item.files if builds.build_file(item, n) is not None}
    return render(request, "monitoring/build.html", {"build": item, "available": available,
                                                     "refresh": REFRESH_SECONDS})


@requires("view_strategy")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(MonitoringBuild, pk=pk)
    path = builds.build_file(item, "index.html")
    if path is None:
        raise Http404("this report is not on this server")
    content = path.read_bytes()
    record(request, "export", target=f"monitoring report {item.pk} index.html")
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = report_policy(content)
    response["Cache-Control"] = "private, no-cache"
    return response


@requires("export_aggregates")
def download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    item = get_object_or_404(MonitoringBuild, pk=pk)
    path = builds.build_file(item, name)
    if path is None:
        raise Http404("no such file in this report")
    record(request, "export", target=f"monitoring report {item.pk} {name}")
    kind = CONTENT_TYPES.get(path.suffix.lower()) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"monitoring-{item.period}-{item.pk}-{name.replace('/', '-')}",
                        content_type=kind)
