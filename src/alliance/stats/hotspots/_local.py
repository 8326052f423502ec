"""Shared machinery of the local statistics (Gi*, local Moran): input checks and permutation.

Conditional permutation (Anselin 1995): for each area i the value y_i stays put and its k_i
neighbours' values are replaced by k_i values drawn at random, without replacement, from the
other n - 1 areas; the statistic is recomputed for each of ``permutations`` draws.

Like esda, one set of random draws is shared by all areas (esda draws ``permutations`` rows of
``max k`` ids once and lets area i use the first k_i of each row). Here each row is the start of
a random permutation of all n areas, one element longer than the largest neighbour count; area i
takes the first k_i elements and, if it is itself among them, swaps itself for element k_i + 1.
That is exactly a uniform draw of k_i of the other n - 1 areas. Because neighbour weights are
equal within a row (binary or row-standardised contiguity), a draw's statistic depends only on
the sum of the drawn values, so prefix sums of each row give every area's reference sums at
once: the test costs O(permutations x max k + n log permutations) instead of
O(permutations x sum k).

Ties count as "at least as extreme" exactly: draws are compared through sums of the raw values,
which are exact for counts. (esda compares floating-point statistics computed with fastmath, so
with tied integer counts it sometimes misses a tie; for areas with one or two neighbours its
p_sim can then differ from the exact one by a few per cent. Tested in test_local_moran.)
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from alliance.stats.hotspots._graph import AreaGraph, as_area_graph, connected_components
from alliance.stats.multiple_testing import CORRECTIONS, Correction, adjust_p_values

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_erfc = np.frompyfunc(math.erfc, 1, 1)


def two_sided_normal_p(z: FloatArray) -> FloatArray:
    """P(|Z| >= |z|) for standard normal Z (equals 2 * scipy.stats.norm.sf(|z|))."""
    return np.asarray(_erfc(np.abs(z) / math.sqrt(2.0)), dtype=float)


@dataclass(frozen=True, kw_only=True)
class Prepared:
    """Values and graph of the areas that are tested, plus what was left out and why."""

    ids: tuple[str, ...]  # all areas, in the caller's order
    tested: NDArray[np.bool_]  # per area in caller's order: False for islands
    y: FloatArray  # values of the tested areas, in graph order
    graph: AreaGraph  # graph of the tested areas
    position: IntArray  # for each caller area: its row in ``graph`` (or -1 if not tested)
    islands: tuple[str, ...]
    disconnected: tuple[str, ...]

    def in_input_order(self, column: FloatArray) -> FloatArray:
        """A per-area column of the tested areas (graph order) in the caller's order, NaN for
        islands."""
        full = np.full(self.position.size, np.nan)
        full[self.tested] = column[self.position[self.tested]]
        return full


@dataclass(frozen=True, kw_only=True)
class LocalResult:
    """What every local statistic reports per area, in the order of the input values; each
    statistic's result adds its own columns (see its docstring for the attributes)."""

    ids: tuple[str, ...]
    z: FloatArray
    p_norm: FloatArray
    p_sim: FloatArray
    p_sim_two_sided: FloatArray
    q: FloatArray
    significant: NDArray[np.bool_]
    label: tuple[str, ...]
    tested_p: str
    correction: str
    alpha: float
    permutations: int
    transform: str
    islands: tuple[str, ...]
    disconnected: tuple[str, ...]

    def _frame(self, statistic: dict[str, Any], before_label: dict[str, Any]) -> pd.DataFrame:
        """One row per area, indexed by area code: ``statistic``, the inference columns,
        ``before_label``, then the label."""
        import pandas as pd

        return pd.DataFrame(
            {
                **statistic, "z": self.z, "p_norm": self.p_norm, "p_sim": self.p_sim,
                "p_sim_two_sided": self.p_sim_two_sided, "q": self.q,
                "significant": self.significant, **before_label, "label": list(self.label),
            },
            index=pd.Index(self.ids, name="area"),
        )


@dataclass(frozen=True, kw_only=True)
class Inference:
    """The p-values, corrected q and significance of a local statistic, in the caller's order."""

    p_norm: FloatArray
    p_sim: FloatArray
    p_sim_two_sided: FloatArray
    q: FloatArray
    significant: NDArray[np.bool_]
    tested_p: str


def infer(prep: Prepared, p_norm: FloatArray, p_sim: FloatArray | None, *, permutations: int,
          correction: Correction, alpha: float) -> Inference:
    """Correct the tested p-values and put everything back in the caller's order.

    ``p_norm`` and ``p_sim`` (None when ``permutations == 0``) are in graph order. With
    permutations the two-sided permutation p, min(1, 2 p_sim), is the one corrected (it does
    not lean on normality); otherwise ``p_norm`` is.
    """
    if p_sim is not None:
        p_two = np.minimum(1.0, 2.0 * p_sim)
        tested_p, p_for_test = "p_sim_two_sided", p_two
    else:
        p_sim = p_two = np.full(p_norm.size, np.nan)
        tested_p, p_for_test = "p_norm", p_norm
    adjusted = adjust_p_values(p_for_test, method=correction, alpha=alpha)
    warn_if_too_few_permutations(p_for_test, adjusted.significant, permutations, alpha)
    significant = np.zeros(prep.position.size, dtype=bool)
    significant[prep.tested] = adjusted.significant[prep.position[prep.tested]]
    return Inference(p_norm=prep.in_input_order(p_norm), p_sim=prep.in_input_order(p_sim),
                     p_sim_two_sided=prep.in_input_order(p_two),
                     q=prep.in_input_order(adjusted.q), significant=significant,
                     tested_p=tested_p)


def _names(ids: tuple[str, ...] | list[str], mask: NDArray[np.bool_], limit: int = 10) -> str:
    chosen = [ids[i] for i in np.flatnonzero(mask)]
    more = f" and {len(chosen) - limit} more" if len(chosen) > limit else ""
    return ", ".join(chosen[:limit]) + more


def check_options(permutations: int, correction: str, alpha: float) -> None:
    if not isinstance(permutations, int | np.integer) or permutations < 0:
        raise ValueError(f"permutations must be a whole number >= 0, got {permutations!r}")
    if correction not in CORRECTIONS:
        raise ValueError(f"unknown correction {correction!r}; choose one of {CORRECTIONS}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")


def prepare(values: Any, graph: Any, *, statistic: str, allow_negative: bool) -> Prepared:
    """Align values with the graph, validate, and drop islands (with a warning naming them)."""
    area_graph = as_area_graph(graph)
    graph_ids = list(area_graph.ids)
    if hasattr(values, "index") and hasattr(values, "to_numpy"):
        ids = [str(i) for i in values.index]
        y_in = np.asarray(values.to_numpy(), dtype=float)
        if len(set(ids)) != len(ids):
            dup = sorted(code for code, times in Counter(ids).items() if times > 1)
            raise ValueError(f"duplicated area codes in values: {', '.join(dup[:10])}")
        missing = sorted(set(ids) - set(graph_ids))
        extra = sorted(set(graph_ids) - set(ids))
        if missing or extra:
            raise ValueError(
                "the graph's area ids do not match the values' index: "
                + (f"not in graph: {', '.join(missing[:10])}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"in graph but no value: {', '.join(extra[:10])}" if extra else "")
            )
        lookup = {a: i for i, a in enumerate(graph_ids)}
        row = np.array([lookup[a] for a in ids], dtype=np.int64)
    else:
        y_in = np.asarray(values, dtype=float).ravel()
        if y_in.size != area_graph.n:
            raise ValueError(f"{y_in.size} values for a graph of {area_graph.n} areas")
        ids = graph_ids
        row = np.arange(area_graph.n, dtype=np.int64)
    id_tuple = tuple(ids)
    if len(ids) < 2:
        raise ValueError(f"{statistic} needs at least two areas; got {len(ids)}")
    bad = ~np.isfinite(y_in)
    if bad.any():
        raise ValueError(f"missing or infinite values for areas: {_names(id_tuple, bad)}")
    if not allow_negative and (y_in < 0).any():
        raise ValueError(
            f"{statistic} needs non-negative values (counts, rates); negative for areas: "
            f"{_names(id_tuple, y_in < 0)}"
        )
    y_graph = np.empty(area_graph.n)
    y_graph[row] = y_in
    is_island_graph = area_graph.cardinalities == 0
    islands_mask = is_island_graph[row]
    if islands_mask.any():
        warnings.warn(
            f"{int(islands_mask.sum())} area(s) have no neighbours (islands) and are left out "
            f"of the {statistic} test: {_names(id_tuple, islands_mask)}",
            UserWarning,
            stacklevel=4,  # the caller of gi_star / local_moran (through infer)
        )
    keep_graph = ~is_island_graph
    tested_graph = area_graph.subset(keep_graph)
    y = y_graph[keep_graph]
    if tested_graph.n < 2:
        raise ValueError(f"{statistic} needs at least two connected areas")
    if np.all(y == y[0]):
        raise ValueError(
            f"all {y.size} tested areas have the same value ({y[0]!r}): there is no variation, "
            f"so {statistic} is undefined"
        )
    new_row = np.full(area_graph.n, -1, dtype=np.int64)
    new_row[keep_graph] = np.arange(tested_graph.n)
    position = new_row[row]
    labels = connected_components(tested_graph)
    sizes = np.bincount(labels, minlength=tested_graph.n)
    main = labels == np.argmax(sizes)
    disconnected = tuple(tested_graph.ids[i] for i in np.flatnonzero(~main))
    if disconnected:
        warnings.warn(
            f"the graph falls into {int((sizes > 0).sum())} separate groups; "
            f"{len(disconnected)} area(s) are not linked to the largest group (they are still "
            f"tested against their own neighbours): {', '.join(disconnected[:10])}"
            + (f" and {len(disconnected) - 10} more" if len(disconnected) > 10 else ""),
            UserWarning,
            stacklevel=4,  # the caller of gi_star / local_moran (through infer)
        )
    return Prepared(
        ids=id_tuple, tested=~islands_mask, y=y, graph=tested_graph, position=position,
        islands=tuple(ids[i] for i in np.flatnonzero(islands_mask)), disconnected=disconnected,
    )


def uniform_row_weights(graph: AreaGraph) -> FloatArray:
    """The common neighbour weight of each row; error if a row's weights differ."""
    rows = graph.row_of()
    first = graph.weights[graph.indptr[:-1]]
    if not np.allclose(graph.weights, first[rows], rtol=1e-12, atol=0):
        unequal = np.zeros(graph.n, dtype=bool)
        unequal[rows[~np.isclose(graph.weights, first[rows], rtol=1e-12, atol=0)]] = True
        raise ValueError(
            "neighbour weights must be equal within each area's row (binary or row-standardised "
            f"contiguity/distance-band graphs); unequal for: {_names(graph.ids, unequal)}"
        )
    return np.asarray(first, dtype=float)


def count_reference_at_least(
    y: FloatArray,
    cardinalities: IntArray,
    observed_sums: FloatArray,
    *,
    direction: NDArray[np.int8],
    permutations: int,
    seed: int | None,
) -> IntArray:
    """Per area, how many conditional-permutation neighbour sums are at least as extreme.

    ``direction`` +1 counts draws with sum >= observed (statistic increasing in the sum),
    -1 counts draws with sum <= observed (statistic decreasing in the sum, e.g. a local Moran
    area below the mean). Areas with direction 0 get 0.
    """
    n = y.size
    k_max = int(cardinalities.max())
    length = min(k_max + 1, n)
    rng = np.random.default_rng(seed)
    draws = np.empty((permutations, length), dtype=np.int64)
    for p in range(permutations):
        draws[p] = rng.choice(n, size=length, replace=False)
    prefix = np.zeros((permutations, length + 1))
    np.cumsum(y[draws], axis=1, out=prefix[:, 1:])
    larger = np.zeros(n, dtype=np.int64)
    for k in np.unique(cardinalities):
        areas = np.flatnonzero(cardinalities == k)
        column = np.sort(prefix[:, k])
        up = areas[direction[areas] > 0]
        down = areas[direction[areas] < 0]
        larger[up] = permutations - np.searchsorted(column, observed_sums[up], side="left")
        larger[down] = np.searchsorted(column, observed_sums[down], side="right")
    # Rows in which area i drew itself among its first k_i: its sum there is the prefix sum
    # minus y_i plus the next element. Re-score exactly those (row, area) cases.
    rows, slot = np.nonzero(np.ones_like(draws, dtype=bool))
    area = draws[rows, slot]
    k_area = cardinalities[area]
    hit = (slot < k_area) & (k_area < length)
    rows, area, k_area = rows[hit], area[hit], k_area[hit]
    old = prefix[rows, k_area]
    new = old - y[area] + y[draws[rows, k_area]]
    obs = observed_sums[area]
    sign = direction[area]
    old_counts = np.where(sign > 0, old >= obs, old <= obs) & (sign != 0)
    new_counts = np.where(sign > 0, new >= obs, new <= obs) & (sign != 0)
    np.add.at(larger, area, new_counts.astype(np.int64) - old_counts.astype(np.int64))
    return larger


def directed_pseudo_p(larger: IntArray, permutations: int) -> FloatArray:
    """esda's pseudo p: (min(#>=, #<) + 1) / (permutations + 1), one tail, the observed side."""
    folded = np.minimum(larger, permutations - larger)
    return np.asarray((folded + 1.0) / (permutations + 1.0), dtype=float)


def warn_if_too_few_permutations(
    p_tested: FloatArray, significant: NDArray[np.bool_], permutations: int, alpha: float
) -> None:
    """Warn when nothing is significant only because the permutation p-values hit their floor.

    With P permutations no two-sided pseudo p can go below 2 / (P + 1); after a
    Benjamini–Hochberg correction over n areas, m areas at that floor are only flagged when
    2 / (P + 1) <= alpha * m / n. With 999 permutations and 443 areas that needs 18 areas.
    """
    if permutations == 0 or significant.any():
        return
    floor = 2.0 / (permutations + 1)
    at_floor = int((p_tested <= floor * (1 + 1e-9)).sum())
    if at_floor:
        # enough under every correction offered: the floor at or below alpha / n (Bonferroni,
        # the strictest), as the next 9, 99, 999 ... so pseudo p-values stay round numbers
        enough = 9
        while 2.0 / (enough + 1) > alpha / max(p_tested.size, 1):
            enough = enough * 10 + 9
        warnings.warn(
            f"no area is significant, but {at_floor} area(s) reached the smallest p-value "
            f"{permutations} permutations can give ({floor:.4f}); after correcting for "
            f"{p_tested.size} tests that is not enough. Re-run with more permutations "
            f"(permutations={enough} is enough for any correction) before concluding there "
            "are no hot spots.",
            UserWarning,
            stacklevel=4,  # the caller of gi_star / local_moran (through infer)
        )
