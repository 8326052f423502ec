"""Per-group statement statistics: Polis's smoothed agree/disagree rates and their z-scores.

What it estimates, for group g and statement c, from the votes of g's members (A agrees,
D disagrees, S votes seen including passes) and of all *other* clustered participants pooled
(A′, D′, S′):

* ``p_agree = (A+1)/(S+2)`` — the agree rate with a Beta(1, 1) (Laplace) prior; same for disagree.
* ``p_agree_z = 2·√(S+1)·((A+1)/(S+1) − ½)`` — one-proportion z for H0: the group's agree rate
  is ½ (Polis's own pseudocounts; one-sided, alternative "more than half agree").
* ``repness_agree = p_agree / ((A′+1)/(S′+2))`` — how many times likelier g is to agree than
  the rest.
* ``repness_agree_z`` — two-proportion z for H0: g and the rest agree at the same rate
  (alternative: g agrees more; one-sided), each count plus one, pooled variance; 0 when the pooled
  rate is 1.
* ``p_value`` columns — the one-sided upper-tail normal probability of each z, ``1 − Φ(z)``.
  Polis itself only compares z with 1.2816 (one-sided 90%), which is ``p < 0.10``. No
  multiple-testing correction is applied, as in Polis: with many statements some will pass by
  chance, so read them as a ranking device, not as confirmed differences.
* ``group_informed_consensus = Π_g (A_g+1)/(S_g+2)`` — high only when every group leans to agree;
  it shrinks as k grows, so compare it within a conversation only.

Reference: Polis ``math/src/polismath/math/{repness,stats}.clj``; ``polis-method.md`` §1 steps
10 and 13.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

Z_90 = 1.2816  # Polis's one-sided 90% critical value (stats.clj)
_SLICE_CELLS = 1 << 17  # vote cells counted per step (bounds temporary copies to ~1 MiB)


def upper_tail_p(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """One-sided p-value ``1 − Φ(z)`` of standard-normal z-scores."""
    erfc = np.frompyfunc(math.erfc, 1, 1)
    return np.asarray(0.5 * erfc(np.asarray(z, dtype=float) / math.sqrt(2.0)), dtype=float)


def one_proportion_z(successes: NDArray[np.float64], n: NDArray[np.float64]) -> NDArray[np.float64]:
    """Polis's one-proportion z against ½, with one pseudo-success and one pseudo-trial."""
    return np.asarray(2.0 * np.sqrt(n + 1.0) * ((successes + 1.0) / (n + 1.0) - 0.5))


def two_proportion_z(
    successes_in: NDArray[np.float64],
    n_in: NDArray[np.float64],
    successes_out: NDArray[np.float64],
    n_out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Polis's two-proportion z (in-group minus rest), every count incremented by one."""
    s1, s2, n1, n2 = successes_in + 1.0, successes_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.asarray(np.where(pooled >= 1.0, 0.0, z))


@dataclass(frozen=True)
class GroupVoteCounts:
    """Agree / disagree / seen counts, shape ``(k, n_statements)``."""

    agree: NDArray[np.float64]
    disagree: NDArray[np.float64]
    seen: NDArray[np.float64]


def count_group_votes(
    votes: NDArray[np.int8], seen: NDArray[np.bool_], labels: NDArray[np.intp], k: int
) -> GroupVoteCounts:
    """Count each group's votes per statement from the raw (un-zeroed) vote matrix.

    ``labels`` gives each row's group, or −1 for rows that belong to no group (participants
    left out of clustering). Rows are taken a slice at a time so that the temporary copies stay
    small whatever the size of the matrix.
    """
    shape = (k, votes.shape[1])
    agree, disagree, n_seen = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    step = max(1, _SLICE_CELLS // max(votes.shape[1], 1))
    for start in range(0, votes.shape[0], step):
        rows = slice(start, start + step)
        for group in np.unique(labels[rows]):
            if group < 0:
                continue
            members = labels[rows] == group
            part, part_seen = votes[rows][members], seen[rows][members]
            agree[group] += np.count_nonzero((part == 1) & part_seen, axis=0)
            disagree[group] += np.count_nonzero((part == -1) & part_seen, axis=0)
            n_seen[group] += np.count_nonzero(part_seen, axis=0)
    return GroupVoteCounts(agree=agree, disagree=disagree, seen=n_seen)


def statement_statistics(
    counts: GroupVoteCounts, statement_ids: NDArray[np.generic]
) -> pd.DataFrame:
    """All Polis repness quantities for every (group, statement), as a tidy table.

    The index is (``group``, ``statement_id``); rest-of-conversation counts pool every other
    clustered participant (not one-versus-one).
    """
    a, d, s = counts.agree, counts.disagree, counts.seen
    a_rest, d_rest, s_rest = a.sum(0) - a, d.sum(0) - d, s.sum(0) - s
    p_agree, p_disagree = (a + 1) / (s + 2), (d + 1) / (s + 2)
    p_agree_z, p_disagree_z = one_proportion_z(a, s), one_proportion_z(d, s)
    repness_agree = p_agree / ((a_rest + 1) / (s_rest + 2))
    repness_disagree = p_disagree / ((d_rest + 1) / (s_rest + 2))
    repness_agree_z = two_proportion_z(a, s, a_rest, s_rest)
    repness_disagree_z = two_proportion_z(d, s, d_rest, s_rest)
    k, n = a.shape
    table = pd.DataFrame(
        {
            "n_agree": a.ravel().astype(np.int64),
            "n_disagree": d.ravel().astype(np.int64),
            "n_seen": s.ravel().astype(np.int64),
            "p_agree": p_agree.ravel(),
            "p_disagree": p_disagree.ravel(),
            "p_agree_z": p_agree_z.ravel(),
            "p_disagree_z": p_disagree_z.ravel(),
            "p_agree_p_value": upper_tail_p(p_agree_z.ravel()),
            "p_disagree_p_value": upper_tail_p(p_disagree_z.ravel()),
            "repness_agree": repness_agree.ravel(),
            "repness_disagree": repness_disagree.ravel(),
            "repness_agree_z": repness_agree_z.ravel(),
            "repness_disagree_z": repness_disagree_z.ravel(),
            "repness_agree_p_value": upper_tail_p(repness_agree_z.ravel()),
            "repness_disagree_p_value": upper_tail_p(repness_disagree_z.ravel()),
        },
        index=pd.MultiIndex.from_arrays(
            [np.repeat(np.arange(k), n), np.tile(statement_ids, k)],
            names=["group", "statement_id"],
        ),
    )
    # Polis reports each statement in the direction with the larger two-proportion z.
    table["repful_for"] = np.where(
        table["repness_agree_z"] > table["repness_disagree_z"], "agree", "disagree"
    )
    return table


def group_informed_consensus(
    counts: GroupVoteCounts, statement_ids: NDArray[np.generic]
) -> pd.DataFrame:
    """Polis's group-aware consensus per statement: product over groups of smoothed rates."""
    agree = ((counts.agree + 1) / (counts.seen + 2)).prod(axis=0)
    disagree = ((counts.disagree + 1) / (counts.seen + 2)).prod(axis=0)
    return pd.DataFrame(
        {"agree": agree, "disagree": disagree},
        index=pd.Index(statement_ids, name="statement_id"),
    )
