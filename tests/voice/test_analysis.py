"""The public analysis API: shapes, views, documented conventions and refused input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from alliance.voice.opinion import OpinionAnalysis, analyse, analyse_with_groups
from tests.voice.conftest import BIODIVERSITY, conversation, polis_math


@pytest.fixture(scope="module")
def biodiversity() -> OpinionAnalysis:
    conv = conversation(BIODIVERSITY)
    return analyse(conv.votes, moderated_out=conv.moderated_out)


def test_result_is_frozen(biodiversity: OpinionAnalysis) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        biodiversity.k = 3  # type: ignore[misc]


def test_groups_cover_every_voter_with_na_for_unclustered(biodiversity: OpinionAnalysis) -> None:
    """Participants under the vote threshold are on the map but have group <NA>."""
    conv = conversation(BIODIVERSITY)
    groups = biodiversity.groups
    assert str(groups.dtype) == "Int64"
    assert len(groups) == conv.votes["participant_id"].nunique() == 536
    assert groups.notna().sum() == 441  # Polis: 443 (two "sticky" members from history)
    assert set(groups.dropna().unique()) == set(range(biodiversity.k))
    polis_in_conv = set(polis_math(BIODIVERSITY)["in-conv"])
    assert len(set(groups.dropna().index) ^ polis_in_conv) == 2


def test_views(biodiversity: OpinionAnalysis) -> None:
    frame = biodiversity.to_frame()
    assert list(frame.columns) == ["x", "y", "clustered", "group", "base_cluster"]
    assert frame.index.name == "participant_id" and len(frame) == 536
    assert frame.loc[~frame["clustered"], "base_cluster"].isna().all()
    statements = biodiversity.statements_frame()
    assert len(statements) == 314
    # 169 statements are moderated out; two of them received no votes, so have no column.
    assert statements["moderated_out"].sum() == len(biodiversity.moderated_out) == 167
    sil = biodiversity.silhouette_frame()
    assert sil.index.tolist() == [2, 3, 4, 5]
    assert sil.loc[biodiversity.k, "chosen"]
    assert sil["silhouette"].idxmax() == biodiversity.k


def test_moderated_out_statements_are_never_selected(biodiversity: OpinionAnalysis) -> None:
    moderated = set(biodiversity.moderated_out)
    assert not moderated & set(biodiversity.repness["statement_id"])
    assert not moderated & set(biodiversity.consensus["statement_id"])
    # ... but their statistics are still computed (as in Polis).
    stats = biodiversity.statement_stats
    assert moderated <= set(stats.index.get_level_values("statement_id"))


def test_repness_layout(biodiversity: OpinionAnalysis) -> None:
    """At most five per group, ranks 0.., agree entries before disagree (Polis order)."""
    for _, table in biodiversity.repness.groupby("group"):
        assert 1 <= len(table) <= 5
        assert table["rank"].tolist() == list(range(len(table)))
        sides = table["repful_for"].tolist()
        assert sides == sorted(sides)  # "agree" < "disagree"


def test_seed_does_not_change_the_answer() -> None:
    conv = conversation(BIODIVERSITY)
    one = analyse(conv.votes, moderated_out=conv.moderated_out, seed=0)
    two = analyse(conv.votes, moderated_out=conv.moderated_out, seed=7)
    pd.testing.assert_series_equal(one.groups, two.groups)
    pd.testing.assert_frame_equal(one.repness, two.repness)


def test_forced_group_count() -> None:
    conv = conversation(BIODIVERSITY)
    result = analyse(conv.votes, moderated_out=conv.moderated_out, group_count=3)
    assert result.k == 3 and sorted(result.repness["group"].unique()) == [0, 1, 2]


def test_given_groups_keep_their_labels() -> None:
    """Labels need not be 0..k-1: they are reported as given."""
    conv = conversation(BIODIVERSITY)
    relabelled = conv.polis_groups.map({0: 10, 1: 20}).astype("Int64")
    result = analyse_with_groups(conv.votes, relabelled, moderated_out=conv.moderated_out)
    assert sorted(result.repness["group"].unique()) == [10, 20]
    assert sorted(result.statement_stats.index.get_level_values("group").unique()) == [10, 20]
    assert result.groups.dropna().isin([10, 20]).all()


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (pd.Series({999999: 0}), "no votes"),
        (pd.Series({0: -1}), "non-negative integers"),
        (pd.Series({0: 0.5}), "non-negative integers"),
        (pd.Series([0, 1], index=[0, 0]), "more than once"),
    ],
)
def test_bad_given_groups_are_refused(groups: pd.Series, message: str) -> None:
    conv = conversation(BIODIVERSITY)
    with pytest.raises(ValueError, match=message):
        analyse_with_groups(conv.votes, groups)


def test_small_synthetic_conversation_end_to_end() -> None:
    """Two planted camps of 20 voting opposite ways on 12 statements, one shared statement."""
    rng = np.random.default_rng(11)
    rows = []
    for participant in range(40):
        camp = 1 if participant < 20 else -1
        for statement in range(12):
            if statement == 11:
                vote = 1
            else:
                vote = camp if statement % 2 == 0 else -camp
                vote = vote if rng.random() > 0.1 else 0
            rows.append((participant, statement, vote, statement))
    votes = pd.DataFrame(rows, columns=["participant_id", "statement_id", "vote", "timestamp"])
    result = analyse(votes)
    assert result.k == 2
    camps = result.groups.to_numpy(dtype=int)
    assert len(set(camps[:20])) == 1 and len(set(camps[20:])) == 1 and camps[0] != camps[-1]
    assert result.consensus.loc[result.consensus["direction"] == "agree", "statement_id"].iloc[
        0
    ] == 11
    assert result.group_informed_consensus.idxmax() == 11


def test_too_small_a_conversation_is_refused() -> None:
    votes = pd.DataFrame({"participant_id": [1, 2], "statement_id": [5, 5], "vote": [1, -1]})
    with pytest.raises(ValueError, match="at least 2 participants and 2 statements"):
        analyse(votes)
