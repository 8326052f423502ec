"""Recording breaks: dates where the way crime was recorded changed, so a series is split.

A recording break is a month an analyst names because figures before and after it are not
comparable (a new crime recording system, a counting-rule change, a force-boundary change, the
move to automated knife-crime flagging). Every trend function in :mod:`alliance.stats.trends`
takes ``breaks=``: it splits the series into segments at each break, fits nothing across a
break, and reports the segment and the breaks in its result.

Convention: a break month is the *first* month recorded the new way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import pandas as pd

BreakLike = str | date | datetime | pd.Period | pd.Timestamp


def as_months(breaks: Iterable[BreakLike]) -> tuple[pd.Period, ...]:
    """Breaks as sorted, unique monthly periods ("2023-04", dates and timestamps accepted)."""
    months: set[pd.Period] = set()
    for item in breaks:
        try:
            months.add(pd.Period(item, freq="M"))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"recording break {item!r} is not a month or date") from exc
    return tuple(sorted(months))


def month_index(values: Iterable[object], *, what: str) -> pd.PeriodIndex:
    """A monthly PeriodIndex from month labels, dates or an existing index."""
    if isinstance(values, pd.PeriodIndex):
        return values.asfreq("M")
    try:
        return pd.PeriodIndex(pd.to_datetime(pd.Index(list(values)).astype(str)), freq="M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what}: could not read months ({exc})") from exc


def segment_labels(months: pd.PeriodIndex, breaks: tuple[pd.Period, ...]) -> np.ndarray:
    """Segment number (0, 1, ...) of each month: it goes up by one at each break."""
    positions = np.zeros(len(months), dtype=int)
    for brk in breaks:
        positions += np.asarray(months >= brk, dtype=int)
    return positions


def describe_segments(months: pd.PeriodIndex, segments: np.ndarray) -> pd.DataFrame:
    """First and last month and length of each segment, for results."""
    frame = pd.DataFrame({"month": months, "segment": segments})
    frame = frame[frame["segment"] >= 0]  # -1 marks months missing from the data
    grouped = frame.groupby("segment")["month"]
    return pd.DataFrame({"first_month": grouped.min().astype(str),
                         "last_month": grouped.max().astype(str),
                         "months": grouped.size()})
