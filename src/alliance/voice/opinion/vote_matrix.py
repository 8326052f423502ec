"""The participant × statement vote matrix that every Pol.is statistic starts from.

Votes arrive as a long table (one row per vote event). Pol.is keeps only the latest vote a
participant cast on a statement, so when a ``timestamp`` column is present the last event per
(participant, statement) pair wins; without timestamps a repeated pair is ambiguous and is an
error rather than a silent choice.

Reference: Polis ``math/src/polismath/math/conversation.clj`` (vote encoding), summarised in
``shared/research/polis-method.md`` §1 steps 1–3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn

import numpy as np
import pandas as pd
from numpy.typing import NDArray

REQUIRED_COLUMNS = ("participant_id", "statement_id", "vote")
VALID_VOTES = (-1, 0, 1)
_SLICE = 1 << 16  # votes handled per step when indexing cells (bounds temporary memory)


@dataclass(frozen=True)
class VoteMatrix:
    """Dense vote matrix: +1 agree, −1 disagree, 0 pass; ``seen`` marks cast votes.

    Attributes
    ----------
    participant_ids, statement_ids
        Row and column labels, both sorted ascending (Polis's matrix order).
    votes
        ``int8`` array (participants × statements); 0 where no vote was cast (see ``seen``).
    seen
        ``bool`` array, True where the participant cast a vote (a pass counts as a vote).
    """

    participant_ids: NDArray[np.generic]
    statement_ids: NDArray[np.generic]
    votes: NDArray[np.int8]
    seen: NDArray[np.bool_]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))

    def column_mask(self, statement_ids: Iterable[object]) -> NDArray[np.bool_]:
        """Boolean mask of the columns whose id is in ``statement_ids`` (unknown ids ignored)."""
        wanted = pd.Index(list(statement_ids))
        return np.asarray(pd.Index(self.statement_ids).isin(wanted), dtype=bool)

    def to_frame(self) -> pd.DataFrame:
        """Wide table: one row per participant, one column per statement, NaN where unseen."""
        values = np.where(self.seen, self.votes.astype(float), np.nan)
        return pd.DataFrame(
            values,
            index=pd.Index(self.participant_ids, name="participant_id"),
            columns=pd.Index(self.statement_ids, name="statement_id"),
        )


def _vote_codes(column: pd.Series) -> NDArray[np.int8]:
    """The ``vote`` column as ``int8``, refusing anything but −1, 0 and +1 (NaN included)."""
    values = column.to_numpy()
    if np.issubdtype(values.dtype, np.integer):
        bad = (values < -1) | (values > 1)
    else:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isin(values, VALID_VOTES)  # NaN is never in VALID_VOTES
    if bad.any():
        rows = np.flatnonzero(bad)[:5]
        shown = column.to_numpy()[rows].tolist()
        raise ValueError(
            f"votes: column 'vote' must be -1, 0 or 1; rows {rows.tolist()} hold {shown}"
        )
    return values.astype(np.int8)


def _labeller(
    ids: NDArray[np.generic],
) -> tuple[NDArray[np.generic], Callable[[slice], NDArray[np.intp]]]:
    """Sorted distinct ``ids`` and a function giving the label index of a slice of ``ids``.

    Integer ids in a compact range (Polis numbers participants and statements 0, 1, 2, …) use a
    lookup table, linear time with no sort; anything else is sorted once and binary-searched.
    """
    if np.issubdtype(ids.dtype, np.integer) and len(ids):
        low, high = int(ids.min()), int(ids.max())
        if high - low <= 4 * len(ids) + 1024:
            present = np.zeros(high - low + 1, dtype=bool)
            for start in range(0, len(ids), _SLICE):
                present[ids[start:start + _SLICE] - low] = True
            lookup = np.cumsum(present) - 1
            values = (np.flatnonzero(present) + low).astype(ids.dtype)
            return values, lambda part: np.asarray(lookup[ids[part] - low])
    values = np.unique(ids)
    return values, lambda part: np.asarray(np.searchsorted(values, ids[part]))


def _check_ids(column: pd.Series, name: str) -> None:
    missing = column.isna().to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)[:5].tolist()
        raise ValueError(f"votes: column {name!r} is empty in rows {rows}")


def build_vote_matrix(votes: pd.DataFrame) -> VoteMatrix:
    """Validate a long vote table and pivot it to a :class:`VoteMatrix`.

    Parameters
    ----------
    votes
        Columns ``participant_id``, ``statement_id``, ``vote`` (+1 agree, −1 disagree, 0 pass)
        and optionally ``timestamp`` (any orderable type; the latest event per pair wins).

    Raises
    ------
    ValueError
        Missing columns, empty ids, votes outside {−1, 0, +1} or NaN, or a repeated
        (participant, statement) pair without a timestamp to decide which vote is current.
    """
    if not isinstance(votes, pd.DataFrame):
        raise TypeError(f"votes must be a pandas DataFrame, got {type(votes).__name__}")
    absent = [c for c in REQUIRED_COLUMNS if c not in votes.columns]
    if absent:
        raise ValueError(f"votes: missing required column(s) {absent}; have {list(votes.columns)}")
    if len(votes) == 0:
        raise ValueError("votes: the table is empty; at least one vote is needed")
    _check_ids(votes["participant_id"], "participant_id")
    _check_ids(votes["statement_id"], "statement_id")

    vote = _vote_codes(votes["vote"])
    # Labels sorted ascending (Polis's matrix order); each vote's flat cell index is computed a
    # slice at a time, so without timestamps no per-vote index array is ever held whole.
    pid_values, pid_code = _labeller(votes["participant_id"].to_numpy())
    sid_values, sid_code = _labeller(votes["statement_id"].to_numpy())
    n_participants, n_statements = len(pid_values), len(sid_values)

    def cells(part: slice) -> NDArray[np.int64]:
        cell = pid_code(part).astype(np.int64)
        cell *= n_statements
        cell += sid_code(part)
        return cell

    parts = [slice(start, start + _SLICE) for start in range(0, len(votes), _SLICE)]
    seen = np.zeros(n_participants * n_statements, dtype=bool)
    matrix = np.zeros(n_participants * n_statements, dtype=np.int8)
    if "timestamp" in votes.columns:
        stamp = votes["timestamp"]
        if stamp.isna().any():
            rows = np.flatnonzero(stamp.isna().to_numpy())[:5].tolist()
            raise ValueError(f"votes: column 'timestamp' is empty in rows {rows}")
        cell = np.concatenate([cells(part) for part in parts])
        # Stable sort on (cell, timestamp): the last row of each cell is its latest vote;
        # equal timestamps keep input order, so the later row wins.
        order = np.lexsort((stamp.to_numpy(), cell))
        sorted_cells = cell[order]
        is_last = np.ones(len(order), dtype=bool)
        is_last[:-1] = sorted_cells[1:] != sorted_cells[:-1]
        keep = order[is_last]
        seen[cell[keep]] = True
        matrix[cell[keep]] = vote[keep]
    else:
        for part in parts:
            cell = cells(part)
            seen[cell] = True
            matrix[cell] = vote[part]
        if np.count_nonzero(seen) < len(votes):  # some (participant, statement) cell repeats
            _raise_repeated_pairs(votes, np.concatenate([cells(part) for part in parts]))
    shape = (n_participants, n_statements)
    return VoteMatrix(
        participant_ids=pid_values,
        statement_ids=sid_values,
        votes=matrix.reshape(shape),
        seen=seen.reshape(shape),
    )


def _raise_repeated_pairs(votes: pd.DataFrame, cell: NDArray[np.int64]) -> NoReturn:
    """Name the first repeated (participant, statement) pairs of a table without timestamps."""
    order = np.argsort(cell, kind="stable")
    sorted_cells = cell[order]
    repeated = sorted_cells[1:] == sorted_cells[:-1]
    first = order[1:][repeated][:5]
    pairs = list(
        zip(
            votes["participant_id"].to_numpy()[first].tolist(),
            votes["statement_id"].to_numpy()[first].tolist(),
            strict=True,
        )
    )
    raise ValueError(
        "votes: repeated (participant_id, statement_id) pairs "
        f"{pairs} and no 'timestamp' column to tell which vote is the latest"
    )
