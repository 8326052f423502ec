"""What changed when a publisher re-issued a month.

police.uk re-publishes past months with revised outcomes. The record key of a row excludes the
outcome (see alliance.sources.police_uk), so the same crime keeps its key across copies and the
difference between two copies is three kinds of change: rows added, rows removed, and outcomes
changed.
"""

from __future__ import annotations

import pandas as pd

CHANGE_COLUMNS = ("record_key", "change", "old_outcome", "new_outcome")


def month_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Compare two copies of one (source, partition, month): columns record_key, outcome."""
    o = old[["record_key", "outcome"]].fillna("").drop_duplicates("record_key")
    n = new[["record_key", "outcome"]].fillna("").drop_duplicates("record_key")
    merged = o.merge(n, on="record_key", how="outer", suffixes=("_old", "_new"),
                     indicator=True)
    added = merged["_merge"] == "right_only"
    removed = merged["_merge"] == "left_only"
    both = merged["_merge"] == "both"
    changed = both & (merged["outcome_old"] != merged["outcome_new"])
    out = merged.loc[added | removed | changed, ["record_key", "outcome_old", "outcome_new"]]
    out = out.rename(columns={"outcome_old": "old_outcome", "outcome_new": "new_outcome"})
    out.insert(1, "change", "outcome_changed")
    out.loc[added[added | removed | changed].to_numpy(), "change"] = "added"
    out.loc[removed[added | removed | changed].to_numpy(), "change"] = "removed"
    return out.fillna("").reset_index(drop=True).loc[:, list(CHANGE_COLUMNS)]
