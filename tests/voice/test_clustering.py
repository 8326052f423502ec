"""Opinion groups: properties (stable across seeds, no worse than Polis's own partition, Polis's
k rules) and agreement with Polis's own groups, reported.

References: Polis's ``group-id`` column of openData ``participants-votes.csv`` (identical to
math-pca2 group-clusters, SOURCES.md); Polis's ``group-k-smoother`` in
``math/src/polismath/math/conversation.clj`` (buffer 4); red-dwarf 0.4.0 stored labels;
scikit-learn's ``silhouette_score`` and ``adjusted_rand_score``.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, silhouette_score

from alliance.voice.opinion import OpinionAnalysis, analyse
from alliance.voice.opinion.clustering import (
    K_BUFFER,
    KSmoother,
    clustered_mask,
    group_participants,
    silhouette,
    smooth_k,
)
from alliance.voice.opinion.kmeans import within_ss
from tests.voice.conftest import (
    ALL_CONVERSATIONS,
    AUSTRIA,
    BIODIVERSITY,
    BOWLING_GREEN,
    VTAIWAN,
    conversation,
    reddwarf_participants,
)

#: modern Polis conversations whose live display shows k = 2 (polis-method.md §3)
POLIS_K = {BIODIVERSITY: 2, AUSTRIA: 2, VTAIWAN: 2, BOWLING_GREEN: 2}
#: regression floors, set below what the method reaches and never tuned to these data
#: (reached: biodiversity 0.966, Austria 0.988, vTaiwan 0.713, Bowling Green 0.458)
ARI_FLOOR = {BIODIVERSITY: 0.9, AUSTRIA: 0.95, VTAIWAN: 0.6, BOWLING_GREEN: 0.4}


@cache
def _analysis(name: str, seed: int = 0) -> OpinionAnalysis:
    conv = conversation(name)
    return analyse(conv.votes, moderated_out=conv.moderated_out, seed=seed)


def _ari(a: pd.Series, b: pd.Series) -> float:
    both = a.dropna().index.intersection(b.dropna().index)
    return float(adjusted_rand_score(a.loc[both].astype(int), b.loc[both].astype(int)))


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_groups_are_identical_for_ten_seeds(name: str) -> None:
    """The seed moves the eigensolver's start and the k-means++ starts; the groups do not."""
    first = _analysis(name, 0).groups
    for seed in range(1, 10):
        other = _analysis(name, seed).groups
        assert other.isna().equals(first.isna())
        assert _ari(first, other) == 1.0


@pytest.mark.parametrize("seed", range(10))
def test_planted_groups_are_identical_for_ten_seeds(seed: int) -> None:
    """Four overlapping planted groups of unequal size (the case several starts are for)."""
    rng = np.random.default_rng(11)
    centres = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0], [0.5, 1.2]])
    sizes = [300, 120, 200, 60]
    xy = np.vstack([c + rng.normal(scale=1.0, size=(n, 2)) for c, n in zip(centres, sizes,
                                                                             strict=True)])
    reference = group_participants(xy, seed=0)
    grouping = group_participants(xy, seed=seed)
    assert grouping.k == reference.k
    assert adjusted_rand_score(reference.labels, grouping.labels) == 1.0
    k = grouping.k
    assert grouping.within_ss[k] == pytest.approx(reference.within_ss[k], rel=1e-9)


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_partition_is_no_worse_than_polis_own_on_the_same_projection(name: str) -> None:
    """Issue 11 §5 found a split 39% worse than Polis's own; with Polis's k forced, ours is at
    most 1% above Polis's partition on the same participants' coordinates (base clusters
    constrain both; printed: ours / Polis)."""
    conv = conversation(name)
    polis = conv.polis_groups.dropna().astype(int)
    result = analyse(conv.votes, moderated_out=conv.moderated_out,
                     group_count=int(polis.nunique()))
    frame = result.to_frame()
    both = frame.index[frame["clustered"]].intersection(polis.index)
    xy = frame.loc[both, ["x", "y"]].to_numpy()
    ones = np.ones(len(both))
    ours = within_ss(xy, ones, frame.loc[both, "group"].to_numpy(dtype=np.intp))
    theirs = within_ss(xy, ones, np.unique(polis.loc[both], return_inverse=True)[1])
    print(f"{name}: W ours / Polis's partition = {ours / theirs:.4f} (k={result.k})")
    assert ours <= theirs * 1.01


@pytest.mark.parametrize("name", list(POLIS_K))
def test_groups_agree_with_polis(name: str) -> None:
    """k as Polis shows it, and an adjusted Rand index above a regression floor."""
    result = _analysis(name)
    ari = _ari(conversation(name).polis_groups, result.groups)
    print(f"{name}: ARI vs Polis = {ari:.3f} (k ours {result.k}, Polis {POLIS_K[name]})")
    assert result.k == POLIS_K[name]
    assert ari >= ARI_FLOOR[name]


@pytest.mark.parametrize("name", [n for n in ALL_CONVERSATIONS if n not in POLIS_K])
def test_report_agreement_on_other_conversations(name: str) -> None:
    """Reported, not asserted: UBI's blob is the 2017 algorithm (Polis k = 4, ours 2); London
    has 24 clustered people and silhouettes 0.482 (k = 3, Polis) and 0.483 (k = 4, ours)."""
    result = _analysis(name)
    polis = conversation(name).polis_groups
    ari = _ari(polis, result.groups)
    print(f"{name}: ARI vs Polis = {ari:.3f} (k ours {result.k}, Polis {int(polis.max()) + 1})")
    assert -1.0 <= ari <= 1.0


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_report_agreement_with_reddwarf(name: str) -> None:
    """Reported, not asserted: ARI against red-dwarf 0.4.0's stored one-shot labels."""
    table = reddwarf_participants(name)
    theirs = table.loc[table["clustered"] == 1, "reddwarf_group"]
    ari = _ari(theirs, _analysis(name).groups)
    print(f"{name}: ARI vs red-dwarf = {ari:.3f}")
    assert -1.0 <= ari <= 1.0


def test_k_smoother_follows_polis() -> None:
    """A new best k is shown only after winning K_BUFFER (4) updates in a row; a first update
    shows its best k (conversation.clj ``group-k-smoother``)."""
    assert K_BUFFER == 4
    state = smooth_k(2, None)
    assert state == KSmoother(last_k=2, last_k_count=1, smoothed_k=2)
    shown = []
    for best in [3, 3, 3, 2, 3, 3, 3, 3, 3, 4]:
        state = smooth_k(best, state)
        shown.append(state.smoothed_k)
    assert shown == [2, 2, 2, 2, 2, 2, 2, 3, 3, 3]
    assert KSmoother.from_dict(state.to_dict()) == state


def test_smoother_state_carries_between_analyses() -> None:
    """Fed the previous state, the analysis keeps showing the old k until the new one has won
    four updates; with k forced there is no smoother."""
    conv = conversation(BIODIVERSITY)
    first = analyse(conv.votes, moderated_out=conv.moderated_out)
    assert first.k_smoother == KSmoother(last_k=2, last_k_count=1, smoothed_k=2)
    held = KSmoother(last_k=3, last_k_count=2, smoothed_k=3)
    again = analyse(conv.votes, moderated_out=conv.moderated_out, smoother=held)
    assert again.k == 3 and again.k_smoother == KSmoother(2, 1, 3)
    state = again.k_smoother
    for _ in range(3):
        state = analyse(conv.votes, moderated_out=conv.moderated_out, smoother=state).k_smoother
    assert state == KSmoother(2, 4, 2)
    forced = analyse(conv.votes, moderated_out=conv.moderated_out, group_count=3)
    assert forced.k == 3 and forced.k_smoother is None


def test_silhouette_with_unit_weights_is_scikit_learns() -> None:
    """scikit-learn ``silhouette_score`` (Rousseeuw 1987) on random points and labels."""
    rng = np.random.default_rng(3)
    points = rng.normal(size=(60, 2))
    labels = rng.integers(0, 3, size=60)
    ours = silhouette(points, labels, np.ones(60))
    assert ours == pytest.approx(silhouette_score(points, labels), abs=1e-12)


def test_weighted_silhouette_equals_silhouette_of_repeated_points() -> None:
    """A centre of weight w counts as w participants at that spot (scikit-learn reference)."""
    rng = np.random.default_rng(4)
    points = rng.normal(size=(25, 2))
    labels = np.repeat([0, 1, 2], [10, 8, 7])
    weights = rng.integers(1, 5, size=25)
    expanded = np.repeat(points, weights, axis=0)
    expected = silhouette_score(expanded, np.repeat(labels, weights))
    assert silhouette(points, labels, weights.astype(float)) == pytest.approx(expected, abs=1e-9)


def test_k_is_chosen_by_polis_silhouette_over_base_centres() -> None:
    """Unweighted over base centres, highest wins; the chosen partition is the kept one."""
    rng = np.random.default_rng(6)
    xy = np.vstack([c + rng.normal(scale=0.5, size=(150, 2))
                    for c in ([-4.0, 0.0], [4.0, 0.0], [0.0, 6.0])])
    grouping = group_participants(xy)
    assert max(grouping.silhouette, key=lambda k: grouping.silhouette[k]) == grouping.k == 3
    best = silhouette(grouping.base_centres, grouping.group_of_base,
                      np.ones(len(grouping.base_centres)))
    assert best == pytest.approx(grouping.silhouette[3], abs=1e-12)
    assert sorted(grouping.within_ss) == [2, 3, 4, 5]


def test_participant_filter() -> None:
    """≥ min(7, n_statements) votes; topped up to 15 heaviest voters (polis-method.md §1.3)."""
    many = np.array([7, 6, 30] + [8] * 20)
    assert clustered_mask(many, 50).tolist() == [True, False, True] + [True] * 20
    few = np.array([1, 2, 3, 9, 4, 5, 6, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0])
    kept = clustered_mask(few, 50)
    assert kept.sum() == 15 and not kept[16] and kept[3]
    assert clustered_mask(np.array([3, 2, 3] + [3] * 20), 3).sum() == 22


def test_planted_groups_are_recovered() -> None:
    """Three planted groups of 200, listed group by group (the adversarial order for Polis's
    first-points start): found exactly, k = 3."""
    rng = np.random.default_rng(5)
    centres = np.array([[-4.0, 0.0], [4.0, 0.0], [0.0, 5.0]])
    xy = np.vstack([c + rng.normal(scale=0.6, size=(200, 2)) for c in centres])
    grouping = group_participants(xy)
    assert grouping.k == 3
    assert adjusted_rand_score(np.repeat([0, 1, 2], 200), grouping.labels) == 1.0
    # k-means drops base clusters that lose every member, so there can be fewer than 100.
    assert 90 <= len(grouping.base_centres) <= 100
    assert grouping.base_weights.sum() == 600


def test_too_few_positions_is_an_error() -> None:
    with pytest.raises(ValueError, match="same point"):
        group_participants(np.zeros((20, 2)))
    with pytest.raises(ValueError, match="no participants"):
        group_participants(np.zeros((0, 2)))
