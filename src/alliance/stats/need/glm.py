"""Poisson and negative-binomial regression of area counts on deprivation, per population."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from alliance.stats import _validate

Family = Literal["poisson", "negative_binomial"]
_TOLERANCE = 1e-10
_MAX_ITERATIONS = 100


@dataclass(frozen=True, eq=False)
class CountRegression:
    """A fitted count regression with a log-population offset.

    ``coefficients`` has one row per term: estimate (log scale), se, z, p_value (two-sided,
    null: coefficient 0, i.e. rate ratio 1), rate_ratio = exp(estimate) and its lower/upper
    limits. ``alpha`` is the negative-binomial dispersion (variance = mu + alpha mu^2; 0 for
    Poisson). ``pearson_dispersion`` = Pearson chi-square / residual df: well above 1 for a
    Poisson fit means over-dispersion (prefer the negative binomial). ``fitted`` are expected
    counts per area.
    """

    family: str
    coefficients: pd.DataFrame
    alpha: float
    deviance: float
    log_likelihood: float
    aic: float
    pearson_dispersion: float
    fitted: pd.Series
    n_areas: int
    standardised: bool
    confidence: float

    def to_frame(self) -> pd.DataFrame:
        frame = self.coefficients.copy()
        frame["family"] = self.family
        return frame


def _irls(y: np.ndarray, design: np.ndarray, offset: np.ndarray,
          alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Fisher scoring for a log-link GLM with variance mu + alpha mu^2 (Poisson if alpha 0)."""
    mu = (y + y.mean()) / 2  # the usual GLM start: halfway between y and its mean
    eta = np.log(mu)
    beta = np.zeros(design.shape[1])
    for _ in range(_MAX_ITERATIONS):
        weight = mu / (1 + alpha * mu)
        working = eta - offset + (y - mu) / mu
        weighted = design * weight[:, None]
        new_beta = np.linalg.solve(design.T @ weighted, weighted.T @ working)
        eta = design @ new_beta + offset
        mu = np.exp(eta)
        converged = np.max(np.abs(new_beta - beta)) < _TOLERANCE
        beta = new_beta
        if converged:
            break
    else:
        raise ValueError("the regression did not converge; check for areas with extreme "
                         "values or covariates that nearly repeat each other")
    weight = mu / (1 + alpha * mu)
    covariance = np.linalg.inv(design.T @ (design * weight[:, None]))
    return beta, covariance


def _nb_loglik(y: np.ndarray, mu: np.ndarray, alpha: float) -> float:
    size = 1 / alpha
    return float(np.sum(special.gammaln(y + size) - special.gammaln(size)
                        - special.gammaln(y + 1) + size * np.log(size / (size + mu))
                        + y * np.log(mu / (size + mu))))


def count_regression(
    counts: _validate.ArrayLike,
    populations: _validate.ArrayLike,
    covariates: pd.DataFrame,
    *,
    family: Family = "poisson",
    standardise: bool = False,
    confidence: float = 0.95,
) -> CountRegression:
    """Regress area event counts on deprivation measures, with population as the exposure.

    Estimates how the event rate changes with each covariate (e.g. IMD domain scores), holding
    the others fixed: exp(coefficient) is the rate ratio for one unit more (one standard
    deviation more with ``standardise=True``). log(population) is an offset, so the model is
    of rates. Each coefficient has a Wald test of the null hypothesis that it is 0 (rate ratio
    1), two-sided; no multiple-testing correction across coefficients.

    'poisson': maximum likelihood by iteratively reweighted least squares; identical to
    ``statsmodels.api.GLM(..., family=Poisson(), offset=log(pop))``. Crime counts are nearly
    always over-dispersed (``pearson_dispersion`` well above 1), which makes Poisson standard
    errors too small. 'negative_binomial' (NB2, variance mu + alpha mu^2): alpha by maximum
    likelihood (as ``statsmodels`` ``NegativeBinomial``), coefficients by IRLS given alpha,
    standard errors from the expected information given alpha (as R ``MASS::glm.nb`` and
    ``statsmodels`` GLM with ``NegativeBinomial(alpha)``; the ``statsmodels`` discrete model's
    standard errors, which also carry the uncertainty in alpha, are a little wider).
    Reference: Cameron & Trivedi (2013) Regression Analysis of Count Data, ch. 3.

    Parameters
    ----------
    counts, populations : array or Series
        Events and resident population per area.
    covariates : DataFrame
        One row per area (same index as a Series ``counts``), one numeric column per measure.
        A constant term is added.

    Raises
    ------
    ValueError
        Bad counts or populations, missing covariate values (naming areas), a constant or
        duplicated covariate, no more areas than terms.
    """
    confidence = _validate.check_confidence(confidence)
    count, population = _validate.counts_and_denominators(counts, populations,
                                                          denominator_name="populations")
    if family not in ("poisson", "negative_binomial"):
        raise ValueError("family must be 'poisson' or 'negative_binomial'")
    frame = covariates.copy()
    if not isinstance(counts, pd.Series):
        frame.index = count.index
    if not frame.index.equals(count.index):
        raise ValueError("covariates must have the same areas, in the same order, as counts")
    for column in frame.columns:
        values = _validate.as_series(frame[column], name=f"covariate {column!r}")
        missing = values.index[~np.isfinite(values.to_numpy())]
        if len(missing) > 0:
            raise ValueError(f"covariate {column!r}: missing values for areas "
                             f"{_validate.name_areas(missing)}")
        if values.std() == 0:
            raise ValueError(f"covariate {column!r} is the same for every area")
        frame[column] = (values - values.mean()) / values.std() if standardise else values
    design = np.column_stack([np.ones(len(frame)), frame.to_numpy(dtype=float)])
    names = ["intercept", *map(str, frame.columns)]
    if len(count) <= design.shape[1]:
        raise ValueError(f"{len(count)} areas are too few for {design.shape[1]} terms")
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError("covariates are collinear (one is a combination of the others); "
                         "drop one, e.g. the overall IMD score beside its own domains")
    _validate.check_not_all_zero(count, purpose="Count regression")
    y, offset = count.to_numpy(), np.log(population.to_numpy())
    alpha = 0.0
    if family == "negative_binomial":
        def profile(log_alpha: float) -> float:
            beta, _ = _irls(y, design, offset, float(np.exp(log_alpha)))
            return -_nb_loglik(y, np.exp(design @ beta + offset), float(np.exp(log_alpha)))
        best = optimize.minimize_scalar(profile, bounds=(-12.0, 5.0), method="bounded",
                                        options={"xatol": 1e-9})
        alpha = float(np.exp(best.x))
    beta, covariance = _irls(y, design, offset, alpha)
    mu = np.exp(design @ beta + offset)
    if family == "poisson":
        loglik = float(np.sum(stats.poisson.logpmf(y, mu)))
        with np.errstate(divide="ignore", invalid="ignore"):
            unit = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        variance = mu
        parameters = design.shape[1]
    else:
        loglik = _nb_loglik(y, mu, alpha)
        with np.errstate(divide="ignore", invalid="ignore"):
            unit = (np.where(y > 0, y * np.log(y / mu), 0.0)
                    - (y + 1 / alpha) * np.log((1 + alpha * y) / (1 + alpha * mu)))
        variance = mu + alpha * mu**2
        parameters = design.shape[1] + 1
    se = np.sqrt(np.diag(covariance))
    z = beta / se
    crit = stats.norm.ppf(0.5 + confidence / 2)
    table = pd.DataFrame({"estimate": beta, "se": se, "z": z,
                          "p_value": 2 * stats.norm.sf(np.abs(z)),
                          "rate_ratio": np.exp(beta), "rate_ratio_lower": np.exp(beta - crit * se),
                          "rate_ratio_upper": np.exp(beta + crit * se)},
                         index=pd.Index(names, name="term"))
    residual_df = len(y) - design.shape[1]
    return CountRegression(
        family=family, coefficients=table, alpha=alpha, deviance=float(2 * unit.sum()),
        log_likelihood=loglik, aic=float(2 * parameters - 2 * loglik),
        pearson_dispersion=float(np.sum((y - mu) ** 2 / variance) / residual_df),
        fitted=pd.Series(mu, index=count.index, name="fitted"), n_areas=len(y),
        standardised=standardise, confidence=confidence,
    )
