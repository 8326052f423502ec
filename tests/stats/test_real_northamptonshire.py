"""The statistics core on real public data: police.uk violence in Northamptonshire by LSOA.

Data: police.uk street-level crime for Northamptonshire (2024-01..04 and 2025-01..12; see
shared/data/policeuk/SOURCES.md), 'Violence and sexual offences' counted by 'LSOA code';
population (pop_total_mid2022) and IMD 2025 decile and domain scores by LSOA 2021 from
shared/data/geo/northants/iod2025_lsoa21_northants.csv (see shared/data/geo/SOURCES.md).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from PHStatsMethods import assign_funnel_significance, ph_rate
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep_test

from alliance.stats.concentration import concentration
from alliance.stats.harm import harm_weighted_counts, load_harm_weights
from alliance.stats.need import count_regression, rates_by_decile, slope_index_of_inequality
from alliance.stats.rates import compare_with_benchmark, funnel_limits, rate
from alliance.stats.trends import (
    compare_periods,
    mann_kendall,
    monthly_series,
    seasonal_decomposition,
)
from tests.conftest import require_reference, require_shared

VIOLENCE = "Violence and sexual offences"
YEAR_2025 = [f"2025-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def street() -> pd.DataFrame:
    folder = require_shared("policeuk", "street", "northamptonshire")
    files = sorted(Path(folder).glob("*-northamptonshire-street.csv.gz"))
    assert len(files) == 16
    return pd.concat([pd.read_csv(f, usecols=["Month", "LSOA code", "Crime type"])
                      for f in files], ignore_index=True)


@pytest.fixture(scope="module")
def lsoa() -> pd.DataFrame:
    path = require_shared("geo", "northants", "iod2025_lsoa21_northants.csv")
    return pd.read_csv(path).set_index("lsoa21_code")


@pytest.fixture(scope="module")
def violence_2025(street: pd.DataFrame, lsoa: pd.DataFrame) -> pd.Series:
    """Violence in 2025 by Northamptonshire LSOA; rows without an LSOA or outside the county
    are counted and must stay a small share (they are set aside openly, not dropped)."""
    rows = street[(street["Crime type"] == VIOLENCE) & street["Month"].isin(YEAR_2025)]
    inside = rows["LSOA code"].isin(lsoa.index)
    assert (~inside).mean() < 0.05, "too many violence rows outside the county's LSOAs"
    return rows[inside].groupby("LSOA code").size().reindex(lsoa.index, fill_value=0) \
        .astype(float).rename("violence")


def test_rates_match_phstatsmethods(violence_2025: pd.Series, lsoa: pd.DataFrame) -> None:
    """Reference: PHStatsMethods.ph_rate on the same 443 LSOA counts and populations."""
    population = lsoa["pop_total_mid2022"].astype(float)
    ours = rate(violence_2025, population)
    assert list(ours.value.index) == list(lsoa.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ph_rate(pd.DataFrame({"lsoa": lsoa.index, "n": violence_2025.to_numpy(),
                                    "d": population.to_numpy()}), "n", "d", group_cols="lsoa")
    ref = ref.set_index("lsoa").loc[lsoa.index]
    np.testing.assert_allclose(ours.lower, ref["lower_95_ci"], rtol=1e-9)
    np.testing.assert_allclose(ours.upper, ref["upper_95_ci"], rtol=1e-9)
    county = violence_2025.sum() / population.sum() * 1e5
    assert 2_000 < county < 6_000  # police-recorded violence is some 3-4% of residents a year
    compared = compare_with_benchmark(ours, polarity="low is good")
    assert compared.benchmark == pytest.approx(county)
    assert {"better", "similar", "worse"} <= set(compared.judgement)


def test_funnel_flags_match_phstatsmethods_and_overdispersion(
        violence_2025: pd.Series, lsoa: pd.DataFrame) -> None:
    """Reference: PHStatsMethods.assign_funnel_significance (crude rate); Spiegelhalter (2005)
    over-dispersion: LSOA violence varies far more than chance."""
    population = lsoa["pop_total_mid2022"].astype(float)
    plain = funnel_limits(violence_2025, population)
    frame = pd.DataFrame({"n": violence_2025, "d": population,
                          "r": violence_2025 / population * 1e5})
    ref = assign_funnel_significance(frame, "n", "rate", denom_col="d", rate="r",
                                     rate_type="crude", multiplier=100_000)
    mapping = {"High (0.001)": "above 99.8%", "High (0.025)": "above 95%",
               "Not significant": "within limits", "Low (0.025)": "below 95%",
               "Low (0.001)": "below 99.8%"}
    assert list(plain.flag) == list(ref["significance"].map(mapping))
    adjusted = funnel_limits(violence_2025, population, overdispersion="multiplicative")
    assert adjusted.phi > 5 and adjusted.overdispersion_p < 1e-6
    outside = adjusted.flag.str.contains("99.8").sum()
    assert 0 < outside < plain.flag.str.contains("99.8").sum()


def test_deprivation_gradient(violence_2025: pd.Series, lsoa: pd.DataFrame) -> None:
    """Violence is higher in more deprived LSOAs: SII below 0 (PHE orientation, least minus
    most deprived) with an interval excluding 0, RII below 1."""
    by_decile = rates_by_decile(violence_2025, lsoa["pop_total_mid2022"], lsoa["IMD_decile"])
    assert list(by_decile.value.index) == list(range(1, 11))
    assert by_decile.value[1] > 2 * by_decile.value[10]
    index = slope_index_of_inequality(by_decile, repetitions=10_000)
    assert index.sii < 0 and index.sii_upper < 0
    assert index.rii < 1 and index.rii_upper < 1
    share = (by_decile.denominator / by_decile.denominator.sum()).to_numpy()
    midpoint = np.cumsum(share) - share / 2
    ref = sm.WLS(by_decile.value.to_numpy(), sm.add_constant(midpoint), weights=share).fit()
    assert index.sii == pytest.approx(ref.params[1])


def test_glm_on_deprivation_domains(violence_2025: pd.Series, lsoa: pd.DataFrame) -> None:
    """Reference: statsmodels GLM Poisson and NegativeBinomial with log-population offset.
    The crime domain is left out: it is built partly from recorded violence."""
    domains = lsoa[["Income_score", "Employment_score", "Education_score", "Health_score",
                    "Housing_and_Services_score", "Environment_score"]]
    population = lsoa["pop_total_mid2022"].astype(float)
    poisson = count_regression(violence_2025, population, domains, standardise=True)
    z = (domains - domains.mean()) / domains.std()
    ref = sm.GLM(violence_2025, sm.add_constant(z), family=sm.families.Poisson(),
                 offset=np.log(population)).fit()
    np.testing.assert_allclose(poisson.coefficients["estimate"], ref.params, rtol=1e-8)
    np.testing.assert_allclose(poisson.coefficients["se"], ref.bse, rtol=1e-7)
    assert poisson.pearson_dispersion > 5  # strongly over-dispersed
    nb = count_regression(violence_2025, population, domains, family="negative_binomial",
                          standardise=True)
    full = sm.NegativeBinomial(violence_2025, sm.add_constant(z), offset=np.log(population)) \
        .fit(method="newton", maxiter=200, disp=0)
    assert nb.alpha == pytest.approx(full.params["alpha"], rel=1e-4)
    np.testing.assert_allclose(nb.coefficients["estimate"], full.params.iloc[:-1], atol=1e-5)
    assert nb.aic < poisson.aic
    imd_only = count_regression(violence_2025, population, lsoa[["IMD_score"]],
                                family="negative_binomial", standardise=True)
    assert imd_only.coefficients.loc["IMD_score", "rate_ratio_lower"] > 1


def test_monthly_series_gap_and_trend(street: pd.DataFrame) -> None:
    """The copies hold 2024-01..04 and 2025-01..12: the eight missing months are a gap, never
    zeros; a 12-month rolling sum exists only once 12 unbroken months are in."""
    monthly = street[street["Crime type"] == VIOLENCE].groupby("Month").size().astype(float)
    with pytest.raises(ValueError, match="2024-05"):
        monthly_series(monthly)
    series = monthly_series(monthly, missing_months="gap")
    frame = series.to_frame()
    assert frame["observed"].sum() == 16 and (~frame["observed"]).sum() == 8
    assert frame["rolling_12"].notna().sum() == 1
    assert frame.loc[pd.Period("2025-12", "M"), "rolling_12"] == monthly[YEAR_2025].sum()
    trend = mann_kendall(series).to_frame()
    assert list(trend["first_month"]) == ["2024-01", "2025-01"]
    assert trend["p_value"].between(0, 1).all()
    with pytest.raises(ValueError, match="needs 24"):
        seasonal_decomposition(monthly[YEAR_2025])


def test_same_months_year_on_year(street: pd.DataFrame) -> None:
    """Jan-Apr 2025 against Jan-Apr 2024 (same season). Reference: statsmodels
    test_poisson_2indep(method='exact-cond')."""
    monthly = street[street["Crime type"] == VIOLENCE].groupby("Month").size().astype(float)
    result = compare_periods(monthly, before=("2024-01", "2024-04"),
                             after=("2025-01", "2025-04"))
    before, after = monthly["2024-01":"2024-04"].sum(), monthly["2025-01":"2025-04"].sum()
    assert result.ratio == pytest.approx(after / before)
    ref = poisson_2indep_test(int(after), 4, int(before), 4, method="exact-cond")
    assert result.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert result.lower < result.ratio < result.upper


def test_concentration_and_harm(street: pd.DataFrame, violence_2025: pd.Series) -> None:
    """Violence concentrates in a minority of LSOAs; harm weighting (CCHI 2026 police.uk
    category weights) reports anti-social behaviour as having no weight."""
    result = concentration(violence_2025)
    assert 0.25 < result.gini < 0.7
    top10 = result.top_shares.set_index("top_fraction").loc[0.10, "event_share"]
    assert top10 > 0.2
    weights = load_harm_weights(path=require_reference("crime_harm_weights.csv"))
    rows = street[street["Month"].isin(YEAR_2025)].dropna(subset=["LSOA code"])
    with pytest.warns(UserWarning, match="Anti-social behaviour"):
        harm = harm_weighted_counts(rows, weights)
    assert "Anti-social behaviour" in harm.missing_weights.index
    table = harm.to_frame()
    assert table["events"].sum() == len(rows)
    assert (table["harm"] > 0).any()
