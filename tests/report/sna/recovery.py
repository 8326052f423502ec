"""An attacker's attempt to recover hidden LSOA counts from the published CSV tables.

Knowing every published LSOA count, every published group total (area, CSP, IMD decile) and
that hidden counts are at least 1 (zeros are shown), the attacker bounds each hidden count by
linear programming (minimise and maximise it subject to the group sums). A hidden count whose
range is narrower than ``threshold - 1`` is (nearly) recovered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

MARKER = "[c]"


def recoverable(lsoa_counts: pd.Series, groups: list[tuple[pd.Series, pd.Series]],
                threshold: int) -> dict[str, tuple[float, float]]:
    """``lsoa_counts``: published LSOA counts (int or '[c]') by code. ``groups``: pairs of
    (code -> group label, group label -> published total or '[c]'). Returns the hidden codes an
    attacker narrows to fewer than ``threshold`` values, with their (min, max)."""
    hidden = [c for c, v in lsoa_counts.items() if v == MARKER]
    if not hidden:
        return {}
    pos = {c: i for i, c in enumerate(hidden)}
    rows, rhs = [], []
    for membership, totals in groups:
        for label, total in totals.items():
            if total == MARKER or pd.isna(total):
                continue
            codes = membership.index[membership == label]
            inside = [c for c in codes if c in pos]
            known = sum(int(lsoa_counts[c]) for c in codes if c not in pos)
            if not inside:
                continue
            row = np.zeros(len(hidden))
            row[[pos[c] for c in inside]] = 1
            rows.append(row)
            rhs.append(float(total) - known)
    out: dict[str, tuple[float, float]] = {}
    if not rows:
        return out
    a, b = np.array(rows), np.array(rhs)
    for code in hidden:
        c = np.zeros(len(hidden))
        c[pos[code]] = 1
        low = linprog(c, A_eq=a, b_eq=b, bounds=[(1, None)] * len(hidden), method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=[(1, None)] * len(hidden), method="highs")
        assert low.status == 0, "the published tables are inconsistent"
        top = float("inf") if high.status == 3 else -high.fun
        if top - low.fun < threshold - 1:
            out[code] = (float(low.fun), top)
    return out
