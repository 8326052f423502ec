"""The dashboard page and its CSV downloads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from alliance.figures.publication import Publication
from alliance.privacy.csv_output import write_frame
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.dashboards.services import (
    DashboardError,
    DataSource,
    Unit,
    build,
    data_sources,
    drawn,
    geography_units,
    periods,
    units,
    universe_line,
)
from alliance.web.partnerships.models import SOURCE_DATASETS
from alliance.web.partnerships.services import BlockedDataset, blocked_datasets
from alliance.web.pool.geography import current_batch
from alliance.web.pool.publication import (
    POLICE_UK,
    NoFigures,
    area_geography,
    pool_version,
    shown_publication,
)

ALL_CHOICE = ("", "All counted (proxy measure)")


class DashboardForm(forms.Form):
    data = forms.ChoiceField(label="Data")
    area = forms.ChoiceField(label="Area")
    period = forms.ChoiceField(label="Period", required=False)
    first = forms.ChoiceField(label="From month", required=False)
    last = forms.ChoiceField(label="To month", required=False)
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args: object, pub: Publication | None, record_level: bool,
                 sources: list[DataSource], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data"].choices = [(d.source, d.label) for d in sources]
        if pub is None:  # the chosen data has no figures: only another can be chosen
            for name in ("area", "period", "first", "last", "category"):
                del self.fields[name]
            return
        self.years = {y.label: y.months for y in pub.years}
        self.unit_list = units(pub)
        self.months = list(pub.cube.months)
        self.fields["area"].choices = [(u.code, u.name) for u in self.unit_list]
        everything = ALL_CHOICE if pub.cube.source == POLICE_UK else ("", pub.cube.all_label)
        self.fields["category"].choices = [everything, *pub.cube.published_categories.items()]
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
        if "area" not in self.fields:
            return data
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
    source: str


@dataclass
class Chosen:
    """What the request asked for: the form, the choice (None: not valid or no figures), why
    not, the publication, and the chosen data's expired agreement (empty: none)."""

    form: DashboardForm | None
    choice: Choice | None
    problem: str
    pub: Publication | None
    blocked: list[BlockedDataset]
    current: bool = True  # False: the data before, while a load's figures are worked out


def _choose(request: HttpRequest, record_level: bool) -> Chosen:
    partnership = request.user.membership.partnership
    sources = data_sources(partner_data=can(request.user, "view_partner_figures"))
    offered = {d.source for d in sources}
    asked = request.GET.get("data") or POLICE_UK
    source = asked if asked in offered else POLICE_UK
    blocked = blocked_datasets(partnership, [SOURCE_DATASETS.get(source, source)])
    pub, problem, current = None, "", True
    if asked in offered and not blocked:
        try:
            # while a load's new figures are worked out, the ones before (see build)
            pub, current = shown_publication(partnership.area_code,
                                             record_level=record_level, source=source)
        except NoFigures as exc:
            problem = str(exc)
    defaults = {"data": POLICE_UK, "area": partnership.area_code, "period": "", "first": "",
                "last": "", "category": ""}
    if pub is not None:
        defaults.update(area=pub.cube.geography.code,
                        period=pub.years[-1].label if pub.years else pub.cube.months[-1],
                        first=pub.cube.months[max(0, len(pub.cube.months) - 12)],
                        last=pub.cube.months[-1])
    data = {**defaults, **{k: v for k, v in request.GET.items() if k in defaults}}
    if asked not in offered or blocked or pub is None:
        # another dataset's area, period or category would not fit this one's
        data = {"data": asked}
    form = DashboardForm(data, pub=pub, record_level=record_level, sources=sources)
    if not form.is_valid() or pub is None:
        return Chosen(form, None, problem, pub, blocked)
    d = form.cleaned_data
    unit = next(u for u in form.unit_list if u.code == d["area"])
    choice = Choice(unit=unit, months=tuple(d["span"]), category=d["category"] or "",
                    source=source)
    return Chosen(form, choice, "", pub, blocked, current)


def _record_level(request: HttpRequest) -> bool | None:
    """True/False, or None when the user asked for record-level figures and may not have them."""
    if request.GET.get("figures") != "unsuppressed":
        return False
    return True if can(request.user, "view_record_level") else None


#: the page's form and figures as rendered (dashboards/body.html), per data version and
#: choice: drawing them is most of a dashboard request's time, and every reader of the same
#: choice sees the same page
_BODIES: OrderedDict[tuple[object, ...], str] = OrderedDict()
_BODIES_SIZE = 32
_bodies_lock = threading.Lock()


def forget_bodies() -> None:
    with _bodies_lock:
        _BODIES.clear()


def _body_key(request: HttpRequest, record_level: bool) -> tuple[object, ...] | None:
    """What the rendered body depends on: the partnership, the data (the pool's version and
    geography), the choice (the query), and what the reader may see (partners' data, the link
    to unsuppressed figures), in the reader's language. None: never kept (record-level
    figures, audited each time; or data an expired agreement blocks for this partnership,
    whose warning names who may renew it, and which can expire without the pool changing)."""
    if record_level:
        return None
    partnership = request.user.membership.partnership
    asked = request.GET.get("data") or POLICE_UK
    if blocked_datasets(partnership, [SOURCE_DATASETS.get(asked, asked)]):
        return None
    batch = current_batch()
    return (partnership.pk, pool_version(), getattr(batch, "pk", None),
            tuple(sorted((k, tuple(v)) for k, v in request.GET.lists())),
            can(request.user, "view_partner_figures"), can(request.user, "view_record_level"),
            translation.get_language())


@requires("view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    record_level = _record_level(request)
    if record_level is None:
        return forbidden(request, "view_record_level")
    key = _body_key(request, record_level)
    body = None
    if key is not None:
        with _bodies_lock:
            body = _BODIES.get(key)
            if body is not None:
                _BODIES.move_to_end(key)
    if body is not None:
        return render(request, "dashboards/dashboard.html", {"body": mark_safe(body)})
    context, keep = _dashboard(request, record_level)
    body = render_to_string("dashboards/body.html", context, request=request)
    if keep and key is not None:
        with _bodies_lock:
            _BODIES[key] = body
            while len(_BODIES) > _BODIES_SIZE:
                _BODIES.popitem(last=False)
    form = context["form"]
    status = 400 if isinstance(form, DashboardForm) and form.errors else 200
    return render(request, "dashboards/dashboard.html", {"body": mark_safe(body), "form": form},
                  status=status)


def _dashboard(request: HttpRequest, record_level: bool) -> tuple[dict[str, object], bool]:
    """The body's context, and whether the body may be kept for the next reader of the same
    choice (the current data's figures, drawn without a problem or a blocked dataset)."""
    partnership = request.user.membership.partnership
    chosen = _choose(request, record_level)
    form, choice, pub = chosen.form, chosen.choice, chosen.pub
    context: dict[str, object] = {"form": form, "problem": chosen.problem,
                                  "blocked": chosen.blocked, "unsuppressed": record_level,
                                  "may_unsuppress": can(request.user, "view_record_level")}
    keep = False
    if choice is not None and pub is not None:
        try:
            board, current = drawn(area_code=partnership.area_code, unit=choice.unit,
                                   period_months=choice.months, category=choice.category,
                                   record_level=record_level, source=choice.source)
        except DashboardError as exc:
            context["problem"] = str(exc)
        else:
            keep = current and chosen.current and not chosen.blocked
            context.update(board=board, trend_svg=mark_safe(board.trend_svg),
                           map_svg=mark_safe(board.map_svg),
                           hotspot_svg=mark_safe(board.hotspot_svg),
                           universe=universe_line(pub, board.period)
                           if choice.unit.level == "area" else "",
                           query=request.GET.urlencode())
            if record_level:
                record(request, "view_restricted", target=f"dashboard {choice.unit.code}",
                       months=f"{choice.months[0]}..{choice.months[-1]}",
                       category=choice.category, data=choice.source)
    return context, keep


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
    chosen = _choose(request, record_level)
    if chosen.blocked:
        return HttpResponse("\n".join(b.message for b in chosen.blocked), status=409,
                            content_type="text/plain; charset=utf-8")
    choice = chosen.choice
    if choice is None:
        return HttpResponse(chosen.problem or "Choose data, an area and a period.", status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        board = build(area_code=partnership.area_code, unit=choice.unit,
                      period_months=choice.months, category=choice.category,
                      record_level=record_level, draw=False, source=choice.source)
    except DashboardError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    frame = board.tables()[table]
    if frame.empty:
        return HttpResponse(board.lsoa_note or "This table is not published for that choice.",
                            status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = (f"alliance-{table}-{choice.source}-{choice.unit.code}-{choice.months[0]}-"
            f"{choice.months[-1]}.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Description"] = (f"{board.source.label}; {choice.unit.name}; "
                                       f"{board.category_label}; "
                                       f"{board.period.label}; {board.suppression_note}"
                                       ).encode("ascii", "replace").decode("ascii")
    write_frame(frame, response, index=False, lineterminator="\n")
    record(request, "view_restricted" if record_level else "export",
           target=f"dashboard {table} table {choice.unit.code}", unsuppressed=record_level,
           data=choice.source)
    return response
