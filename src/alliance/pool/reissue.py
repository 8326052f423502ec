"""What changed when a publisher re-issued a month.

police.uk re-publishes past months with revised outcomes. The record key of a row excludes the
outcome (see alliance.sources.police_uk), so the same crime keeps its key across copies and the
difference between two copies is three kinds of change: rows added, rows removed, and outcomes
changed.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class MonthReplacement:
    """What loading a new copy of one (source, partition, month) would change, in numbers.

    ``categories`` lists (category, rows now, rows after) for every category whose count
    changes, largest change first, so a person can see "Violence and sexual offences: 2,299 ->
    0" before agreeing to it.
    """

    source: str
    partition: str
    month: str
    rows_before: int
    rows_after: int
    removed: int
    added: int
    outcome_changed: int
    categories: tuple[tuple[str, int, int], ...] = ()

    @property
    def share_removed(self) -> float:
        return self.removed / self.rows_before if self.rows_before else 0.0

    def needs_confirmation(self, share: float) -> bool:
        """True when more than ``share`` of the month's rows would go (see
        ``ALLIANCE_REPLACE_CONFIRM_SHARE``)."""
        return self.removed > 0 and self.share_removed > share

    def describe(self, *, categories: int = 5) -> str:
        """One plain sentence: what the month holds now, after, and what moves most."""
        text = (f"{self.month} ({self.partition}): {self.rows_before:,} rows now, "
                f"{self.rows_after:,} after; {self.removed:,} removed "
                f"({self.share_removed:.0%}), {self.added:,} added, "
                f"{self.outcome_changed:,} outcomes changed")
        moves = [f"{name}: {before:,} \u2192 {after:,}"
                 for name, before, after in self.categories[:categories]]
        return text + (" (" + "; ".join(moves) + ")" if moves else "") + "."


def month_replacement(old: pd.DataFrame, new: pd.DataFrame, *, source: str, partition: str,
                      month: str, changes: pd.DataFrame | None = None) -> MonthReplacement:
    """Compare the month as pooled (``old``) with the copy about to replace it (``new``); both
    need columns record_key, outcome and source_category. ``changes`` is
    ``month_changes(old, new)`` when the caller has it already."""
    changes = month_changes(old, new) if changes is None else changes
    kinds = changes["change"].value_counts()
    before = old["source_category"].fillna("(none)").value_counts()
    after = new["source_category"].fillna("(none)").value_counts()
    table = pd.concat([before.rename("before"), after.rename("after")], axis=1).fillna(0)
    table = table.astype(int)
    table = table[table["before"] != table["after"]]
    table = table.assign(delta=(table["after"] - table["before"]).abs())
    table = table.sort_values("delta", ascending=False, kind="stable")
    categories = tuple((str(name), int(before), int(after)) for name, before, after in
                       zip(table.index, table["before"], table["after"], strict=True))
    return MonthReplacement(
        source=source, partition=partition, month=month, rows_before=len(old),
        rows_after=len(new), removed=int(kinds.get("removed", 0)),
        added=int(kinds.get("added", 0)), outcome_changed=int(kinds.get("outcome_changed", 0)),
        categories=categories)
