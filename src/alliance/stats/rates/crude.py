"""Crude rate per population with PHE/Fingertips confidence intervals."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from alliance.stats import _validate
from alliance.stats.rates._intervals import IntervalEstimate, poisson_count_limits


def rate(
    counts: _validate.ArrayLike,
    denominators: _validate.ArrayLike,
    *,
    multiplier: float = 100_000,
    confidence: float = 0.95,
    known_areas: Iterable[object] | None = None,
) -> IntervalEstimate:
    """Crude rate of events per ``multiplier`` population, with a confidence interval.

    Estimates, for each area, the underlying rate of events (e.g. violent crimes per 100,000
    residents), treating the count as Poisson. The interval says how far the rate could move by
    chance alone; it is not a test, so there is no null hypothesis, p-value or multiple-testing
    correction here (see :func:`alliance.stats.rates.compare_with_benchmark` for a comparison).

    Interval method, as in the PHE/OHID Fingertips technical guidance and PHEindicatormethods
    ``phe_rate``: below 10 events the exact Poisson limits from the chi-square distribution
    (Armitage & Berry 2002); from 10 events Byar's approximation (Breslow & Day 1987). An area
    with 0 events has rate 0, lower limit 0 and a positive upper limit.

    Parameters
    ----------
    counts : array or Series
        Events per area (whole or weighted counts, not negative, no NaN: give 0 where none).
    denominators : array or Series
        Population (or other exposure) per area, above zero. A Series must carry the same area
        labels in the same order as ``counts``.
    multiplier : float, keyword-only
        Scale of the rate; 100,000 gives "per 100,000".
    confidence : float, keyword-only
        Confidence level of the interval (0.95 = 95%; Fingertips also uses 0.998).

    Returns
    -------
    IntervalEstimate
        value, lower, upper, method per area, indexed like ``counts``.

    Raises
    ------
    ValueError
        Missing, negative or infinite counts; zero or missing denominators; duplicated areas;
        counts and denominators covering different areas. The message names the areas.
    """
    multiplier = _validate.check_multiplier(multiplier)
    confidence = _validate.check_confidence(confidence)
    count_series, denominator_series = _validate.counts_and_denominators(
        counts, denominators, known_areas=known_areas
    )
    lower, upper, method = poisson_count_limits(count_series.to_numpy(), confidence)
    scale = multiplier / denominator_series
    index = count_series.index
    return IntervalEstimate(
        value=(count_series * scale).rename("value"),
        lower=pd.Series(lower, index=index, name="lower") * scale,
        upper=pd.Series(upper, index=index, name="upper") * scale,
        method=pd.Series(method, index=index, name="method"),
        numerator=count_series,
        denominator=denominator_series,
        statistic=f"rate per {multiplier:,.0f}",
        confidence=confidence,
        multiplier=multiplier,
    )
