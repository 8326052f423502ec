"""Getis–Ord Gi* hot-spot statistic for areas (e.g. LSOAs).

Gi* asks, for each area: is the total of this area *and its neighbours* higher (hot spot) or
lower (cold spot) than we would expect if the values were scattered over the map at random?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from alliance.stats.hotspots._local import (
    LocalResult,
    check_options,
    count_reference_at_least,
    directed_pseudo_p,
    infer,
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
    z : analytic z-score (esda ``Zs``).
    p_norm : two-sided p-value from the normal approximation, 2 * (1 - Phi(|z|)).
        (esda's ``p_norm`` is one-sided: half of this.)
    p_sim : esda's conditional-permutation pseudo p-value: (min(#sims >= G, #sims < G) + 1) /
        (permutations + 1) — one tail, on the side the observation falls. NaN if
        ``permutations == 0``.
    p_sim_two_sided : min(1, 2 * p_sim), the two-sided permutation p-value.
    q : the corrected p-value used for ``significant`` (see ``tested_p``).
    significant : q <= alpha.
    label : 'hot', 'cold', 'not significant', or 'island (not tested)'.
    tested_p : which p-value was corrected: 'p_sim_two_sided' (permutations > 0) or 'p_norm'.
    islands : areas with no neighbours, left out of the test (all their numbers are NaN).
    disconnected : areas outside the graph's largest connected group (tested; a warning is
        raised so the analyst can check the boundaries, e.g. offshore islands).
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
    permutations: int = 999,
    seed: int | None = None,
    correction: Correction = "fdr_bh",
    alpha: float = 0.05,
    transform: Literal["R", "B"] = "R",
) -> GiStarResult:
    """Getis–Ord Gi* hot and cold spots, with permutation inference and FDR correction.

    What it estimates
        For area i, Gi* = sum_j w_ij y_j / sum_j y_j over i itself and its neighbours j: the
        (weighted) share of the whole map's total found in i's neighbourhood.
    Null hypothesis
        Spatial randomness: the values are exchangeable between areas, so i's neighbourhood
        share is no larger or smaller than a random set of areas of the same size would give.
    Inference and sidedness
        ``z``/``p_norm``: the analytic z-score of Getis & Ord (1992) / Ord & Getis (1995) as
        esda computes it, with a **two-sided** normal p-value. ``p_sim``: esda's conditional
        permutation pseudo p-value (y_i fixed, neighbours' values drawn from the other areas
        without replacement) — one-tailed on the observed side; ``p_sim_two_sided`` doubles it.
        With ``permutations > 0`` the correction is applied to ``p_sim_two_sided`` (the
        permutation test does not lean on normality, which counts of violence rarely have);
        with ``permutations=0`` to ``p_norm``.
    Correction
        Benjamini–Hochberg FDR by default (``correction="holm"`` or ``"none"`` possible) across
        all tested areas; ``significant`` is ``q <= alpha``; ``label`` is 'hot' (significant,
        z > 0) or 'cold' (significant, z < 0).
    Weights (as esda's ``G_Local(y, w, star=True, transform=...)``)
        ``graph`` is a libpysal ``Graph``/``W`` or an ``AreaGraph`` whose neighbour weights are
        equal within each row (binary contiguity or distance band, raw or row-standardised).
        A self-weight equal to the row's largest weight is added (unless the graph has one),
        then ``transform`` is applied: ``"R"`` (esda's default) row-standardises, ``"B"``
        makes every weight 1. Caution: with ``"R"`` esda's analytic variance uses the row sum
        (1) where Ord & Getis use the sum of squared weights, so ``z`` is smaller than the
        textbook/ArcGIS Gi* z-score; ``transform="B"`` gives the textbook value. ``p_sim`` is
        the same under both.
    Islands and bad input
        Areas without neighbours are left out (NaN, label 'island (not tested)', listed in
        ``islands``, warned). Raises ``ValueError`` naming the areas for missing or negative
        values, ids that do not match the graph, fewer than two areas, or all-equal values.

    Parameters
    ----------
    values : pandas Series indexed by area code (matched to the graph's ids) or an array in the
        graph's order. Non-negative (counts or rates).
    graph : libpysal ``Graph`` or ``W``, or :class:`AreaGraph` (see ``queen_contiguity``).
    permutations : number of conditional permutations (0 = analytic only).
    seed : seed for the permutations (results reproducible for a given seed).
    correction, alpha : multiple-testing correction and level.
    transform : "R" (default, as esda) or "B".

    References
    ----------
    Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance
    statistics. Geographical Analysis 24(3), 189–206. Ord, J. K. & Getis, A. (1995). Local
    spatial autocorrelation statistics. Geographical Analysis 27(4), 286–306. Anselin, L.
    (1995) for conditional permutation; esda ``G_Local`` (PySAL) for the computation followed.
    """
    check_options(permutations, correction, alpha)
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
    p_norm = two_sided_normal_p(z)
    p_sim = None
    if permutations > 0:
        larger = count_reference_at_least(
            y, k, neighbour_sum, direction=np.ones(n, dtype=np.int8),
            permutations=permutations, seed=seed,
        )
        p_sim = directed_pseudo_p(larger, permutations)
    tests = infer(prep, p_norm, p_sim, permutations=permutations, correction=correction,
                  alpha=alpha)
    z_out = prep.in_input_order(z)
    label = np.where(~prep.tested, "island (not tested)",
                     np.where(~tests.significant, "not significant",
                              np.where(z_out > 0, "hot", "cold")))
    return GiStarResult(
        ids=prep.ids, g=prep.in_input_order(g), z=z_out, p_norm=tests.p_norm,
        p_sim=tests.p_sim, p_sim_two_sided=tests.p_sim_two_sided, q=tests.q,
        significant=tests.significant, label=tuple(label.tolist()), tested_p=tests.tested_p,
        correction=correction, alpha=alpha, permutations=permutations, transform=transform,
        islands=prep.islands, disconnected=prep.disconnected,
    )
