"""The dashboard page and its CSV downloads."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from alliance.figures.publication import Publication
from alliance.privacy.csv_output import write_frame
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.dashboards.services import (
    DashboardError,
    Unit,
    build,
    geography_units,
    periods,
    units,
    universe_line,
)
from alliance.web.partnerships.services import blocked_datasets
from alliance.web.pool.publication import NoFigures, area_geography, publication

#: the pooled datasets the dashboard draws on (checked against the agreements register)
DASHBOARD_DATASETS = ("police_uk_street",)
ALL_CHOICE = ("", "All counted (proxy measure)")


class DashboardForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    period = forms.ChoiceField(label="Period", required=False)
    first = forms.ChoiceField(label="From month", required=False)
    last = forms.ChoiceField(label="To month", required=False)
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args: object, pub: Publication, record_level: bool,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.years = {y.label: y.months for y in pub.years}
        self.unit_list = units(pub)
        self.months = list(pub.cube.months)
        self.fields["area"].choices = [(u.code, u.name) for u in self.unit_list]
        self.fields["category"].choices = [ALL_CHOICE, *pub.cube.categories.items()]
        if record_level:
            del self.fields["period"]
            choices = [(m, m) for m in self.months]
            self.fields["first"].choices = choices
            self.fields["last"].choices = choices
        else:
            del self.fields["first"], self.fields["last"]
            self.fields["period"].choices = periods(pub)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "period" in self.fields:
            chosen = data.get("period") or ""
            if not chosen:
                self.add_error("period", "Choose a period")
            elif len(str(chosen)) == 7:
                data["span"] = (str(chosen),)
            else:
                data["span"] = self.years.get(str(chosen), ())
        else:
            first, last = data.get("first"), data.get("last")
            if first and last:
                if str(last) < str(first):
                    self.add_error("last", "The last month must not be before the first")
                else:
                    i, j = self.months.index(str(first)), self.months.index(str(last))
                    data["span"] = tuple(self.months[i:j + 1])
        return data


def area_choices(partnership_code: str) -> list[tuple[str, str]]:
    """The area and the units inside it that figures are published for (code, name): from the
    geography alone, so they can be chosen before any data is loaded."""
    try:
        geography = area_geography(partnership_code)
    except NoFigures:
        return []
    return [(u.code, u.name) for u in geography_units(geography)]


@dataclass(frozen=True)
class Choice:
    unit: Unit
    months: tuple[str, ...]
    category: str


def _choose(request: HttpRequest, record_level: bool
            ) -> tuple[DashboardForm | None, Choice | None, str, Publication | None]:
    partnership = request.user.membership.partnership
    try:
        pub = publication(partnership.area_code, record_level=record_level)
    except NoFigures as exc:
        return None, None, str(exc), None
    defaults = {"area": pub.cube.geography.code,
                "period": pub.years[-1].label if pub.years else pub.cube.months[-1],
                "first": pub.cube.months[max(0, len(pub.cube.months) - 12)],
                "last": pub.cube.months[-1], "category": ""}
    data = {**defaults, **{k: v for k, v in request.GET.items() if k in defaults}}
    form = DashboardForm(data, pub=pub, record_level=record_level)
    if not form.is_valid():
        return form, None, "", pub
    d = form.cleaned_data
    unit = next(u for u in form.unit_list if u.code == d["area"])
    return form, Choice(unit=unit, months=tuple(d["span"]), category=d["category"] or ""), \
        "", pub


def _record_level(request: HttpRequest) -> bool | None:
    """True/False, or None when the user asked for record-level figures and may not have them."""
    if request.GET.get("figures") != "unsuppressed":
        return False
    return True if can(request.user, "view_record_level") else None


@requires("view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    record_level = _record_level(request)
    if record_level is None:
        return forbidden(request, "view_record_level")
    partnership = request.user.membership.partnership
    blocked = blocked_datasets(partnership, DASHBOARD_DATASETS)
    form, choice, problem, pub = _choose(request, record_level)
    context: dict[str, object] = {"form": form, "problem": problem, "blocked": blocked,
                                  "unsuppressed": record_level,
                                  "may_unsuppress": can(request.user, "view_record_level")}
    if choice is not None and pub is not None and not blocked:
        try:
            board = build(area_code=partnership.area_code, unit=choice.unit,
                          period_months=choice.months, category=choice.category,
                          record_level=record_level)
        except DashboardError as exc:
            context["problem"] = str(exc)
        else:
            context.update(board=board, trend_svg=mark_safe(board.trend_svg),
                           map_svg=mark_safe(board.map_svg),
                           hotspot_svg=mark_safe(board.hotspot_svg),
                           universe=universe_line(pub, board.period)
                           if choice.unit.level == "area" else "",
                           query=request.GET.urlencode())
            if record_level:
                record(request, "view_restricted", target=f"dashboard {choice.unit.code}",
                       months=f"{choice.months[0]}..{choice.months[-1]}",
                       category=choice.category)
    status = 400 if form is not None and form.errors else 200
    return render(request, "dashboards/dashboard.html", context, status=status)


@requires("export_aggregates")
def download(request: HttpRequest, table: str) -> HttpResponse:
    """A table of the dashboard as a plain CSV: the provenance is on the page (and in the
    response's ``Content-Description`` header), never a comment line that breaks CSV readers."""
    if table not in ("trend", "lsoa", "top"):
        raise Http404("no such table")
    record_level = _record_level(request)
    if record_level is None:
        return forbidden(request, "view_record_level")
    partnership = request.user.membership.partnership
    blocked = blocked_datasets(partnership, DASHBOARD_DATASETS)
    if blocked:
        return HttpResponse("\n".join(b.message for b in blocked), status=409,
                            content_type="text/plain; charset=utf-8")
    _form, choice, problem, _pub = _choose(request, record_level)
    if choice is None:
        return HttpResponse(problem or "Choose an area and a period.", status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        board = build(area_code=partnership.area_code, unit=choice.unit,
                      period_months=choice.months, category=choice.category,
                      record_level=record_level, draw=False)
    except DashboardError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    frame = board.tables()[table]
    if frame.empty:
        return HttpResponse(board.lsoa_note or "This table is not published for that choice.",
                            status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"alliance-{table}-{choice.unit.code}-{choice.months[0]}-{choice.months[-1]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Description"] = (f"{choice.unit.name}; {board.category_label}; "
                                       f"{board.period.label}; {board.suppression_note}"
                                       ).encode("ascii", "replace").decode("ascii")
    write_frame(frame, response, index=False, lineterminator="\n")
    record(request, "view_restricted" if record_level else "export",
           target=f"dashboard {table} table {choice.unit.code}", unsuppressed=record_level)
    return response
