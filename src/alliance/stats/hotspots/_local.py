"""Shared machinery of the local statistics (Gi*, local Moran): input checks and results.

Conditional permutation (Anselin 1995): for each area i the value y_i stays put and its k_i
neighbours' values are replaced by k_i values drawn at random, without replacement, from the
other n - 1 areas; the statistic is recomputed for each of ``permutations`` draws.

The permutation counting itself is in :mod:`._permutation`.
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
class Inference:
    """The per-area inference of a local statistic, in the order of the input values.

    z : the signed normal equivalent of the p-value that decided (``tested_p``):
        sign x Phi^-1(1 - p / 2), positive on the high side (hot spot; a local Moran cluster),
        so |z| >= ``z_critical`` exactly when the area is significant after the correction.
        NaN for islands and for areas left undecided. With ``inference == "analytic"`` it is
        the analytic z itself.
    z_analytic : the analytic z-score as esda computes it (``Zs`` for Gi*, (I - EI)/sqrt(VI)
        for local Moran). It does not decide anything when permutations are used: with esda's
        row-standardised variance it can disagree with the permutation label.
    p_norm : two-sided normal p of ``z_analytic``.
    p_sim : one-tailed permutation p: esda's pseudo p (fixed mode) or (c + 1) / (m + 1) on
        the tested side (sequential mode); NaN in analytic mode.
    p_sim_two_sided : min(1, 2 p_sim), the two-sided permutation p (in sequential mode kept
        inside [p_lower, p_upper]).
    p_lower, p_upper : sequential mode: bounds that hold for the exact two-sided permutation
        p of every area together with probability >= 1 - error_rate; NaN otherwise.
    q : the corrected p (of ``tested_p``; of the estimate in sequential mode).
    significant : decided significant after the correction.
    undecided : sequential mode only: the permutation cap was reached before the area's
        decision was settled (labelled 'undecided', warned); never significant.
    draws : permutations drawn for each area.
    tested_p : which p was corrected ('p_sim_two_sided' or 'p_norm').
    inference : 'sequential' (seed-stable, the default), 'fixed' (esda-style, ``permutations``
        draws) or 'analytic' (normal approximation, ``permutations=0``).
    p_critical, z_critical : the correction's threshold, as a p and as |z|: an area is
        significant exactly when p <= p_critical, i.e. |z| >= z_critical (Benjamini–Hochberg:
        alpha R / n with R areas significant, alpha / n when none; Holm alpha / (n - R)).
    """

    z: FloatArray
    p_norm: FloatArray
    p_sim: FloatArray
    p_sim_two_sided: FloatArray
    p_lower: FloatArray
    p_upper: FloatArray
    q: FloatArray
    significant: NDArray[np.bool_]
    undecided: NDArray[np.bool_]
    draws: IntArray
    tested_p: str
    p_critical: float
    z_critical: float


@dataclass(frozen=True, kw_only=True)
class LocalResult(Inference):
    """What every local statistic reports per area, in the order of the input values: the
    inference attributes of :class:`Inference`, the options used, and (in each statistic's
    result) its own columns; see the statistic's docstring.
    """

    ids: tuple[str, ...]
    z_analytic: FloatArray
    label: tuple[str, ...]
    inference: str
    correction: str
    alpha: float
    permutations: int | None
    max_permutations: int
    error_rate: float
    seed: int | None
    transform: str
    islands: tuple[str, ...]
    disconnected: tuple[str, ...]

    def _frame(self, statistic: dict[str, Any], before_label: dict[str, Any]) -> pd.DataFrame:
        """One row per area, indexed by area code: ``statistic``, the inference columns,
        ``before_label``, then the label."""
        import pandas as pd

        return pd.DataFrame(
            {
                **statistic, "z": self.z, "z_analytic": self.z_analytic, "p_norm": self.p_norm,
                "p_sim": self.p_sim, "p_sim_two_sided": self.p_sim_two_sided,
                "p_lower": self.p_lower, "p_upper": self.p_upper, "q": self.q,
                "significant": self.significant, "undecided": self.undecided,
                "draws": self.draws, **before_label, "label": list(self.label),
            },
            index=pd.Index(self.ids, name="area"),
        )


def names(ids: tuple[str, ...] | list[str], mask: NDArray[np.bool_], limit: int = 10) -> str:
    chosen = [ids[i] for i in np.flatnonzero(mask)]
    more = f" and {len(chosen) - limit} more" if len(chosen) > limit else ""
    return ", ".join(chosen[:limit]) + more


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
        raise ValueError(f"missing or infinite values for areas: {names(id_tuple, bad)}")
    if not allow_negative and (y_in < 0).any():
        raise ValueError(
            f"{statistic} needs non-negative values (counts, rates); negative for areas: "
            f"{names(id_tuple, y_in < 0)}"
        )
    y_graph = np.empty(area_graph.n)
    y_graph[row] = y_in
    is_island_graph = area_graph.cardinalities == 0
    islands_mask = is_island_graph[row]
    if islands_mask.any():
        warnings.warn(
            f"{int(islands_mask.sum())} area(s) have no neighbours (islands) and are left out "
            f"of the {statistic} test: {names(id_tuple, islands_mask)}",
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
            f"contiguity/distance-band graphs); unequal for: {names(graph.ids, unequal)}"
        )
    return np.asarray(first, dtype=float)
