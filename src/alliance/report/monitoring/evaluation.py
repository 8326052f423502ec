"""Did it work? An intervention's before/after analysis from published monthly figures.

For an intervention whose places are a published unit (a local authority, a community safety
partnership or the whole area) and which has a start month: an interrupted time series of the
unit's monthly counts (:func:`alliance.stats.trends.interrupted_time_series`, with the
comparison unit when one is chosen), and the exact rate ratio of the same number of months
after the start against before (:func:`alliance.stats.trends.rate_ratio`, exposure in days).
Both read published months only, so they reveal nothing the lattice hides. Places smaller than
a published unit are analysed only for roles with record-level access (see the web shell),
never in a published output.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from alliance.figures.measures import MeasureSpec, measure_monthly
from alliance.figures.publication import Publication
from alliance.report.wording import format_number
from alliance.stats.trends.interrupted import ItsResult, interrupted_time_series
from alliance.stats.trends.rate_ratio import RateRatio, rate_ratio


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    its: ItsResult | None
    before_after: RateRatio | None
    months_each_side: int
    verdict: str  # one plain sentence
    refusal: str  # why there is no analysis ('' when there is)
    limits: tuple[str, ...]


def _verdict(its: ItsResult, *, polarity: str) -> str:
    level = its.level
    pct = (level.ratio - 1) * 100
    rng = (f"between {_signed(level.lower)} and {_signed(level.upper)}")
    against = " compared with the comparison area" if its.comparison else ""
    if level.lower <= 1 <= level.upper:
        return (f"No clear step change when it started{against}: the step was {rng}, so "
                "it could be chance.")
    good = (pct < 0) == (polarity == "low is good")
    return (f"A {'fall' if pct < 0 else 'rise'} of {format_number(abs(pct), dp=0)}% when it "
            f"started{against} ({rng}), more than chance would explain"
            + ("." if polarity == "not applicable" else
               f": {'in the hoped-for direction' if good else 'in the wrong direction'}."))


def _signed(ratio: float) -> str:
    pct = (ratio - 1) * 100
    return f"a {format_number(abs(pct), dp=0)}% {'rise' if pct > 0 else 'fall'}"


def evaluate(pub: Publication, *, unit: tuple[str, str], start: str,
             categories: tuple[str, ...] = (), comparison: tuple[str, str] | None = None,
             polarity: str = "low is good") -> Evaluation:
    """The before/after analysis of ``unit`` from month ``start`` (see the module notes)."""
    spec = MeasureSpec(key="evaluated", title="evaluated", level=unit[0], code=unit[1],
                       categories=categories)
    series = measure_monthly(pub, spec)
    other = None
    if comparison is not None:
        other = measure_monthly(pub, MeasureSpec(key="comparison", title="comparison",
                                                 level=comparison[0], code=comparison[1],
                                                 categories=categories))
    for name, s in (("the places", series), ("the comparison area", other)):
        if s is not None and s.notna().sum() == 0:
            return Evaluation(its=None, before_after=None, months_each_side=0,
                              verdict="Not analysed.", limits=(),
                              refusal=(f"the monthly figures of {name} are published by whole "
                                       "year only (too few offences a month), so no monthly "
                                       "analysis can be published"))
    try:
        its = interrupted_time_series(series, start=start, comparison=other)
    except ValueError as exc:
        return Evaluation(its=None, before_after=None, months_each_side=0,
                          verdict="Not analysed yet.", refusal=str(exc), limits=())
    held = series.dropna()
    before = held[held.index < start]
    after = held[held.index >= start]
    n = min(len(before), len(after))
    ratio = None
    if n:
        b, a = before.iloc[-n:], after.iloc[:n]
        days = [sum(pd.Period(m, freq="M").days_in_month for m in part.index)
                for part in (b, a)]
        if b.sum() + a.sum() > 0:
            ratio = rate_ratio(int(b.sum()), float(days[0]), int(a.sum()), float(days[1]))
    return Evaluation(its=its, before_after=ratio, months_each_side=n,
                      verdict=_verdict(its, polarity=polarity), refusal="",
                      limits=its.limits)
