"""SII/RII (PHEindicatormethods phe_sii method) and rates by decile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from alliance.stats.need import rates_by_decile, slope_index_of_inequality
from alliance.stats.rates import IntervalEstimate, rate

# The example data of PHEindicatormethods::phe_sii (R documentation, "Area1": life expectancy
# by decile, most deprived first).
POPULATION = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
VALUE = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
LOWER = [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2]
UPPER = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4]


def _life_expectancy() -> IntervalEstimate:

    index = pd.Index(range(1, 11), name="decile")
    return IntervalEstimate(
        value=pd.Series(VALUE, index=index), lower=pd.Series(LOWER, index=index),
        upper=pd.Series(UPPER, index=index), method=pd.Series("given", index=index),
        numerator=pd.Series(VALUE, index=index), denominator=pd.Series(POPULATION, index=index,
                                                                       dtype=float),
        statistic="life expectancy", confidence=0.95, multiplier=1.0)


def test_sii_is_the_phe_weighted_regression() -> None:
    """Reference: PHEindicatormethods phe_sii (Low & Low 2004): lm(y*sqrt(a) ~ sqrt(a) +
    x*sqrt(a) - 1), x the cumulative population midpoint; equivalently WLS of y on x with
    weights a (statsmodels WLS). RII = (b0 + b1) / b0."""
    estimate = _life_expectancy()
    result = slope_index_of_inequality(estimate, value_type="normal", repetitions=20_000)
    share = np.array(POPULATION) / sum(POPULATION)
    midpoint = np.cumsum(share) - share / 2
    assert midpoint[0] == pytest.approx(share[0] / 2)
    ref = sm.WLS(VALUE, sm.add_constant(midpoint), weights=share).fit()
    assert result.sii == pytest.approx(ref.params[1], rel=1e-10)
    assert result.intercept == pytest.approx(ref.params[0], rel=1e-10)
    assert result.rii == pytest.approx((ref.params[0] + ref.params[1]) / ref.params[0])
    assert result.sii_lower < result.sii < result.sii_upper
    # the simulated interval is close to the analytic one when the SEs are known exactly
    se = (np.array(UPPER) - np.array(LOWER)) / 1.959963984540054 / 2
    design = np.column_stack([np.sqrt(share), midpoint * np.sqrt(share)])
    pinv = np.linalg.pinv(design)
    analytic = np.sqrt(np.sum((pinv[1] * np.sqrt(share) * se) ** 2))
    assert (result.sii_upper - result.sii_lower) / 2 == pytest.approx(1.96 * analytic, rel=0.03)


def test_rates_by_decile_pool_areas_and_give_violence_gradient() -> None:
    rng = np.random.default_rng(4)
    deciles = np.repeat(np.arange(1, 11), 20)
    pops = rng.integers(1200, 2500, 200)
    counts = rng.poisson(pops * 0.02 * (1.6 - deciles * 0.1))
    by_decile = rates_by_decile(counts, pops, deciles)
    assert list(by_decile.value.index) == list(range(1, 11))
    assert by_decile.numerator.sum() == counts.sum()
    ref = rate(pd.Series(counts).groupby(deciles).sum(), pd.Series(pops).groupby(deciles).sum())
    np.testing.assert_allclose(by_decile.upper, ref.upper)
    index = slope_index_of_inequality(by_decile, repetitions=5000)
    assert index.sii < 0 and index.rii < 1 and index.ratio_most_to_least > 1
    assert index.sii_upper < 0
    frame = index.to_frame()
    assert frame.loc[0, "gap_most_minus_least"] == pytest.approx(-index.sii)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="no deprivation decile for areas 1"):
        rates_by_decile([1, 2], [10, 10], [1, np.nan])
    few = rate([5, 6, 7], [100, 100, 100])
    with pytest.raises(ValueError, match="5 to 100"):
        slope_index_of_inequality(few)
    zero = rate([0, 6, 7, 8, 9], [100] * 5)
    with pytest.raises(ValueError, match=r"above 0.*groups 0"):
        slope_index_of_inequality(zero)
