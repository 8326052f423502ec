"""Per-LSOA counts shared by the funnel plot, the maps and the top-areas table.

The LSOA counts are published beside several totals built from them: the located total of
the area, the totals of each Community Safety Partnership and of each IMD decile. A hidden
LSOA count could be recovered by subtracting the published LSOAs of any of those groups from
the group's total, so the suppression here is *linked* across all the groupings (the
multi-table case of the ONS disclosure guidance): it hides further LSOAs until, for every
primary-suppressed LSOA, an attacker who knows every published LSOA count, every group total
and that hidden counts are at least 1 can narrow it down to no fewer than ``threshold``
values (checked exactly by linear programming, as :mod:`alliance.privacy.suppression` does for
one table). Every table and map of the report shows the same hidden cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from alliance.report.sna.common import Context


@dataclass(frozen=True)
class LsoaCounts:
    counts: pd.Series  # true counts, for statistics that are not published cell by cell
    values: pd.DataFrame  # column 'count', NaN where hidden
    status: str
    total: int
    n_primary: int
    n_secondary: int
    #: group totals that must be hidden too (grouping name -> labels): a group whose hidden
    #: LSOAs cannot be protected by hiding other LSOAs of the group (e.g. a one-LSOA decile)
    hidden_groups: dict[str, set[str]]


def _groupings(ctx: Context) -> dict[str, pd.Series]:
    lsoa = ctx.inputs.lsoa
    return {"all": pd.Series("all", index=lsoa.index), "csp": lsoa["csp_name"].astype(str),
            "imd_decile": lsoa["imd_decile"].astype(int).astype(str)}


def _attacker_range(counts: np.ndarray, hidden: np.ndarray, members: list[np.ndarray],
                    cell: int) -> float:
    """Width of the range an attacker can deduce for ``cell`` from the group totals."""
    idx = np.flatnonzero(hidden)
    pos = {int(c): k for k, c in enumerate(idx)}
    rows, rhs = [], []
    for m in members:
        inside = m[hidden[m]]
        if not len(inside):
            continue
        row = np.zeros(len(idx))
        row[[pos[int(c)] for c in inside]] = 1
        rows.append(row)
        rhs.append(counts[inside].sum())
    if not rows:
        return float("inf")
    a_eq, b_eq = np.array(rows), np.array(rhs, dtype=float)
    c = np.zeros(len(idx))
    c[pos[cell]] = 1
    bounds = [(1, None)] * len(idx)
    low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if high.status == 3:  # unbounded above
        return float("inf")
    return float(-high.fun - low.fun)


def linked_suppression(counts: pd.Series, groupings: dict[str, pd.Series], *,
                       threshold: int) -> tuple[pd.Series, pd.Series, dict[str, set[str]]]:
    """Hidden mask and reasons ('primary'/'secondary'/'') for counts published beside the
    totals of every grouping (each a Series mapping the count's index to a group label), and
    the group totals that must be hidden as well."""
    values = counts.to_numpy(dtype=np.int64)
    primary = (values >= 1) & (values < threshold)
    hidden = primary.copy()
    keyed = [((name, label), np.flatnonzero((g.reindex(counts.index) == label).to_numpy()))
             for name, g in groupings.items() for label in sorted(g.unique())]
    members = [m for _, m in keyed]
    dropped: dict[str, set[str]] = {name: set() for name in groupings}

    def drop(group: np.ndarray) -> None:
        for j, (key, m) in enumerate(keyed):
            if m is group:
                dropped[key[0]].add(key[1])
                keyed.pop(j)
                members[:] = [m for m in members if m is not group]
                return

    def hide_near(group: np.ndarray) -> bool:
        candidates = [i for i in group if not hidden[i] and values[i] > 0]
        if not candidates:
            return False
        hidden[min(candidates, key=lambda i: (values[i], i))] = True
        return True

    for _ in range(len(values) + 1):
        changed = False
        for m in list(members):
            if hidden[m].sum() == 1:
                if hide_near(m):
                    changed = True
                else:
                    drop(m)  # nothing left to hide in the group: hide its total instead
                    changed = True
        if changed:
            continue
        weak = next((int(i) for i in np.flatnonzero(primary)
                     if _attacker_range(values, hidden, members, int(i)) < threshold - 1), None)
        if weak is None:
            break
        groups = sorted((m for m in members if weak in m), key=len)
        if not any(hide_near(m) for m in groups):
            if not groups:
                break
            drop(groups[0])
    mask = pd.Series(hidden, index=counts.index)
    reasons = pd.Series(np.where(primary, "primary", np.where(hidden, "secondary", "")),
                        index=counts.index)
    return mask, reasons, dropped


def lsoa_counts(ctx: Context) -> LsoaCounts:
    cached = ctx.__dict__.get("_lsoa_counts")
    if cached is not None:
        return cached
    rows = ctx.sv[ctx.sv["month"].isin(ctx.period.months) & ctx.sv["lsoa21_code"].notna()]
    codes = list(ctx.inputs.lsoa.index)
    counts = rows.groupby("lsoa21_code").size().reindex(codes, fill_value=0).astype("int64")
    counts.index.name = "LSOA"
    mask, reasons, dropped = linked_suppression(counts, _groupings(ctx),
                                                threshold=ctx.threshold)
    n_primary = int((reasons == "primary").sum())
    n_secondary = int((reasons == "secondary").sum())
    status = (f"{n_primary} LSOA count(s) of 1–{ctx.threshold - 1} suppressed, {n_secondary} "
              "more so that none can be recovered from the area, CSP or IMD-decile totals"
              if n_primary else f"no cells suppressed (threshold {ctx.threshold})")
    values = counts.astype(float).where(~mask).to_frame("count")
    result = LsoaCounts(counts=counts, values=values, status=status, total=int(counts.sum()),
                        n_primary=n_primary, n_secondary=n_secondary, hidden_groups=dropped)
    ctx.__dict__["_lsoa_counts"] = result
    return result


@dataclass(frozen=True)
class MonthCounts:
    counts: pd.Series  # every month from the first held to the last; NaN = not held
    shown: pd.Series  # the same with hidden months NaN as well
    hidden: pd.Series  # bool: hidden for disclosure (not merely not held)
    status: str


def month_counts(ctx: Context) -> MonthCounts:
    """Monthly counts of proxy-measure violence, suppressed once for every table that shows
    them (trend, harm, month-of-year), linked with the totals published from them: the period
    total, the two sides of the comparison and the season totals."""
    cached = ctx.__dict__.get("_month_counts")
    if cached is not None:
        return cached
    held = ctx.held
    first, last = pd.Period(held[0], freq="M"), pd.Period(held[-1], freq="M")
    months = [str(first + i) for i in range((last - first).n + 1)]
    counts = ctx.sv.groupby("month").size().reindex(months).astype(float)
    counts[counts.index.isin(held)] = counts[counts.index.isin(held)].fillna(0)
    observed = counts.dropna().astype("int64")
    period = pd.Series("period", index=[m for m in ctx.months_in_period_held])
    before = pd.Series("before", index=list(ctx.comparison.before))
    after = pd.Series("after", index=list(ctx.comparison.after))
    season = pd.Series({m: str((int(m[5:7]) % 12) // 3) for m in ctx.months_in_period_held})
    groupings = {"period": period, "before": before, "after": after, "season": season}
    mask, reasons, _ = linked_suppression(observed, groupings, threshold=ctx.threshold)
    hidden = mask.reindex(counts.index, fill_value=False)
    shown = counts.where(~hidden)
    n_primary = int((reasons == "primary").sum())
    status = (f"{n_primary} monthly count(s) of 1–{ctx.threshold - 1} suppressed, "
              f"{int((reasons == 'secondary').sum())} more so that none can be recovered from "
              "the period, comparison or season totals" if n_primary else
              f"no cells suppressed (threshold {ctx.threshold})")
    result = MonthCounts(counts=counts, shown=shown, hidden=hidden, status=status)
    ctx.__dict__["_month_counts"] = result
    return result
