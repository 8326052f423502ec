"""Outcome measures: the list, each measure for every period with its turning-the-curve chart,
the form, and adding the catalogue (the core measures with their data status)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from alliance import config
from alliance.report.charts import line_chart
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.pool.publication import NoFigures, publication
from alliance.web.strategy import services
from alliance.web.strategy.measures import add_catalogue, core_choices, display, every_period
from alliance.web.strategy.models import Measure
from alliance.web.strategy.views import _form_page, _refused, mine


def _categories(request: HttpRequest) -> dict[str, str]:
    try:
        return dict(publication(request.user.membership.partnership.area_code)
                    .cube.categories)
    except NoFigures:
        return {}


@requires("view_strategy")
def measures(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = mine(request, pk)
    return render(request, "strategy/measures.html", {
        "strategy": strategy, "measures": strategy.measures.select_related("priority"),
        "may_manage": can(request.user, "manage_strategy") and strategy.editable})


@requires("view_strategy")
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Measure.objects.select_related("strategy", "priority"), pk=pk,
                             strategy__partnership=request.user.membership.partnership)
    try:
        pub = publication(item.strategy.partnership.area_code)
    except NoFigures as exc:
        page, problem = None, str(exc)
    else:
        page = every_period(item, pub)
        problem = page.problem
    chart = ""
    if page is not None and page.curve is not None and page.curve["actual"].notna().sum() >= 2:
        c = page.curve
        band = c["lower"].notna().any()
        extra = {"Baseline forecast": c["expected"].tolist()}
        if item.target is not None:
            extra["Target"] = c["target"].tolist()
        chart = line_chart([f"{m}-01" for m in c["month"]], c["actual"].tolist(),
                           chart_id=f"measure-{item.pk}", title=f"Turning the curve: {item}",
                           desc="Monthly rate per 1,000 residents a year, the baseline "
                                "forecast and its range; the figures are in the table below.",
                           y_label="per 1,000 residents a year", series_label="Actual",
                           lower=c["lower"].tolist() if band else None,
                           upper=c["upper"].tolist() if band else None,
                           ci_label="Forecast range (95%)", extra=extra).svg
    return render(request, "strategy/measure.html", {
        "measure": item, "rows": display(page.table) if page is not None
        and not page.table.empty else [], "problem": problem,
        "chart": mark_safe(chart),
        "curve": page.curve if page is not None else None})


@requires("manage_strategy")
@require_http_methods(["GET", "POST"])
def measure_form(request: HttpRequest, pk: int, measure_pk: int | None = None) -> HttpResponse:
    from alliance.web.strategy.forms import MeasureForm

    strategy = mine(request, pk)
    item = (get_object_or_404(Measure, pk=measure_pk, strategy=strategy) if measure_pk
            else Measure(strategy=strategy))
    places = services.places(strategy.partnership)
    initial = {"code": item.code or strategy.partnership.area_code} if item.pk else {}
    form = MeasureForm(request.POST or None, instance=item, strategy=strategy,
                       categories=_categories(request), places=places, initial=initial,
                       core=core_choices(config.load().reference))
    if request.method == "POST" and form.is_valid():
        try:
            services.save(form.instance, request.user, strategy=strategy, request=request)
        except services.StrategyError as exc:
            return _refused(request, exc, "strategy:measures", pk=pk)
        return redirect("strategy:measures", pk=pk)
    return _form_page(request, form, heading=f"Outcome measure of {strategy}",
                      back=f"/strategy/{pk}/measures/",
                      intro="A measure is defined once: what is counted, where, and whether "
                            "lower or higher is better. Its value for every year, quarter and "
                            "month is then worked out from the pooled data, never typed in.")


@requires("manage_strategy")
@require_POST
def add_standard(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = mine(request, pk)
    try:
        services.editable(strategy)
    except services.StrategyError as exc:
        return _refused(request, exc, "strategy:measures", pk=pk)
    made = add_catalogue(strategy, categories=_categories(request))
    for m in made:
        services.save(m, request.user, strategy=strategy, request=request, change="added")
    messages.success(request, f"{len(made)} standard measure(s) added, the Home Office core "
                              "measures among them with what data they need.")
    return redirect("strategy:measures", pk=pk)
