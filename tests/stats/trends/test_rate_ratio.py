"""Period rate ratios against statsmodels' exact conditional Poisson test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep_test

from alliance.stats.trends import compare_periods, rate_ratio


@pytest.mark.parametrize(("a", "ea", "b", "eb"),
                         [(30, 12, 50, 12), (412, 12, 377, 12), (3, 1000, 11, 1500), (0, 6, 5, 6)])
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_p_value_matches_statsmodels_exact_cond(a: int, ea: float, b: int, eb: float) -> None:
    """Reference: statsmodels.stats.rates.test_poisson_2indep(method='exact-cond')."""
    ours = rate_ratio(a, ea, b, eb)
    ref = poisson_2indep_test(b, eb, a, ea, method="exact-cond")
    assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    if a > 0:
        assert ours.ratio == pytest.approx(ref.ratio)


def test_interval_is_clopper_pearson_on_the_conditional_binomial() -> None:
    """Reference: Breslow & Day (1987) s.7.2; the limits RR_L, RR_U make the conditional
    binomial tail probabilities equal alpha/2."""
    result = rate_ratio(30, 12, 50, 12)
    p_low = result.lower / (1 + result.lower)  # equal exposures: p = RR / (1 + RR)
    p_high = result.upper / (1 + result.upper)
    assert stats.binom.sf(49, 80, p_low) == pytest.approx(0.025, rel=1e-6)
    assert stats.binom.cdf(50, 80, p_high) == pytest.approx(0.025, rel=1e-6)
    assert result.lower < result.ratio < result.upper


def test_compare_periods_respects_breaks() -> None:
    months = pd.period_range("2023-01", "2024-12", freq="M")
    counts = pd.Series(np.r_[np.full(12, 20.0), np.full(12, 30.0)], index=months)
    ok = compare_periods(counts, before=("2023-01", "2023-12"), after=("2024-01", "2024-12"))
    assert ok.ratio == pytest.approx(1.5) and not ok.crosses_break
    with pytest.raises(ValueError, match="recording break"):
        compare_periods(counts, before=("2023-01", "2023-12"), after=("2024-01", "2024-12"),
                        breaks=["2024-01"])
    with pytest.warns(UserWarning, match="crosses"):
        flagged = compare_periods(counts, before=("2023-01", "2023-12"),
                                  after=("2024-01", "2024-12"), breaks=["2024-01"],
                                  allow_across_break=True)
    assert flagged.crosses_break and flagged.to_frame()["breaks_crossed"].iloc[0] == "2024-01"


def test_missing_month_is_not_a_zero() -> None:
    counts = pd.Series([5.0, 6.0, 7.0], index=["2024-01", "2024-02", "2024-04"])
    with pytest.raises(ValueError, match="2024-03"):
        compare_periods(counts, before=("2024-01", "2024-02"), after=("2024-03", "2024-04"))


def test_no_events_is_refused() -> None:
    with pytest.raises(ValueError, match="undefined"):
        rate_ratio(0, 12, 0, 12)
