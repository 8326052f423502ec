"""Group vote counts, the input of every repness and consensus statistic."""

from __future__ import annotations

import numpy as np

from alliance.voice.opinion.statement_stats import count_group_votes


def test_counts_equal_direct_counts_and_skip_unlabelled_rows() -> None:
    """Rows are counted a slice at a time (3,000 × 90 spans several slices); rows labelled −1
    (participants left out of clustering) count for no group."""
    rng = np.random.default_rng(2)
    seen = rng.random((3000, 90)) < 0.5
    votes = np.where(seen, rng.integers(-1, 2, size=seen.shape), 0).astype(np.int8)
    labels = rng.integers(-1, 3, size=3000)
    counts = count_group_votes(votes, seen, labels, 3)
    for group in range(3):
        rows = labels == group
        np.testing.assert_array_equal(counts.agree[group], (votes[rows] == 1).sum(axis=0))
        np.testing.assert_array_equal(counts.disagree[group], (votes[rows] == -1).sum(axis=0))
        np.testing.assert_array_equal(counts.seen[group], seen[rows].sum(axis=0))
    assert counts.seen.sum() == seen[labels >= 0].sum()
