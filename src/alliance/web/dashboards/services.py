"""The shared picture for a unit, period and category: tiles, monthly trend, map, hot spots.

Every number comes from :mod:`alliance.figures` over the partnership area's one published
lattice (:func:`alliance.web.pool.publication.publication`): the same functions the SNA calls,
so the dashboard and the SNA agree figure for figure. Roles without record-level access see
only cells of the lattice (whole reporting years and single months; neighbourhoods for whole
years, all categories together), suppressed once for the whole lattice, so no two views can be
subtracted to reveal a small number. Record-level roles may choose any span, unsuppressed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils import translation

from alliance import config
from alliance.figures import counts as count_figures
from alliance.figures import hotspots as hotspot_figures
from alliance.figures import monthly as monthly_figures
from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.cube import ALL, UNIVERSE_NOTE, AreaGeography
from alliance.figures.publication import MARKER, NotPublished, Period, Publication
from alliance.figures.universe import universe
from alliance.pool import measures
from alliance.report.category_map import category_map
from alliance.report.charts import line_chart, month_axis
from alliance.report.maps import choropleth
from alliance.report.places import map_layers
from alliance.web.pool.publication import (
    POLICE_UK,
    NoFigures,
    being_worked_out,
    pool_version,
    pooled_partner_sources,
    shared_figures,
    shared_key,
    shown_publication,
)

PER = count_figures.PER
#: police.uk gives only a proxy of serious violence: never call the total "serious violence"
ALL_LABEL = "all violence counted (proxy measure)"
HOTSPOT_COLOURS = {hotspot_figures.HOT: "#D55E00", hotspot_figures.COLD: "#0072B2",
                   hotspot_figures.NOT_SIGNIFICANT: "#F3F2F1",
                   hotspot_figures.NOT_PUBLISHED: "#B1B4B6",
                   hotspot_figures.UNDECIDED: "#DDDDDD",
                   hotspot_figures.NOT_TESTED: "#B1B4B6"}


@dataclass(frozen=True)
class DataSource:
    """One dataset the dashboard can show: police.uk's proxy measure or a pooled partner
    source, counted by its scheme (:mod:`alliance.pool.measures`)."""

    source: str
    label: str  # what the picker says
    noun: str  # what one row is: "Offences", "Attendances"
    all_label: str  # what "all" of it is called on the page


POLICE_UK_DATA = DataSource(source=POLICE_UK, label="Police recorded crime (police.uk, proxy "
                            "measure)", noun="Offences", all_label=ALL_LABEL)


def data_source(source: str) -> DataSource:
    """The police.uk proxy measure, or a partner source with a counting scheme."""
    if source == POLICE_UK:
        return POLICE_UK_DATA
    scheme = measures.scheme_for(source, reference_dir=config.load().reference)
    if scheme is None:
        raise DashboardError(f"{source.replace('_', ' ')} is not counted in published figures")
    return DataSource(source=source, label=scheme.label, noun=scheme.unit.capitalize(),
                      all_label=scheme.all_label[0].lower() + scheme.all_label[1:])


def data_sources(*, partner_data: bool) -> list[DataSource]:
    """What the dashboard offers: police.uk, then (``partner_data``: the viewer may see
    partners' figures) every pooled partner source, expired agreements' included (choosing
    one says who can renew it)."""
    partners = [data_source(s) for s in pooled_partner_sources()] if partner_data else []
    return [POLICE_UK_DATA, *partners]


class DashboardError(Exception):
    """The dashboard cannot be drawn (no geography, no data, a bad area); the message says why."""


@dataclass(frozen=True)
class Unit:
    level: str  # area, lad, csp
    code: str
    name: str


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Dashboard:
    unit: Unit
    period: Period
    category: str
    category_label: str
    source: DataSource
    record_level: bool
    suppression_note: str
    universe_note: str
    tiles: list[Tile]
    trend: pd.DataFrame  # month, count (int, '[c]' or '' when not held), state
    trend_svg: str
    lsoa: pd.DataFrame | None  # per LSOA: code, name, residents, count, rate, hot spot
    top: pd.DataFrame | None
    map_svg: str = ""
    hotspot_svg: str = ""
    hotspot_note: str = ""
    lsoa_note: str = ""
    warnings: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        empty = pd.DataFrame()
        return {"trend": self.trend, "lsoa": self.lsoa if self.lsoa is not None else empty,
                "top": self.top if self.top is not None else empty}


def units(pub: Publication) -> list[Unit]:
    """The area and the units inside it that figures are published for."""
    return geography_units(pub.cube.geography)


def geography_units(geo: AreaGeography) -> list[Unit]:
    """The area, its local authorities and its CSPs (those that are not the whole area)."""
    found = [Unit("area", geo.code, f"{geo.name} (whole area)")]
    for level, label in (("lad", "local authority"), ("csp", "community safety partnership")):
        for code, name in geo.units(level).items():
            if set(geo.lsoas_of(level, code)) != set(geo.codes):
                found.append(Unit(level, code, f"{name} ({label})"))
    return found


def periods(pub: Publication) -> list[tuple[str, str]]:
    """(value, label) of the periods a role without record-level access may choose: reporting
    years, latest first, then single months."""
    years = [(y.label, y.description[0].upper() + y.description[1:])
             for y in reversed(pub.years)]
    months = [(m, pd.Period(m, freq="M").strftime("%B %Y")) for m in reversed(pub.cube.months)]
    return years + months


def _cell(value: float) -> object:
    return MARKER if np.isnan(value) else int(value)


_CACHE: OrderedDict[tuple[object, ...], Dashboard] = OrderedDict()
_CACHE_SIZE = 64
_lock = threading.Lock()


def forget_cache() -> None:
    """Drop every cached dashboard (see :func:`alliance.web.pool.publication.forget_cache`)."""
    with _lock:
        _CACHE.clear()


def build(*, area_code: str, unit: Unit, period_months: tuple[str, ...], category: str,
          record_level: bool, draw: bool = True, source: str = POLICE_UK) -> Dashboard:
    """Everything the dashboard shows, kept per process for the same choice and data:
    ``source``'s figures (:func:`data_source`), all from its one published lattice."""
    return drawn(area_code=area_code, unit=unit, period_months=period_months,
                 category=category, record_level=record_level, draw=draw, source=source)[0]


def drawn(*, area_code: str, unit: Unit, period_months: tuple[str, ...], category: str,
          record_level: bool, draw: bool = True, source: str = POLICE_UK
          ) -> tuple[Dashboard, bool]:
    """As :func:`build`, and whether the board is the current data's (False: drawn from the
    data before while a load's new figures are worked out, which nothing may keep as the new
    data's)."""
    # the language too: a board's words are in the language it was drawn in
    key = (area_code, unit, period_months, category, record_level, draw, source,
           translation.get_language(), pool_version())
    with _lock:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit, True
    # a suppressed dashboard one process has drawn, the others read (the key holds the
    # pool's version and the language its words are in)
    shared = None if record_level else shared_key("dashboard", key)
    board = shared_figures().get(shared) if shared else None
    if isinstance(board, Dashboard):
        with _lock:
            _CACHE[key] = board
        return board, True
    if shared and being_worked_out(area_code):
        # a load has just changed the data and a task worker is working out the new figures:
        # until they are ready, the board this process drew for the same choice from the data
        # before (suppressed in its own right) rather than every web process working them out
        # again while people wait; it is not kept as the new data's board
        with _lock:
            before = [board for k, board in reversed(_CACHE.items()) if k[:-1] == key[:-1]]
        if before:
            return before[0], False
    try:
        pub, current = shown_publication(area_code, record_level=record_level, source=source)
    except NoFigures as exc:
        raise DashboardError(str(exc)) from exc
    try:
        period = pub.span(period_months)
    except (NotPublished, KeyError) as exc:
        raise DashboardError(str(exc).strip("'\"")) from exc
    board = _build(pub, unit=unit, period=period, category=category or ALL, draw=draw)
    if not current:  # drawn from the data before while the new figures are worked out
        return board, False
    if shared:
        shared_figures().set(shared, board)
        _remember(area_code, {"unit": unit, "period_months": period_months, "category": category,
                              "draw": draw, "source": source,
                              "language": translation.get_language()})
    with _lock:
        _CACHE[key] = board
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return board, True


#: how many of an area's recently drawn choices a load draws again for the new data
RECENT_CHOICES = 8


def _remember(area_code: str, choice: dict[str, object]) -> None:
    """Note a suppressed board someone asked for, so that a load draws it again for its new
    data in the task worker (:func:`warm_dashboards`)."""
    cache, key = shared_figures(), f"choices:{area_code}"
    recent = [c for c in (cache.get(key) or []) if c != choice]
    cache.set(key, [*recent, choice][-RECENT_CHOICES:], timeout=None)


def warm_dashboards() -> int:
    """After a load, in the task worker: the published figures of each partnership area
    (:func:`alliance.web.pool.publication.warm_figures`), then the boards recently asked for,
    drawn again from the new data into the shared cache, so that the web processes read them
    rather than each drawing them while people wait. Returns how many boards were drawn; a
    board that cannot be drawn from the new data is left to the page (which says why)."""
    from alliance.web.pool.publication import partnership_areas, warm_figures

    warm_figures()
    drawn = 0
    for area_code in partnership_areas():
        for choice in list(shared_figures().get(f"choices:{area_code}") or []):
            options = dict(choice)
            language = str(options.pop("language", "en") or "en")
            try:
                with translation.override(language):
                    build(area_code=area_code, record_level=False, **options)
                drawn += 1
            except DashboardError:
                continue
    return drawn


def _build(pub: Publication, *, unit: Unit, period: Period, category: str,
           draw: bool) -> Dashboard:
    data = data_source(pub.cube.source)
    published = pub.cube.published_categories
    if category != ALL and category not in published:
        raise DashboardError(f"{category} is not a published category of {data.label}")
    label = data.all_label if category == ALL else published[category]
    tiles = _tiles(pub, unit=unit, period=period, category=category, noun=data.noun)
    series = monthly_figures.monthly(pub, level=unit.level, code=unit.code, category=category)
    trend = pd.DataFrame({"month": series["month"], "count": [
        "" if s in (monthly_figures.NOT_HELD, monthly_figures.BY_YEAR_ONLY) else _cell(v)
        for v, s in zip(series["count"], series["state"], strict=True)],
        "state": series["state"]})
    note = ("Unsuppressed figures: record-level access. Do not publish these tables."
            if pub.record_level else
            f"Counts of 1 to {pub.threshold - 1} are shown as {MARKER}, and other figures are "  # type: ignore[operator]
            "hidden where they would let one be worked out from anything else published. "
            + monthly_figures.status(series, pub.threshold))
    trend_svg = ""
    # a series published by year only (or all hidden) has nothing to draw
    if draw and len(series) >= 2 and bool(np.isfinite(series["count"].astype(float)).any()):
        trend_svg = line_chart(
            month_axis(list(series["month"])), series["count"].tolist(), chart_id="trend",
            title=f"Monthly count: {label}, {unit.name}",
            desc=(f"Line chart of monthly counts of {label} in {unit.name}, "
                  f"{series['month'].iloc[0]} to {series['month'].iloc[-1]}. Months not held "
                  "and hidden months are gaps. The table below gives the numbers."),
            y_label=f"{data.noun} a month", series_label="Count",
            lower=series["lower"].tolist(), upper=series["upper"].tolist(),
            ci_label="95% interval (exact Poisson)").svg
    board = Dashboard(unit=unit, period=period, category=category, category_label=label,
                      source=data,
                      record_level=pub.record_level, suppression_note=note,
                      universe_note=UNIVERSE_NOTE, tiles=tiles, trend=trend,
                      trend_svg=trend_svg, lsoa=None, top=None)
    return _with_neighbourhoods(pub, board, draw=draw)


def _with_neighbourhoods(pub: Publication, board: Dashboard, *, draw: bool) -> Dashboard:
    unit, period, category = board.unit, board.period, board.category
    try:
        frame = lsoa_figures.neighbourhoods(pub, level=unit.level, code=unit.code,
                                            period=period, category=category)
    except NotPublished:
        return _replace(board, lsoa_note=(
            f"Neighbourhood figures are published for whole reporting years, for all "
            f"{board.source.noun.lower()} together, and only where the area has enough of "
            "them to map, so that small numbers stay protected."
            + (" Choose a year and 'All counted' to see the map."
               if board.source.source == POLICE_UK else "")))
    spots = hotspot_figures.hotspots(pub, level=unit.level, code=unit.code, period=period) \
        if category == ALL else None
    table = pd.DataFrame({
        "lsoa21_code": frame["lsoa21_code"], "name": frame["name"],
        "population": frame["population"].astype(int),
        "count": [_cell(v) for v in frame["count"]],
        f"rate_per_{PER}": [MARKER if np.isnan(v) else round(float(v), 2)
                            for v in frame["rate"]]})
    if spots is not None:
        table["hot_spot"] = spots.labels.reindex(frame["lsoa21_code"]).to_numpy()
    ranked = lsoa_figures.top(frame)
    top = table.set_index("lsoa21_code").loc[ranked["lsoa21_code"]].reset_index()
    geo = pub.cube.geography
    geoms = geo.lsoa.loc[list(frame["lsoa21_code"]), "geometry_wkb"]
    layers = {**map_layers(geo.lsoa.loc[list(frame["lsoa21_code"])]).kwargs(),
              "boundary_label": "Community Safety Partnership"} if draw else {}
    map_svg = hotspot_svg = hotspot_note = ""
    if draw:
        rates = pd.Series(frame["rate"].to_numpy(), index=frame["lsoa21_code"])
        map_svg = choropleth(
            geoms, rates.rename(None), chart_id="lsoa-map",
            title=f"Rate per {PER:,} residents a year by neighbourhood: {board.category_label}",
            desc=(f"Map of {unit.name} by LSOA 2021, shaded by the rate of "
                  f"{board.category_label} per {PER:,} residents, {period.label}. Hidden "
                  "neighbourhoods are hatched. The area table gives the numbers."),
            legend_title=f"Per {PER:,} residents", legend_ends=("Lower rate", "Higher rate"),
            **layers).svg
    if spots is not None:
        hotspot_note = spots.method + ". " + " ".join(spots.warnings)
        if draw:
            hotspot_svg = category_map(
                geoms, spots.labels.reindex(frame["lsoa21_code"]).set_axis(geoms.index),
                chart_id="hotspot-map", title=f"Hot and cold spots: {board.category_label}",
                desc=(f"Map of {unit.name} by LSOA 2021: {spots.n_hot} neighbourhoods in hot "
                      f"spots and {spots.n_cold} in cold spots. The area table gives each "
                      "label."), note=hotspot_note,
                colours={k: v for k, v in HOTSPOT_COLOURS.items() if (spots.labels == k).any()},
                **layers)
    return _replace(board, lsoa=table, top=top, map_svg=map_svg, hotspot_svg=hotspot_svg,
                    hotspot_note=hotspot_note)


def _replace(board: Dashboard, **changes: object) -> Dashboard:
    from dataclasses import replace

    return replace(board, **changes)  # type: ignore[arg-type]


def _previous(pub: Publication, period: Period) -> tuple[str, ...] | None:
    """The period of the same kind just before ``period``, if all of it is held."""
    n = period.n_months
    start = pd.Period(period.months[0], freq="M") - n
    months = tuple(str(start + i) for i in range(n))
    if not all(m in set(pub.cube.months) for m in months):
        return None
    return months


BY_YEAR_ONLY = ("by year only", "too few offences a month here to publish month by month: "
                "choose a whole year")


@dataclass(frozen=True)
class Headline:
    """The figures behind the tiles as numbers, for pages that word them their own way (the
    public pages, in English or Welsh). ``count`` is None when the choice is published by year
    only and NaN when hidden; ``before`` is None when the period before is not all held."""

    count: float | None
    rate: count_figures.Rate | None = None
    before: tuple[str, ...] | None = None
    change: count_figures.Change | None = None


def headline(pub: Publication, *, unit: Unit, period: Period, category: str) -> Headline:
    """Count, rate and change on the period before: the figures of the dashboard's tiles."""
    try:
        value = pub.count(level=unit.level, code=unit.code, period=period, category=category)
    except NotPublished:
        return Headline(count=None)
    r = count_figures.rate(pub, level=unit.level, code=unit.code, period=period,
                           category=category)
    before = _previous(pub, period)
    ch = None if before is None else count_figures.change(
        pub, level=unit.level, code=unit.code, before=before, after=period.months,
        category=category)
    return Headline(count=value, rate=r, before=before, change=ch)


def _tiles(pub: Publication, *, unit: Unit, period: Period, category: str,
           noun: str = "Offences") -> list[Tile]:
    h = headline(pub, unit=unit, period=period, category=category)
    if h.count is None or h.rate is None:
        few = (BY_YEAR_ONLY[0], BY_YEAR_ONLY[1].replace("offences", noun.lower()))
        return [Tile(noun, *few), Tile(f"Rate per {PER:,} residents a year", *few),
                Tile("Change on the period before", *few)]
    value, r, before, ch = h.count, h.rate, h.before, h.change
    count_tile = Tile(noun, MARKER if np.isnan(value) else f"{value:,.0f}",
                      f"{period.label}; placed in the area's neighbourhoods")
    if r.hidden:
        rate_tile = Tile(f"Rate per {PER:,} residents a year", MARKER,
                         f"hidden: too few {noun.lower()} to publish")
    else:
        rate_tile = Tile(f"Rate per {PER:,} residents a year", f"{r.value:,.2f}",
                         f"95% CI {r.lower:,.2f} to {r.upper:,.2f}; residents "
                         f"{r.population:,}" + ("; annualised from "
                                                f"{period.n_months} month(s)" if r.annualised
                                                else ""))
    if before is None or ch is None:
        change_tile = Tile("Change on the period before", "not available",
                           "the period before is not all held")
    elif ch.verdict == "hidden":
        change_tile = Tile("Change on the period before", MARKER,
                           f"hidden: too few {noun.lower()}")
    elif ch.verdict == "not calculable":
        change_tile = Tile("Change on the period before", "not calculable",
                           f"no {noun.lower()} in the period before")
    else:
        change_tile = Tile(
            "Change on the period before", f"{ch.percent:+.0f}%",
            f"{ch.before:,.0f} in {before[0]} to {before[-1]}; rate ratio {ch.ratio:.2f} "
            f"(95% CI {ch.lower:.2f} to {ch.upper:.2f}), p = {ch.p_value:.3f}: "
            f"{ch.verdict}")
    return [count_tile, rate_tile, change_tile]


def universe_line(pub: Publication, period: Period) -> str:
    """How the counting universe reads for the whole area in ``period``."""
    return universe(pub, period=period).sentence(pub.cube.geography.name)
