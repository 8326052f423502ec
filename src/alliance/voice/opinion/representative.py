"""Representative statements ("repness"): up to five statements that set each group apart.

What it selects: for every opinion group, the statements on which the group's agree (or
disagree) rate is both high in itself and higher than the rest of the clustered participants',
exactly as Polis does (``math/src/polismath/math/repness.clj``; ``polis-method.md`` §1 step 11):

* a statement is *sufficient* for a group when the one-proportion z (H0: rate = ½) **and** the
  two-proportion z (H0: same rate as the rest) both exceed 1.2816 — one-sided, 90% — in the
  agree direction, or both do in the disagree direction. No multiple-testing correction is
  applied (Polis applies none), so these are screening thresholds, not confirmatory tests;
* each statement is reported in the direction with the larger two-proportion z;
* sufficient statements are ranked by ``repness × repness_z × p × p_z``;
* a "best agree" statement (the group's strongest agreement, found in one pass) is put first;
  the list is cut to five and agree entries are placed before disagree entries;
* with nothing sufficient, the best-agree statement alone is returned, failing that the
  statement with the largest two-proportion z.

Moderated-out statements are never selected (their statistics remain in the full table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.voice.opinion.statement_stats import Z_90

PICK_MAX = 5

REPNESS_COLUMNS = [
    "group",
    "rank",
    "statement_id",
    "repful_for",
    "n_success",
    "n_trials",
    "p_success",
    "p_test",
    "repness",
    "repness_test",
    "best_agree",
    "n_agree",
]


def _best_agree(
    na: list[float], nd: list[float], ra: list[float], rat: list[float],
    pa: list[float], pat: list[float], candidates: list[int],
) -> int | None:
    best: int | None = None
    for i in candidates:
        if na[i] == 0 and nd[i] == 0:
            continue
        if best is None:
            beats = pat[i] > Z_90 or (ra[i] > 1.0 and pa[i] > 0.5)
        elif ra[best] > 1.0:
            beats = ra[i] * rat[i] * pa[i] * pat[i] > ra[best] * rat[best] * pa[best] * pat[best]
        else:
            beats = pa[i] * pat[i] > pa[best] * pat[best]
        if beats:
            best = i
    return best


def _entry(
    group: int, columns: dict[str, NDArray[np.generic]], i: int, *, best_agree: bool
) -> dict[str, object]:
    side = str(columns["repful_for"][i])
    return {
        "group": group,
        "statement_id": columns["statement_id"][i].item(),
        "repful_for": side,
        "n_success": int(columns[f"n_{side}"][i]),
        "n_trials": int(columns["n_seen"][i]),
        "p_success": float(columns[f"p_{side}"][i]),
        "p_test": float(columns[f"p_{side}_z"][i]),
        "repness": float(columns[f"repness_{side}"][i]),
        "repness_test": float(columns[f"repness_{side}_z"][i]),
        "best_agree": best_agree,
        "n_agree": int(columns["n_agree"][i]) if best_agree else None,
    }


def select_representative(
    stats: pd.DataFrame, *, moderated_out: NDArray[np.bool_], pick_max: int = PICK_MAX
) -> pd.DataFrame:
    """Polis's representative statements for every group, in Polis's display order.

    Parameters
    ----------
    stats
        Output of :func:`statement_statistics` (index ``group``, ``statement_id``).
    moderated_out
        Boolean mask over the statements (in ``stats`` order within a group) to skip.
    """
    rows: list[dict[str, object]] = []
    for group, table in stats.groupby(level="group", sort=True):
        cols = {c: table[c].to_numpy(dtype=float).tolist() for c in (
            "n_agree", "n_disagree", "repness_agree", "repness_agree_z", "repness_disagree_z",
            "p_agree", "p_agree_z", "p_disagree_z",
        )}
        candidates = np.flatnonzero(~moderated_out).tolist()
        best = _best_agree(
            cols["n_agree"], cols["n_disagree"], cols["repness_agree"], cols["repness_agree_z"],
            cols["p_agree"], cols["p_agree_z"], candidates,
        )
        pat, rat = np.array(cols["p_agree_z"]), np.array(cols["repness_agree_z"])
        pdt, rdt = np.array(cols["p_disagree_z"]), np.array(cols["repness_disagree_z"])
        sufficient = ((pat > Z_90) & (rat > Z_90)) | ((pdt > Z_90) & (rdt > Z_90))
        sufficient &= ~moderated_out
        agree_side = table["repful_for"].to_numpy() == "agree"
        metric = np.where(
            agree_side,
            table["repness_agree"].to_numpy() * rat * table["p_agree"].to_numpy() * pat,
            table["repness_disagree"].to_numpy() * rdt * table["p_disagree"].to_numpy() * pdt,
        )
        chosen = np.flatnonzero(sufficient)
        chosen = chosen[np.argsort(-metric[chosen], kind="stable")]
        gid = int(str(group))
        columns = {name: table[name].to_numpy() for name in table.columns}
        columns["statement_id"] = table.index.get_level_values("statement_id").to_numpy()
        entries: list[dict[str, object]] = []
        if best is not None:
            entries.append(_entry(gid, columns, best, best_agree=True))
            chosen = chosen[chosen != best]
        elif len(chosen) == 0 and candidates:
            strongest = np.maximum(rat, rdt)[candidates]
            fallback = candidates[int(np.argmax(strongest))]
            entries.append(_entry(gid, columns, fallback, best_agree=False))
        entries += [_entry(gid, columns, int(i), best_agree=False) for i in chosen]
        entries = entries[:pick_max]
        entries.sort(key=lambda e: e["repful_for"] != "agree")  # stable: agree first
        for rank, entry in enumerate(entries):
            entry["rank"] = rank
        rows += entries
    frame = pd.DataFrame(rows, columns=REPNESS_COLUMNS)
    frame["n_agree"] = frame["n_agree"].astype("Int64")
    frame["best_agree"] = frame["best_agree"].astype(bool)
    return frame
