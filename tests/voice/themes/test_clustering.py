"""Partition choice and the several-themes-per-text rule."""

from __future__ import annotations

import numpy as np

from alliance.voice.themes.clustering import (
    candidate_range,
    choose_partition,
    dissolve_small,
    multi_membership,
)


def test_candidate_range() -> None:
    assert candidate_range(39, min_size=3, max_themes=15) == range(3, 14)
    assert candidate_range(316, min_size=3, max_themes=15) == range(8, 16)
    assert candidate_range(5, min_size=3, max_themes=15) == range(1, 2)


def test_membership_rule_margin_and_floor() -> None:
    similarity = np.array([[0.80, 0.77, 0.60],   # second theme within 0.05 of best
                           [0.35, 0.33, 0.10],   # within margin but below the 0.4 floor
                           [0.20, 0.90, 0.88]])  # own theme 0 kept even though far from best
    member = multi_membership(similarity, np.array([0, 0, 0]), margin=0.05, min_similarity=0.4)
    assert member.tolist() == [[True, True, False], [True, False, False], [True, True, True]]


def test_dissolve_small_moves_texts_to_nearest_theme() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal([5, 0, 0], 0.1, (6, 3))
    b = rng.normal([0, 5, 0], 0.1, (6, 3))
    stray = np.array([[4.0, 1.0, 0.0]])
    vectors = np.vstack([a, b, stray])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([0] * 6 + [1] * 6 + [2])
    out = dissolve_small(vectors, labels, min_size=3)
    assert len(np.unique(out)) == 2
    assert out[-1] == out[0]


def test_choose_partition_recovers_planted_groups() -> None:
    rng = np.random.default_rng(1)
    centres = np.eye(384, dtype=np.float32)[:4]
    vectors = np.vstack([c + rng.normal(0, 0.02, (10, 384)) for c in centres]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels, silhouette = choose_partition(vectors, n_themes=None, seed=0, min_size=3,
                                          max_themes=15)
    truth = np.repeat(np.arange(4), 10)
    assert len(np.unique(labels)) == 4
    for group in range(4):
        assert len(np.unique(labels[truth == group])) == 1
    assert silhouette is not None and silhouette > 0.5
