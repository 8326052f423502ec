"""Confidence-interval formulas shared by the rate statistics, vectorised over areas.

These are the formulas of the PHE/OHID Fingertips technical guidance ("Confidence intervals",
Public Health England 2018) and of the PHEindicatormethods / PHStatsMethods packages:

* exact Poisson limits from the chi-square distribution (Armitage & Berry 2002), used when a count
  is below 10;
* Byar's approximation to the Poisson limits (Breslow & Day 1987), used from 10 events;
* Wilson score limits for a proportion (Wilson 1927; Newcombe & Altman 2000).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: From this many events Byar's approximation replaces the exact Poisson limits (PHE guidance).
BYARS_FROM = 10


def z_value(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (1.96 for 0.95)."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


def exact_poisson_limits(counts: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood, chi-square) limits for a Poisson count; the lower limit of 0 events is 0."""
    alpha = 1 - confidence
    counts = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore"):
        lower = np.where(counts > 0, stats.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0)
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    return lower, upper


def byars_limits(counts: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the Poisson limits (meant for counts of 10 or more)."""
    z = z_value(confidence)
    observed = np.asarray(counts, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
    above = observed + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * np.sqrt(above))) ** 3
    return np.where(observed > 0, lower, 0.0), upper


def poisson_count_limits(
    counts: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PHE rule: exact limits below 10 events, Byar's from 10. Returns lower, upper, method."""
    counts = np.asarray(counts, dtype=float)
    exact_lower, exact_upper = exact_poisson_limits(counts, confidence)
    byars_lower, byars_upper = byars_limits(np.maximum(counts, BYARS_FROM), confidence)
    small = counts < BYARS_FROM
    lower = np.where(small, exact_lower, byars_lower)
    upper = np.where(small, exact_upper, byars_upper)
    method = np.where(small, "exact Poisson (chi-square)", "Byar's")
    return lower, upper, method


def wilson_limits(
    numerators: np.ndarray, denominators: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits for a proportion, as in the PHE guidance."""
    z = z_value(confidence)
    r = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    spread = z * np.sqrt(z**2 + 4 * r * (1 - r / n))
    lower = (2 * r + z**2 - spread) / (2 * (n + z**2))
    upper = (2 * r + z**2 + spread) / (2 * (n + z**2))
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


@dataclass(frozen=True, eq=False)
class IntervalEstimate:
    """A value per area with its confidence interval and the method used for the interval.

    Attributes
    ----------
    value, lower, upper : pandas.Series
        The estimate and its lower and upper confidence limits, indexed like the input.
    method : pandas.Series
        The interval method used for each area (it can differ by area, e.g. exact vs Byar's).
    numerator, denominator : pandas.Series
        The inputs, for display and re-use (e.g. funnel plots, benchmark comparison).
    statistic : str
        What the value is, in words ("rate per 100,000", "proportion").
    confidence : float
        The confidence level of the interval (0.95 = 95%).
    multiplier : float
        The scale of the value (100,000 for a rate per 100,000; 1 for a proportion).
    """

    value: pd.Series
    lower: pd.Series
    upper: pd.Series
    method: pd.Series
    numerator: pd.Series
    denominator: pd.Series
    statistic: str
    confidence: float
    multiplier: float

    def to_frame(self) -> pd.DataFrame:
        """One row per area: numerator, denominator, value, lower, upper, method, statistic."""
        frame = pd.DataFrame({
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "method": self.method,
        })
        frame["statistic"] = self.statistic
        frame["confidence"] = self.confidence
        return frame
