"""Consensus statements: what most of the whole conversation agrees (or disagrees) with.

What it selects, over every participant with at least one vote (clustered or not), for each
statement with A agrees, D disagrees and S votes seen: ``p = (A+1)/(S+2)`` and Polis's
one-proportion z against ½ (``2·√(S+1)·((A+1)/(S+1) − ½)``, H0: rate = ½, one-sided). A statement
is an agree candidate when p > ½ and z > 1.2816 (one-sided 90%), ranked by ``p × z``; the top
five are kept. Disagree candidates likewise. No multiple-testing correction (as in Polis).
Moderated-out statements are skipped.

Reference: Polis ``math/src/polismath/math/repness.clj`` (``consensus-stats``,
``select-consensus-comments``); ``polis-method.md`` §1 step 12.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.voice.opinion.statement_stats import (
    Z_90,
    count_group_votes,
    one_proportion_z,
    upper_tail_p,
)
from alliance.voice.opinion.vote_matrix import VoteMatrix

PICK_MAX = 5
CONSENSUS_COLUMNS = [
    "direction", "rank", "statement_id", "n_success", "n_trials", "p_success", "p_test",
    "p_value",
]


def select_consensus(
    matrix: VoteMatrix, *, moderated_out: NDArray[np.bool_], pick_max: int = PICK_MAX
) -> pd.DataFrame:
    """Top agree and disagree consensus statements, in Polis's order (best first)."""
    # Everyone as one group: counted a slice of rows at a time, no matrix-sized temporaries.
    everyone = count_group_votes(
        matrix.votes, matrix.seen, np.zeros(matrix.shape[0], dtype=np.intp), 1
    )
    n_seen = everyone.seen[0]
    rows: list[dict[str, object]] = []
    for direction, successes in (("agree", everyone.agree), ("disagree", everyone.disagree)):
        n_success = successes[0]
        p = (n_success + 1) / (n_seen + 2)
        z = one_proportion_z(n_success, n_seen)
        eligible = np.flatnonzero((p > 0.5) & (z > Z_90) & ~moderated_out)
        ranked = eligible[np.argsort(-(p * z)[eligible], kind="stable")][:pick_max]
        p_values = upper_tail_p(z[ranked])
        for rank, (j, p_value) in enumerate(zip(ranked, p_values, strict=True)):
            rows.append(
                {
                    "direction": direction,
                    "rank": rank,
                    "statement_id": matrix.statement_ids[j],
                    "n_success": int(n_success[j]),
                    "n_trials": int(n_seen[j]),
                    "p_success": float(p[j]),
                    "p_test": float(z[j]),
                    "p_value": float(p_value),
                }
            )
    return pd.DataFrame(rows, columns=CONSENSUS_COLUMNS)
