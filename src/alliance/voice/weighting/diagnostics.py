"""Kish's effective sample size, design effect and margin of error of weighted results.

With weights w_i, Kish (1965, *Survey Sampling*, §11.7) gives the effective sample size
``n_eff = (Σw)² / Σw²`` and the design effect due to weighting ``deff = n / n_eff = 1 + CV²(w)``.
A weighted share is reported with a Wilson score interval on ``n_eff`` (the "effective-n
Wilson" interval of Kott & Carr 1997, as used by the ONS Opinions and Lifestyle Survey), so
it stays inside 0–100% for small groups; the margin of error quoted for the survey is the
half-width of the 95% normal interval at 50%, ``z·√(0.25/n_eff)``, the figure polling
organisations publish. No hypothesis is tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint


@dataclass(frozen=True)
class WeightDiagnostics:
    """How much weighting costs in precision.

    Attributes
    ----------
    n : respondents; n_effective : Kish's effective sample size; design_effect : n / n_eff;
    margin_of_error : half-width of the 95% interval of a 50% share, as a fraction;
    smallest, largest : the extreme weights (mean 1).
    """

    n: int
    n_effective: float
    design_effect: float
    margin_of_error: float
    smallest: float
    largest: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def weight_diagnostics(weights: pd.Series | np.ndarray, *,
                       confidence: float = 0.95) -> WeightDiagnostics:
    """Kish's effective sample size, the design effect and the margin of error at 50%."""
    w = np.asarray(weights, dtype=float)
    if w.size == 0 or not np.all(np.isfinite(w)) or (w <= 0).any():
        raise ValueError("weights must be a non-empty array of positive numbers")
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    return WeightDiagnostics(n=int(w.size), n_effective=n_eff, design_effect=w.size / n_eff,
                             margin_of_error=z * float(np.sqrt(0.25 / n_eff)),
                             smallest=float(w.min() / w.mean()),
                             largest=float(w.max() / w.mean()))


def weighted_proportions(selected: pd.DataFrame, weights: pd.Series, *,
                         confidence: float = 0.95) -> pd.DataFrame:
    """Weighted share of respondents choosing each option, with effective-n Wilson limits.

    Parameters
    ----------
    selected : DataFrame of booleans, one row per respondent who answered, one column per
        option (True where chosen; several may be True for a multiple-choice question).
    weights : the respondents' weights (same index).

    Returns
    -------
    DataFrame indexed by option: ``share``, ``lower``, ``upper`` (fractions), ``n_effective``.
    """
    w = weights.reindex(selected.index).to_numpy(dtype=float)
    if selected.empty or np.isnan(w).any():
        raise ValueError("every respondent needs a weight, and there must be respondents")
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    share = selected.astype(float).T.to_numpy() @ w / w.sum()
    lower, upper = proportion_confint(share * n_eff, n_eff, alpha=1 - confidence,
                                      method="wilson")
    return pd.DataFrame({"share": share, "lower": np.clip(lower, 0, 1),
                         "upper": np.clip(upper, 0, 1), "n_effective": n_eff},
                        index=selected.columns)
