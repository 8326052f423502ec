"""Vote matrix construction: latest vote wins, bad input is refused with a clear message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.voice.opinion.vote_matrix import build_vote_matrix


def _votes(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_latest_vote_per_pair_wins_by_timestamp() -> None:
    """Polis keeps the most recent vote per (participant, statement) (polis-method.md §1.1)."""
    votes = _votes(
        participant_id=[1, 1, 2, 1],
        statement_id=[10, 10, 10, 11],
        vote=[1, -1, 0, 1],
        timestamp=[5, 3, 1, 2],
    )
    matrix = build_vote_matrix(votes)
    assert matrix.participant_ids.tolist() == [1, 2]
    assert matrix.statement_ids.tolist() == [10, 11]
    assert matrix.votes.tolist() == [[1, 1], [0, 0]]
    assert matrix.seen.tolist() == [[True, True], [True, False]]
    frame = matrix.to_frame()
    assert np.isnan(float(frame.to_numpy()[1, 1]))


def test_repeated_pair_without_timestamp_is_an_error() -> None:
    votes = _votes(participant_id=[1, 1], statement_id=[10, 10], vote=[1, -1])
    with pytest.raises(ValueError, match=r"repeated .*\(1, 10\).*timestamp"):
        build_vote_matrix(votes)


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        (_votes(participant_id=[1], statement_id=[10]), "missing required column"),
        (_votes(participant_id=[1, 2], statement_id=[10, 10], vote=[1, 2]), "rows \\[1\\]"),
        (_votes(participant_id=[1, 2], statement_id=[10, 10], vote=[1, np.nan]), "'vote'"),
        (_votes(participant_id=[1, None], statement_id=[10, 10], vote=[1, 1]), "participant_id"),
        (_votes(participant_id=[], statement_id=[], vote=[]), "empty"),
        (
            _votes(participant_id=[1, 1], statement_id=[1, 2], vote=[1, 1], timestamp=[1, None]),
            "timestamp",
        ),
    ],
)
def test_bad_votes_are_refused(votes: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_vote_matrix(votes)


def test_not_a_dataframe_is_refused() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        build_vote_matrix([{"participant_id": 1}])  # type: ignore[arg-type]


def test_any_id_type_and_order_gives_the_same_matrix() -> None:
    """Compact integer ids (looked up), sparse integer ids and text ids (sorted and searched)
    label rows and columns in ascending order whatever the row order of the table."""
    rng = np.random.default_rng(0)
    pairs = rng.permutation([(p, s) for p in range(30) for s in range(12)])[:250]
    votes = _votes(
        participant_id=pairs[:, 0].tolist(), statement_id=pairs[:, 1].tolist(),
        vote=rng.integers(-1, 2, size=len(pairs)).tolist(),
    )
    expected = build_vote_matrix(votes)
    assert expected.participant_ids.tolist() == sorted(set(pairs[:, 0].tolist()))
    for variant in (
        votes.sample(frac=1.0, random_state=1),
        votes.assign(participant_id=votes["participant_id"] * 10**12),
        votes.assign(statement_id="s" + votes["statement_id"].astype(str).str.zfill(3)),
    ):
        matrix = build_vote_matrix(variant)
        np.testing.assert_array_equal(matrix.votes, expected.votes)
        np.testing.assert_array_equal(matrix.seen, expected.seen)
    wide = build_vote_matrix(votes.assign(participant_id=votes["participant_id"] * 10**12))
    assert wide.participant_ids.tolist() == [p * 10**12 for p in expected.participant_ids]


def test_repeated_pair_far_apart_is_found() -> None:
    """Cells are indexed a slice at a time; a repeat in different slices is still an error."""
    n = 70_000
    participant = np.arange(n) // 100
    statement = np.arange(n) % 100
    participant[-1], statement[-1] = participant[0], statement[0]
    votes = _votes(participant_id=participant, statement_id=statement, vote=[1] * n)
    with pytest.raises(ValueError, match=r"repeated .*\(0, 0\)"):
        build_vote_matrix(votes)
