"""Headline figures of a unit: count, rate with its interval, change on an earlier period.

One function per figure; the dashboard tiles, the SNA's overall chapter, the CLI and the
public pages all call these, so a count, a rate or a change reads the same everywhere.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import Period, Publication
from alliance.stats.rates.crude import rate as crude_rate
from alliance.stats.trends.period_change import period_change
from alliance.stats.trends.rate_ratio import RateRatio, rate_ratio

PER = 1000
#: a rate over a period other than twelve months is put on a yearly footing by days
DAYS_A_YEAR = 365.25


@dataclass(frozen=True, kw_only=True)
class Count:
    """Placed offences in a unit over a period (see :mod:`alliance.figures.cube`)."""

    value: float  # NaN when hidden
    period: Period
    category: str
    universe: str = "placed in the area's neighbourhoods (LSOAs)"

    @property
    def hidden(self) -> bool:
        return math.isnan(self.value)


@dataclass(frozen=True, kw_only=True)
class Rate:
    """Offences per 1,000 residents a year, with a 95% interval (NaN when hidden).

    For a twelve-month period this is the count per 1,000 residents; for any other period it
    is annualised by days (``annualised`` True), and says so in ``per``.
    """

    value: float
    lower: float
    upper: float
    population: int
    annualised: bool
    method: str

    @property
    def per(self) -> str:
        return ("per 1,000 residents a year (annualised)" if self.annualised
                else "per 1,000 residents a year")

    @property
    def hidden(self) -> bool:
        return math.isnan(self.value)


def count(pub: Publication, *, level: str, code: str, period: Period,
          category: str = ALL) -> Count:
    return Count(value=pub.count(level=level, code=code, period=period, category=category),
                 period=period, category=category)


def year_scale(period: Period) -> float:
    """1 for a twelve-month period; otherwise the factor that annualises a rate by days."""
    return 1.0 if period.is_year else DAYS_A_YEAR / period.days


def rate_of(value: float, *, population: int, period: Period) -> Rate:
    """The rate of a published count (the one formula every output uses)."""
    scale = year_scale(period)
    if math.isnan(value):
        return Rate(value=math.nan, lower=math.nan, upper=math.nan, population=population,
                    annualised=not period.is_year, method="hidden")
    est = crude_rate(pd.Series([value]), pd.Series([float(population)]), multiplier=PER)
    return Rate(value=float(est.value.iloc[0]) * scale, lower=float(est.lower.iloc[0]) * scale,
                upper=float(est.upper.iloc[0]) * scale, population=population,
                annualised=not period.is_year, method=str(est.method.iloc[0]))


def rate(pub: Publication, *, level: str, code: str, period: Period,
         category: str = ALL) -> Rate:
    c = count(pub, level=level, code=code, period=period, category=category)
    lsoas = pub.cube.geography.lsoas_of(level, code)
    return rate_of(c.value, population=pub.cube.geography.population(lsoas), period=period)


@dataclass(frozen=True, kw_only=True)
class Change:
    """The later period's rate against the earlier one's (same unit and category)."""

    before: float
    after: float
    before_label: str
    after_label: str
    ratio: float
    lower: float
    upper: float
    p_value: float
    method: str
    verdict: str  # 'significant rise', 'significant fall', 'no significant change',
    #               'hidden', 'not calculable'

    @property
    def percent(self) -> float:
        return (self.ratio - 1) * 100

    @property
    def shown(self) -> bool:
        return self.verdict not in ("hidden", "not calculable")


def _months_cells(pub: Publication, *, level: str, code: str, months: tuple[str, ...],
                  category: str) -> float:
    """A sum over months: the lattice cell when it is one, else a sum of month cells (hidden
    if any month is)."""
    period = pub.span(months) if (pub.record_level or len(months) == 1 or any(
        y.months == months for y in pub.years)) else None
    if period is not None:
        return pub.count(level=level, code=code, period=period, category=category)
    return pub.sum_of([CellKey(level, code, m, category) for m in months])


def _contiguous(months: tuple[str, ...]) -> bool:
    first = pd.Period(months[0], freq="M")
    return list(months) == [str(first + i) for i in range(len(months))]


def change(pub: Publication, *, level: str, code: str, before: tuple[str, ...],
           after: tuple[str, ...], category: str = ALL, before_label: str = "",
           after_label: str = "") -> Change:
    """The later period's rate against the earlier one's; hidden when either count is.

    When every month of both periods is published, the change is a quasi-Poisson model of the
    monthly counts (:func:`alliance.stats.trends.period_change`): exposure in days, like months
    compared with like, intervals widened by the extra-Poisson variation between months. When
    some month is not published by itself, only the two totals are, and the exact conditional
    rate ratio of the totals (exposure in days) is used, which cannot allow for that variation;
    ``method`` says which.
    """
    b = _months_cells(pub, level=level, code=code, months=before, category=category)
    a = _months_cells(pub, level=level, code=code, months=after, category=category)

    def without(verdict: str) -> Change:
        return Change(before=b, after=a, before_label=before_label, after_label=after_label,
                      ratio=math.nan, lower=math.nan, upper=math.nan, p_value=math.nan,
                      method="", verdict=verdict)

    if np.isnan(a) or np.isnan(b):
        return without("hidden")
    if a + b == 0 or b == 0:
        return without("not calculable")
    series = monthly_counts(pub, level=level, code=code, category=category)
    months = [*before, *after]
    population = pub.cube.geography.population(pub.cube.geography.lsoas_of(level, code))
    rr: RateRatio
    if (_contiguous(before) and _contiguous(after) and len(months) >= 4
            and series.reindex(months).notna().all()):
        rr = period_change(series.reindex(months).astype(int), before=(before[0], before[-1]),
                           after=(after[0], after[-1]), population=float(population))
    else:
        days_b = Period(months=before, label="", key=None).days
        days_a = Period(months=after, label="", key=None).days
        rr = rate_ratio(int(b), float(days_b), int(a), float(days_a))
        rr = dataclasses.replace(rr, method=rr.method + " on the two totals (monthly figures "
                                 "not all published, so extra-Poisson variation between "
                                 "months is not allowed for)")
    verdict = ("significant rise" if rr.lower > 1 else "significant fall" if rr.upper < 1
               else "no significant change")
    return Change(before=b, after=a, before_label=before_label, after_label=after_label,
                  ratio=rr.ratio, lower=rr.lower, upper=rr.upper, p_value=rr.p_value,
                  method=rr.method, verdict=verdict)


def monthly_counts(pub: Publication, *, level: str, code: str, category: str) -> pd.Series:
    """Published monthly counts of a unit (NaN where hidden or not published by month)."""
    out = {}
    for m in pub.cube.months:
        if pub.record_level:
            out[m] = float(pub.cube.total(lsoas=pub.cube.geography.lsoas_of(level, code),
                                          months=[m], category=category))
        elif pub.has_monthly(level=level, code=code, category=category):
            out[m] = pub.value(CellKey(level, code, m, category))
        else:
            out[m] = math.nan
    return pd.Series(out, dtype=float)
