"""Neighbour graphs for the local statistics: a small CSR container, converters, queen contiguity.

The local statistics accept a libpysal ``Graph`` or ``W`` (duck-typed, so libpysal is not
imported here) or an :class:`AreaGraph`. :func:`queen_contiguity` builds the same queen graph as
``libpysal.graph.Graph.build_contiguity(geoms, rook=False)`` (areas sharing at least one boundary
vertex are neighbours) directly from shapely geometries, in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class AreaGraph:
    """Weighted neighbour lists in compressed-row form, rows in the order of ``ids``.

    ``indptr``/``indices``/``weights`` follow scipy's CSR layout: the neighbours of area ``i``
    are ``indices[indptr[i]:indptr[i+1]]`` with matching ``weights``. A self-weight, if any, is
    stored in ``self_weights`` and never among the neighbours.
    """

    ids: tuple[str, ...]
    indptr: IntArray
    indices: IntArray
    weights: FloatArray
    self_weights: FloatArray

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def cardinalities(self) -> IntArray:
        """Number of neighbours (self excluded) of each area."""
        return np.diff(self.indptr)

    def row_of(self) -> IntArray:
        """The focal area of each stored neighbour entry."""
        return np.repeat(np.arange(self.n, dtype=np.int64), self.cardinalities)

    def subset(self, keep: NDArray[np.bool_]) -> AreaGraph:
        """The graph restricted to the areas where ``keep`` is true (links to others dropped)."""
        rows = self.row_of()
        new_index = np.cumsum(keep) - 1
        entry = keep[rows] & keep[self.indices]
        counts = np.bincount(rows[entry], minlength=self.n)[keep]
        return AreaGraph(
            ids=tuple(i for i, k in zip(self.ids, keep, strict=True) if k),
            indptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            indices=new_index[self.indices[entry]].astype(np.int64),
            weights=self.weights[entry],
            self_weights=self.self_weights[keep],
        )


def _from_sparse(matrix: Any, ids: Sequence[Any]) -> AreaGraph:
    csr = matrix.tocsr()
    csr.sum_duplicates()
    n = csr.shape[0]
    indptr = np.asarray(csr.indptr, dtype=np.int64)
    indices = np.asarray(csr.indices, dtype=np.int64)
    data = np.asarray(csr.data, dtype=float)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    diagonal = rows == indices
    self_weights = np.zeros(n)
    self_weights[rows[diagonal]] = data[diagonal]
    # Zero-weight entries are not links (libpysal marks islands with a zero self-loop).
    keep = ~diagonal & (data != 0)
    counts = np.bincount(rows[keep], minlength=n)
    order = np.lexsort((indices[keep], rows[keep]))
    return AreaGraph(
        ids=tuple(str(i) for i in ids),
        indptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        indices=indices[keep][order],
        weights=data[keep][order],
        self_weights=self_weights,
    )


def as_area_graph(graph: Any) -> AreaGraph:
    """Convert a libpysal ``Graph`` or ``W`` (or an :class:`AreaGraph`) to an AreaGraph.

    Uses the weights as stored in the object (its current transformation), like esda does before
    applying its own ``transform``.
    """
    if isinstance(graph, AreaGraph):
        return graph
    if hasattr(graph, "unique_ids") and hasattr(graph, "sparse"):  # libpysal.graph.Graph
        return _from_sparse(graph.sparse, list(graph.unique_ids))
    if hasattr(graph, "id_order") and hasattr(graph, "sparse"):  # libpysal.weights.W
        return _from_sparse(graph.sparse, list(graph.id_order))
    raise TypeError(
        f"graph must be a libpysal Graph or W, or an AreaGraph; got {type(graph).__name__}"
    )


def _pairs_sharing_keys(keys: IntArray, owners: IntArray) -> tuple[IntArray, IntArray]:
    """All (a, b) owner pairs, a != b, that share at least one key."""
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    distinct = np.ones(keys.size, dtype=bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    keys, owners = keys[distinct], owners[distinct]
    firsts: list[IntArray] = []
    seconds: list[IntArray] = []
    offset = 1
    while offset < keys.size:
        same = keys[offset:] == keys[:-offset]
        if not same.any():
            break
        firsts.append(owners[:-offset][same])
        seconds.append(owners[offset:][same])
        offset += 1
    if not firsts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    return np.concatenate([a, b]), np.concatenate([b, a])


def queen_contiguity(geometries: Any, ids: Sequence[Any]) -> AreaGraph:
    """Binary queen contiguity: areas sharing at least one boundary vertex are neighbours.

    Equal to ``libpysal.graph.Graph.build_contiguity(geoms, rook=False)`` (its default,
    vertex-based, non-strict method) on boundaries whose shared edges use identical vertex
    coordinates, as ONS boundary files do. Areas with no neighbour stay in the graph with no
    links (islands); the statistics report them.

    Parameters
    ----------
    geometries : array-like of shapely (Multi)Polygons, e.g. a GeoSeries.
    ids : the area codes, one per geometry, unique.
    """
    import shapely

    ids = [str(i) for i in ids]
    geoms = np.asarray(geometries, dtype=object)
    if len(ids) != geoms.size:
        raise ValueError(f"{len(ids)} ids for {geoms.size} geometries")
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        duplicated = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
        raise ValueError(f"duplicated area codes: {', '.join(duplicated[:10])}")
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    # Exact-coordinate identity of each vertex (x and y bit patterns) as one sortable key.
    xy = np.ascontiguousarray(coords).view(np.int64)
    _, vertex_key = np.unique(xy[:, 0] * np.int64(1_000_003) ^ xy[:, 1], return_inverse=True)
    # Confirm the hash did not merge distinct points: same key must mean same coordinates.
    order = np.argsort(vertex_key, kind="stable")
    same_key = vertex_key[order][1:] == vertex_key[order][:-1]
    if (coords[order][1:][same_key] != coords[order][:-1][same_key]).any():
        _, vertex_key = np.unique(coords, axis=0, return_inverse=True)
    focal, neighbour = _pairs_sharing_keys(vertex_key.astype(np.int64), owner.astype(np.int64))
    n = len(ids)
    pair_code = np.unique(focal * n + neighbour)
    rows, cols = pair_code // n, pair_code % n
    counts = np.bincount(rows, minlength=n)
    return AreaGraph(
        ids=tuple(ids),
        indptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        indices=cols.astype(np.int64),
        weights=np.ones(cols.size),
        self_weights=np.zeros(n),
    )


def connected_components(graph: AreaGraph) -> IntArray:
    """Component label of each area (labels are the smallest row index in the component)."""
    parent = np.arange(graph.n, dtype=np.int64)
    rows, cols = graph.row_of(), graph.indices
    while True:
        # Hook: every area points at the smallest label among itself and its neighbours...
        low = parent.copy()
        np.minimum.at(low, parent[rows], parent[cols])
        # ...then pointer jumping flattens the trees.
        while True:
            jumped = low[low]
            if np.array_equal(jumped, low):
                break
            low = jumped
        if np.array_equal(low, parent):
            return parent
        parent = low
