"""What /our-area/ shows: the partnership's area by reporting year or month, from the lattice.

Every figure is the staff dashboard's (:mod:`alliance.web.dashboards.services`): its
:func:`~alliance.web.dashboards.services.build` for the monthly series, the neighbourhood table
and the hot spot labels, and its :func:`~alliance.web.dashboards.services.headline` for the
count, rate and change, all over the area's one published lattice
(``publication(area_code, record_level=False)``). Only cells of that lattice are published:
whole reporting years and single months for the area and its districts, neighbourhoods for
whole years, so the suppression the governance issue defines covers every public page. What is
added here is wording (in English or Welsh) and the maps drawn in the reader's language.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.utils import formats, translation
from django.utils.translation import gettext as _

from alliance.figures.cube import ALL
from alliance.figures.publication import MARKER, Period, Publication
from alliance.report.category_map import category_map
from alliance.report.maps import choropleth
from alliance.report.places import map_layers
from alliance.web.accounts.models import Partnership
from alliance.web.dashboards.services import (
    HOTSPOT_COLOURS,
    PER,
    Dashboard,
    DashboardError,
    Headline,
    Unit,
    build,
    headline,
    units,
)
from alliance.web.pool.publication import NoFigures, pool_version, shown_publication
from alliance.web.public import words
from alliance.web.public.comparisons import Comparisons, comparisons


class NotReady(Exception):
    """Nothing can be published yet (no partnership, geography or data); says why, plainly."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class CategoryRow:
    key: str
    label: str
    figures: Headline


@dataclass(frozen=True)
class AreaPage:
    area_name: str
    unit: Unit
    unit_name: str
    period: Period
    period_label: str
    areas: list[Choice]
    periods: list[Choice]
    board: Dashboard  # drawn without its English maps: the maps below are in the reader's words
    figures: Headline
    categories: list[CategoryRow]
    neighbourhoods: pd.DataFrame | None  # code, name, district, residents, count, rate, hot spot
    map_svg: str = ""
    hotspot_svg: str = ""
    threshold: int = 5
    #: the area's published headline statistics beside England and the region (None: none held)
    compared: Comparisons | None = None

    @property
    def cell(self) -> str:
        """What the headline count covers, for the page's ``data-cell`` marks."""
        return cell(self.unit.level, self.unit.code, self.period.months, ALL)


def cell(level: str, code: str, months: tuple[str, ...], category: str) -> str:
    """'area E23000022 2025-01 2025-12 all': the lattice cell a published count is (read back
    by the test that attacks everything published)."""
    return f"{level} {code} {months[0]} {months[-1]} {category or 'all'}"


def the_partnership() -> Partnership:
    partnership = Partnership.objects.first()
    if partnership is None:
        raise NotReady(_("This service has not been set up yet."))
    return partnership


def month_words(month: str) -> str:
    """'January 2025' ('Ionawr 2025' in Welsh)."""
    year, number = (int(x) for x in month.split("-"))
    return formats.date_format(date(year, number, 1), "F Y")


def period_words(period: Period) -> str:
    if period.n_months == 1:
        return month_words(period.months[0])
    return _("%(first)s to %(last)s") % {"first": month_words(period.months[0]),
                                         "last": month_words(period.months[-1])}


def unit_words(pub: Publication, unit: Unit) -> str:
    geo = pub.cube.geography
    if unit.level == "area":
        return _("%(name)s (whole area)") % {"name": geo.name}
    name = geo.units(unit.level)[unit.code]
    if unit.level == "lad":
        return _("%(name)s (local authority)") % {"name": name}
    return _("%(name)s (community safety partnership)") % {"name": name}


def _period_choices(pub: Publication, chosen: Period) -> list[Choice]:
    years = [Choice(y.label, _("Reporting year %(year)s (%(months)s)") % {
        "year": y.label, "months": period_words(pub.year(y.label))}, y.months == chosen.months)
        for y in reversed(pub.years)]
    months = [Choice(m, month_words(m), (m,) == chosen.months) for m in reversed(pub.cube.months)]
    return years + months


def area_page(*, unit_code: str = "", period_value: str = "") -> AreaPage:
    """The public page's figures for a unit of the area and a reporting year or month (the
    latest reporting year, or the latest month when no year is whole, by default). Unknown
    choices fall back to the defaults rather than fail: the page is public."""
    partnership = the_partnership()
    try:
        # while a load's new figures are worked out, the ones before (see dashboards.build)
        pub, current = shown_publication(partnership.area_code)
    except NoFigures as exc:
        raise NotReady(_("No figures have been published for this area yet.")) from exc
    every = units(pub)
    unit = next((u for u in every if u.code == unit_code), every[0])
    years = {y.label: y for y in pub.years}
    if period_value in years:
        period = pub.year(period_value)
    elif period_value in pub.cube.months:
        period = pub.month(period_value)
    else:
        period = pub.year(pub.years[-1].label) if pub.years else pub.month(pub.cube.months[-1])
    try:
        board = build(area_code=partnership.area_code, unit=unit, period_months=period.months,
                      category=ALL, record_level=False, draw=False)
    except DashboardError as exc:
        raise NotReady(_("No figures have been published for this area yet.")) from exc
    categories = [CategoryRow(key, words.category(label),
                              headline(pub, unit=unit, period=period, category=key))
                  for key, label in pub.cube.categories.items()]
    table = _neighbourhoods(pub, board)
    map_svg, hotspot_svg = _maps(partnership.area_code, pub, board, unit_words(pub, unit),
                                 keep=current)
    return AreaPage(
        area_name=pub.cube.geography.name, unit=unit, unit_name=unit_words(pub, unit),
        period=period, period_label=period_words(period),
        areas=[Choice(u.code, unit_words(pub, u), u == unit) for u in every],
        periods=_period_choices(pub, period), board=board,
        figures=headline(pub, unit=unit, period=period, category=ALL),
        categories=categories, neighbourhoods=table, map_svg=map_svg, hotspot_svg=hotspot_svg,
        threshold=int(pub.threshold or 0),
        compared=comparisons(partnership.area_code, tuple(pub.cube.geography.lsoa.index),
                             last_month=pub.cube.months[-1]))


def _neighbourhoods(pub: Publication, board: Dashboard) -> pd.DataFrame | None:
    if board.lsoa is None:
        return None
    geo = pub.cube.geography.lsoa
    frame = board.lsoa.copy()
    frame["district"] = geo.loc[frame["lsoa21_code"], "csp_name"].astype(str).to_numpy()
    if "hot_spot" in frame.columns:
        frame["hot_spot"] = [words.hot_spot(x) for x in frame["hot_spot"]]
    frame["rate"] = frame[f"rate_per_{PER}"]
    return frame


_MAPS: OrderedDict[tuple[object, ...], tuple[str, str]] = OrderedDict()
_lock = threading.Lock()


def _maps(area_code: str, pub: Publication, board: Dashboard, unit_name: str, *,
          keep: bool) -> tuple[str, str]:
    """The rate map and the hot spot map in the reader's language (kept per data version,
    unless ``keep`` is False: drawn from the data before while a load's figures are worked
    out)."""
    if board.lsoa is None:
        return "", ""
    key = (area_code, board.unit, board.period.months, translation.get_language(),
           pool_version())
    with _lock:
        if key in _MAPS:
            return _MAPS[key]
        before = [maps for k, maps in reversed(_MAPS.items()) if k[:-1] == key[:-1]]
    if not keep and before:  # the maps drawn with the board before
        return before[0]
    codes = list(board.lsoa["lsoa21_code"])
    geo = pub.cube.geography
    geoms = geo.lsoa.loc[codes, "geometry_wkb"]
    layers = {**map_layers(geo.lsoa.loc[codes]).kwargs(),
              "boundary_label": _("Community safety partnership")}
    rates = pd.Series([np.nan if v == MARKER else float(v)
                       for v in board.lsoa[f"rate_per_{PER}"]], index=codes)
    names = {"area": unit_name, "period": period_words(board.period)}
    map_svg = choropleth(
        geoms, rates, chart_id="rate-map",
        title=_("Offences per 1,000 residents a year, by neighbourhood"),
        desc=_("Map of %(area)s by neighbourhood, shaded by the rate of offences per 1,000 "
               "residents a year, %(period)s. Hidden neighbourhoods are hatched. The table "
               "beside the map gives every figure.") % names,
        legend_title=_("Per 1,000 residents"), legend_ends=(_("Lower rate"), _("Higher rate")),
        suppressed_label=_("Hidden (small numbers)"),
        legend_words=(_("{low} to {high}"), _("over {low}")), **layers).svg
    hotspot_svg = ""
    if "hot_spot" in board.lsoa.columns:
        labels = pd.Series([words.hot_spot(x) for x in board.lsoa["hot_spot"]],
                           index=geoms.index)
        colours = {words.hot_spot(k): v for k, v in HOTSPOT_COLOURS.items()}
        hotspot_svg = category_map(
            geoms, labels, chart_id="hotspot-map", title=_("Hot and cold spots"),
            desc=_("Map of %(area)s by neighbourhood, showing clusters of high rates (hot "
                   "spots) and low rates (cold spots), %(period)s. The table beside the map "
                   "gives each neighbourhood's label.") % names,
            colours={k: v for k, v in colours.items() if (labels == k).any()}, **layers)
    if not keep:
        return map_svg, hotspot_svg
    with _lock:
        _MAPS[key] = (map_svg, hotspot_svg)
        while len(_MAPS) > 32:
            _MAPS.popitem(last=False)
    return map_svg, hotspot_svg


def forget_cache() -> None:
    with _lock:
        _MAPS.clear()
