"""Where residents feel unsafe beside where violence is recorded: agreement and differences.

Inputs are two counts per area (ward or LSOA): "felt unsafe" pins placed in it, and recorded
violence (the *published* figures, or the statistics values the figures layer provides for
hidden cells — never raw counts), with the area's population.

Agreement
    Spearman's rank correlation ρ between the two densities (per 1,000 residents) over the
    areas, with a 95% percentile bootstrap interval that redraws the pins (multinomial with
    the observed shares, 2,000 draws, seeded): the pins are the noisy side, the recorded counts
    are a year of police data. Beside it the dissimilarity index ``D = ½ Σ |p_i − r_i|`` of
    the two distributions over areas (0 = pins fall exactly where violence is recorded, 1 = in
    none of the same places), with the same bootstrap interval. Neither is a test.
Differences
    For each area, H0: its share of the pins equals its share of recorded violence. Expected
    pins ``E_i = P · (r_i + ½) / Σ(r + ½)`` (the ½ keeps areas with nothing recorded from an
    expected value of zero), exact two-sided binomial test of the pins against ``E_i / P``,
    Benjamini–Hochberg false-discovery rate over the areas (statsmodels). An area is *felt,
    little recorded* when its pins are significantly above expectation, *recorded, not felt*
    when significantly below; otherwise *as expected*. With few pins no area may reach
    significance: the result says so rather than ranking noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

FELT = "felt unsafe, little recorded"
RECORDED = "recorded, not felt unsafe"
AS_EXPECTED = "as expected"


@dataclass(frozen=True)
class FeltUnsafeComparison:
    """``areas``: index area code; ``pins``, ``recorded``, ``population``, ``pin_rate``,
    ``recorded_rate`` (per 1,000), ``expected``, ``p_value``, ``q_value``, ``verdict``.
    ``rho`` with ``rho_low``/``rho_high``; ``dissimilarity`` with its interval; ``pins`` total."""

    areas: pd.DataFrame
    rho: float
    rho_low: float
    rho_high: float
    dissimilarity: float
    dissimilarity_low: float
    dissimilarity_high: float
    pins: int
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        return self.areas.copy()

    def sentence(self) -> str:
        if self.pins == 0:
            return "Nobody has marked a place where they feel unsafe yet."
        agree = ("agree closely" if self.rho_low > 0.5 else "agree partly" if self.rho_low > 0
                 else "do not clearly agree")
        felt = int((self.areas["verdict"] == FELT).sum())
        recorded = int((self.areas["verdict"] == RECORDED).sum())
        return (f"The places people marked as unsafe and the places where violence is "
                f"recorded {agree} "
                f"(rank correlation {self.rho:.2f}, 95% interval {self.rho_low:.2f} to "
                f"{self.rho_high:.2f}, from {self.pins:,} places marked). "
                f"{felt} area(s) feel less safe than the recorded violence suggests and "
                f"{recorded} area(s) have more recorded violence than people marked.")


def _dissimilarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    pa = a / np.maximum(a.sum(axis=-1, keepdims=True), 1e-12)
    pb = b / max(b.sum(), 1e-12)
    return 0.5 * np.abs(pa - pb).sum(axis=-1)


def _spearman_rows(pins: np.ndarray, recorded_rate: np.ndarray,
                   population: np.ndarray) -> np.ndarray:
    rates = pins / population
    ranks_a = stats.rankdata(rates, axis=-1)
    ranks_b = stats.rankdata(recorded_rate)
    a = ranks_a - ranks_a.mean(axis=-1, keepdims=True)
    b = ranks_b - ranks_b.mean()
    denom = np.sqrt((a**2).sum(axis=-1) * (b**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a @ b) / denom


def compare_felt_and_recorded(areas: pd.DataFrame, *, alpha: float = 0.05,
                              draws: int = 2000, seed: int = 0) -> FeltUnsafeComparison:
    """Compare pins with recorded violence over areas.

    Parameters
    ----------
    areas : DataFrame indexed by area code with ``pins`` (whole counts), ``recorded``
        (published or statistics values, not negative) and ``population`` (above 0).
    alpha : false-discovery rate for calling an area different.
    """
    missing = {"pins", "recorded", "population"} - set(areas.columns)
    if missing:
        raise ValueError(f"areas need columns {sorted(missing)}")
    frame = areas[["pins", "recorded", "population"]].astype(float).copy()
    if (frame < 0).to_numpy().any() or (frame["population"] <= 0).any() or frame.isna().any(
            axis=None):
        raise ValueError("pins and recorded must be numbers of 0 or more, population above 0")
    if len(frame) < 3:
        raise ValueError("compare at least three areas")
    pins, recorded, pop = (frame[c].to_numpy() for c in ("pins", "recorded", "population"))
    total = round(float(pins.sum()))
    frame["pin_rate"] = 1000 * pins / pop
    frame["recorded_rate"] = 1000 * recorded / pop
    smoothed = recorded + 0.5
    share = smoothed / smoothed.sum()
    frame["expected"] = total * share
    if total:
        p_values = np.array([stats.binomtest(round(float(k)), total, float(s)).pvalue
                             for k, s in zip(pins, share, strict=True)])
        q_values = multipletests(p_values, alpha=alpha, method="fdr_bh")[1]
    else:
        p_values = q_values = np.ones(len(frame))
    frame["p_value"], frame["q_value"] = p_values, q_values
    frame["verdict"] = np.where(q_values < alpha, np.where(pins > frame["expected"], FELT,
                                                           RECORDED), AS_EXPECTED)
    if total:
        rng = np.random.default_rng(seed)
        redrawn = rng.multinomial(total, pins / total, size=draws).astype(float)
        rho_draws = _spearman_rows(redrawn, recorded / pop, pop)
        d_draws = _dissimilarity(redrawn, recorded)
        rho = float(_spearman_rows(pins[None, :], recorded / pop, pop)[0])
        d = float(_dissimilarity(pins[None, :], recorded)[0])
        rho_low, rho_high = np.nanpercentile(rho_draws, [2.5, 97.5])
        d_low, d_high = np.percentile(d_draws, [2.5, 97.5])
    else:
        rho = rho_low = rho_high = d = d_low = d_high = float("nan")
    return FeltUnsafeComparison(
        areas=frame, rho=rho, rho_low=float(rho_low), rho_high=float(rho_high),
        dissimilarity=d, dissimilarity_low=float(d_low), dissimilarity_high=float(d_high),
        pins=total, alpha=alpha)
