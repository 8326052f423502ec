"""Monthly event counts and 12-month rolling sums that respect recording breaks and gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.trends.breaks import (
    BreakLike,
    as_months,
    describe_segments,
    month_index,
    segment_labels,
)

MissingMonths = Literal["error", "zero", "gap"]
ROLLING_WINDOW = 12


@dataclass(frozen=True, eq=False)
class MonthlySeries:
    """A monthly count series, split into segments at recording breaks (and gaps).

    Attributes
    ----------
    counts : Series
        Count per month (PeriodIndex, every month from first to last).
    rolling_12 : Series
        Sum of the 12 months up to and including each month, within a segment only. Months with
        fewer than 12 months of their segment behind them have no rolling sum; ``rolling_note``
        says why for each such month.
    segment : Series
        Segment number; it changes at each break and after each gap.
    observed : Series
        False for months missing from the data (only with ``missing_months='gap'``).
    breaks : tuple of str
        The recording breaks applied.
    """

    counts: pd.Series
    rolling_12: pd.Series
    rolling_note: pd.Series
    segment: pd.Series
    observed: pd.Series
    breaks: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"count": self.counts, "rolling_12": self.rolling_12,
                              "rolling_note": self.rolling_note, "segment": self.segment,
                              "observed": self.observed})
        frame.index.name = "month"
        return frame

    def segments(self) -> pd.DataFrame:
        """First month, last month and length of each segment."""
        return describe_segments(pd.PeriodIndex(self.counts.index), self.segment.to_numpy())


def count_events_by_month(
    event_months: Iterable[object], *, months_covered: Iterable[object]
) -> pd.Series:
    """Count events (one entry per event) per month over the months the data covers.

    ``months_covered`` says which months were loaded (e.g. which police.uk files were read), so
    that a covered month with no events is a true 0 and an uncovered month is not invented. An
    event dated in an uncovered month is an error.
    """
    covered = month_index(months_covered, what="months_covered").unique().sort_values()
    events = month_index(event_months, what="event_months")
    outside = events.difference(covered)
    if len(outside) > 0:
        raise ValueError(f"events in months not covered by the data: "
                         f"{_validate.name_areas(outside.astype(str))}")
    counts = pd.Series(events).value_counts().reindex(covered, fill_value=0)
    return counts.rename("count").astype(float)


def monthly_series(
    counts: pd.Series,
    *,
    breaks: Iterable[BreakLike] = (),
    missing_months: MissingMonths = "error",
) -> MonthlySeries:
    """Arrange monthly counts as a complete series with 12-month rolling sums.

    The rolling sum smooths out seasonality; it is never summed across a recording break (see
    :mod:`alliance.stats.trends.breaks`), so the first 11 months after a break have none.

    Parameters
    ----------
    counts : Series
        Count per month, indexed by month ("2024-01", dates or a monthly PeriodIndex).
    breaks : months, keyword-only
        Recording breaks (first month recorded the new way).
    missing_months : {'error', 'zero', 'gap'}, keyword-only
        What to do with months absent between the first and last: 'error' (default) refuses
        and lists them; 'zero' counts them as 0 (only when absence truly means none); 'gap'
        keeps them as unobserved, and the series is split around them like a break.

    Raises
    ------
    ValueError
        NaN or negative counts, duplicated months, missing months (with 'error').
    """
    if missing_months not in ("error", "zero", "gap"):
        raise ValueError("missing_months must be 'error', 'zero' or 'gap'")
    months = month_index(counts.index, what="counts")
    series = pd.Series(counts.to_numpy(), index=months, name="counts")
    _validate.check_counts(_validate.as_series(series, name="counts"))
    _validate.check_unique_areas(series)
    series = series.astype(float).sort_index()
    full = pd.period_range(series.index.min(), series.index.max(), freq="M")
    missing = full.difference(pd.PeriodIndex(series.index))
    if len(missing) > 0 and missing_months == "error":
        raise ValueError(f"months missing from the series: "
                         f"{_validate.name_areas(missing.astype(str))}; pass missing_months="
                         "'gap' to split the series there or 'zero' if none really occurred")
    observed = pd.Series(True, index=full, name="observed")
    observed[missing] = missing_months != "gap"
    filled = series.reindex(full, fill_value=0.0) if missing_months == "zero" else \
        series.reindex(full)
    break_months = as_months(breaks)
    by_break = segment_labels(full, break_months)
    # A gap starts a new segment for the months after it, just like a break; the missing
    # months themselves belong to no segment (-1).
    after_gaps = np.cumsum(~observed.to_numpy()) if missing_months == "gap" else 0
    codes = pd.factorize(pd.Series(by_break * (len(full) + 1) + after_gaps)[observed.to_numpy()])[0]
    segment = pd.Series(-1, index=full, name="segment")
    segment[observed.to_numpy()] = codes
    rolling = pd.Series(np.nan, index=full, name="rolling_12")
    note = pd.Series("", index=full, name="rolling_note")
    for label, members in segment.groupby(segment):
        if label < 0:
            continue
        block = filled.loc[members.index]
        rolling.loc[block.index] = block.rolling(ROLLING_WINDOW,
                                                 min_periods=ROLLING_WINDOW).sum()
    note[rolling.isna()] = "fewer than 12 months since the series start, a break or a gap"
    note[~observed] = "month missing from the data"
    counts_out = filled.rename("count")
    return MonthlySeries(counts=counts_out, rolling_12=rolling, rolling_note=note,
                         segment=segment, observed=observed,
                         breaks=tuple(str(b) for b in break_months))
