"""Rate ratio between two periods, with an exact conditional (binomial) test and interval."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from alliance.stats import _validate
from alliance.stats.trends.breaks import BreakLike, as_months, month_index


@dataclass(frozen=True, eq=False)
class RateRatio:
    """Rate in the later period divided by the rate in the earlier one.

    ``p_value`` is two-sided, for the null hypothesis that the two underlying rates are equal.
    ``crosses_break`` is True when a recording break falls between or inside the periods (only
    possible with ``allow_across_break=True``); ``breaks_crossed`` lists them.
    """

    before_count: float
    before_exposure: float
    after_count: float
    after_exposure: float
    ratio: float
    lower: float
    upper: float
    p_value: float
    confidence: float
    method: str
    crosses_break: bool = False
    breaks_crossed: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        row = {name: getattr(self, name) for name in (
            "before_count", "before_exposure", "after_count", "after_exposure", "ratio",
            "lower", "upper", "p_value", "confidence", "method", "crosses_break")}
        row["breaks_crossed"] = ", ".join(self.breaks_crossed)
        return pd.DataFrame([row])


def rate_ratio(
    before_count: float,
    before_exposure: float,
    after_count: float,
    after_exposure: float,
    *,
    confidence: float = 0.95,
) -> RateRatio:
    """Ratio of the later rate to the earlier rate, with an exact interval and p-value.

    Estimates how many times higher (above 1) or lower (below 1) the event rate is in the later
    period, after allowing for different exposure (e.g. months x population). Null hypothesis:
    the rates are equal. Two-sided p-value; no multiple-testing correction (one comparison).

    Method: conditional on the total count, the later count is binomial with probability
    p = E_after * RR / (E_before + E_after * RR). The p-value is the exact binomial test of
    p = E_after / (E_before + E_after) (two-sided by the "minimum likelihood" rule, as
    statsmodels ``test_poisson_2indep(method='exact-cond')`` and R ``poisson.test``); the interval
    is the Clopper-Pearson interval for p, turned into a ratio (Breslow & Day 1987, s.7.2).

    Raises
    ------
    ValueError
        Negative or missing counts, zero exposure, no events in either period.
    """
    confidence = _validate.check_confidence(confidence)
    counts = _validate.as_series([before_count, after_count], name="counts",
                                 index=pd.Index(["before", "after"]))
    exposures = _validate.as_series([before_exposure, after_exposure], name="exposures",
                                    index=counts.index)
    _validate.check_counts(counts, integer=True)
    _validate.check_denominators(exposures)
    total = int(counts.sum())
    if total == 0:
        raise ValueError("no events in either period: the rate ratio is undefined")
    after = int(counts["after"])
    e_before, e_after = float(exposures["before"]), float(exposures["after"])
    null_p = e_after / (e_before + e_after)
    test = stats.binomtest(after, total, null_p)
    ci = test.proportion_ci(confidence_level=confidence, method="exact")
    odds_scale = e_before / e_after

    def to_ratio(p: float) -> float:
        return float(np.inf) if p >= 1 else p / (1 - p) * odds_scale

    ratio = (after / e_after) / (counts["before"] / e_before) if counts["before"] > 0 else np.inf
    return RateRatio(
        before_count=float(counts["before"]), before_exposure=e_before,
        after_count=float(after), after_exposure=e_after, ratio=float(ratio),
        lower=to_ratio(ci.low), upper=to_ratio(ci.high), p_value=float(test.pvalue),
        confidence=confidence, method="exact conditional (binomial), Clopper-Pearson interval",
    )


def period_months(series: pd.Series, label: str,
                  span: tuple[BreakLike, BreakLike]) -> pd.PeriodIndex:
    """The months of one period (inclusive), each of which must be in ``series``."""
    start, end = pd.Period(span[0], freq="M"), pd.Period(span[1], freq="M")
    if end < start:
        raise ValueError(f"{label} period ends before it starts: {start} to {end}")
    wanted = pd.period_range(start, end, freq="M")
    missing = wanted.difference(pd.PeriodIndex(series.index))
    if len(missing) > 0:
        raise ValueError(f"{label} period: months missing from the series: "
                         f"{_validate.name_areas(missing.astype(str))}")
    return wanted


def two_periods(series: pd.Series, before: tuple[BreakLike, BreakLike],
                after: tuple[BreakLike, BreakLike], breaks: Iterable[BreakLike], *, allow: bool,
                what: str) -> tuple[pd.PeriodIndex, pd.PeriodIndex, tuple[str, ...]]:
    """The months of both periods and the recording breaks crossed between them: a break is
    refused unless ``allow`` (then warned about)."""
    first = period_months(series, "before", before)
    second = period_months(series, "after", after)
    if second[0] <= first[-1]:
        raise ValueError("the 'after' period must start after the 'before' period ends")
    return first, second, _breaks_crossed(breaks, first[0], second[-1], allow=allow, what=what)


def _breaks_crossed(breaks: Iterable[BreakLike], first: pd.Period, last: pd.Period, *,
                    allow: bool, what: str) -> tuple[str, ...]:
    crossed = tuple(str(b) for b in as_months(breaks) if first < b <= last)
    if crossed and not allow:
        raise ValueError(f"recording break(s) {', '.join(crossed)} fall between {first} "
                         f"and {last}: figures either side are not comparable. Pass "
                         "allow_across_break=True to compare anyway (the result is flagged).")
    if crossed:
        warnings.warn(f"{what} crosses recording break(s) {', '.join(crossed)}", UserWarning,
                      stacklevel=4)
    return crossed


def compare_periods(
    monthly_counts: pd.Series,
    *,
    before: tuple[BreakLike, BreakLike],
    after: tuple[BreakLike, BreakLike],
    population: float = 1.0,
    breaks: Iterable[BreakLike] = (),
    allow_across_break: bool = False,
    confidence: float = 0.95,
) -> RateRatio:
    """Rate ratio of two periods of a monthly series (e.g. last 12 months vs the 12 before).

    Sums the counts in each period (inclusive first and last months); exposure is the number of
    months times ``population``. Every month of both periods must be in the series (a missing
    month is an error, not a zero). If a recording break lies inside or between the periods the
    comparison is refused, unless ``allow_across_break=True``, in which case it is made, flagged
    in the result (``crosses_break``) and warned about.
    """
    months = month_index(monthly_counts.index, what="monthly_counts")
    series = pd.Series(monthly_counts.to_numpy(), index=months, name="monthly_counts")
    _validate.check_unique_areas(series)
    _validate.check_counts(series)
    first, second, crossed = two_periods(series, before, after, breaks,
                                         allow=allow_across_break, what="rate ratio")
    b_count, a_count = float(series.loc[first].sum()), float(series.loc[second].sum())
    b_exp, a_exp = len(first) * population, len(second) * population
    result = rate_ratio(b_count, b_exp, a_count, a_exp, confidence=confidence)
    return RateRatio(**{**result.__dict__, "crosses_break": bool(crossed),
                        "breaks_crossed": crossed})
