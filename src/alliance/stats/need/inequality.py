"""Rates by deprivation decile and the slope and relative indices of inequality (PHE method)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.rates import IntervalEstimate, rate

ValueType = Literal["rate", "normal"]


def rates_by_decile(
    counts: _validate.ArrayLike,
    populations: _validate.ArrayLike,
    deciles: _validate.ArrayLike,
    *,
    multiplier: float = 100_000,
    confidence: float = 0.95,
) -> IntervalEstimate:
    """Event rate in each deprivation decile (areas summed within a decile), with PHE intervals.

    ``counts``, ``populations`` and ``deciles`` give one value per area (e.g. per LSOA, with its
    IMD decile: 1 = most deprived 10% of England). The areas of a decile are pooled, then
    :func:`alliance.stats.rates.rate` gives the rate and its exact/Byar's interval. The result is
    indexed by decile, most deprived first.
    """
    count, population = _validate.counts_and_denominators(counts, populations,
                                                          denominator_name="populations")
    index = count.index if not isinstance(deciles, pd.Series) else None
    decile = _validate.as_series(deciles, name="deciles", index=index)
    _validate.align(count, decile)
    missing = decile.index[decile.isna()]
    if len(missing) > 0:
        raise ValueError("deciles: no deprivation decile for areas "
                         f"{_validate.name_areas(missing)}")
    pooled = pd.DataFrame({"count": count, "pop": population, "decile": decile.astype(int)})
    summed = pooled.groupby("decile").sum().sort_index()
    return rate(summed["count"], summed["pop"], multiplier=multiplier, confidence=confidence)


@dataclass(frozen=True, eq=False)
class InequalityIndex:
    """Slope index of inequality (SII) and relative index of inequality (RII).

    Convention (PHE): the fitted line runs from the most deprived end (x = 0) to the least
    deprived end (x = 1). ``sii`` = fitted value at the least deprived end minus at the most
    deprived end, so it is negative when the most deprived areas have the higher rate, as they
    usually do for violence. ``rii`` = fitted least / fitted most deprived. ``gap_most_minus_least``
    (= -sii) and ``ratio_most_to_least`` (= 1/rii) say the same thing the way round most
    partnership reports word it.
    """

    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    intercept: float
    confidence: float
    repetitions: int
    groups: pd.DataFrame

    @property
    def gap_most_minus_least(self) -> float:
        return -self.sii

    @property
    def ratio_most_to_least(self) -> float:
        return 1 / self.rii

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "sii": self.sii, "sii_lower": self.sii_lower, "sii_upper": self.sii_upper,
            "rii": self.rii, "rii_lower": self.rii_lower, "rii_upper": self.rii_upper,
            "intercept": self.intercept, "gap_most_minus_least": self.gap_most_minus_least,
            "ratio_most_to_least": self.ratio_most_to_least, "confidence": self.confidence,
            "ci_method": f"simulation, {self.repetitions} repetitions",
        }])


def _fit(values: np.ndarray, share: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Least squares of y*sqrt(a) on sqrt(a) and x*sqrt(a), no constant; rows = repetitions."""
    root = np.sqrt(share)
    design = np.column_stack([root, rank * root])
    solve = np.linalg.pinv(design)  # (2, k)
    return np.atleast_2d(values * root) @ solve.T  # (reps, 2): intercept, slope


def slope_index_of_inequality(
    estimate: IntervalEstimate,
    *,
    value_type: ValueType = "rate",
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int = 20_240_401,
) -> InequalityIndex:
    """SII and RII across ordered deprivation groups, as PHEindicatormethods ``phe_sii``.

    Estimates the absolute (SII) and relative (RII) gap in the indicator between the most and
    least deprived ends of the population, using every group, not just the two extremes. It is
    an estimate with an interval, not a test; an interval that excludes 0 (SII) or 1 (RII)
    shows a gradient beyond chance, two-sided at the chosen confidence. No multiple-testing
    correction.

    Method (Low & Low 2004, J Public Health 26:388; PHE Fingertips technical guidance):
    groups are ordered most deprived first; each gets a relative rank x = the midpoint of its
    share of the cumulative population; the regression y*sqrt(a) = b0*sqrt(a) + b1*x*sqrt(a)
    (a = population share) is fitted without a constant; SII = b1, RII = (b0 + b1)/b0. The
    interval comes from simulation: each group's value is redrawn from a normal distribution
    with the standard error implied by its 95% interval (on the log scale for rates, as
    ``value_type=1`` in ``phe_sii``), the line refitted, and percentiles taken. ``seed`` makes
    the interval reproducible.

    Parameters
    ----------
    estimate : IntervalEstimate
        One row per group (e.g. from :func:`rates_by_decile`), index ordered most deprived
        first, 5 to 100 groups, every group with a population and a value.
    value_type : {'rate', 'normal'}, keyword-only
        'rate' simulates on the log scale (needs every group's rate above 0).
    """
    confidence = _validate.check_confidence(confidence)
    groups = len(estimate.value)
    if not 5 <= groups <= 100:
        raise ValueError(f"SII needs 5 to 100 ordered groups (e.g. deciles); got {groups}")
    if repetitions < 1000:
        raise ValueError("repetitions must be at least 1000 (PHE default 100,000)")
    values = estimate.value.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(f"SII: no value for groups "
                         f"{_validate.name_areas(estimate.value.index[~np.isfinite(values)])}")
    share = (estimate.denominator / estimate.denominator.sum()).to_numpy()
    rank = np.cumsum(share) - share / 2
    # The standard error comes from the 95% interval, as phe_sii does.
    z95 = 1.959963984540054
    rate_rows = estimate
    if estimate.confidence != 0.95:
        rate_rows = rate(estimate.numerator, estimate.denominator,
                         multiplier=estimate.multiplier, confidence=0.95)
    lower, upper = rate_rows.lower.to_numpy(), rate_rows.upper.to_numpy()
    rng = np.random.default_rng(seed)
    if value_type == "rate":
        zero = estimate.value.index[values <= 0]
        if len(zero) > 0:
            raise ValueError(f"SII on the log scale needs every rate above 0; zero for groups "
                             f"{_validate.name_areas(zero)}")
        se = (np.log(upper) - np.log(lower)) / z95 / 2
        simulated = np.exp(rng.normal(np.log(values), se, size=(repetitions, groups)))
    elif value_type == "normal":
        se = (upper - lower) / z95 / 2
        simulated = rng.normal(values, se, size=(repetitions, groups))
    else:
        raise ValueError("value_type must be 'rate' or 'normal'")
    intercept, slope = _fit(values, share, rank)[0]
    draws = _fit(simulated, share, rank)
    sii_draws = draws[:, 1]
    rii_draws = (draws[:, 0] + draws[:, 1]) / draws[:, 0]
    tail = (1 - confidence) / 2 * 100
    table = pd.DataFrame({"value": values, "population_share": share, "relative_rank": rank,
                          "se": se}, index=estimate.value.index)
    return InequalityIndex(
        sii=float(slope), sii_lower=float(np.percentile(sii_draws, tail)),
        sii_upper=float(np.percentile(sii_draws, 100 - tail)),
        rii=float((intercept + slope) / intercept),
        rii_lower=float(np.percentile(rii_draws, tail)),
        rii_upper=float(np.percentile(rii_draws, 100 - tail)),
        intercept=float(intercept), confidence=confidence, repetitions=repetitions,
        groups=table,
    )
