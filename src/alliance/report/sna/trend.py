"""The SNA's sentence on the monthly trend: a test that allows for season, or why there is none.

Mann–Kendall on the months of one year confounds season with trend (summer is higher every
year), so :func:`alliance.stats.trends.trend_test` runs the seasonal Kendall test (Hirsch,
Slack & Smith 1982) only with two whole seasonal cycles of published months, and otherwise
says plainly that no trend is tested. Hidden months are gaps, as months not held are.
"""

from __future__ import annotations

import pandas as pd

from alliance.report.document import Block, Finding, Paragraph
from alliance.report.sna.common import Context
from alliance.stats.trends.seasonal_kendall import trend_test


def trend_blocks(ctx: Context, counts: pd.Series) -> list[Block]:
    test = trend_test(counts)
    if test.p_value is None:
        return [Paragraph(text=test.sentence)]
    return [Finding(id="f-trend", text=test.sentence, provenance=ctx.provenance(
        period=f"{test.first_month} to {test.last_month}"), value=float(test.p_value),
        unit="p-value")]
