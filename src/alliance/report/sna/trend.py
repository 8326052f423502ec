"""The SNA's sentence on the monthly trend: a test that allows for season, or why there is none.

Mann–Kendall on the months of one year confounds season with trend (summer is higher every
year), so a trend is tested only with at least two whole seasonal cycles of consecutive
published months, by the seasonal Kendall test (Hirsch, Slack & Smith 1982), which compares
each month only with the same month of other years.
"""

from __future__ import annotations

import pandas as pd

from alliance.report.document import Block, Finding, Paragraph
from alliance.report.sna.common import Context
from alliance.report.sna.period import month_label
from alliance.report.wording import format_number
from alliance.stats.trends.seasonal_kendall import MIN_MONTHS, seasonal_trend


def longest_run(shown: pd.Series) -> pd.Series:
    """The longest run of consecutive months with a published count."""
    held = shown.dropna()
    periods = pd.PeriodIndex(held.index, freq="M")
    best: list[int] = []
    current: list[int] = []
    for i, p in enumerate(periods):
        if current and (p - periods[current[-1]]).n != 1:
            current = []
        current.append(i)
        if len(current) > len(best):
            best = list(current)
    return held.iloc[best]


def trend_blocks(ctx: Context, counts: pd.Series) -> list[Block]:
    run = longest_run(counts)
    if len(run) < MIN_MONTHS:
        return [Paragraph(text=(
            f"No trend is tested: the longest run of consecutive months published is "
            f"{len(run)} month(s), and telling a trend from the seasonal pattern needs at "
            f"least {MIN_MONTHS} (two whole years), so that each month is compared with the "
            "same month of another year."))]
    result = seasonal_trend(run)
    text = (f"Over the {len(run)} consecutive months {month_label(run.index[0])} to "
            f"{month_label(run.index[-1])} the seasonal Kendall test (which compares each "
            "month with the same month of other years) finds "
            + ("no significant trend" if not result.significant else
               f"a significant {'rising' if result.slope > 0 else 'falling'} trend")
            + f" (p = {result.p_value:.3f}; Sen's seasonal slope "
              f"{format_number(result.slope * 12, dp=0, signed=True)} offences a month per "
              "year).")
    return [Finding(id="f-trend", text=text, provenance=ctx.provenance(
        period=f"{run.index[0]} to {run.index[-1]}"), value=float(result.p_value),
        unit="p-value")]
