"""Seasonal decomposition against statsmodels seasonal_decompose and STL."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.seasonal import STL, seasonal_decompose

from alliance.stats.trends import seasonal_decomposition


def _series(months: int = 48, seed: int = 2) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    values = 100 + 0.5 * t + 15 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 3, months)
    return pd.Series(values.round(), index=pd.period_range("2021-01", periods=months, freq="M"))


def test_classical_matches_statsmodels() -> None:
    """Reference: statsmodels.tsa.seasonal.seasonal_decompose(model='additive', period=12)."""
    series = _series()
    ours = seasonal_decomposition(series).to_frame()
    ref = seasonal_decompose(series.to_numpy(), model="additive", period=12)
    np.testing.assert_allclose(ours["trend"], ref.trend, equal_nan=True)
    np.testing.assert_allclose(ours["seasonal"], ref.seasonal)
    np.testing.assert_allclose(ours["remainder"], ref.resid, equal_nan=True)
    assert (ours.loc[ours["trend"].isna(), "note"] != "").all()


def test_stl_per_segment_matches_statsmodels() -> None:
    """Reference: statsmodels.tsa.seasonal.STL(period=12, robust=True), each segment alone."""
    series = _series(60)
    ours = seasonal_decomposition(series, method="stl", breaks=["2023-01"]).to_frame()
    for segment, block in ((0, series[:24]), (1, series[24:])):
        ref = STL(block.to_numpy(), period=12, robust=True).fit()
        np.testing.assert_allclose(ours.loc[ours["segment"] == segment, "trend"], ref.trend)


def test_short_segment_is_refused() -> None:
    with pytest.raises(ValueError, match="needs 24"):
        seasonal_decomposition(_series(), breaks=["2021-06"])
