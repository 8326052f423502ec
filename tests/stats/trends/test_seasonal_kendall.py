"""Seasonal Kendall test against pymannkendall.seasonal_test, and the trend-test chooser."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pymannkendall
import pytest

from alliance.stats.trends import mann_kendall, seasonal_kendall, trend_test
from tests.conftest import require_shared

SEASON = 10 * np.sin(2 * np.pi * (np.arange(12) - 3) / 12)  # summer peak


def _monthly(years: int, slope_per_year: float, seed: int, start: str = "2019-01") -> pd.Series:
    rng = np.random.default_rng(seed)
    months = pd.period_range(start, periods=12 * years, freq="M")
    level = 100 + slope_per_year * np.arange(len(months)) / 12
    return pd.Series(rng.poisson(level + np.tile(SEASON, years)).astype(float), index=months)


@pytest.mark.parametrize(("years", "slope", "seed"), [(3, 0.0, 1), (5, 6.0, 2), (4, -5.0, 3)])
def test_equals_pymannkendall_seasonal_test(years: int, slope: float, seed: int) -> None:
    """Reference: pymannkendall.seasonal_test(x, period=12) — S, Var(S), z, p, Tau and Sen's
    seasonal slope (per cycle = per year), on series starting in January."""
    series = _monthly(years, slope, seed)
    ours = seasonal_kendall(series)
    ref = pymannkendall.seasonal_test(series.to_numpy(), period=12)
    assert ours.s == ref.s and ours.var_s == pytest.approx(ref.var_s, rel=1e-12)
    assert ours.z == pytest.approx(ref.z, rel=1e-12, abs=1e-12)
    assert ours.p_value == pytest.approx(ref.p, rel=1e-9)
    assert ours.tau == pytest.approx(ref.Tau, rel=1e-12)
    assert ours.slope_per_year == pytest.approx(ref.slope, rel=1e-12)
    assert ours.trend == ref.trend


def test_gaps_and_a_mid_year_start_match_pymannkendall() -> None:
    """Months not held (NaN) and a series starting in July: pymannkendall is given the same
    months laid out from the first month, NaN where not held."""
    series = _monthly(4, 8.0, 4, start="2020-07")
    series.iloc[[5, 17, 30]] = np.nan
    ours = seasonal_kendall(series)
    ref = pymannkendall.seasonal_test(series.to_numpy(), period=12)
    assert ours.s == ref.s
    assert ours.p_value == pytest.approx(ref.p, rel=1e-9)
    assert ours.slope_per_year == pytest.approx(ref.slope, rel=1e-12)
    assert ours.months == 45


def test_season_is_not_mistaken_for_a_trend() -> None:
    """Property: a season that climbs from January to December, and no trend. Mann-Kendall on
    the 12 months of one year calls the seasonal climb a trend most of the time; the seasonal
    Kendall test over 3 years rarely does (about its 5% level)."""
    false_mk = false_sk = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        months = pd.period_range("2021-01", periods=36, freq="M")
        season = 60 * ((months.month.to_numpy() - 1) / 11 - 0.5)
        series = pd.Series(rng.poisson(200 + season).astype(float), index=months)
        false_mk += mann_kendall(series.iloc[:12]).to_frame()["trend"].iloc[0] != "no trend"
        false_sk += seasonal_kendall(series).trend != "no trend"
    assert false_mk >= 30
    assert false_sk <= 9


def test_chooser_says_plainly_when_months_are_too_few() -> None:
    """16 months (the Northamptonshire police.uk months: 2024-01..04 and 2025-01..12): no
    p-value, a plain sentence."""
    months = [f"2024-{m:02d}" for m in range(1, 5)] + [f"2025-{m:02d}" for m in range(1, 13)]
    series = pd.Series(np.arange(16, dtype=float) + 100, index=months)
    result = trend_test(series)
    assert result.method == "not tested" and result.p_value is None
    assert result.result is None and result.trend == "not tested"
    assert result.months == 16
    assert "16 months are held" in result.sentence and "seasonal pattern" in result.sentence
    assert "January 2024 to December 2025" in result.sentence


def test_chooser_runs_seasonal_kendall_with_two_full_years() -> None:
    series = _monthly(3, 10.0, 5)
    result = trend_test(series)
    assert result.method == "seasonal Kendall" and result.result is not None
    assert result.p_value == pytest.approx(seasonal_kendall(series).p_value)
    assert result.trend == "increasing" and "seasonal Kendall" in result.sentence
    # Only the months after a recording break are tested: 18 of them are too few.
    broken = trend_test(series, breaks=["2020-07"])
    assert broken.method == "not tested" and broken.months == 18
    # A month missing from every year but one: not two full cycles.
    holes = series.copy()
    holes[holes.index.month == 2] = np.nan
    assert trend_test(holes).method == "not tested"


def test_real_northamptonshire_months_are_too_few() -> None:
    """Real police.uk violence by month (16 months held): not tested, said plainly."""
    folder = require_shared("policeuk", "street", "northamptonshire")
    frames = [pd.read_csv(f, usecols=["Month", "Crime type"])
              for f in sorted(Path(folder).glob("*.csv.gz"))]
    crimes = pd.concat(frames)
    monthly = crimes[crimes["Crime type"] == "Violence and sexual offences"].groupby(
        "Month").size().astype(float)
    result = trend_test(monthly)
    assert result.months == 16 and result.method == "not tested"


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="two different years"):
        seasonal_kendall(pd.Series([1.0, 2.0, 3.0], index=["2024-01", "2024-02", "2024-03"]))
    with pytest.raises(ValueError, match="no months held"):
        trend_test(pd.Series([np.nan, np.nan], index=["2024-01", "2024-02"]))
