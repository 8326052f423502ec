"""Monthly series and 12-month rolling sums (checked against pandas rolling sums)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.stats.trends import count_events_by_month, monthly_series


def test_rolling_sum_within_segments_only() -> None:
    months = pd.period_range("2022-01", "2024-12", freq="M")
    counts = pd.Series(np.arange(1.0, 37.0), index=months)
    result = monthly_series(counts, breaks=["2023-07"]).to_frame()
    plain = counts.rolling(12).sum()
    assert result.loc[pd.Period("2022-12", "M"), "rolling_12"] == plain[pd.Period("2022-12", "M")]
    after = result.loc[pd.period_range("2023-07", "2024-05", freq="M")]
    assert after["rolling_12"].isna().all()
    assert (after["rolling_note"] != "").all()
    assert result.loc[pd.Period("2024-06", "M"), "rolling_12"] == counts["2023-07":"2024-06"].sum()
    assert list(result["segment"].unique()) == [0, 1]


def test_missing_months_error_gap_or_zero() -> None:
    counts = pd.Series([1.0, 2.0, 4.0], index=["2024-01", "2024-02", "2024-04"])
    with pytest.raises(ValueError, match="2024-03"):
        monthly_series(counts)
    gap = monthly_series(counts, missing_months="gap").to_frame()
    assert not gap.loc[pd.Period("2024-03", "M"), "observed"]
    assert gap.loc[pd.Period("2024-03", "M"), "rolling_note"] == "month missing from the data"
    zero = monthly_series(counts, missing_months="zero").to_frame()
    assert zero.loc[pd.Period("2024-03", "M"), "count"] == 0


def test_count_events_by_month() -> None:
    counted = count_events_by_month(["2024-01", "2024-01", "2024-03"],
                                    months_covered=["2024-01", "2024-02", "2024-03"])
    assert list(counted) == [2, 0, 1]
    with pytest.raises(ValueError, match=r"not covered.*2024-05"):
        count_events_by_month(["2024-05"], months_covered=["2024-01"])
