"""Count regressions against statsmodels (GLM Poisson, discrete NegativeBinomial, GLM NB)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from alliance.stats.need import count_regression


def _areas(n: int = 300) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(1)
    index = pd.Index([f"E01{i:06d}" for i in range(n)])
    covariates = pd.DataFrame({"income": rng.normal(0.15, 0.08, n),
                               "crime": rng.normal(0, 1, n)}, index=index)
    pops = pd.Series(rng.integers(1000, 3000, n), index=index)
    mu = pops * np.exp(-5 + 3 * covariates["income"] + 0.3 * covariates["crime"])
    counts = pd.Series(rng.negative_binomial(1 / 0.3, 1 / (1 + 0.3 * mu)), index=index)
    return counts, pops, covariates


def test_poisson_equals_statsmodels_glm() -> None:
    """Reference: statsmodels.api.GLM(family=Poisson(), offset=log(population))."""
    counts, pops, covariates = _areas()
    ours = count_regression(counts, pops, covariates)
    ref = sm.GLM(counts, sm.add_constant(covariates), family=sm.families.Poisson(),
                 offset=np.log(pops)).fit()
    np.testing.assert_allclose(ours.coefficients["estimate"], ref.params, rtol=1e-9)
    np.testing.assert_allclose(ours.coefficients["se"], ref.bse, rtol=1e-8)
    np.testing.assert_allclose(ours.coefficients["p_value"], ref.pvalues, rtol=1e-6, atol=1e-300)
    assert ours.deviance == pytest.approx(ref.deviance)
    assert ours.aic == pytest.approx(ref.aic)
    assert ours.pearson_dispersion == pytest.approx(ref.pearson_chi2 / ref.df_resid)
    assert ours.pearson_dispersion > 1.5  # the data are over-dispersed


def test_negative_binomial_equals_statsmodels() -> None:
    """Reference: statsmodels NegativeBinomial (NB2, ML alpha; Newton) for alpha, coefficients
    and log-likelihood; statsmodels GLM(family=NegativeBinomial(alpha)) for standard errors and
    deviance (expected information given alpha, as R MASS::glm.nb)."""
    counts, pops, covariates = _areas()
    ours = count_regression(counts, pops, covariates, family="negative_binomial")
    full = sm.NegativeBinomial(counts, sm.add_constant(covariates), offset=np.log(pops)).fit(
        method="newton", maxiter=200, disp=0)
    assert ours.alpha == pytest.approx(full.params["alpha"], rel=1e-5)
    np.testing.assert_allclose(ours.coefficients["estimate"], full.params.iloc[:-1], atol=1e-6)
    assert ours.log_likelihood == pytest.approx(full.llf, rel=1e-9)
    assert ours.aic == pytest.approx(full.aic, rel=1e-9)
    glm = sm.GLM(counts, sm.add_constant(covariates),
                 family=sm.families.NegativeBinomial(alpha=ours.alpha), offset=np.log(pops)).fit()
    np.testing.assert_allclose(ours.coefficients["se"], glm.bse, rtol=1e-6)
    assert ours.deviance == pytest.approx(glm.deviance, rel=1e-8)


def test_standardised_rate_ratio_is_per_sd() -> None:
    counts, pops, covariates = _areas()
    raw = count_regression(counts, pops, covariates)
    per_sd = count_regression(counts, pops, covariates, standardise=True)
    sd = covariates["income"].std()
    assert per_sd.coefficients.loc["income", "estimate"] == pytest.approx(
        raw.coefficients.loc["income", "estimate"] * sd)


def test_bad_covariates() -> None:
    counts, pops, covariates = _areas(20)
    broken = covariates.copy()
    broken.iloc[3, 0] = np.nan
    with pytest.raises(ValueError, match="missing values for areas E01000003"):
        count_regression(counts, pops, broken)
    with pytest.raises(ValueError, match="collinear"):
        count_regression(counts, pops, covariates.assign(twice=covariates["income"] * 2))
    with pytest.raises(ValueError, match="same for every area"):
        count_regression(counts, pops, covariates.assign(flat=1.0))
