"""Trends over time: period comparison, monthly series, trend test, seasonality, breaks.

Every function takes ``breaks=``: recording breaks split a series and nothing is fitted across
them (see :mod:`alliance.stats.trends.breaks`).
"""

from alliance.stats.trends.breaks import as_months
from alliance.stats.trends.forecast import CountForecast, forecast_counts
from alliance.stats.trends.interrupted import ItsResult, interrupted_time_series
from alliance.stats.trends.mann_kendall import MannKendall, mann_kendall
from alliance.stats.trends.monthly import MonthlySeries, count_events_by_month, monthly_series
from alliance.stats.trends.period_change import (
    CategoryChanges,
    PeriodChange,
    compare_categories,
    period_change,
)
from alliance.stats.trends.rate_ratio import RateRatio, compare_periods, rate_ratio
from alliance.stats.trends.seasonal import SeasonalDecomposition, seasonal_decomposition
from alliance.stats.trends.seasonal_kendall import (
    SeasonalKendall,
    TrendTest,
    seasonal_kendall,
    trend_test,
)

__all__ = [
    "CategoryChanges",
    "CountForecast",
    "ItsResult",
    "MannKendall",
    "MonthlySeries",
    "PeriodChange",
    "RateRatio",
    "SeasonalDecomposition",
    "SeasonalKendall",
    "TrendTest",
    "as_months",
    "compare_categories",
    "compare_periods",
    "count_events_by_month",
    "forecast_counts",
    "interrupted_time_series",
    "mann_kendall",
    "monthly_series",
    "period_change",
    "rate_ratio",
    "seasonal_decomposition",
    "seasonal_kendall",
    "trend_test",
]
