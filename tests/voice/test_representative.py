"""Representative statements, consensus and group-informed consensus against Polis and red-dwarf.

References:
* Polis's production math export ``polis-api/math-pca2.json`` (compdemocracy/polis math,
  fetched from ``/api/v3/math/pca2``), fed Polis's own group labels;
* red-dwarf 0.4.0's stored outputs ``reddwarf-0.4.0/summary.json``, fed red-dwarf's labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from alliance.voice.opinion import OpinionAnalysis, analyse_with_groups
from tests.voice.conftest import (
    ALL_CONVERSATIONS,
    AUSTRIA,
    BIODIVERSITY,
    UBI,
    conversation,
    polis_math,
    reddwarf_participants,
    reddwarf_summary,
)

FIELDS = [
    ("n-success", "n_success"),
    ("n-trials", "n_trials"),
    ("p-success", "p_success"),
    ("p-test", "p_test"),
    ("repness", "repness"),
    ("repness-test", "repness_test"),
]


def _with_polis_groups(name: str) -> tuple[OpinionAnalysis, dict[str, Any]]:
    math = polis_math(name)
    conv = conversation(name)
    return analyse_with_groups(conv.votes, conv.polis_groups, moderated_out=math["mod-out"]), math


def _assert_repness_equal(
    expected: dict[str, list[dict[str, Any]]], ours: pd.DataFrame, *, reddwarf: bool = False
) -> None:
    assert sorted(int(g) for g in expected) == sorted(ours["group"].unique().tolist())
    for gid, entries in expected.items():
        mine = ours[ours["group"] == int(gid)]
        assert mine["statement_id"].tolist() == [e["tid"] for e in entries], f"group {gid}"
        for entry, (_, row) in zip(entries, mine.iterrows(), strict=True):
            assert row["repful_for"] == entry["repful-for"]
            assert bool(row["best_agree"]) == bool(entry.get("best-agree", False))
            if entry.get("best-agree"):
                if reddwarf and entry["repful-for"] == "disagree":
                    # red-dwarf copies n-success (the *disagree* count) into n-agree; Polis
                    # (repness.clj) and we report the agree count.
                    assert row["n_success"] == entry["n-agree"]
                else:
                    assert row["n_agree"] == entry["n-agree"]
            for theirs, our_name in FIELDS:
                # Polis stores repness-test as a 32-bit float (error up to ~9.3e-7).
                assert row[our_name] == pytest.approx(entry[theirs], abs=1e-6), (gid, theirs)


@pytest.mark.parametrize("name", [BIODIVERSITY, AUSTRIA, UBI])
def test_repness_equals_polis_given_polis_groups(name: str) -> None:
    """Polis math-pca2 ``repness``: same statements, order, direction and values to 1e-6.

    UBI's blob predates Polis's 2017 changes, but repness given the groups still reproduces.
    """
    ours, math = _with_polis_groups(name)
    _assert_repness_equal(math["repness"], ours.repness)


@pytest.mark.parametrize("name", [BIODIVERSITY, AUSTRIA])
def test_group_votes_equal_polis(name: str) -> None:
    """Polis math-pca2 ``group-votes``: per-group A/D/S counts are identical."""
    ours, math = _with_polis_groups(name)
    counted = ours.statement_stats[["n_agree", "n_disagree", "n_seen"]]
    ours_counts = dict(zip(counted.index.tolist(), counted.to_numpy().tolist(), strict=True))
    for gid, block in math["group-votes"].items():
        for tid, counts in block["votes"].items():
            assert ours_counts[(int(gid), int(tid))] == [counts["A"], counts["D"], counts["S"]]


@pytest.mark.parametrize("name", [BIODIVERSITY, AUSTRIA])
def test_consensus_equals_polis(name: str) -> None:
    """Polis math-pca2 ``consensus``: same statements in the same order, values to 1e-6."""
    ours, math = _with_polis_groups(name)
    for direction in ("agree", "disagree"):
        expected = math["consensus"][direction]
        mine = ours.consensus[ours.consensus["direction"] == direction]
        assert mine["statement_id"].tolist() == [e["tid"] for e in expected]
        for entry, (_, row) in zip(expected, mine.iterrows(), strict=True):
            for theirs, our_name in FIELDS[:4]:
                assert row[our_name] == pytest.approx(entry[theirs], abs=1e-6)


@pytest.mark.parametrize("name", [BIODIVERSITY, AUSTRIA])
def test_group_informed_consensus_equals_polis(name: str) -> None:
    """Polis math-pca2 ``group-aware-consensus`` for every statement, to 1e-12."""
    ours, math = _with_polis_groups(name)
    expected = pd.Series({int(t): v for t, v in math["group-aware-consensus"].items()})
    mine = ours.group_informed_consensus.reindex(expected.index)
    np.testing.assert_allclose(mine.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_statistics_equal_reddwarf_given_its_groups(name: str) -> None:
    """red-dwarf 0.4.0 stored outputs, with red-dwarf's own labels as input.

    Repness lists, consensus and group-aware consensus (both directions) agree. Consensus is
    compared by value sequence: red-dwarf orders exact ties arbitrarily (London 15/16), we keep
    statement order as Polis's stable sort does.
    """
    summary = reddwarf_summary(name)
    labels = reddwarf_participants(name)["reddwarf_group"]
    ours = analyse_with_groups(
        conversation(name).votes, labels, moderated_out=summary["mod_out_statement_ids"]
    )
    _assert_repness_equal(summary["repness"], ours.repness, reddwarf=True)
    for direction in ("agree", "disagree"):
        expected = summary["consensus"][direction]
        mine = ours.consensus[ours.consensus["direction"] == direction]
        got = mine[["n_success", "n_trials", "p_success", "p_test"]].to_numpy()
        want = [[e["n-success"], e["n-trials"], e["p-success"], e["p-test"]] for e in expected]
        np.testing.assert_allclose(got, np.array(want, dtype=float).reshape(-1, 4), atol=1e-9)
    for direction, series in (
        ("agree", ours.group_informed_consensus),
        ("disagree", ours.group_informed_consensus_disagree),
    ):
        expected = pd.Series(
            {int(t): v for t, v in summary[f"group_aware_consensus_{direction}"].items()}
        )
        np.testing.assert_allclose(
            series.reindex(expected.index).to_numpy(), expected.to_numpy(), rtol=1e-12
        )


def test_statement_stats_p_values_are_one_sided_upper_tail() -> None:
    """p = 1 − Φ(z) (scipy.stats.norm.sf as the reference), and z > 1.2816 ⇔ p < 0.10."""
    from scipy.stats import norm

    ours, _ = _with_polis_groups(BIODIVERSITY)
    stats = ours.statement_stats
    for z_col, p_col in (("p_agree_z", "p_agree_p_value"),
                         ("repness_disagree_z", "repness_disagree_p_value")):
        np.testing.assert_allclose(stats[p_col], norm.sf(stats[z_col]), rtol=1e-12, atol=1e-300)
    significant = stats["p_agree_z"] > 1.2816
    assert ((stats["p_agree_p_value"] < 0.1) == significant).all()
