"""Mann-Kendall test for a monotonic trend, with Sen's slope, run within each segment."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from alliance.stats import _validate
from alliance.stats.trends.breaks import (
    BreakLike,
    as_months,
    month_index,
    segment_labels,
)
from alliance.stats.trends.monthly import MonthlySeries

MIN_POINTS = 4  # below this S cannot reach significance at all; such segments are not tested
SMALL_SAMPLE = 10  # below this the normal approximation is rough (warned)


@dataclass(frozen=True, eq=False)
class MannKendall:
    """One row per segment of the series (segments are split at recording breaks).

    Columns of :meth:`to_frame`: segment, first_month, last_month, n, s, var_s, z, p_value,
    tau, sen_slope (change per month), trend ('increasing', 'decreasing', 'no trend' or
    'not tested'), note.
    """

    table: pd.DataFrame
    alpha: float
    continuity_correction: bool
    breaks: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def mann_kendall_s(values: np.ndarray) -> tuple[float, float]:
    """The Mann-Kendall S statistic and its variance corrected for ties."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    upper = np.triu_indices(n, k=1)
    s = float(np.sign(x[upper[1]] - x[upper[0]]).sum())
    _, tie_sizes = np.unique(x, return_counts=True)
    ties = float(np.sum(tie_sizes * (tie_sizes - 1) * (2 * tie_sizes + 5)))
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    return s, var_s


def sen_slope(values: np.ndarray, times: np.ndarray) -> float:
    """Median of all pairwise slopes (Sen 1968), in value units per unit of time."""
    upper = np.triu_indices(len(values), k=1)
    slopes = (values[upper[1]] - values[upper[0]]) / (times[upper[1]] - times[upper[0]])
    return float(np.median(slopes))


def mann_kendall(
    series: pd.Series | MonthlySeries,
    *,
    breaks: Iterable[BreakLike] = (),
    alpha: float = 0.05,
    continuity_correction: bool = True,
) -> MannKendall:
    """Test each segment of a monthly series for a steady rise or fall (Mann-Kendall).

    Null hypothesis: within a segment the values have no monotonic trend (they are independent
    and identically distributed in time order). Alternative: a monotonic upward or downward
    trend. Two-sided p-value from the normal approximation to S, with the variance corrected for
    tied values and (by default) a continuity correction of 1 in S, as in Hipel & McLeod (1994)
    "Time series modelling of water resources and environmental systems", s.23.3 and Gilbert
    (1987). Without the continuity correction it equals the asymptotic Kendall tau test of the
    values against time (``scipy.stats.kendalltau``). Kendall's tau here is S / (n(n-1)/2).
    Sen's slope (Sen 1968) gives the size of the trend in counts per month.

    Each segment between recording breaks is tested on its own: no trend is fitted across a
    break. With several segments there are several tests and no correction is made for that.
    Seasonal data inflate false trends little but autocorrelated data do: do not feed it
    12-month rolling sums (they are strongly autocorrelated); use monthly counts or rates.

    Parameters
    ----------
    series : Series or MonthlySeries
        Monthly values indexed by month; a :class:`MonthlySeries` brings its own breaks and gaps.
    breaks : months, keyword-only
        Recording breaks (added to those of a MonthlySeries).
    alpha : float, keyword-only
        Level at which a trend is called 'increasing' or 'decreasing'.
    continuity_correction : bool, keyword-only

    Raises
    ------
    ValueError
        NaN or infinite values, duplicated months.
    """
    if isinstance(series, MonthlySeries):
        mask = series.observed.to_numpy()
        values = series.counts[mask]
        months = pd.PeriodIndex(values.index)
        extra = as_months(breaks)
        segments = series.segment[mask].to_numpy() * (len(extra) + 1) + segment_labels(
            months, extra)
        all_breaks = tuple(sorted(set(as_months(series.breaks)) | set(extra)))
    else:
        months = month_index(series.index, what="series")
        values = pd.Series(series.to_numpy(dtype=float), index=months, name="series")
        values = values.sort_index()
        months = pd.PeriodIndex(values.index)
        all_breaks = as_months(breaks)
        segments = segment_labels(months, all_breaks)
    checked = _validate.as_series(values, name="series")
    if checked.isna().any() or np.isinf(checked.to_numpy()).any():
        bad = checked.index[~np.isfinite(checked.to_numpy())]
        raise ValueError(f"series: missing or infinite values in months "
                         f"{_validate.name_areas(bad.astype(str))}")
    _validate.check_unique_areas(checked)
    times = np.asarray([m.ordinal for m in months], dtype=float)
    rows = []
    for number, code in enumerate(pd.unique(segments)):
        inside = segments == code
        x, t = checked.to_numpy()[inside], times[inside]
        row: dict[str, object] = {"segment": number, "first_month": str(months[inside][0]),
                                  "last_month": str(months[inside][-1]), "n": int(inside.sum())}
        if len(x) < MIN_POINTS:
            row.update(trend="not tested", note=f"fewer than {MIN_POINTS} months in segment")
            rows.append(row)
            continue
        s, var_s = mann_kendall_s(x)
        shift = np.sign(s) if continuity_correction else 0.0
        z = (s - shift) / np.sqrt(var_s) if var_s > 0 else 0.0
        p_value = float(2 * stats.norm.sf(abs(z)))
        trend = "no trend"
        if p_value < alpha:
            trend = "increasing" if s > 0 else "decreasing"
        note = "" if len(x) >= SMALL_SAMPLE else "fewer than 10 months: p-value approximate"
        row.update(s=s, var_s=var_s, z=float(z), p_value=p_value,
                   tau=s / (len(x) * (len(x) - 1) / 2), sen_slope=sen_slope(x, t),
                   trend=trend, note=note)
        rows.append(row)
    table = pd.DataFrame(rows, columns=["segment", "first_month", "last_month", "n", "s",
                                        "var_s", "z", "p_value", "tau", "sen_slope", "trend",
                                        "note"])
    untested = table.loc[table["trend"] == "not tested", "first_month"]
    if len(untested) > 0:
        warnings.warn(f"Mann-Kendall: segments too short to test, starting "
                      f"{_validate.name_areas(untested)}", UserWarning, stacklevel=2)
    return MannKendall(table=table, alpha=alpha, continuity_correction=continuity_correction,
                       breaks=tuple(str(b) for b in all_breaks))
