"""The shared picture for an area, period and category: tiles, monthly trend, LSOA map, top areas.

Counts come from one GROUP BY query (:func:`alliance.web.pool.queries.counts`); populations and
boundaries from the cached geography. Statistics come from the core: rates with PHE/Fingertips
intervals (:func:`alliance.stats.rates.crude.rate`), the change against the previous period as
a rate ratio with a two-sided test (:func:`alliance.stats.trends.rate_ratio.compare_periods`).
When the viewer may not see record-level data, every count table goes through primary and
secondary suppression (:func:`alliance.privacy.suppression.suppress_counts`) and derived rates
are hidden with their counts.
"""

from __future__ import annotations

import threading
import warnings as warnings_module
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from django.db.models import Count, Max, Q

from alliance import config
from alliance.geo.areas import PartnershipArea
from alliance.privacy.suppression import MARKER, suppress_counts
from alliance.report.category_map import category_map
from alliance.report.charts import line_chart
from alliance.report.maps import choropleth
from alliance.stats.hotspots import gi_star, queen_contiguity
from alliance.stats.rates.crude import rate
from alliance.stats.trends.rate_ratio import compare_periods
from alliance.web.pool import geography as geo_store
from alliance.web.pool.models import ImportBatch
from alliance.web.pool.queries import counts, current_incidents

PER = 1000
ALL_CATEGORIES = ""


class DashboardError(Exception):
    """The dashboard cannot be drawn (no geography, no data, a bad area); the message says why."""


def month_span(first: str, last: str) -> list[str]:
    start, end = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    if end < start:
        raise DashboardError(f"the period ends ({last}) before it starts ({first})")
    return [str(p) for p in pd.period_range(start, end, freq="M")]


_FACTS: dict[str, tuple[tuple[int, int], list[str]]] = {}


def _per_version(name: str, compute: Callable[[], list[str]]) -> list[str]:
    """A fact about the pool (months, categories) computed once per pool version."""
    version = pool_version()
    with _cache_lock:
        hit = _FACTS.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]
    value = compute()
    with _cache_lock:
        _FACTS[name] = (version, value)
    return value


def loaded_months() -> list[str]:
    return _per_version("months", lambda: sorted(
        set(current_incidents().values_list("month", flat=True).distinct())))


def included_categories() -> list[str]:
    return _per_version("categories", lambda: sorted(
        set(current_incidents().filter(sv_included=True)
            .values_list("sv_category", flat=True).distinct())))


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Dashboard:
    area: PartnershipArea
    months: list[str]
    previous: list[str]
    category: str
    categories: list[str]
    suppressed: bool
    suppression_note: str
    tiles: list[Tile]
    trend: pd.DataFrame  # month, count (published: int or [c])
    trend_svg: str
    lsoa: pd.DataFrame  # lsoa21_code, name, population, count, rate_per_1000 (published)
    top: pd.DataFrame
    map_svg: str
    hotspot_svg: str = ""
    hotspot_note: str = ""
    batch_note: str = ""
    warnings: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"trend": self.trend, "lsoa": self.lsoa, "top": self.top}


def _fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


#: police.uk gives only a proxy of serious violence: never call the total "serious violence"
ALL_LABEL = "all violence counted (proxy measure)"

_CACHE: OrderedDict[tuple[object, ...], Dashboard] = OrderedDict()
_CACHE_SIZE = 64
_cache_lock = threading.Lock()


def pool_version() -> tuple[int, int]:
    """Changes whenever the pooled data changes: a new batch, or a batch rolled back."""
    agg = ImportBatch.objects.aggregate(
        last=Max("id"), active=Count("id", filter=Q(status=ImportBatch.Status.ACTIVE)))
    return int(agg["last"] or 0), int(agg["active"] or 0)


def build(*, area_code: str, months: list[str], category: str, unsuppressed: bool,
          threshold: int | None = None, draw: bool = True,
          available: list[str] | None = None) -> Dashboard:
    """Everything the dashboard page shows (``draw=False`` skips the SVGs, for CSV downloads).

    ``available`` is the list of loaded months when the caller already has it. Results are
    kept per process for the same choice and the same pooled data (one cheap query checks the
    data has not changed), so many readers of one dashboard cost one computation.
    """
    key = (area_code, tuple(months), category, unsuppressed, threshold, draw,
           tuple(available) if available is not None else None, pool_version())
    with _cache_lock:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    board = _build(area_code=area_code, months=months, category=category,
                   unsuppressed=unsuppressed, threshold=threshold, draw=draw,
                   available=available)
    with _cache_lock:
        _CACHE[key] = board
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return board


def _build(*, area_code: str, months: list[str], category: str, unsuppressed: bool,
           threshold: int | None, draw: bool, available: list[str] | None) -> Dashboard:
    geo = geo_store.geography()
    tables = geo_store.stored_tables()
    if geo is None or tables is None:
        raise DashboardError("no geography is loaded yet: an analyst must run "
                             "`alliance load geography` first")
    try:
        area = geo.resolve(area_code)
    except Exception as exc:  # UnknownAreaError and friends: show the message
        raise DashboardError(str(exc)) from exc
    threshold = threshold or config.load().suppression_threshold
    n = len(months)
    previous = [str(pd.Period(months[0], freq="M") - n + i) for i in range(n)]
    frame = counts(by=["month", "lsoa21_code", "sv_category"], lsoa21=area.lsoa21,
                   months=previous + months, included_only=True)
    categories = sorted(frame["sv_category"].unique().tolist())
    if category:
        frame = frame[frame["sv_category"] == category]
    have = set(loaded_months() if available is None else available)
    missing = [m for m in months if m not in have]
    warnings = [f"No data loaded for {', '.join(missing)}: those months count as gaps."] \
        if missing else []

    pop_all = tables.population
    pop = (pop_all[pop_all["lsoa_vintage"] == "2021"].drop_duplicates("lsoa_code")
           .set_index("lsoa_code")["total"].reindex(list(area.lsoa21)).astype(float))
    population = float(pop.sum())
    current = frame[frame["month"].isin(months)]
    monthly = current.groupby("month")["count"].sum().reindex(months, fill_value=0).astype(int)
    monthly_prev = (frame[frame["month"].isin(previous)].groupby("month")["count"].sum()
                    .reindex(previous, fill_value=0).astype(int))
    total = int(monthly.sum())

    by_lsoa = current.groupby("lsoa21_code")["count"].sum().reindex(list(area.lsoa21),
                                                                     fill_value=0).astype(int)
    suppress = not unsuppressed
    if suppress:
        trend_table = suppress_counts(monthly.rename("count"), threshold=threshold,
                                      margins="columns")
        lsoa_table = suppress_counts(by_lsoa.rename("count"), threshold=threshold,
                                     margins="columns")
        trend_values = trend_table.values["count"].reindex(months)
        trend_published = trend_table.published["count"].reindex(months)
        lsoa_values = lsoa_table.values["count"].reindex(list(area.lsoa21))
        lsoa_published = lsoa_table.published["count"].reindex(list(area.lsoa21))
        note = (f"Counts of 1 to {threshold - 1} are shown as {MARKER}, with other cells hidden "
                f"where needed so they cannot be worked out. Trend: {trend_table.status}. "
                f"Areas: {lsoa_table.status}.")
    else:
        trend_values, trend_published = monthly.astype(float), monthly.astype(object)
        lsoa_values, lsoa_published = by_lsoa.astype(float), by_lsoa.astype(object)
        note = "Unsuppressed figures: record-level access. Do not publish these tables."

    lsoa_rate = rate(by_lsoa, pop.where(pop > 0, np.nan).fillna(1.0), multiplier=PER)
    rates = lsoa_rate.value.where(~lsoa_values.isna())
    names = tables.lsoa21_boundaries.drop_duplicates("code").set_index("code")
    lsoa = pd.DataFrame({
        "lsoa21_code": list(area.lsoa21),
        "name": names["name"].reindex(list(area.lsoa21)).to_numpy(),
        "population": pop.to_numpy(),
        "count": lsoa_published.to_numpy(),
        f"rate_per_{PER}": [MARKER if pd.isna(r) else round(float(r), 2) for r in rates],
    })
    order = lsoa_values.fillna(-1).to_numpy().argsort(kind="stable")[::-1][:10]
    top = lsoa.iloc[order].reset_index(drop=True)
    trend = pd.DataFrame({"month": months, "count": trend_published.to_numpy()})

    tiles = _tiles(total=total, population=population, monthly=monthly,
                   monthly_prev=monthly_prev, months=months, previous=previous,
                   have=have, suppress=suppress, threshold=threshold)
    trend_svg = map_svg = ""
    if draw:
        label = category or ALL_LABEL
        if len(months) >= 2:
            trend_svg = line_chart(
                [pd.Period(m, freq="M").to_timestamp() for m in months],
                trend_values.astype(float).tolist(), chart_id="trend",
                title=f"Monthly count: {label}, {area.name}",
                desc=f"Line chart of monthly counts of {label} in {area.name}, "
                     f"{months[0]} to {months[-1]}. The table below gives the numbers.",
                y_label="Offences per month", series_label="Count").svg
        geoms = names["geometry_wkb"].reindex(list(area.lsoa21))
        map_svg = choropleth(
            geoms, rates.rename(None), chart_id="lsoa-map",
            title=f"Rate per {PER:,} residents by LSOA: {label}",
            desc=f"Map of {area.name} by LSOA 2021, shaded by the rate of {label} per "
                 f"{PER:,} residents, {months[0]} to {months[-1]}. The area table gives the "
                 f"numbers.", legend_title=f"Per {PER:,} residents",
            names={str(k): str(v) for k, v in
                   names["name"].reindex(list(area.lsoa21)).items()}).svg
    hotspot_svg, hotspot_note = "", ""
    if len(area.lsoa21) >= 3:
        geoms = names["geometry_wkb"].reindex(list(area.lsoa21))
        labels, hotspot_note = _hotspots(geoms, lsoa_rate.value)
        lsoa["gi_star"] = labels.to_numpy()
        top = lsoa.iloc[order].reset_index(drop=True)
        if draw:
            hotspot_svg = _hotspot_map(geoms, labels, area_name=area.name,
                                       label=category or ALL_LABEL, note=hotspot_note)
    return Dashboard(area=area, months=months, previous=previous, category=category,
                     categories=categories, suppressed=suppress, suppression_note=note,
                     tiles=tiles, trend=trend, trend_svg=trend_svg, lsoa=lsoa, top=top,
                     map_svg=map_svg, hotspot_svg=hotspot_svg, hotspot_note=hotspot_note,
                     warnings=warnings)


#: enough permutations for a false-discovery-rate correction over a county's LSOAs to be able
#: to find anything (999 cannot give p below 0.002; see alliance.stats.hotspots.gi_star)
HOTSPOT_PERMUTATIONS = 9_999
HOTSPOT_COLOURS = {"Hot spot": "#D55E00", "Cold spot": "#0072B2",
                   "Not significant": "#F3F2F1", "Not tested": "#B1B4B6"}


def _hotspots(geoms: pd.Series, rates: pd.Series) -> tuple[pd.Series, str]:
    """Gi* label per LSOA (hot / cold / not significant / not tested) and a note."""
    graph = queen_contiguity(shapely.from_wkb(geoms.to_numpy()), [str(c) for c in geoms.index])
    with warnings_module.catch_warnings(record=True) as caught:
        warnings_module.simplefilter("always")
        res = gi_star(rates.reindex(geoms.index).fillna(0.0), graph,
                      permutations=HOTSPOT_PERMUTATIONS, seed=20251125)
    raw = pd.Series(list(res.label), index=[str(i) for i in res.ids])
    labels = raw.reindex([str(c) for c in geoms.index]).map(
        {"hot": "Hot spot", "cold": "Cold spot", "not significant": "Not significant"}
    ).fillna("Not tested")
    note = ("Getis-Ord Gi* on LSOA rates, queen contiguity, 9,999 conditional permutations, "
            "Benjamini-Hochberg false discovery rate 5%. police.uk points are snapped to "
            "anonymous map points, so clusters finer than a few hundred metres are not reliable.")
    if caught:
        note += " " + " ".join(str(w.message) for w in caught)
    return labels, note


def _hotspot_map(geoms: pd.Series, labels: pd.Series, *, area_name: str, label: str,
                 note: str) -> str:
    n_hot = int((labels == "Hot spot").sum())
    n_cold = int((labels == "Cold spot").sum())
    return category_map(
        geoms, labels.set_axis(geoms.index), chart_id="hotspot-map",
        title=f"Hot and cold spots: {label}",
        desc=f"Map of {area_name} by LSOA 2021: {n_hot} LSOAs in significant hot spots and "
             f"{n_cold} in cold spots of the rate of {label}. The area table gives each LSOA's "
             "label.", colours=HOTSPOT_COLOURS, note=note)


def _tiles(*, total: int, population: float, monthly: pd.Series, monthly_prev: pd.Series,
           months: list[str], previous: list[str], have: set[str], suppress: bool,
           threshold: int) -> list[Tile]:
    small = suppress and 0 < total < threshold
    count_tile = Tile("Offences", MARKER if small else f"{total:,}",
                      f"{months[0]} to {months[-1]}")
    if small or population <= 0:
        rate_tile = Tile(f"Rate per {PER:,} residents", MARKER,
                         "hidden: too few offences to publish")
    else:
        est = rate(pd.Series([total]), pd.Series([population]), multiplier=PER)
        rate_tile = Tile(f"Rate per {PER:,} residents", _fmt(float(est.value.iloc[0]), 2),
                         f"95% CI {_fmt(float(est.lower.iloc[0]), 2)} to "
                         f"{_fmt(float(est.upper.iloc[0]), 2)}; population {population:,.0f}")
    before = int(monthly_prev.sum())
    if not all(m in have for m in previous):
        change = Tile("Change on previous period", "not available",
                      f"data for {previous[0]} to {previous[-1]} are not all loaded")
    elif suppress and (0 < before < threshold or small):
        change = Tile("Change on previous period", MARKER, "hidden: too few offences")
    elif before == 0 and total == 0:
        change = Tile("Change on previous period", "no offences", "in either period")
    else:
        series = pd.concat([monthly_prev, monthly])
        rr = compare_periods(series, before=(previous[0], previous[-1]),
                             after=(months[0], months[-1]), population=population)
        pct = (rr.ratio - 1) * 100
        significant = rr.p_value < 0.05
        change = Tile(
            "Change on previous period", f"{pct:+.0f}%",
            f"{before:,} in {previous[0]} to {previous[-1]}; rate ratio {rr.ratio:.2f} "
            f"(95% CI {rr.lower:.2f} to {rr.upper:.2f}), p = {rr.p_value:.3f}: "
            + ("a significant change" if significant else "not a significant change"))
    return [count_tile, rate_tile, change]
