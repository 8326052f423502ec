"""Group-level k-means: never worse than scikit-learn's best of 10 k-means++ restarts.

Reference: scikit-learn ``KMeans(n_clusters=k, n_init=10, init="k-means++")`` fitted on the
same weighted points (``sample_weight``); its ``inertia_`` is the within-group sum of squares
of its best restart. Tolerance: 1e-9 relative (floating-point summation order only).
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans

from alliance.voice.opinion.clustering import base_clusters, clustered_mask
from alliance.voice.opinion.kmeans import (
    best_kmeans,
    first_distinct,
    hartigan,
    kmeans_plus_plus,
    lloyd,
    within_ss,
)
from alliance.voice.opinion.projection import project
from alliance.voice.opinion.vote_matrix import build_vote_matrix
from tests.voice.conftest import ALL_CONVERSATIONS, conversation

TOLERANCE = 1e-9


def _sklearn_best(points: np.ndarray, weights: np.ndarray, k: int, seed: int) -> float:
    model = KMeans(n_clusters=k, n_init=10, init="k-means++", random_state=seed)
    return float(model.fit(points, sample_weight=weights).inertia_)


def _planted(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """2–5 overlapping blobs of unequal size and spread, with integer weights like base
    clusters' member counts."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3.0, size=(int(rng.integers(2, 6)), 2))
    points = np.vstack([c + rng.normal(scale=rng.uniform(0.5, 2.0),
                                       size=(int(rng.integers(5, 40)), 2)) for c in centres])
    return points, rng.integers(1, 30, size=len(points)).astype(float)


def _base_of(name: str) -> tuple[np.ndarray, np.ndarray]:
    conv = conversation(name)
    matrix = build_vote_matrix(conv.votes)
    projection = project(matrix, moderated_out=matrix.column_mask(conv.moderated_out), seed=0)
    clustered = clustered_mask(matrix.seen.sum(axis=1), matrix.shape[1])
    centres, _, weights = base_clusters(projection.participant_xy[clustered])
    return centres, weights


@pytest.mark.parametrize("seed", range(20))
def test_never_worse_than_ten_kmeans_plus_plus_restarts_on_planted_data(seed: int) -> None:
    points, weights = _planted(seed)
    for k in range(2, 6):
        ours = best_kmeans(points, weights, k, seed=seed)
        assert ours is not None
        assert ours.within_ss <= _sklearn_best(points, weights, k, seed) * (1 + TOLERANCE)


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_never_worse_than_ten_kmeans_plus_plus_restarts_on_real_base_clusters(
        name: str) -> None:
    """On the weighted base clusters of each real conversation, every k Polis would try."""
    centres, weights = _base_of(name)
    for k in range(2, min(5, 2 + len(centres) // 12) + 1):
        ours = best_kmeans(centres, weights, k, seed=0)
        assert ours is not None
        reference = min(_sklearn_best(centres, weights, k, s) for s in range(3))
        print(f"{name} k={k}: W ours {ours.within_ss:.3f}, scikit-learn best {reference:.3f}")
        assert ours.within_ss <= reference * (1 + TOLERANCE)


def test_within_ss_is_the_weighted_sum_of_squared_distances_to_group_means() -> None:
    rng = np.random.default_rng(2)
    points = rng.normal(size=(40, 2))
    weights = rng.uniform(0.5, 3.0, size=40)
    labels = rng.integers(0, 3, size=40)
    expected = 0.0
    for g in range(3):
        member = labels == g
        mean = np.average(points[member], axis=0, weights=weights[member])
        expected += float((weights[member] * ((points[member] - mean) ** 2).sum(axis=1)).sum())
    assert within_ss(points, weights, labels) == pytest.approx(expected, rel=1e-12)


def test_kept_fit_reports_its_own_labels_centres_and_sum_of_squares() -> None:
    points, weights = _planted(7)
    fit = best_kmeans(points, weights, 3, seed=1)
    assert fit is not None
    assert sorted(set(fit.labels.tolist())) == [0, 1, 2]
    assert fit.within_ss == pytest.approx(within_ss(points, weights, fit.labels), rel=1e-12)
    for g in range(3):
        member = fit.labels == g
        assert fit.centres[g] == pytest.approx(
            np.average(points[member], axis=0, weights=weights[member]), rel=1e-9)


def test_hartigan_moves_lower_w_where_lloyd_is_stuck() -> None:
    """Lloyd keeps the point at 2 with 0 (its centre 1 is nearer than the heavy group's 3.2),
    yet moving it lowers W from 2.2 to about 1.571: the light group's mean jumps to 0 while
    the heavy group's barely moves (Hartigan & Wong 1979)."""
    points = np.array([[0.0, 0.0], [2.0, 0.0], [3.1, 0.0], [3.3, 0.0]])
    weights = np.array([1.0, 1.0, 10.0, 10.0])
    labels, _, complete = lloyd(points, weights, np.array([[[1.0, 0.0], [3.2, 0.0]]]))
    assert complete.all() and labels[0].tolist() == [0, 0, 1, 1]
    assert within_ss(points, weights, labels[0]) == pytest.approx(2.2)
    refined = hartigan(points, weights, labels, 2)[0]
    assert refined.tolist() == [0, 1, 1, 1]
    assert within_ss(points, weights, refined) == pytest.approx(1.5714286, rel=1e-6)
    for row in np.random.default_rng(3).integers(0, 2, size=(20, 4)):
        if len(set(row.tolist())) < 2:
            continue
        moved = hartigan(points, weights, row[np.newaxis], 2)[0]
        assert within_ss(points, weights, moved) <= within_ss(points, weights, row) + 1e-12
        assert len(set(moved.tolist())) == 2  # no group is emptied


def test_starts_are_data_points_and_polis_start_is_first_distinct_points() -> None:
    points = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 2.0], [3.0, 1.0], [4.0, 4.0]])
    assert first_distinct(points, 3).tolist() == [[1.0, 1.0], [0.0, 2.0], [3.0, 1.0]]
    starts = kmeans_plus_plus(points, np.ones(5), 3, 8, np.random.default_rng(0))
    assert starts.shape == (8, 3, 2)
    assert all(any((start == p).all() for p in points) for run in starts for start in run)


def test_too_few_distinct_points_gives_no_fit() -> None:
    points = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    assert best_kmeans(points, np.ones(3), 3) is None
    fit = best_kmeans(points, np.ones(3), 2)
    assert fit is not None and fit.within_ss == pytest.approx(0.0, abs=1e-12)
