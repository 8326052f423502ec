"""Per-LSOA and per-month counts of the SNA's area, as published.

Both come from the area's published lattice (:mod:`alliance.figures`): an LSOA count is hidden
there, once, for every table and map of the SNA and of the dashboard, and a statistic over many
LSOAs uses values worked out from published figures only. Nothing here holds a hidden count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.figures import monthly as monthly_figures
from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.report.sna.common import Context


@dataclass(frozen=True)
class LsoaCounts:
    counts: pd.Series  # values for statistics over many LSOAs (published, hidden estimated)
    values: pd.DataFrame  # column 'count', NaN where hidden
    status: str
    total: float  # the published total of the SNA's area (NaN if hidden)
    hidden: pd.Series  # bool per LSOA


def lsoa_counts(ctx: Context) -> LsoaCounts:
    cached = ctx.__dict__.get("_lsoa_counts")
    if cached is not None:
        return cached
    codes = list(ctx.inputs.lsoa.index)
    shown = ctx.pub.lsoa_counts(ctx.fperiod).reindex(codes)
    estimated = ctx.pub.lsoa_values_for_statistics(ctx.fperiod).reindex(codes)
    keys = [CellKey("lsoa", c, str(ctx.fperiod.key)) for c in codes]
    result = LsoaCounts(counts=estimated, values=shown.to_frame("count"),
                        status=ctx.pub.status(keys) if not ctx.pub.record_level else "",
                        total=ctx.count(), hidden=shown.isna())
    ctx.__dict__["_lsoa_counts"] = result
    return result


@dataclass(frozen=True)
class MonthCounts:
    months: pd.Series  # every month from the first held to the last: the published count
    #                    (NaN when hidden or not held)
    state: pd.Series  # 'held', 'hidden' or 'not held'
    lower: pd.Series
    upper: pd.Series
    status: str

    @property
    def shown(self) -> pd.Series:
        return self.months

    @property
    def hidden(self) -> pd.Series:
        return self.state == monthly_figures.HIDDEN


def month_counts(ctx: Context, category: str = ALL) -> MonthCounts:
    """Monthly counts of the area over every month held (one series for every chart)."""
    key = f"_month_counts_{category}"
    cached = ctx.__dict__.get(key)
    if cached is not None:
        return cached
    frame = monthly_figures.monthly(ctx.pub, level=ctx.level, code=ctx.code, category=category)
    index = pd.Index(frame["month"])
    result = MonthCounts(months=pd.Series(frame["count"].to_numpy(), index=index),
                         state=pd.Series(frame["state"].to_numpy(), index=index),
                         lower=pd.Series(frame["lower"].to_numpy(), index=index),
                         upper=pd.Series(frame["upper"].to_numpy(), index=index),
                         status=monthly_figures.status(frame, ctx.pub.threshold))
    ctx.__dict__[key] = result
    return result


def published(value: float) -> object:
    """A count as a table shows it: the number, or '[c]'."""
    return "[c]" if np.isnan(value) else int(value)
