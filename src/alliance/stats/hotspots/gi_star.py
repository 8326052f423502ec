"""Getis–Ord Gi* hot-spot statistic for areas (e.g. LSOAs).

Gi* asks, for each area: is the total of this area *and its neighbours* higher (hot spot) or
lower (cold spot) than we would expect if the values were scattered over the map at random?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from alliance.stats.hotspots._inference import (
    DEFAULT_ERROR_RATE,
    DEFAULT_MAX_PERMUTATIONS,
    infer,
    options,
)
from alliance.stats.hotspots._local import (
    LocalResult,
    prepare,
    two_sided_normal_p,
    uniform_row_weights,
)
from alliance.stats.multiple_testing import Correction

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class GiStarResult(LocalResult):
    """Gi* per area, in the order of the input values.

    Attributes
    ----------
    ids : area codes (the values' index, or the graph's ids for a plain array).
    g : the Gi* statistic (weighted share of the total in the area and its neighbours).
    label : 'hot', 'cold', 'not significant', 'undecided' (sequential mode, cap reached) or
        'island (not tested)'. Hot/cold follow the sign of ``z``.
    islands : areas with no neighbours, left out of the test (all their numbers are NaN).
    disconnected : areas outside the graph's largest connected group (tested; a warning is
        raised so the analyst can check the boundaries, e.g. offshore islands).

    The inference attributes (``z``, ``z_analytic`` = esda ``Zs``, ``p_norm`` (two-sided;
    esda's is one-sided, half of it), ``p_sim``, ``p_sim_two_sided``, ``p_lower``,
    ``p_upper``, ``q``, ``significant``, ``undecided``, ``draws``, ``tested_p``,
    ``inference``, ``p_critical``, ``z_critical``) are described in :class:`LocalResult`.
    """

    g: FloatArray

    def to_frame(self) -> pd.DataFrame:
        """One row per area, indexed by area code."""
        return self._frame({"g": self.g}, {})


def _star_weights(
    neighbour_weight: FloatArray, self_weight: FloatArray, cardinality: NDArray[np.int64],
    transform: str,
) -> tuple[FloatArray, FloatArray]:
    """esda's G_Local(star=True) weights: a self-weight is added, then the transform applied."""
    if transform == "B":
        return np.ones_like(neighbour_weight), np.ones_like(neighbour_weight)
    # No self-weight given: esda uses the row's largest weight (1 for contiguity graphs).
    self_w = np.where(self_weight != 0, self_weight, neighbour_weight)
    row_sum = self_w + cardinality * neighbour_weight
    return neighbour_weight / row_sum, self_w / row_sum


def gi_star(
    values: Any,
    graph: Any,
    *,
    permutations: int | None = None,
    seed: int | None = None,
    correction: Correction = "fdr_bh",
    alpha: float = 0.05,
    transform: Literal["R", "B"] = "R",
    max_permutations: int = DEFAULT_MAX_PERMUTATIONS,
    error_rate: float = DEFAULT_ERROR_RATE,
) -> GiStarResult:
    """Getis–Ord Gi* hot and cold spots, with seed-stable permutation inference and FDR control.

    What it estimates
        For area i, Gi* = sum_j w_ij y_j / sum_j y_j over i itself and its neighbours j: the
        (weighted) share of the whole map's total found in i's neighbourhood.
    Null hypothesis
        Spatial randomness: the values are exchangeable between areas, so i's neighbourhood
        share is no larger or smaller than a random set of areas of the same size would give.
        Tested by conditional permutation (Anselin 1995): y_i stays, its k_i neighbours'
        values are replaced by k_i values drawn without replacement from the other areas.
    Sidedness
        Two-sided: p = min(1, 2 x the one-tailed p on the side where the area lies). Hot when
        significant on the high side, cold on the low side.
    Inference (``permutations``)
        ``None`` (default): **sequential and seed-stable**. Permutations are drawn per area in
        doubling batches (1,000, 2,000, ... up to ``max_permutations``) until every area's
        decision is settled by Clopper–Pearson bounds that hold for all areas together with
        probability >= 1 - ``error_rate`` (Gandy & Hahn's MMCTest; see
        :mod:`alliance.stats.hotspots._sequential`). The labels then equal those the exact
        permutation p-values would give with that probability, so different seeds give the
        same map. Areas still unsettled at the cap are labelled 'undecided' and warned about.
        An integer P > 0: esda's fixed mode (P shared permutations, esda's pseudo p; labels
        near the threshold depend on the seed). 0: the analytic normal approximation.
        A warning is raised whenever the smallest p the permutations can show cannot pass the
        correction's first step (alpha / n), not only when nothing is significant.
    Correction
        Benjamini–Hochberg FDR by default (``correction="holm"`` or ``"none"`` possible) across
        all tested areas.
    Published z
        ``z`` is the signed normal equivalent of the p that decided, so |z| >= ``z_critical``
        exactly when the area is significant (``z_critical`` is about 3.3 for 8 of 443 areas
        significant under FDR 5%, not 1.96). esda's analytic z-score is ``z_analytic``; with
        ``"R"`` esda's variance uses the row sum (1) where Ord & Getis use the sum of squared
        weights, so it is smaller than the textbook z and can disagree with the label — do not
        publish it beside permutation labels.
    Weights (as esda's ``G_Local(y, w, star=True, transform=...)``)
        ``graph`` is a libpysal ``Graph``/``W`` or an ``AreaGraph`` whose neighbour weights are
        equal within each row (binary contiguity or distance band, raw or row-standardised).
        A self-weight equal to the row's largest weight is added (unless the graph has one),
        then ``transform`` is applied: ``"R"`` (esda's default) row-standardises, ``"B"``
        makes every weight 1. Permutation p-values are the same under both.
    Islands and bad input
        Areas without neighbours are left out (NaN, label 'island (not tested)', listed in
        ``islands``, warned). Raises ``ValueError`` naming the areas for missing or negative
        values, ids that do not match the graph, fewer than two areas, or all-equal values.

    Parameters
    ----------
    values : pandas Series indexed by area code (matched to the graph's ids) or an array in the
        graph's order. Non-negative (counts or rates).
    graph : libpysal ``Graph`` or ``W``, or :class:`AreaGraph` (see ``queen_contiguity``).
    permutations : None (sequential, default), a fixed number (esda mode) or 0 (analytic).
    seed : seed for the permutations (results reproducible for a given seed; in sequential
        mode the labels do not depend on it, with probability >= 1 - error_rate).
    correction, alpha : multiple-testing correction and level.
    transform : "R" (default, as esda) or "B".
    max_permutations : sequential mode: the cap of permutations per area (default 10,000,000).
    error_rate : sequential mode: the probability allowed that any label differs from the
        exact permutation test's (default 0.001).

    References
    ----------
    Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance
    statistics. Geographical Analysis 24(3), 189–206. Ord, J. K. & Getis, A. (1995). Local
    spatial autocorrelation statistics. Geographical Analysis 27(4), 286–306. Anselin, L.
    (1995) for conditional permutation; esda ``G_Local`` (PySAL) for the computation followed.
    Gandy, A. & Hahn, G. (2014) MMCTest. Scand. J. Statist. 41(4), 1083–1101.
    """
    opts = options(permutations=permutations, seed=seed, correction=correction, alpha=alpha,
                   max_permutations=max_permutations, error_rate=error_rate)
    if transform not in ("R", "B"):
        raise ValueError(f"transform must be 'R' or 'B', got {transform!r}")
    prep = prepare(values, graph, statistic="Gi*", allow_negative=False)
    g_graph, y = prep.graph, prep.y
    k = g_graph.cardinalities
    w_nb, w_self = _star_weights(uniform_row_weights(g_graph), g_graph.self_weights, k, transform)
    rows = g_graph.row_of()
    neighbour_sum = np.asarray(
        np.bincount(rows, weights=y[g_graph.indices], minlength=g_graph.n), dtype=np.float64)
    n = y.size
    total = y.sum()
    g = (w_self * y + w_nb * neighbour_sum) / total
    # Moments exactly as esda.G_Local.calc (star: N = n, nothing removed).
    mean = total / n
    variance = (y**2).sum() / n - mean**2
    row_sum = w_self + k * w_nb
    expected = row_sum / n
    var_g = row_sum * (n - row_sum) / (n - 1) / n**2 * variance / mean**2
    z = (g - expected) / np.sqrt(var_g)
    tests = infer(prep, z_analytic=z, p_norm=two_sided_normal_p(z),
                  neighbour_sums=neighbour_sum,
                  statistic_direction=np.ones(n, dtype=np.int8), opts=opts)
    label = np.where(~prep.tested, "island (not tested)",
                     np.where(tests.undecided, "undecided",
                              np.where(~tests.significant, "not significant",
                                       np.where(tests.z > 0, "hot", "cold"))))
    return GiStarResult(
        **vars(tests), ids=prep.ids, g=prep.in_input_order(g),
        z_analytic=prep.in_input_order(z), label=tuple(label.tolist()), inference=opts.mode,
        correction=correction,
        alpha=alpha, permutations=opts.permutations, max_permutations=opts.max_permutations,
        error_rate=error_rate, seed=seed, transform=transform, islands=prep.islands,
        disconnected=prep.disconnected,
    )
