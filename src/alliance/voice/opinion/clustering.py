"""Opinion groups: who is clustered, Polis's 100 base clusters, groups, and Polis's choice of k.

What it estimates: a partition of the clustered participants into k = 2…5 opinion groups in the
2-D PCA space. It is a descriptive clustering: no null hypothesis, no p-value.

Steps (Polis ``math/src/polismath/math/{conversation,clusters}.clj``; ``polis-method.md`` §1
steps 3, 8 and 9):

* **Participant filter.** A participant is clustered once they cast at least
  ``min(7, n_statements)`` votes (passes count). If fewer than 15 qualify, the heaviest voters
  are added until there are 15.
* **Base clusters.** k-means with K = 100 on the clustered participants' coordinates, from
  Polis's start (the first 100 distinct points in participant-id order; Pol.is numbers
  participants as they arrive) and from a fixed-seed k-means++ start, the lower sum of
  squares kept (see :func:`base_clusters`). With ≤ 100 distinct points every distinct point
  is its own base cluster. Clusters that lose all members are dropped, as in Polis's
  ``cluster-step``.
* **Groups.** For every ``k in 2 … min(5, 2 + n_base // 12)``, weighted k-means over the
  base-cluster centres (weight = members); each participant takes their base cluster's group.
  Each k is fitted from Polis's cold start *and* 64 k-means++ starts, and the partition with
  the lowest within-group sum of squares is kept (:mod:`alliance.voice.opinion.kmeans`). Polis
  instead runs one start, warm-started from its previous update; from a snapshot there is no
  previous update, and one cold start can settle far from the best split (Issue 11 §5).
* **Choosing k** as Polis does: the silhouette over the base-cluster centres, each centre
  counting once (unweighted) and 0 for a centre alone in its group; the highest wins, a tie
  keeping the smaller k.
* **Smoothing k** as Polis does (``group-k-smoother``, buffer 4): the k shown changes only
  once the same best k has won :data:`K_BUFFER` updates in a row. The caller passes the
  previous update's :class:`KSmoother` (the web workspace keeps one per conversation); with
  none — a one-off analysis of an export — the best k is shown, as on Polis's first update.

No warm start from earlier updates and no sticky membership: the groups are a function of the
vote snapshot, the seed of the k-means++ starts and (for k only) the smoother state. With the
lowest sum of squares kept, the groups are the same for every seed on the six real
conversations and on planted data (``tests/voice/test_clustering.py``). Group ids are
numbered by size, largest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from alliance.voice.opinion.kmeans import (
    best_kmeans,
    first_distinct,
    kmeans_plus_plus,
    within_ss,
)

MIN_VOTES = 7
MIN_CLUSTERED = 15
N_BASE_CLUSTERS = 100
MAX_GROUPS = 5
#: Polis's ``:group-k-buffer``: updates in a row a new best k must win before it is shown
K_BUFFER = 4


@dataclass(frozen=True)
class KSmoother:
    """Polis's k-smoother state after an update.

    Attributes
    ----------
    last_k
        The best k (highest silhouette) of this update.
    last_k_count
        How many updates in a row ``last_k`` has been the best.
    smoothed_k
        The k shown: ``last_k`` once it has won :data:`K_BUFFER` times in a row, else the
        previously shown k.
    """

    last_k: int
    last_k_count: int
    smoothed_k: int

    def to_dict(self) -> dict[str, int]:
        return {"last_k": self.last_k, "last_k_count": self.last_k_count,
                "smoothed_k": self.smoothed_k}

    @classmethod
    def from_dict(cls, values: dict[str, int]) -> KSmoother:
        return cls(last_k=int(values["last_k"]), last_k_count=int(values["last_k_count"]),
                   smoothed_k=int(values["smoothed_k"]))


def smooth_k(best_k: int, previous: KSmoother | None, *, buffer: int = K_BUFFER) -> KSmoother:
    """Polis's rule: count how often ``best_k`` has won in a row; switch at ``buffer`` wins."""
    count = previous.last_k_count + 1 if previous and previous.last_k == best_k else 1
    shown = best_k if count >= buffer or previous is None else previous.smoothed_k
    return KSmoother(last_k=best_k, last_k_count=count, smoothed_k=shown)


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
        Silhouette (over base centres, unweighted) for each k tried.
    within_ss
        Within-group sum of squares of the kept partition for each k tried, measured on the
        base centres weighted by their members.
    smoother
        Polis's k-smoother after this update (None when k was forced).
    """

    base_labels: NDArray[np.intp]
    base_centres: NDArray[np.float64]
    base_weights: NDArray[np.float64]
    group_of_base: NDArray[np.intp]
    silhouette: dict[int, float]
    within_ss: dict[int, float] = field(default_factory=dict)
    smoother: KSmoother | None = None

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
    """Nearest centre of each point: argmin of ``|c|² − 2 x·c`` (``|x|²`` is the same for every
    centre), one matrix product instead of an (n, k, 2) array of differences."""
    score = (centres * centres).sum(axis=1)[np.newaxis, :] - 2.0 * (points @ centres.T)
    return np.asarray(np.argmin(score, axis=1))


def base_kmeans(
    points: NDArray[np.float64], centres: NDArray[np.float64], *, max_iter: int = 300,
    tol: float = 1e-10,
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Lloyd's algorithm from ``centres``; clusters that lose all members are dropped."""
    labels = _assign(points, centres)
    for _ in range(max_iter):
        k = len(centres)
        mass = np.bincount(labels, minlength=k).astype(float)
        sum_x = np.bincount(labels, weights=points[:, 0], minlength=k)
        sum_y = np.bincount(labels, weights=points[:, 1], minlength=k)
        alive = mass > 0
        updated = np.column_stack([sum_x[alive] / mass[alive], sum_y[alive] / mass[alive]])
        moved = alive.all() and np.max(np.abs(updated - centres)) <= tol
        centres = updated
        labels = _assign(points, centres)
        if moved:
            break
    return centres, labels


def silhouette(
    points: NDArray[np.float64], labels: NDArray[np.intp], weights: NDArray[np.float64]
) -> float:
    """Silhouette of ``points`` each standing for ``weights`` participants at the same spot.

    For a point, a = mean distance to the other participants of its group, b = the smallest
    mean distance to another group's participants, ``s = (b − a) / max(a, b)`` (0 for a group of
    one participant); the score is the participant-weighted mean of s. With unit weights this
    is the ordinary silhouette of Rousseeuw (1987), which Polis computes over base centres.
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


def _renumber_by_size(labels: NDArray[np.intp], weights: NDArray[np.float64]) -> NDArray[np.intp]:
    mass = np.bincount(labels, weights=weights)
    first = np.array([np.flatnonzero(labels == g)[0] for g in range(len(mass))])
    order = np.lexsort((first, -mass))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return np.asarray(rank[labels])


def base_clusters(xy: NDArray[np.float64]
                  ) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]:
    """Polis's base clusters: centres, each participant's base cluster, members per cluster.

    Two runs of k-means with K = 100: from Polis's start (the first 100 distinct points) and
    from a k-means++ start drawn with a fixed seed, keeping the lower within-cluster sum of
    squares. Polis's start alone puts nearly every base cluster among the first 100 people to
    vote; when people join in opinion blocks (one workshop, then another) the later blocks get
    one base cluster each and no silhouette can find them. The fixed seed keeps the base
    clusters a function of the votes alone.
    """
    distinct = np.unique(xy, axis=0)
    if len(distinct) <= N_BASE_CLUSTERS:
        centres = first_distinct(xy, len(distinct))
        labels = _assign(xy, centres)
    else:
        ones = np.ones(len(xy))
        spread = kmeans_plus_plus(xy, ones, N_BASE_CLUSTERS, 1, np.random.default_rng(0))[0]
        runs = [base_kmeans(xy, start) for start in (first_distinct(xy, N_BASE_CLUSTERS), spread)]
        centres, labels = min(runs, key=lambda run: within_ss(xy, ones, run[1]))
    return centres, labels, np.bincount(labels, minlength=len(centres)).astype(float)


def group_participants(xy: NDArray[np.float64], *, k: int | None = None, seed: int = 0,
                       previous: KSmoother | None = None) -> Grouping:
    """Base clusters then groups for the clustered participants' ``xy``.

    Parameters
    ----------
    xy
        ``(n, 2)`` coordinates of the clustered participants, in participant order.
    k
        Force the number of groups instead of choosing it.
    seed
        Seeds the k-means++ starts; the kept partition does not depend on it in practice.
    previous
        Polis's k-smoother state from the previous update of the same conversation.
    """
    if len(xy) == 0:
        raise ValueError("no participants qualify for clustering (each needs 7 votes)")
    centres, base_labels, weights = base_clusters(xy)
    n_base = len(centres)
    if n_base < 2:
        raise ValueError(
            "all clustered participants sit at the same point; opinion groups cannot be formed"
        )
    if k is not None and not 1 <= k <= n_base:
        raise ValueError(f"k={k} groups requested but there are {n_base} base clusters")
    candidates = [k] if k is not None else list(range(2, min(MAX_GROUPS, 2 + n_base // 12) + 1))
    fits = {c: fit for c in candidates
            if (fit := best_kmeans(centres, weights, c, seed=seed)) is not None}
    if not fits:
        raise ValueError(f"k-means could not form {candidates} non-empty groups")
    scores = {c: silhouette(centres, fit.labels, np.ones(n_base)) for c, fit in fits.items()}
    best = max(sorted(scores), key=lambda c: scores[c])  # a tie keeps the smaller k
    smoother = None if k is not None else smooth_k(best, previous)
    shown = best if smoother is None or smoother.smoothed_k not in fits else smoother.smoothed_k
    return Grouping(
        base_labels=base_labels,
        base_centres=centres,
        base_weights=weights,
        group_of_base=_renumber_by_size(fits[shown].labels, weights),
        silhouette=scores,
        within_ss={c: fit.within_ss for c, fit in fits.items()},
        smoother=smoother,
    )
