"""Mann-Kendall test against a published worked example and scipy's Kendall tau."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alliance.stats.trends import mann_kendall, monthly_series

# "A Mann-Kendall Example (By Hand)", D. Little, College of the Holy Cross
# (mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt): 14 values, one tied pair.
HOLY_CROSS = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1,
              21.7]


def _monthly(values: list[float], start: str = "2023-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


def test_published_worked_example() -> None:
    """Reference: Holy Cross worked example: S = 54, V = 14*13*33/18 - 2*1*9/18,
    Z = (S - 1)/sqrt(V) = 2.9058, one-sided p about 0.0018."""
    row = mann_kendall(_monthly(HOLY_CROSS)).to_frame().iloc[0]
    assert row["s"] == 54
    assert row["var_s"] == pytest.approx(14 * 13 * 33 / 18 - 2 * 1 * 9 / 18)
    assert row["z"] == pytest.approx(2.9058, abs=1e-4)
    assert row["p_value"] / 2 == pytest.approx(0.0018, abs=1e-4)
    assert row["trend"] == "increasing"


def test_without_continuity_correction_equals_scipy_kendalltau() -> None:
    """Reference: scipy.stats.kendalltau(time, values, method='asymptotic'): with no ties in
    time its variance is the tie-corrected Mann-Kendall variance (no continuity correction)."""
    rng = np.random.default_rng(5)
    values = rng.poisson(20 + np.arange(40) * 0.3).astype(float)  # many ties
    ours = mann_kendall(_monthly(list(values)), continuity_correction=False).to_frame().iloc[0]
    ref = stats.kendalltau(np.arange(40), values, method="asymptotic")
    assert ours["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)


def test_break_splits_the_series_and_is_reported() -> None:
    """A level shift at a recording break is not a trend: each side is flat."""
    values = [10, 11, 10, 9] * 3 + [30, 31, 30, 29] * 3
    joined = mann_kendall(_monthly(values)).to_frame()
    assert joined["trend"].iloc[0] == "increasing"
    split = mann_kendall(_monthly(values), breaks=["2024-01"])
    table = split.to_frame()
    assert list(table["first_month"]) == ["2023-01", "2024-01"]
    assert (table["trend"] == "no trend").all()
    assert split.breaks == ("2024-01",)


def test_monthly_series_with_gap_and_short_segment_warns() -> None:
    counts = _monthly(list(range(1, 17)), start="2024-01").drop(
        pd.period_range("2024-05", "2024-12", freq="M"))
    series = monthly_series(counts, missing_months="gap")
    with pytest.warns(UserWarning, match="too short"):
        table = mann_kendall(series, breaks=["2024-04"]).to_frame()
    assert list(table["trend"][:1]) == ["not tested"]
    assert len(table) == 3


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="2023-02"):
        mann_kendall(_monthly([1.0, np.nan, 3.0, 4.0]))
