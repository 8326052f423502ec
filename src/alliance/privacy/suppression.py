"""Small-number suppression of count tables: primary and secondary (complementary) suppression.

What it does
------------
*Primary* suppression hides every count from 1 to ``threshold - 1`` (default 5, so 1–4, from
``alliance.config.load().suppression_threshold``). Zero is published as 0: a true zero discloses
nothing about a person.

When a table also publishes row and/or column totals, a hidden cell could be recovered by
subtraction (total minus the other cells). *Secondary* suppression hides further cells until no
primary-suppressed cell can be worked out from what is published. Two conditions are enforced:

1. every row and column (totals included) that contains a hidden cell contains at least two; and
2. an attacker who knows the published cells, the margins and that every hidden count is at
   least 1 (because zeros are always shown) cannot narrow a primary cell down to fewer than
   ``threshold`` possible values. The attacker's tightest range is computed exactly with two
   linear programmes per cell (minimise and maximise the cell subject to the published sums),
   the "interval" or "audit" check described in the ONS *Disclosure control guidance for tables
   produced from administrative sources* and in the tau-Argus manual (protection intervals).

Secondary cells are chosen greedily: the smallest published positive cell in the same row or
column (so as little information as possible is lost), falling back to a total. The loop repeats
until both conditions hold. This is a heuristic, not the optimal (minimum-loss) pattern that
tau-Argus's "optimal" method finds by integer programming, but every published pattern is
audited, so it is always safe.

Rates derived from a suppressed count are suppressed with it (:meth:`SuppressedTable.mask_like`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from alliance import config

Margins = Literal["none", "rows", "columns", "both"]
MARKER = "[c]"
TOTAL_LABEL = "Total"
PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class SuppressedTable:
    """A count table ready to publish.

    Attributes
    ----------
    published : DataFrame (object dtype) — counts as ``int`` and hidden cells as ``MARKER``
        ('[c]', the ONS/GSS "confidential" symbol), with the totals row/column when asked for.
    values : DataFrame (float) — the same with hidden cells as NaN, for charts and maps.
    mask : DataFrame (bool) — True where a cell is hidden.
    reasons : DataFrame (str) — '' , 'primary' or 'secondary' per cell.
    threshold : int — counts from 1 to threshold-1 were primary-suppressed.
    margins : which totals the table carries.
    """

    published: pd.DataFrame
    values: pd.DataFrame
    mask: pd.DataFrame
    reasons: pd.DataFrame
    threshold: int
    margins: Margins

    @property
    def n_primary(self) -> int:
        return int((self.reasons == PRIMARY).to_numpy().sum())

    @property
    def n_secondary(self) -> int:
        return int((self.reasons == SECONDARY).to_numpy().sum())

    @property
    def status(self) -> str:
        """One line for provenance: what was hidden and why."""
        if not self.mask.to_numpy().any():
            return f"no cells suppressed (threshold {self.threshold})"
        return (f"{self.n_primary} cell(s) of 1–{self.threshold - 1} suppressed, "
                f"{self.n_secondary} more to prevent recovery by subtraction")

    def mask_like(self, derived: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
        """Hide values derived from the counts (rates, percentages) wherever the count is hidden.

        ``derived`` must have the same index (and columns) as the inner table or the published
        one; a value with no matching count raises ``KeyError`` rather than being let through.
        """
        if isinstance(derived, pd.Series):
            if self.mask.shape[1] != 1:
                raise ValueError("a Series can only be masked by a one-column table")
            col = self.mask.iloc[:, 0]
            missing = derived.index.difference(col.index)
            if len(missing):
                raise KeyError(f"no count for {list(missing)[:5]}")
            return derived.astype(float).where(~col.reindex(derived.index))
        missing_rows = derived.index.difference(self.mask.index)
        missing_cols = derived.columns.difference(self.mask.columns)
        if len(missing_rows) or len(missing_cols):
            raise KeyError(f"no count for rows {list(missing_rows)[:5]} / "
                           f"columns {list(missing_cols)[:5]}")
        hide = self.mask.loc[derived.index, derived.columns]
        return derived.astype(float).where(~hide)

    def to_frame(self) -> pd.DataFrame:
        """Long form: one row per cell with its published value, hidden flag and reason."""
        long = pd.DataFrame({"value": self.values.stack(future_stack=True)})
        long["published"] = self.published.stack(future_stack=True)
        long["hidden"] = self.mask.stack(future_stack=True)
        long["reason"] = self.reasons.stack(future_stack=True)
        return long.reset_index()


def _validate(counts: pd.DataFrame) -> np.ndarray:
    if counts.empty:
        raise ValueError("cannot suppress an empty table")
    if counts.index.has_duplicates or counts.columns.has_duplicates:
        dup = list(counts.index[counts.index.duplicated()]) + list(
            counts.columns[counts.columns.duplicated()])
        raise ValueError(f"duplicated row/column labels: {dup[:5]}")
    numeric = counts.apply(pd.to_numeric, errors="coerce")
    bad = numeric.isna() | (numeric < 0) | (numeric % 1 != 0)
    if bad.to_numpy().any():
        where = [(r, c) for r, c in zip(*np.nonzero(bad.to_numpy()), strict=True)][:5]
        labels = [f"{counts.index[r]!r}/{counts.columns[c]!r}={counts.iat[r, c]!s}"
                  for r, c in where]
        raise ValueError("counts must be whole numbers >= 0; offending cells: "
                         + ", ".join(labels))
    return numeric.to_numpy(dtype=np.int64)


def _augment(inner: np.ndarray, margins: Margins) -> np.ndarray:
    full = inner
    if margins in ("rows", "both"):
        full = np.hstack([full, full.sum(axis=1, keepdims=True)])
    if margins in ("columns", "both"):
        full = np.vstack([full, full.sum(axis=0, keepdims=True)])
    return full


def _lines(shape: tuple[int, int], margins: Margins) -> list[tuple[list[tuple[int, int]],
                                                                    tuple[int, int]]]:
    """Each published additive relation: (cells that add up, the total cell)."""
    n_rows, n_cols = shape
    has_rt = margins in ("rows", "both")
    has_ct = margins in ("columns", "both")
    inner_r = n_rows - 1 if has_ct else n_rows
    inner_c = n_cols - 1 if has_rt else n_cols
    lines = []
    if has_rt:
        for r in range(n_rows):
            lines.append(([(r, c) for c in range(inner_c)], (r, inner_c)))
    if has_ct:
        for c in range(n_cols):
            lines.append(([(r, c) for r in range(inner_r)], (inner_r, c)))
    return lines


def attacker_intervals(full: np.ndarray, hidden: np.ndarray, margins: Margins, *,
                       only: list[tuple[int, int]] | None = None,
                       ) -> dict[tuple[int, int], tuple[float, float]]:
    """The tightest range an attacker can derive for each hidden cell.

    The attacker knows every published cell, that each published table line adds up, and that
    hidden cells are at least 1 (zeros are always published). Each range comes from two linear
    programmes. The constraint matrix of a table with margins is a network matrix (totally
    unimodular), so the linear-programme optimum is attained at whole numbers and equals the
    range over whole-number tables. Upper bounds may be ``inf``. ``only`` limits the cells
    whose range is computed (all hidden cells still take part as unknowns).
    """
    cells = [(int(ix[0]), int(ix[1])) for ix in np.argwhere(hidden)]
    if not cells:
        return {}
    pos = {cell: k for k, cell in enumerate(cells)}
    rows_eq: list[np.ndarray] = []
    rhs: list[float] = []
    for members, total in _lines(full.shape, margins):
        coef = np.zeros(len(cells))
        known = 0.0
        for cell in members:
            if cell in pos:
                coef[pos[cell]] += 1
            else:
                known += float(full[cell])
        if total in pos:
            coef[pos[total]] -= 1
        else:
            known -= float(full[total])
        if coef.any():
            rows_eq.append(coef)
            rhs.append(-known)
    a_eq = np.array(rows_eq) if rows_eq else None
    b_eq = np.array(rhs) if rows_eq else None
    bounds = [(1.0, None)] * len(cells)
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for cell, k in pos.items():
        if only is not None and cell not in only:
            continue
        objective = np.zeros(len(cells))
        objective[k] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        lo = float(np.ceil(low.fun - 1e-7)) if low.status == 0 else 1.0
        hi = float(np.floor(-high.fun + 1e-7)) if high.status == 0 else float("inf")
        out[cell] = (lo, hi)
    return out


def _pick_secondary(full: np.ndarray, hidden: np.ndarray, candidates: list[tuple[int, int]],
                    ) -> tuple[int, int] | None:
    open_cells = [c for c in candidates if not hidden[c] and full[c] > 0]
    if not open_cells:
        return None
    # The smallest count loses least information; ties go to the first in reading order.
    return min(open_cells, key=lambda c: (full[c], c))


def suppress_counts(counts: pd.DataFrame | pd.Series, *, threshold: int | None = None,
                    margins: Margins = "none", marker: str = MARKER,
                    max_rounds: int = 1000) -> SuppressedTable:
    """Suppress small counts (primary) and any cell that would let them be recovered (secondary).

    Parameters
    ----------
    counts : DataFrame or Series of whole, non-negative counts (the inner table, without totals).
    threshold : counts from 1 to ``threshold - 1`` are hidden; default from the settings.
    margins : 'none', 'rows' (a Total column is published), 'columns' (a Total row) or 'both'.
        Totals are computed here from the counts so that they always add up.
    marker : what a hidden cell shows in ``published``.

    Returns
    -------
    SuppressedTable
    """
    if isinstance(counts, pd.Series):
        counts = counts.to_frame(name="count" if counts.name is None else counts.name)
    if threshold is None:
        threshold = config.load().suppression_threshold
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if margins not in ("none", "rows", "columns", "both"):
        raise ValueError(f"margins must be none/rows/columns/both, not {margins!r}")
    inner = _validate(counts)
    full = _augment(inner, margins)
    primary = (full >= 1) & (full < threshold)
    hidden = primary.copy()
    lines = _lines(full.shape, margins)
    audited: set[tuple[int, int]] = set()

    for _ in range(max_rounds):
        changed = False
        # Condition 1: no line may have exactly one hidden cell.
        for members, total in lines:
            line = [*members, total]
            n_hidden = sum(bool(hidden[c]) for c in line)
            if n_hidden == 1:
                pick = _pick_secondary(full, hidden, members) or (
                    total if not hidden[total] else None)
                if pick is None:
                    pick = _pick_secondary(full, hidden, line)
                if pick is not None:
                    hidden[pick] = True
                    changed = True
        if changed:
            continue
        # Condition 2: audit every primary cell's attainable range.
        if margins == "none":
            break
        # Hiding one more cell only widens every range, so a cell that passed stays safe.
        weak = None
        for cell in [(int(r), int(c)) for r, c in np.argwhere(primary)]:
            if cell in audited:
                continue
            lo, hi = attacker_intervals(full, hidden, margins, only=[cell])[cell]
            if hi - lo < threshold - 1:
                weak = cell
                break
            audited.add(cell)
        if weak is None:
            break
        r, c = weak
        near = [(r, j) for j in range(full.shape[1])] + [(i, c) for i in range(full.shape[0])]
        pick = _pick_secondary(full, hidden, near) or _pick_secondary(
            full, hidden, [(int(ix[0]), int(ix[1])) for ix in np.argwhere(~hidden)])
        if pick is None:
            break  # everything positive is hidden already: nothing more can be done
        hidden[pick] = True
    else:
        raise RuntimeError("secondary suppression did not settle; please report this table")

    row_labels = list(counts.index) + ([TOTAL_LABEL] if margins in ("columns", "both") else [])
    col_labels = list(counts.columns) + ([TOTAL_LABEL] if margins in ("rows", "both") else [])
    index = pd.Index(row_labels, name=counts.index.name)
    columns = pd.Index(col_labels, name=counts.columns.name)
    mask = pd.DataFrame(hidden, index=index, columns=columns)
    values = pd.DataFrame(np.where(hidden, np.nan, full.astype(float)), index=index,
                          columns=columns)
    published = pd.DataFrame(np.where(hidden, marker, full.astype(object)), index=index,
                             columns=columns).astype(object)
    reasons = pd.DataFrame(np.where(primary, PRIMARY, np.where(hidden, SECONDARY, "")),
                           index=index, columns=columns)
    return SuppressedTable(published=published, values=values, mask=mask, reasons=reasons,
                           threshold=threshold, margins=margins)
