"""Weighted k-means in the plane: Polis's cold start plus k-means++ restarts, lowest SS kept.

What it estimates: a partition of weighted points (Polis's base-cluster centres, each weighted
by its members) into ``k`` groups that minimises the within-group sum of squares

    W = Σ_g Σ_{i in g} w_i · ||x_i − m_g||²,   m_g the weighted mean of group g.

It is a descriptive clustering: no null hypothesis, no p-value. Lloyd's algorithm only finds a
local minimum of W, and which one depends on where it starts. Polis starts from the first
``k`` distinct points in order; on real conversations that start can settle in a split whose W
is far above the best one (Issue 11 §5 found 39% above Polis's own partition), and the
silhouette then prefers the wrong number of groups. So every call runs Lloyd's algorithm from
Polis's start *and* from ``n_starts`` greedy k-means++ starts (Arthur & Vassilvitskii 2007;
the greedy variant that keeps the best of ``2 + ln k`` candidates per centre, as scikit-learn
does), refines each end point with Hartigan's single-point moves (which escape many of
Lloyd's poor minima) and keeps the run with the lowest W; a tie keeps the earliest run,
Polis's start first.

Why not scikit-learn's ``KMeans``: importing it costs the analysis about 90 MB of resident
memory (``benchmarks/bench_opinion.py`` keeps the whole analysis near 130 MB), and Polis drops
a group that loses every member where scikit-learn relocates it. The points are at most 100
base clusters in two dimensions, so all starts run at once as one array (starts × points ×
groups): about 90 ms of CPU for k = 2…5 on the largest real conversation.
``tests/voice/test_kmeans.py`` holds the result against scikit-learn's best of 10 k-means++
restarts on the same weighted points. ADR 0002.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: k-means++ restarts beside Polis's start. With 256 the lowest W found was the same for 20
#: seeds at every k on the six real conversations and six planted data sets (47 cases); with
#: 128 one case varied (by 0.03%), with 64 five did (ADR 0002)
N_STARTS = 256
MAX_ITER = 300


@dataclass(frozen=True)
class KMeansFit:
    """The kept run: ``labels`` per point, ``centres`` per group, its ``within_ss`` and which
    start it came from (0 is Polis's first-distinct-points start)."""

    labels: NDArray[np.intp]
    centres: NDArray[np.float64]
    within_ss: float
    start: int


def first_distinct(points: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """The first ``k`` distinct rows in data order (Polis's cold start, ``init-clusters``)."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def within_ss(points: NDArray[np.float64], weights: NDArray[np.float64],
              labels: NDArray[np.intp]) -> float:
    """W of a partition: each group measured from its own weighted mean."""
    k = int(labels.max()) + 1
    _, centres = _means(points, weights, labels[np.newaxis], k)
    deviation = points - centres[0][labels]
    return float((weights * (deviation * deviation).sum(axis=1)).sum())


def _squared_distances(points: NDArray[np.float64],
                       centres: NDArray[np.float64]) -> NDArray[np.float64]:
    """``(s, n, k)`` squared distances from the ``n`` points to each run's ``k`` centres."""
    dx = points[np.newaxis, :, np.newaxis, 0] - centres[:, np.newaxis, :, 0]
    dy = points[np.newaxis, :, np.newaxis, 1] - centres[:, np.newaxis, :, 1]
    return np.asarray(dx * dx + dy * dy)


def _draw(rng: np.random.Generator, mass: NDArray[np.float64], size: int) -> NDArray[np.intp]:
    """``size`` indices per row of ``mass`` ``(s, n)``, each drawn with probability ∝ mass."""
    cumulative = np.cumsum(mass, axis=1)
    targets = rng.random((mass.shape[0], size)) * cumulative[:, -1:]
    drawn = (cumulative[:, np.newaxis, :] <= targets[..., np.newaxis]).sum(axis=-1)
    return np.minimum(drawn, mass.shape[1] - 1).astype(np.intp)


def kmeans_plus_plus(points: NDArray[np.float64], weights: NDArray[np.float64], k: int,
                     n_starts: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """``(n_starts, k, 2)`` greedy weighted k-means++ starts: each new centre is drawn with
    probability ∝ ``w · D²`` (D: distance to the nearest centre so far) and the best of
    ``2 + ⌊ln k⌋`` draws — the one leaving the lowest total ``w · D²`` — is kept."""
    trials = 2 + int(np.log(k))
    n = len(points)
    rows = np.arange(n_starts)
    chosen = np.empty((n_starts, k), dtype=np.intp)
    chosen[:, 0] = _draw(rng, np.broadcast_to(weights, (n_starts, n)), 1)[:, 0]
    nearest = _squared_distances(points, points[chosen[:, :1]])[:, :, 0]
    for step in range(1, k):
        # a run whose points all coincide with its centres draws by weight alone (a
        # duplicate centre then empties and the run is discarded, as Polis drops it)
        potential = weights * nearest
        potential = np.where(potential.sum(axis=1, keepdims=True) > 0, potential, weights)
        candidates = _draw(rng, potential, trials)
        with_each = np.minimum(nearest[:, np.newaxis, :],
                               _squared_distances(points, points[candidates]).transpose(0, 2, 1))
        best = np.argmin((with_each * weights).sum(axis=2), axis=1)
        chosen[:, step] = candidates[rows, best]
        nearest = with_each[rows, best]
    return points[chosen]


class _Tiled:
    """The weights and weighted coordinates repeated for up to ``runs`` runs, so the group
    sums of every run come from one ``bincount`` each (a run's slice is the same numbers)."""

    def __init__(self, points: NDArray[np.float64], weights: NDArray[np.float64], runs: int):
        self.points, self.weights, self.n = points, weights, len(points)
        self.columns = [np.tile(weights, runs)] + [np.tile(weights * points[:, axis], runs)
                                                   for axis in range(points.shape[1])]

    def means(self, labels: NDArray[np.intp], k: int
              ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Each run's group masses ``(s, k)`` and weighted means ``(s, k, 2)`` (inf if empty)."""
        n_runs = labels.shape[0]
        flat = (labels + (np.arange(n_runs) * k)[:, np.newaxis]).ravel()
        size, cells = n_runs * k, n_runs * self.n
        mass, *sums = (np.bincount(flat, weights=column[:cells], minlength=size)
                       for column in self.columns)
        alive = mass > 0
        centres = np.where(alive[:, np.newaxis],
                           np.stack(sums, axis=-1) / np.where(alive, mass, 1.0)[:, np.newaxis],
                           np.inf)
        return (np.asarray(mass, dtype=np.float64).reshape(n_runs, k),
                np.asarray(centres, dtype=np.float64).reshape(n_runs, k, -1))


def _means(points: NDArray[np.float64], weights: NDArray[np.float64],
           labels: NDArray[np.intp], k: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    return _Tiled(points, weights, labels.shape[0]).means(labels, k)


def _distinct(labels: NDArray[np.intp], origin: NDArray[np.intp]
              ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Drop runs whose labels repeat an earlier run's (from there they stay identical).

    Rows are compared by a 64-bit hash first (sorting whole rows costs more than the k-means
    step itself); a hash match that is not a true match falls back to comparing rows.
    """
    coefficients = np.random.default_rng(20261206).integers(
        1, 2**62, size=labels.shape[1], dtype=np.int64)
    with np.errstate(over="ignore"):
        hashes = (labels.astype(np.int64) * coefficients).sum(axis=1)
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    if not (labels == labels[first[inverse.ravel()]]).all():
        _, first = np.unique(labels, axis=0, return_index=True)
    keep = np.sort(first)
    return labels[keep], origin[keep]


def lloyd(points: NDArray[np.float64], weights: NDArray[np.float64],
          starts: NDArray[np.float64], *, max_iter: int = MAX_ITER
          ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_]]:
    """Lloyd's algorithm from every start at once.

    ``starts`` is ``(n_starts, k, 2)``. Starts that give the same first assignment are run
    once, and a run stops once its labels stop changing. Returns the distinct final labels
    ``(m, n)``, the index of the first start that reached each, and whether each kept all
    ``k`` groups: a group that loses every member is dropped, as in Polis (``cluster-step``),
    so such a run does not give a k-group partition.
    """
    k = starts.shape[1]
    labels, origin = _distinct(np.argmin(_squared_distances(points, starts), axis=-1),
                               np.arange(len(starts)))
    tiled = _Tiled(points, weights, len(labels))
    moving = np.arange(len(labels))
    for _ in range(max_iter):
        _, centres = tiled.means(labels[moving], k)
        updated = np.argmin(_squared_distances(points, centres), axis=-1)
        changed = (updated != labels[moving]).any(axis=1)
        if not changed.any():
            break
        labels[moving[changed]] = updated[changed]
        moving = moving[changed]
    labels, origin = _distinct(labels, origin)
    mass, _ = tiled.means(labels, k)
    return labels.astype(np.intp), origin, np.asarray((mass > 0).all(axis=1))


def hartigan(points: NDArray[np.float64], weights: NDArray[np.float64],
             labels: NDArray[np.intp], k: int, *, max_moves: int = 10_000) -> NDArray[np.intp]:
    """Refine every run by single-point moves that lower W (Hartigan & Wong 1979).

    Lloyd's algorithm moves a point only when another centre is nearer, ignoring that the
    centres move with it; moving point i (weight w) from group a to group c changes W by
    ``w·M_c/(M_c+w)·d²(i,c) − w·M_a/(M_a−w)·d²(i,a)`` (M: group weights). Each round applies,
    in every run, the move that lowers W most, until none does. Hartigan's local minima are
    a subset of Lloyd's (Telgarsky & Vattani 2010), so far fewer starts end in a poor one.
    No move empties a group.
    """
    labels = labels.copy()
    n = labels.shape[1]
    tiled = _Tiled(points, weights, labels.shape[0])
    moving = np.arange(labels.shape[0])
    for _ in range(max_moves):
        lab = labels[moving]
        mass, centres = tiled.means(lab, k)
        d2 = _squared_distances(points, centres)
        rows = np.arange(len(lab))[:, np.newaxis]
        own_mass = mass[rows, lab]
        left = own_mass - weights
        own_d2 = d2[rows, np.arange(n), lab]
        # a point alone in its group may not leave it: its removal "gain" is −inf
        removed = np.where(left > 0, weights * own_mass / np.where(left > 0, left, 1.0)
                           * own_d2, -np.inf)
        added = (weights[:, np.newaxis] * mass[:, np.newaxis, :]
                 / (mass[:, np.newaxis, :] + weights[:, np.newaxis])) * d2
        change = added - removed[..., np.newaxis]
        change[rows, np.arange(n), lab] = np.inf
        flat = change.reshape(len(lab), -1)
        best = np.argmin(flat, axis=1)
        total = (weights * own_d2).sum(axis=1)
        gains = flat[np.arange(len(lab)), best] < -1e-12 * np.maximum(total, 1e-300)
        if not gains.any():
            break
        labels[moving[gains], best[gains] // k] = best[gains] % k
        moving = moving[gains]
    return labels


def best_kmeans(points: NDArray[np.float64], weights: NDArray[np.float64], k: int, *,
                seed: int = 0, n_starts: int = N_STARTS) -> KMeansFit | None:
    """The lowest-W k-group partition over Polis's start and ``n_starts`` k-means++ starts,
    each run by Lloyd's algorithm then refined by Hartigan's single-point moves.

    None when no run keeps ``k`` non-empty groups (fewer than ``k`` distinct points).
    """
    polis = first_distinct(points, k)
    if len(polis) < k:
        return None
    rng = np.random.default_rng(seed)
    starts = np.concatenate([polis[np.newaxis],
                             kmeans_plus_plus(points, weights, k, n_starts, rng)])
    labels, origin, complete = lloyd(points, weights, starts)
    if not complete.any():
        return None
    labels, origin = labels[complete], origin[complete]
    labels = hartigan(points, weights, labels, k)
    _, centres = _means(points, weights, labels, k)
    d2 = _squared_distances(points, centres)
    scores = (weights * np.take_along_axis(d2, labels[..., np.newaxis], axis=2)[..., 0]).sum(1)
    # the same partition reached from several starts ties: keep the earliest (Polis's first)
    best = int(np.flatnonzero(scores <= scores.min() * (1 + 1e-9))[0])
    return KMeansFit(labels=labels[best], centres=centres[best],
                     within_ss=within_ss(points, weights, labels[best]), start=int(origin[best]))
