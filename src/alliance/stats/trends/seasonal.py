"""Seasonal decomposition of a monthly series into trend, seasonal and remainder parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL

from alliance.stats import _validate
from alliance.stats.trends.breaks import BreakLike, as_months, month_index, segment_labels

PERIOD = 12
Method = Literal["classical", "stl"]


@dataclass(frozen=True, eq=False)
class SeasonalDecomposition:
    """observed = trend + seasonal + remainder (additive), month by month, per segment.

    The classical trend is a centred 12-month moving average, so it does not exist for the
    first and last 6 months of each segment; ``note`` says so for those months.
    """

    table: pd.DataFrame
    method: str
    breaks: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def _classical(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centred 2x12 moving average trend and mean seasonal effect (Kendall & Stuart)."""
    weights = np.r_[0.5, np.ones(PERIOD - 1), 0.5] / PERIOD
    trend = np.full(len(values), np.nan)
    half = PERIOD // 2
    trend[half:len(values) - half] = np.convolve(values, weights, mode="valid")
    detrended = values - trend
    position_means = np.array([np.nanmean(detrended[i::PERIOD]) for i in range(PERIOD)])
    position_means -= position_means.mean()
    seasonal = np.tile(position_means, len(values) // PERIOD + 1)[:len(values)]
    return trend, seasonal


def seasonal_decomposition(
    series: pd.Series,
    *,
    method: Method = "classical",
    breaks: Iterable[BreakLike] = (),
) -> SeasonalDecomposition:
    """Split each segment of a monthly series into trend, seasonal pattern and remainder.

    Describes the series; it tests nothing (no null hypothesis or p-value).

    'classical': additive decomposition by a centred 2x12 moving average, seasonal effect the
    mean detrended value of each calendar month, centred to sum to zero; identical to
    ``statsmodels.tsa.seasonal.seasonal_decompose(model='additive', period=12)``.
    'stl': Cleveland et al. (1990) STL via ``statsmodels.tsa.seasonal.STL(period=12,
    robust=True)``, which lets the seasonal pattern change slowly and resists outliers.

    Each segment between recording breaks is decomposed separately (nothing is smoothed across
    a break) and needs at least 24 consecutive months.

    Raises
    ------
    ValueError
        Missing months or values, negative or NaN counts, a segment shorter than 24 months.
    """
    if method not in ("classical", "stl"):
        raise ValueError("method must be 'classical' or 'stl'")
    months = month_index(series.index, what="series")
    values = pd.Series(series.to_numpy(dtype=float), index=months, name="series").sort_index()
    _validate.check_counts(values)
    _validate.check_unique_areas(values)
    full = pd.period_range(values.index.min(), values.index.max(), freq="M")
    missing = full.difference(pd.PeriodIndex(values.index))
    if len(missing) > 0:
        raise ValueError(f"series: months missing: {_validate.name_areas(missing.astype(str))}"
                         "; decompose each unbroken stretch separately")
    all_breaks = as_months(breaks)
    segments = segment_labels(full, all_breaks)
    parts = []
    for code in np.unique(segments):
        inside = segments == code
        block = values.to_numpy()[inside]
        if len(block) < 2 * PERIOD:
            raise ValueError(f"segment {full[inside][0]} to {full[inside][-1]} has "
                             f"{len(block)} months; seasonal decomposition needs 24")
        if method == "classical":
            trend, seasonal = _classical(block)
        else:
            fit = STL(block, period=PERIOD, robust=True).fit()
            trend, seasonal = np.asarray(fit.trend), np.asarray(fit.seasonal)
        note = np.where(np.isnan(trend), "trend undefined within 6 months of a segment end", "")
        parts.append(pd.DataFrame({"observed": block, "trend": trend, "seasonal": seasonal,
                                   "remainder": block - trend - seasonal, "segment": int(code),
                                   "note": note}, index=full[inside]))
    table = pd.concat(parts)
    table.index.name = "month"
    return SeasonalDecomposition(table=table, method=method,
                                 breaks=tuple(str(b) for b in all_breaks))
