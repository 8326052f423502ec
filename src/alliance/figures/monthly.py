"""The monthly series of a unit: counts with exact intervals, gaps for months not held.

A month that is not held is a gap, never a zero, in charts, tables and CSVs; a hidden month is
hidden (``[c]``), and says which it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import Publication
from alliance.stats.rates.crude import rate as crude_rate

HELD, HIDDEN, NOT_HELD = "held", "hidden", "not held"
#: the whole series is published by year only (too few offences a month)
BY_YEAR_ONLY = "by year only"


def months_from_first_to_last(months: tuple[str, ...]) -> list[str]:
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    return [str(first + i) for i in range((last - first).n + 1)]


def monthly(pub: Publication, *, level: str, code: str, category: str = ALL) -> pd.DataFrame:
    """One row per month from the first held to the last: ``month``, ``count`` (NaN unless
    shown), ``state`` (held / hidden / not held), ``lower`` and ``upper`` (exact Poisson 95%,
    the PHE method, for shown months)."""
    held = set(pub.cube.months)
    published = pub.has_monthly(level=level, code=code, category=category)
    rows = []
    for month in months_from_first_to_last(pub.cube.months):
        if month not in held:
            rows.append((month, np.nan, NOT_HELD))
            continue
        if not published:
            rows.append((month, np.nan, BY_YEAR_ONLY))
            continue
        if pub.record_level:
            value = float(pub.cube.total(lsoas=pub.cube.geography.lsoas_of(level, code),
                                         months=[month], category=category))
        else:
            value = pub.value(CellKey(level, code, month, category))
        rows.append((month, value, HIDDEN if np.isnan(value) else HELD))
    frame = pd.DataFrame(rows, columns=["month", "count", "state"])
    shown = frame["count"].notna()
    frame["lower"] = np.nan
    frame["upper"] = np.nan
    if shown.any():
        ci = crude_rate(frame.loc[shown, "count"], pd.Series(1.0, index=frame.index[shown]),
                        multiplier=1)
        frame.loc[shown, "lower"] = ci.lower.to_numpy()
        frame.loc[shown, "upper"] = ci.upper.to_numpy()
    return frame


def status(frame: pd.DataFrame, threshold: int | None) -> str:
    if (frame["state"] == BY_YEAR_ONLY).any():
        return ("published by year only: too few offences a month for a monthly series "
                "(most months would be hidden)")
    hidden = int((frame["state"] == HIDDEN).sum())
    gaps = int((frame["state"] == NOT_HELD).sum())
    parts = []
    if threshold is None:
        parts.append("not suppressed: record-level figures, not for publication")
    elif hidden:
        parts.append(f"{hidden} month(s) hidden as [c] (counts of 1 to {threshold - 1}, or "
                     "figures that would let one be worked out)")
    else:
        parts.append("no months hidden")
    if gaps:
        parts.append(f"{gaps} month(s) not held, shown as gaps")
    return "; ".join(parts)
