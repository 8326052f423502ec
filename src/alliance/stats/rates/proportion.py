"""Proportion with Wilson score confidence intervals (PHE/Fingertips method)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from alliance.stats import _validate
from alliance.stats.rates._intervals import IntervalEstimate, wilson_limits


def proportion(
    numerators: _validate.ArrayLike,
    denominators: _validate.ArrayLike,
    *,
    confidence: float = 0.95,
    known_areas: Iterable[object] | None = None,
) -> IntervalEstimate:
    """Proportion of a group with a characteristic, with a Wilson score interval.

    Estimates, per area, the share of the denominator that is in the numerator (e.g. the share of
    violent offences that are domestic-related). The interval shows the uncertainty from chance;
    no hypothesis is tested here.

    The Wilson score interval (Wilson 1927; Newcombe & Altman 2000) is the method of the PHE
    Fingertips technical guidance and PHEindicatormethods ``phe_proportion``. It stays inside 0-1
    and behaves well for 0 and for 100%.

    Parameters
    ----------
    numerators, denominators : array or Series
        Whole counts per area; numerator between 0 and the denominator, denominator above 0.
    confidence : float, keyword-only
        Confidence level (0.95 = 95%).

    Returns
    -------
    IntervalEstimate
        value (a fraction between 0 and 1), lower, upper and method per area.

    Raises
    ------
    ValueError
        NaN or negative numerators, zero or missing denominators, numerator above denominator,
        duplicated areas or misaligned inputs; the message names the areas.
    """
    confidence = _validate.check_confidence(confidence)
    numerator, denominator = _validate.counts_and_denominators(
        numerators, denominators, count_name="numerators", known_areas=known_areas
    )
    _validate.check_numerator_within(numerator, denominator)
    lower, upper = wilson_limits(numerator.to_numpy(), denominator.to_numpy(), confidence)
    index = numerator.index
    return IntervalEstimate(
        value=(numerator / denominator).rename("value"),
        lower=pd.Series(lower, index=index, name="lower"),
        upper=pd.Series(upper, index=index, name="upper"),
        method=pd.Series("Wilson score", index=index, name="method"),
        numerator=numerator,
        denominator=denominator,
        statistic="proportion",
        confidence=confidence,
        multiplier=1.0,
    )
