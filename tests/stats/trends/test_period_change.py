"""Over-dispersed period change against statsmodels GLM (quasi-Poisson, scale='X2')."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from alliance.stats.trends import compare_categories, compare_periods, period_change
from tests.conftest import require_shared

BEFORE, AFTER = ("2024-01", "2024-04"), ("2025-01", "2025-04")


@pytest.fixture(scope="module")
def monthly_by_category() -> pd.DataFrame:
    """Real police.uk Northamptonshire counts by month and crime type (16 months)."""
    folder = require_shared("policeuk", "street", "northamptonshire")
    crimes = pd.concat([pd.read_csv(f, usecols=["Month", "Crime type"])
                        for f in sorted(Path(folder).glob("*.csv.gz"))])
    return crimes.groupby(["Month", "Crime type"]).size().unstack(fill_value=0).astype(float)


def _statsmodels_reference(counts: pd.Series, population: float) -> object:
    """Reference: statsmodels GLM, Poisson family, offset log(days x population), period and
    month-of-year terms, fit(scale='X2', use_t=True) (the quasi-Poisson fit)."""
    months = pd.PeriodIndex(counts.index, freq="M")
    design = pd.DataFrame({"const": 1.0, "after": (months.year == 2025).astype(float)})
    design = design.join(pd.get_dummies(pd.Series(months.month), prefix="m", drop_first=True,
                                        dtype=float))
    offset = np.log(np.array([m.days_in_month for m in months], dtype=float) * population)
    return sm.GLM(counts.to_numpy(), design, family=sm.families.Poisson(),
                  offset=offset).fit(scale="X2", use_t=True)


def test_equals_statsmodels_quasi_poisson_on_real_violence(
    monthly_by_category: pd.DataFrame,
) -> None:
    """Violence Jan-Apr 2025 against Jan-Apr 2024 (2024 a leap year): ratio, interval, p and
    phi equal statsmodels' quasi-Poisson; phi is well above 1. Tolerance
    1e-6 relative: both are iteratively reweighted fits, converged to statsmodels' default
    tolerance."""
    series = monthly_by_category["Violence and sexual offences"]
    used = series.loc[[f"2024-0{m}" for m in range(1, 5)] + [f"2025-0{m}" for m in range(1, 5)]]
    ours = period_change(series, before=BEFORE, after=AFTER, population=800_000)
    ref = _statsmodels_reference(used, 800_000)
    assert ours.phi == pytest.approx(ref.scale, rel=1e-6)
    assert 1.5 < ours.phi < 7 and ours.phi_used == ours.phi and ours.seasonal
    assert ours.ratio == pytest.approx(np.exp(ref.params["after"]), rel=1e-6)
    low, high = ref.conf_int().loc["after"]
    assert ours.lower == pytest.approx(np.exp(low), rel=1e-6)
    assert ours.upper == pytest.approx(np.exp(high), rel=1e-6)
    assert ours.p_value == pytest.approx(ref.pvalues["after"], rel=1e-6)
    assert ours.before_exposure == pytest.approx((31 + 29 + 31 + 30) * 800_000)
    assert ours.after_exposure == pytest.approx((31 + 28 + 31 + 30) * 800_000)
    # The exact Poisson test is far more confident than the data allow.
    exact = compare_periods(series, before=BEFORE, after=AFTER)
    assert ours.upper / ours.lower > exact.upper / exact.lower


def test_phi_below_one_is_floored() -> None:
    """Counts closer than Poisson (phi < 1) do not narrow the interval: Poisson SEs."""
    months = [f"2024-{m:02d}" for m in range(1, 7)] + [f"2025-{m:02d}" for m in range(1, 7)]
    series = pd.Series([100, 101, 99, 100, 100, 101, 110, 111, 109, 110, 110, 111.0],
                       index=months)
    ours = period_change(series, before=("2024-01", "2024-06"), after=("2025-01", "2025-06"))
    assert ours.phi < 1 and ours.phi_used == 1
    months_p = pd.PeriodIndex(months, freq="M")
    design = pd.DataFrame({"const": 1.0, "after": (months_p.year == 2025).astype(float)}).join(
        pd.get_dummies(pd.Series(months_p.month), prefix="m", drop_first=True, dtype=float))
    offset = np.log([m.days_in_month for m in months_p])
    ref = sm.GLM(series.to_numpy(), design, family=sm.families.Poisson(),
                 offset=offset).fit(scale=1.0, use_t=True)
    assert ours.p_value == pytest.approx(ref.pvalues["after"], rel=1e-6)


def test_different_calendar_months_are_not_season_adjusted() -> None:
    counts = pd.Series([50.0, 60, 55, 70, 80, 75], index=[f"2025-0{m}" for m in range(1, 7)])
    result = period_change(counts, before=("2025-01", "2025-03"), after=("2025-04", "2025-06"))
    assert not result.seasonal and "different calendar months" in result.method
    assert result.df == 4


def test_a_quarter_against_a_baseline_year_compares_like_months() -> None:
    """July to September 2025 against the whole of 2024: only July to September 2024 inform
    the change. Reference: with month (stratum) terms and the same exposure in each pair of
    like months, the Poisson maximum-likelihood common rate ratio is the ratio of the like
    months' totals, sum(after) / sum(before, same months) (Breslow & Day 1987, *Statistical
    Methods in Cancer Research* II, s. 3.4: the stratified Poisson MLE with a constant exposure
    ratio). A summer peak in a flat year is no rise."""
    season = [60, 55, 62, 66, 70, 80, 95, 100, 90, 75, 65, 58]
    year = pd.Series([float(x) for x in season], index=[f"2024-{m:02d}" for m in range(1, 13)])
    quarter = pd.Series([96.0, 99, 92], index=["2025-07", "2025-08", "2025-09"])
    counts = pd.concat([year, quarter])
    result = period_change(counts, before=("2024-01", "2024-12"), after=("2025-07", "2025-09"),
                           population=1000.0)
    assert result.seasonal and "3 calendar months held in both" in result.method
    assert result.ratio == pytest.approx((96 + 99 + 92) / (95 + 100 + 90), rel=1e-8)
    assert result.lower < 1 < result.upper and result.df == 2
    # Without like months the same figures would read as a 40% rise against the year's mean.
    naive = quarter.sum() / 92 / (year.sum() / 366)
    assert naive > 1.3
    # The months of the baseline outside the quarter change neither the ratio nor phi.
    other = year.copy()
    other.iloc[:6] *= 3
    moved = period_change(pd.concat([other, quarter]), before=("2024-01", "2024-12"),
                          after=("2025-07", "2025-09"), population=1000.0)
    assert moved.ratio == pytest.approx(result.ratio, rel=1e-8)
    assert moved.phi == pytest.approx(result.phi, rel=1e-6)


def test_categories_are_corrected_together(monthly_by_category: pd.DataFrame) -> None:
    """Reference: statsmodels multipletests(method='holm') on the per-category p-values."""
    categories = ["Violence and sexual offences", "Robbery", "Possession of weapons",
                  "Burglary", "Shoplifting"]
    changes = {c: period_change(monthly_by_category[c], before=BEFORE, after=AFTER)
               for c in categories}
    result = compare_categories(changes)
    frame = result.to_frame()
    reject, q, _, _ = multipletests(frame["p_value"], method="holm")
    np.testing.assert_allclose(frame["p_adjusted"], q, rtol=1e-12)
    np.testing.assert_array_equal(frame["significant"], reject)
    for category, row in frame.iterrows():
        expected = ("no significant change" if not row["significant"] else
                    "higher" if row["ratio"] > 1 else "lower")
        assert row["label"] == expected, category
    bh = compare_categories(changes, correction="fdr_bh").to_frame()
    assert (bh["p_adjusted"] <= frame["p_adjusted"] + 1e-15).all()


def test_bad_input() -> None:
    counts = pd.Series([5.0, 6.0, 7.0], index=["2024-01", "2024-02", "2024-04"])
    with pytest.raises(ValueError, match="2024-03"):
        period_change(counts, before=("2024-01", "2024-02"), after=("2024-03", "2024-04"))
    zeros = pd.Series([0.0] * 4, index=["2024-01", "2024-02", "2024-03", "2024-04"])
    with pytest.raises(ValueError, match="undefined"):
        period_change(zeros, before=("2024-01", "2024-02"), after=("2024-03", "2024-04"))
    ok = pd.Series([5.0, 6.0, 7.0, 8.0], index=["2024-01", "2024-02", "2024-03", "2024-04"])
    with pytest.raises(ValueError, match="recording break"):
        period_change(ok, before=("2024-01", "2024-02"), after=("2024-03", "2024-04"),
                      breaks=["2024-03"])
    with pytest.raises(ValueError, match="no categories"):
        compare_categories({})
