"""Opinion groups: who is clustered, Polis's 100 base clusters, and groups chosen by silhouette.

What it estimates: a partition of the clustered participants into k = 2…5 opinion groups in the
2-D PCA space, with k chosen by the silhouette score. It is a descriptive clustering: no null
hypothesis, no p-value.

Steps (Polis ``math/src/polismath/math/{conversation,clusters}.clj``; ``polis-method.md`` §1
steps 3, 8 and 9):

* **Participant filter.** A participant is clustered once they cast at least
  ``min(7, n_statements)`` votes (passes count; votes on moderated-out statements count). If
  fewer than 15 qualify, the heaviest voters are added until there are 15.
* **Base clusters.** k-means with K = 100 on the clustered participants' coordinates, started
  from the first 100 distinct points in participant-id order (Pol.is numbers participants as
  they arrive). With ≤ 100 distinct points every distinct point is its own base cluster.
  Clusters that lose all members are dropped, not refilled as Polis's warm start does.
* **Groups.** Weighted k-means over the base-cluster centres (weight = members) for every
  ``k in 2 … min(5, 2 + n_base // 12)``; each participant takes their base cluster's group.
  k is chosen by the silhouette computed over base-cluster centres. Polis averages over the
  centres unweighted; we weight each centre by its members, i.e. the silhouette of the
  participants with each one placed at their base-cluster centre (see below).

Deliberate differences from live Polis, because our results must be reproducible from one data
snapshot: no warm start from earlier updates, no "k must win 4 updates in a row" smoother, no
sticky membership; both k-means levels use Polis's deterministic cold start (first distinct
points in order) and run to convergence rather than stopping at Polis's 0.01 movement or
20-iteration cap. No random numbers are involved. Group ids are numbered by size, largest first.

We tried restarting the group level from k-means++ starts and keeping the lowest within-group
sum of squares: on real conversations that agreed *less* with Polis's groups (adjusted Rand
index 0.81 vs 0.96 on scoop-hivemind.biodiversity, 0.71 vs 0.92 on vtaiwan.uberx), so the
deterministic start is kept. Its one weakness is input ordered by opinion (e.g. a table sorted
by group), where the first k points all sit in one group: when a spread-out maximin start gets
less than half the within-group sum of squares we take that instead. On the six real
conversations the ratio never exceeds 1.5, so this guard never fires there.

Likewise Polis's unweighted silhouette lets a few sparse outlying base clusters count as much
as a cluster of fifty people; on vtaiwan.uberx it picks k = 4 where Polis (after its smoother)
shows 2, while the member-weighted silhouette picks 2 (ARI 0.92). Agreement with Polis's live
groups (ARI): biodiversity 0.955, Austria 0.977, vTaiwan 0.919; on Bowling Green the silhouette
prefers k = 4 (0.404 vs 0.393 for k = 2, Polis shows 2; ARI 0.25) — see tests/voice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MIN_VOTES = 7
MIN_CLUSTERED = 15
N_BASE_CLUSTERS = 100
MAX_GROUPS = 5
# A start is degenerate when another reaches less than 1/this of its within-group SS.
DEGENERATE_START_RATIO = 2.0


@dataclass(frozen=True)
class Grouping:
    """Result of the two-level clustering over clustered participants.

    Attributes
    ----------
    base_labels
        Base-cluster index of each clustered participant.
    base_centres, base_weights
        Coordinates and member counts of the base clusters.
    group_of_base
        Group id of each base cluster for the chosen k.
    silhouette
        Silhouette (over base centres) for each k tried.
    """

    base_labels: NDArray[np.intp]
    base_centres: NDArray[np.float64]
    base_weights: NDArray[np.float64]
    group_of_base: NDArray[np.intp]
    silhouette: dict[int, float]

    @property
    def k(self) -> int:
        return int(self.group_of_base.max()) + 1

    @property
    def labels(self) -> NDArray[np.intp]:
        """Group id of each clustered participant."""
        return self.group_of_base[self.base_labels]


def clustered_mask(n_votes: NDArray[np.integer], n_statements: int) -> NDArray[np.bool_]:
    """Polis's participant filter: ≥ min(7, n_statements) votes, topped up to 15 heaviest voters."""
    threshold = min(MIN_VOTES, n_statements)
    keep = n_votes >= threshold
    wanted = min(MIN_CLUSTERED, int(np.count_nonzero(n_votes > 0)))
    if keep.sum() < wanted:
        order = np.argsort(-n_votes, kind="stable")
        keep = np.zeros_like(keep)
        keep[order[:wanted]] = True
    return keep


def _assign(points: NDArray[np.float64], centres: NDArray[np.float64]) -> NDArray[np.intp]:
    d2 = (points[:, np.newaxis, 0] - centres[np.newaxis, :, 0]) ** 2 + (
        points[:, np.newaxis, 1] - centres[np.newaxis, :, 1]
    ) ** 2
    return np.asarray(np.argmin(d2, axis=1))


def weighted_kmeans(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    centres: NDArray[np.float64],
    *,
    max_iter: int = 300,
    tol: float = 1e-10,
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Lloyd's algorithm with point weights; clusters that lose all members are dropped."""
    centres = centres.copy()
    labels = _assign(points, centres)
    for _ in range(max_iter):
        k = len(centres)
        mass = np.bincount(labels, weights=weights, minlength=k)
        sum_x = np.bincount(labels, weights=weights * points[:, 0], minlength=k)
        sum_y = np.bincount(labels, weights=weights * points[:, 1], minlength=k)
        alive = mass > 0
        updated = np.column_stack([sum_x[alive] / mass[alive], sum_y[alive] / mass[alive]])
        moved = alive.all() and np.max(np.abs(updated - centres)) <= tol
        centres = updated
        labels = _assign(points, centres)
        if moved:
            break
    return centres, labels


def _first_distinct(points: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """The first ``k`` distinct rows in data order (Polis's cold start)."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def silhouette(
    points: NDArray[np.float64], labels: NDArray[np.intp], weights: NDArray[np.float64]
) -> float:
    """Silhouette of ``points`` each standing for ``weights`` participants at the same spot.

    For a point, a = mean distance to the other participants of its group, b = the smallest
    mean distance to another group's participants, ``s = (b − a) / max(a, b)`` (0 for a group of
    one participant); the score is the participant-weighted mean of s. With unit weights this
    is the ordinary silhouette of Rousseeuw (1987).
    """
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    distance = np.sqrt(((points[:, np.newaxis, :] - points[np.newaxis]) ** 2).sum(-1))
    member = (labels[:, np.newaxis] == groups[np.newaxis, :]) * weights[:, np.newaxis]
    sizes = member.sum(axis=0)
    sums = distance @ member
    rows = np.arange(len(points))
    own = np.searchsorted(groups, labels)
    own_size = sizes[own]
    alone = own_size <= 1
    a = np.divide(sums[rows, own], own_size - 1, out=np.zeros(len(points)), where=~alone)
    mean_other = sums / sizes[np.newaxis, :]
    mean_other[rows, own] = np.inf
    b = mean_other.min(axis=1)
    top = np.maximum(a, b)
    score = np.divide(b - a, top, out=np.zeros(len(points)), where=top > 0)
    score[alone] = 0.0
    return float((score * weights).sum() / weights.sum())


def _maximin_start(
    centres: NDArray[np.float64], weights: NDArray[np.float64], k: int
) -> NDArray[np.float64]:
    """Heaviest base cluster, then repeatedly the centre farthest from those already chosen."""
    chosen = [int(np.argmax(weights))]
    nearest = ((centres - centres[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        far = int(np.argmax(nearest))
        chosen.append(far)
        nearest = np.minimum(nearest, ((centres - centres[far]) ** 2).sum(axis=1))
    return centres[chosen]


def _within_ss(
    centres: NDArray[np.float64], weights: NDArray[np.float64],
    fitted: NDArray[np.float64], labels: NDArray[np.intp],
) -> float:
    return float((weights * ((centres - fitted[labels]) ** 2).sum(axis=1)).sum())


def _group_kmeans(
    centres: NDArray[np.float64], weights: NDArray[np.float64], k: int
) -> NDArray[np.intp] | None:
    """Weighted k-means over base centres from Polis's cold start; None if a group empties.

    Guard: if a spread-out (maximin) start reaches less than half the within-group sum of
    squares, Polis's start has fallen into a degenerate optimum (participants ordered by
    opinion, for instance) and the maximin solution is used instead.
    """
    fitted, labels = weighted_kmeans(centres, weights, _first_distinct(centres, k))
    polis_ss = _within_ss(centres, weights, fitted, labels) if len(fitted) == k else np.inf
    spread, spread_labels = weighted_kmeans(centres, weights, _maximin_start(centres, weights, k))
    if len(spread) == k and _within_ss(centres, weights, spread, spread_labels) * (
        DEGENERATE_START_RATIO
    ) < polis_ss:
        return spread_labels
    return labels if len(fitted) == k else None


def _renumber_by_size(labels: NDArray[np.intp], weights: NDArray[np.float64]) -> NDArray[np.intp]:
    mass = np.bincount(labels, weights=weights)
    first = np.array([np.flatnonzero(labels == g)[0] for g in range(len(mass))])
    order = np.lexsort((first, -mass))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return np.asarray(rank[labels])


def group_participants(xy: NDArray[np.float64], *, k: int | None = None) -> Grouping:
    """Base clusters then silhouette-chosen groups for the clustered participants' ``xy``.

    Parameters
    ----------
    xy
        ``(n, 2)`` coordinates of the clustered participants, in participant order.
    k
        Force the number of groups instead of choosing it by silhouette.
    """
    if len(xy) == 0:
        raise ValueError("no participants qualify for clustering (each needs 7 votes)")
    distinct = np.unique(xy, axis=0)
    if len(distinct) <= N_BASE_CLUSTERS:
        base_centres = _first_distinct(xy, len(distinct))
        base_labels = _assign(xy, base_centres)
    else:
        base_centres, base_labels = weighted_kmeans(
            xy, np.ones(len(xy)), _first_distinct(xy, N_BASE_CLUSTERS)
        )
    weights = np.bincount(base_labels, minlength=len(base_centres)).astype(float)
    n_base = len(base_centres)
    if n_base < 2:
        raise ValueError(
            "all clustered participants sit at the same point; opinion groups cannot be formed"
        )
    if k is not None and not 1 <= k <= n_base:
        raise ValueError(f"k={k} groups requested but there are {n_base} base clusters")
    candidates = [k] if k is not None else list(range(2, min(MAX_GROUPS, 2 + n_base // 12) + 1))
    scores: dict[int, float] = {}
    best_labels: NDArray[np.intp] | None = None
    for candidate in candidates:
        labels = _group_kmeans(base_centres, weights, candidate)
        if labels is None:
            continue
        scores[candidate] = silhouette(base_centres, labels, weights)
        # Strictly greater: on a tie the smaller k is kept.
        if best_labels is None or scores[candidate] > max(
            v for c, v in scores.items() if c != candidate
        ):
            best_labels = labels
    if best_labels is None:
        raise ValueError(f"k-means could not form {candidates} non-empty groups")
    return Grouping(
        base_labels=base_labels,
        base_centres=base_centres,
        base_weights=weights,
        group_of_base=_renumber_by_size(best_labels, weights),
        silhouette=scores,
    )
