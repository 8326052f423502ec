"""The baseline forecast: statsmodels' fit, honest intervals, no worse than seasonal naive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from alliance.stats.trends.forecast import forecast_counts
from tests.conftest import require_shared


def _months(first: str, n: int) -> pd.PeriodIndex:
    return pd.period_range(first, periods=n, freq="M")


def _simulate(rng: np.random.Generator, months: pd.PeriodIndex, *, level: float = 60.0,
              trend: float = 0.9, amplitude: float = 0.2, phi: float = 2.0) -> np.ndarray:
    """Counts with a yearly trend ratio, an annual season and variance phi x mean."""
    t = np.arange(len(months)) / 12
    season = amplitude * np.cos(2 * np.pi * np.asarray(months.month) / 12)
    mean = level * trend ** t * np.exp(season) * np.array([m.days_in_month for m in months]) / 30
    return rng.negative_binomial(mean / (phi - 1), 1 / phi).astype(float)


def test_expected_values_equal_statsmodels_glm() -> None:
    """Reference: statsmodels GLM (Poisson family, offset log days, trend in years, one annual
    harmonic) fitted here from its own design; the forecast mean is its prediction. Tolerance
    1e-6 relative (two converged IRLS fits)."""
    rng = np.random.default_rng(3)
    months = _months("2023-01", 30)
    y = pd.Series(_simulate(rng, months), index=months.astype(str))
    ours = forecast_counts(y, months=6)
    t = np.arange(36) / 12
    angle = 2 * np.pi * np.asarray(_months("2023-01", 36).month) / 12
    x = np.column_stack([np.ones(36), t, np.sin(angle), np.cos(angle)])
    days = np.array([m.days_in_month for m in _months("2023-01", 36)], dtype=float)
    ref = sm.GLM(y.to_numpy(), x[:30], family=sm.families.Poisson(),
                 offset=np.log(days[:30])).fit(scale="X2")
    expected = np.exp(x[30:] @ ref.params) * days[30:]
    np.testing.assert_allclose(ours.forecast["expected"], expected, rtol=1e-6)
    assert ours.seasonal and ours.trend
    assert ours.phi == pytest.approx(ref.scale, rel=1e-6)
    assert list(ours.forecast["month"]) == [str(m) for m in _months("2025-07", 6)]


def test_prediction_intervals_cover_about_95_percent() -> None:
    """Property: across 300 simulated histories from the model class (over-dispersed, trend,
    season), the 95% prediction interval of each of the next 6 months holds the simulated
    future about 95% of the time (binomial spread on 1,800 checks: 0.92 to 0.98)."""
    rng = np.random.default_rng(11)
    months = _months("2022-01", 30)
    hits = total = 0
    for i in range(300):
        whole = _simulate(rng, _months("2022-01", 36))
        y, future = whole[:30], whole[30:]
        f = forecast_counts(pd.Series(y, index=months), months=6, seed=i, draws=4000)
        hits += int(((future >= f.forecast["lower"]) & (future <= f.forecast["upper"])).sum())
        total += 6
    assert 0.92 <= hits / total <= 0.98, hits / total


def test_no_worse_than_the_seasonal_naive_forecast() -> None:
    """Property: on simulated series with a trend and a season, the forecast's mean absolute
    error over the next 6 months is no larger than the seasonal naive forecast's (the same
    month a year before), averaged over 200 series."""
    rng = np.random.default_rng(5)
    ours, naive = [], []
    for i in range(200):
        whole = _simulate(rng, _months("2022-01", 36), trend=0.8)
        y, future = whole[:30], whole[30:]
        f = forecast_counts(pd.Series(y, index=_months("2022-01", 30)), months=6, seed=i,
                            draws=1000)
        ours.append(np.abs(f.forecast["expected"].to_numpy() - future).mean())
        naive.append(np.abs(whole[18:24] - future).mean())
    assert np.mean(ours) <= np.mean(naive)


def test_limits_are_stable_across_seeds() -> None:
    rng = np.random.default_rng(1)
    y = pd.Series(_simulate(rng, _months("2023-01", 24)), index=_months("2023-01", 24))
    a, b = (forecast_counts(y, months=3, seed=s) for s in (0, 99))
    np.testing.assert_allclose(a.forecast[["lower", "upper"]], b.forecast[["lower", "upper"]],
                               rtol=0.03, atol=1)
    np.testing.assert_allclose(a.forecast["expected"], b.forecast["expected"], rtol=1e-12)
    assert a.total(["2025-01", "2025-02", "2025-03"])[0] == pytest.approx(
        a.forecast["expected"].sum())


def test_gaps_are_left_out_not_zeros_and_short_histories_are_refused() -> None:
    y = pd.Series([50, 52, np.nan, 49, 51, 55, 53, 48, 50, 52],
                  index=_months("2025-01", 10).astype(str))
    f = forecast_counts(y, months=2)
    assert len(f.history) == 9 and f.trend and not f.seasonal
    assert "trend, no season" in f.method
    with pytest.raises(ValueError, match="at least 6"):
        forecast_counts(y.iloc[:5], months=1)
    with pytest.raises(ValueError, match="after the months held"):
        forecast_counts(y, months=["2025-03"])
    with pytest.raises(ValueError):
        forecast_counts(y.replace(50, -1), months=1)
    mean_only = forecast_counts(y.iloc[:7], months=1)
    assert not mean_only.trend and mean_only.trend_per_year == 1.0


def test_nothing_is_fitted_across_a_break() -> None:
    y = pd.Series(np.r_[np.full(12, 200.0), np.full(12, 50.0)], index=_months("2023-01", 24))
    f = forecast_counts(y, months=1, breaks=["2024-01"])
    assert len(f.history) == 12
    assert f.forecast["expected"].iloc[0] == pytest.approx(50 * 31 / 30.5, rel=0.05)


def test_real_northamptonshire_violence() -> None:
    """The 16 real months (2024-01 to 04 and 2025): every calendar month held, over two
    years, so the season is fitted; violence varies more than Poisson (phi > 1)."""
    folder = require_shared("policeuk", "street", "northamptonshire")
    crimes = pd.concat([pd.read_csv(f, usecols=["Month", "Crime type"])
                        for f in sorted(Path(folder).glob("*.csv.gz"))])
    violence = crimes[crimes["Crime type"] == "Violence and sexual offences"]
    y = violence.groupby("Month").size().astype(float)
    f = forecast_counts(y, months=3)
    assert f.seasonal and f.phi > 1
    assert ((f.forecast["lower"] < f.forecast["expected"])
            & (f.forecast["expected"] < f.forecast["upper"])).all()
    assert 1000 < f.forecast["expected"].iloc[0] < 5000
