"""The dashboard page and its CSV downloads."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from alliance.privacy.csv_output import write_frame
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.dashboards.services import (
    ALL_LABEL,
    DashboardError,
    build,
    included_categories,
    loaded_months,
    month_span,
)
from alliance.web.partnerships.services import blocked_datasets
from alliance.web.pool import geography as geo_store

#: the pooled datasets the dashboard draws on (checked against the agreements register)
DASHBOARD_DATASETS = ("police_uk_street",)
LEVELS = (("pfa", "Police force area"), ("csp", "Community safety partnership"),
          ("lad", "Local authority"))


def area_choices(partnership_code: str) -> list[tuple[str, str]]:
    batch = geo_store.current_batch()
    return list(_area_choices(partnership_code, batch.pk if batch else None))


@functools.lru_cache(maxsize=32)
def _area_choices(partnership_code: str, geography_batch: int | None) -> tuple[
        tuple[str, str], ...]:
    """The area picker for one partnership under one loaded geography (cached per process)."""
    return tuple(_compute_area_choices(partnership_code))


def _compute_area_choices(partnership_code: str) -> list[tuple[str, str]]:
    geo = geo_store.geography()
    if geo is None:
        return []
    choices: list[tuple[str, str]] = []
    try:
        top = geo.area(partnership_code)
    except Exception:
        return []
    choices.append((partnership_code, f"{top.name} (whole area)"))
    for level, label in LEVELS:
        for code in geo.children(partnership_code, level):
            if code != partnership_code:
                choices.append((code, f"{geo.area(code, level=level).name} ({label.lower()})"))
    return choices


class DashboardForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    first = forms.ChoiceField(label="From month")
    last = forms.ChoiceField(label="To month")
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args: object, areas: list[tuple[str, str]], months: list[str],
                 categories: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas
        month_choices = [(m, m) for m in months]
        self.fields["first"].choices = month_choices
        self.fields["last"].choices = month_choices
        self.fields["category"].choices = [
            ("", "All counted (proxy measure)"), *[(c, c.replace("_", " ").capitalize())
                                            for c in categories]]


@dataclass(frozen=True)
class Choice:
    area: str
    months: list[str]
    category: str
    available: list[str]


def _choose(request: HttpRequest) -> tuple[DashboardForm, Choice | None, str]:
    partnership = request.user.membership.partnership
    months = loaded_months()
    areas = area_choices(partnership.area_code)
    initial = {"area": areas[0][0] if areas else "",
               "first": months[-12:][0] if months else "", "last": months[-1] if months else ""}
    data = {**initial, **{k: v for k, v in request.GET.items()
                          if k in ("area", "first", "last", "category")}}
    categories = included_categories()
    form = DashboardForm(data, areas=areas, months=months, categories=categories)
    if not months:
        return form, None, "No incident data is loaded yet."
    if not areas:
        return form, None, ("No geography is loaded, or the partnership's area "
                            f"{partnership.area_code} is not in it.")
    if not form.is_valid():
        return form, None, ""
    d = form.cleaned_data
    try:
        span = month_span(d["first"], d["last"])
    except DashboardError as exc:
        form.add_error("last", str(exc))
        return form, None, ""
    return form, Choice(area=d["area"], months=span, category=d["category"] or "",
                        available=months), ""


def _unsuppressed(request: HttpRequest) -> bool | None:
    """True/False, or None when the user asked for record-level figures and may not have them."""
    if request.GET.get("figures") != "unsuppressed":
        return False
    return True if can(request.user, "view_record_level") else None


@requires("view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    unsuppressed = _unsuppressed(request)
    if unsuppressed is None:
        return forbidden(request, "view_record_level")
    form, choice, problem = _choose(request)
    partnership = request.user.membership.partnership
    blocked = blocked_datasets(partnership, DASHBOARD_DATASETS)
    context: dict[str, object] = {"form": form, "problem": problem, "blocked": blocked,
                                  "unsuppressed": unsuppressed,
                                  "may_unsuppress": can(request.user, "view_record_level")}
    if choice is not None and not blocked:
        try:
            board = build(area_code=choice.area, months=choice.months,
                          category=choice.category, unsuppressed=unsuppressed,
                          available=choice.available)
        except DashboardError as exc:
            context["problem"] = str(exc)
        else:
            context.update(board=board, trend_svg=mark_safe(board.trend_svg),
                           map_svg=mark_safe(board.map_svg),
                           hotspot_svg=mark_safe(board.hotspot_svg),
                           query=request.GET.urlencode())
            if unsuppressed:
                record(request, "view_restricted", target=f"dashboard {board.area.code}",
                       months=f"{choice.months[0]}..{choice.months[-1]}",
                       category=choice.category)
    status = 400 if form.errors else 200
    return render(request, "dashboards/dashboard.html", context, status=status)


@requires("export_aggregates")
def download(request: HttpRequest, table: str) -> HttpResponse:
    if table not in ("trend", "lsoa", "top"):
        raise Http404("no such table")
    unsuppressed = _unsuppressed(request)
    if unsuppressed is None:
        return forbidden(request, "view_record_level")
    partnership = request.user.membership.partnership
    blocked = blocked_datasets(partnership, DASHBOARD_DATASETS)
    if blocked:
        return HttpResponse("\n".join(b.message for b in blocked), status=409,
                            content_type="text/plain; charset=utf-8")
    _form, choice, problem = _choose(request)
    if choice is None:
        return HttpResponse(problem or "Choose an area and a period.", status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        board = build(area_code=choice.area, months=choice.months, category=choice.category,
                      unsuppressed=unsuppressed, draw=False, available=choice.available)
    except DashboardError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    frame = board.tables()[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"alliance-{table}-{board.area.code}-{choice.months[0]}-{choice.months[-1]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write(f"# {board.area.name}; {choice.category or ALL_LABEL}; "
                   f"{board.suppression_note}\n")
    write_frame(frame, response, index=False)
    record(request, "view_restricted" if unsuppressed else "export",
           target=f"dashboard {table} table {board.area.code}", unsuppressed=unsuppressed)
    return response
