"""Interim seasonal Kendall (Hirsch, Slack & Smith 1982) until the full module lands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MIN_MONTHS = 24


@dataclass(frozen=True)
class SeasonalTrend:
    p_value: float
    slope: float  # Sen's seasonal slope, per month
    significant: bool


def seasonal_trend(series: pd.Series, *, alpha: float = 0.05) -> SeasonalTrend:
    months = pd.PeriodIndex(series.index, freq="M")
    s_total, var_total, slopes = 0.0, 0.0, []
    for m in range(1, 13):
        values = series.to_numpy(dtype=float)[months.month == m]
        values = values[~np.isnan(values)]
        n = len(values)
        for i in range(n):
            for j in range(i + 1, n):
                s_total += np.sign(values[j] - values[i])
                slopes.append((values[j] - values[i]) / ((j - i) * 12))
        _, ties = np.unique(values, return_counts=True)
        var_total += (n * (n - 1) * (2 * n + 5) - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 18
    z = 0.0 if var_total == 0 else (s_total - np.sign(s_total)) / np.sqrt(var_total)
    p = float(2 * stats.norm.sf(abs(z)))
    return SeasonalTrend(p_value=p, slope=float(np.median(slopes)) if slopes else 0.0,
                         significant=p < alpha)
