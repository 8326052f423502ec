"""The SNA's headline figures, gathered once for the executive summary and the key findings.

Every number is a published figure of :mod:`alliance.figures` read through ``ctx.pub`` by the
same functions the chapters call (so the summary and the chapters cannot disagree); places are
named from the LSOA table's ward and Community Safety Partnership names, never by code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.figures import counts as count_figures
from alliance.figures import hotspots as hotspot_figures
from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.cube import ALL
from alliance.report.sna.common import Context
from alliance.report.sna.spatial import month_counts
from alliance.report.wording import join_words
from alliance.stats.trends.rate_ratio import RateRatio
from alliance.stats.trends.seasonal_kendall import TrendTest, trend_test


@dataclass(frozen=True, kw_only=True)
class CategoryChange:
    key: str
    label: str
    change: count_figures.Change
    significant: bool  # after the Holm correction across the categories


@dataclass(frozen=True, kw_only=True)
class Headlines:
    """What the summary says, as numbers (NaN or None where hidden or not calculable)."""

    total: float
    rate: count_figures.Rate | None
    change: count_figures.Change | None  # all categories together, one test of its own
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    partial: bool = False  # only some months of the year before are held
    categories: tuple[CategoryChange, ...] = ()
    top_shares: dict[float, float] = field(default_factory=dict)  # 0.01/0.05/0.10 -> %
    hot: tuple[str, ...] = ()  # LSOA codes in significant hot spots
    cold: tuple[str, ...] = ()
    highest: tuple[str, ...] = ()  # LSOA codes of the highest published rates, highest first
    deprivation: RateRatio | None = None
    trend: TrendTest | None = None


def headlines(ctx: Context) -> Headlines:
    """The headline figures of the SNA's area and reporting year (computed once per build)."""
    cached = ctx.__dict__.get("_headlines")
    if cached is not None:
        return cached
    from alliance.report.sna.overall import corrected_significance

    total = ctx.count()
    rate = (count_figures.rate_of(total, population=int(ctx.population), period=ctx.fperiod)
            if not math.isnan(total) else None)
    comp = ctx.comparison
    change, categories = None, []
    if comp.kind != "none":
        changes = {key: count_figures.change(ctx.pub, level=ctx.level, code=ctx.code,
                                             before=comp.before, after=comp.after,
                                             category=key)
                   for key in [*ctx.labels, ALL]}
        change = changes[ALL] if changes[ALL].shown else None
        flags = corrected_significance({k: c for k, c in changes.items() if k != ALL})
        categories = [CategoryChange(key=k, label=ctx.labels[k], change=c,
                                     significant=flags.get(k, False))
                      for k, c in changes.items() if k != ALL and c.shown]
    frame = lsoa_figures.neighbourhoods(ctx.pub, level=ctx.level, code=ctx.code,
                                        period=ctx.fperiod)
    shown = frame[~frame["hidden"]].sort_values(["rate", "lsoa21_code"],
                                                ascending=[False, True], kind="stable")
    shares: dict[float, float] = {}
    if float(ctx.pub.lsoa_values_for_statistics(ctx.fperiod).sum()) > 0:
        conc = lsoa_figures.concentration(ctx.pub, level=ctx.level, code=ctx.code,
                                          period=ctx.fperiod)
        table = conc.top_shares
        shares = {float(k): float(v) * 100 for k, v in
                  zip(table["top_fraction"], table["event_share"], strict=True)}
    spots = hotspot_figures.hotspots(ctx.pub, level=ctx.level, code=ctx.code,
                                     period=ctx.fperiod, seed=ctx.seed)
    labels = spots.labels
    counts = month_counts(ctx).months
    found = Headlines(
        total=total, rate=rate, change=change, before=comp.before, after=comp.after,
        partial=comp.kind == "partial", categories=tuple(categories), top_shares=shares,
        hot=tuple(labels.index[labels == hotspot_figures.HOT]),
        cold=tuple(labels.index[labels == hotspot_figures.COLD]),
        highest=tuple(shown["lsoa21_code"].head(10)),
        deprivation=lsoa_figures.deciles(ctx.pub, period=ctx.fperiod).most_vs_least,
        trend=trend_test(counts) if counts.notna().sum() >= 2 else None)
    ctx.__dict__["_headlines"] = found
    return found


# ---------------------------------------------------------------------------- places in words


def town_of(ctx: Context) -> pd.Series:
    """Each LSOA's town or district (its Community Safety Partnership's name)."""
    return ctx.inputs.lsoa["csp_name"].astype(str)


def ward_of(ctx: Context) -> pd.Series | None:
    lsoa = ctx.inputs.lsoa
    if "ward_name" not in lsoa.columns or lsoa["ward_name"].isna().all():
        return None
    return lsoa["ward_name"].fillna("").astype(str)


def lsoa_name(ctx: Context, code: str) -> str:
    """The LSOA's own name ('West Northamptonshire 032E'): codes belong in tables only."""
    return str(ctx.inputs.lsoa.at[code, "name"])


def place_of(ctx: Context, code: str, *, ward_words: str = "{ward} ward") -> str:
    """'Castle ward, Northampton' (or the district alone when no ward is known); ``ward_words``
    says how the language names a ward ('ward {ward}' in Welsh)."""
    town = town_of(ctx).get(code, "")
    wards = ward_of(ctx)
    ward = wards.get(code, "") if wards is not None else ""
    if ward and ward != town:
        named = ward_words.format(ward=ward)
        return f"{named}, {town}" if town else named
    return town or lsoa_name(ctx, code)


def places_of(ctx: Context, codes: tuple[str, ...] | list[str], *,
              wards_each: int = 3) -> str:
    """LSOAs grouped by town, most first, with their wards: '7 in Northampton (Castle,
    St. George and Spencer wards) and 1 in Corby (Lloyds ward)', or 'all in Northampton (…)'."""
    if not len(codes):
        return ""
    towns = town_of(ctx).reindex(list(codes))
    wards = ward_of(ctx)
    parts = []
    order = towns.value_counts(sort=False)
    order = order.iloc[np.lexsort((order.index.to_numpy(), -order.to_numpy()))]
    for town, n in order.items():
        text = f"all in {town}" if len(order) == 1 and n > 1 else f"{n} in {town}"
        if wards is not None:
            named = [w for w in dict.fromkeys(wards.reindex(towns.index[towns == town]))
                     if w and w != town]
            if named:
                shown = named if len(named) <= wards_each + 1 else named[:wards_each]
                more = len(named) - len(shown)
                words = (f"{', '.join(shown)} and {more} more" if more else join_words(shown))
                text += f" ({words} ward{'s' if len(named) > 1 else ''})"
        parts.append(text)
    return join_words(parts)


def towns_of(ctx: Context, codes: tuple[str, ...] | list[str], *, most: int = 3) -> str:
    """The towns of some LSOAs, most first: 'Northampton, Corby and Kettering'."""
    towns = town_of(ctx).reindex(list(codes))
    counts = towns.value_counts(sort=False)
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(), -counts.to_numpy()))]
    return join_words(list(counts.index[:most]))


def towns_by_count(ctx: Context, codes: list[str], *, most: int = 4) -> str:
    """'Northampton (40), Corby (15) and Kettering (12)': the towns of some LSOAs, most first
    ('all 7 in Daventry and South Northamptonshire' when they share one)."""
    towns = town_of(ctx).reindex(codes).value_counts(sort=False)
    towns = towns.iloc[np.lexsort((towns.index.to_numpy(), -towns.to_numpy()))]
    if len(towns) == 1:
        n = int(towns.iloc[0])
        return f"all {n} in {towns.index[0]}" if n > 1 else f"in {towns.index[0]}"
    shown = [f"{t} ({n})" for t, n in towns.head(most).items()]
    rest = int(towns.iloc[most:].sum())
    return join_words([*shown, *([f"{rest} elsewhere"] if rest else [])])


def year_words(ctx: Context) -> str:
    """The reporting year as prose reads it: 'calendar year 2025' (its months are in the
    tables' captions)."""
    return ctx.fperiod.label.split(" (", 1)[0]


def number_words(n: int) -> str:
    """'none' for 0, else the number with separators (GOV.UK: numerals, except 'none')."""
    return "none" if n == 0 else f"{n:,}"


def counted(n: int, noun: str, verb: tuple[str, str] | None = None) -> str:
    """'no neighbourhood forms', '1 neighbourhood forms', '8 neighbourhoods form': a count,
    its noun and (optionally) its verb, agreeing."""
    one = n == 1 or n == 0
    words = f"{'no' if n == 0 else f'{n:,}'} {noun if one else noun + 's'}"
    return f"{words} {verb[0] if one else verb[1]}" if verb else words


def trend_words(test: TrendTest) -> str:
    """The seasonal trend test in plain words (its method and p-value are in the chapter)."""
    span = f"the {test.months} months held ({_month(test.first_month)} to " \
           f"{_month(test.last_month)})"
    if test.p_value is None:
        return (f"With {span}, a trend cannot yet be told apart from the usual seasonal "
                "pattern: that needs two whole years of months.")
    if test.trend == "no trend":
        return f"Allowing for the seasons, there is no clear trend over {span}."
    return f"Allowing for the seasons, there is a clear {test.trend} trend over {span}."


def _month(month: str) -> str:
    return pd.Period(month, freq="M").strftime("%B %Y")
