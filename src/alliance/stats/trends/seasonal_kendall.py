"""Seasonal Kendall trend test with Sen's seasonal slope, and the trend test a report calls.

Crime has a season (more violence in summer, around Christmas), so a plain Mann-Kendall test on
the 12 months of one year reads the seasonal rise and fall as a trend. The seasonal Kendall test
(Hirsch, Slack & Smith 1982) compares each calendar month only with the same month of other
years — January with January, July with July — and adds up the evidence, so the season cancels
out. It needs each calendar month in at least two years: with fewer months the trend cannot be
told apart from the season, and :func:`trend_test` says so instead of giving a p-value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from alliance.stats import _validate
from alliance.stats.trends.breaks import BreakLike, as_months, month_index
from alliance.stats.trends.mann_kendall import mann_kendall_s

PERIOD = 12
MIN_MONTHS = 24  # two full years


@dataclass(frozen=True, kw_only=True)
class SeasonalKendall:
    """The seasonal Kendall test of one monthly series.

    Attributes
    ----------
    s, var_s : the summed Mann-Kendall score over calendar months and its variance (each
        month's variance corrected for ties; months assumed independent of each other).
    z, p_value : (S - sign(S)) / sqrt(var_s) and its two-sided normal p-value.
    tau : S / sum over months of n_m (n_m - 1) / 2.
    slope_per_year : Sen's seasonal slope (Hirsch et al. 1982): the median, over calendar
        months, of all same-month pairwise slopes, in counts a month per year.
    trend : 'increasing', 'decreasing' or 'no trend' at ``alpha``.
    months : months held (values that are not NaN); ``first_month``/``last_month`` the span.
    seasons : calendar months held in at least two years (the ones that contribute).
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    slope_per_year: float
    trend: str
    alpha: float
    months: int
    first_month: str
    last_month: str
    seasons: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def _held(series: pd.Series, what: str) -> pd.Series:
    """The series on a full monthly index (NaN where not held), checked."""
    months = month_index(series.index, what=what)
    values = pd.Series(series.to_numpy(dtype=float), index=months).sort_index()
    _validate.check_unique_areas(values)
    finite = values.dropna()
    if np.isinf(finite.to_numpy()).any():
        raise ValueError(f"{what}: infinite values in months "
                         f"{_validate.name_areas(finite.index[np.isinf(finite)].astype(str))}")
    if finite.empty:
        raise ValueError(f"{what}: no months held")
    full = pd.period_range(finite.index.min(), finite.index.max(), freq="M")
    return values.reindex(full)


def seasonal_kendall(series: pd.Series, *, alpha: float = 0.05) -> SeasonalKendall:
    """Seasonal Kendall test for a monotonic trend in a monthly series, with Sen's slope.

    Null hypothesis: within every calendar month the values show no monotonic trend across
    years (the same month of different years is identically distributed). Alternative: a
    monotonic trend, the same direction in every month. Two-sided; one test (no correction).
    Each calendar month m contributes its Mann-Kendall score S_m over the years it is held
    (tie-corrected variance); S = sum S_m, Var(S) = sum Var(S_m), z with a continuity correction
    of 1, normal p-value (Hirsch, Slack & Smith 1982, Water Resour Res 18(1):107-121). The
    months are assumed independent of each other; strong serial correlation between adjacent
    months makes the p-value too small (Hirsch & Slack 1984 give a correction). Equal to
    ``pymannkendall.seasonal_test(x, period=12)`` on the series laid out on full years (tested).

    Parameters
    ----------
    series : monthly counts or rates indexed by month ('2025-01', Period or Timestamp); NaN
        marks a month not held. Needs every calendar month it uses held in two or more years.

    Raises
    ------
    ValueError
        No calendar month held in two years, duplicated months, infinite values.
    """
    values = _held(series, "series")
    months = pd.PeriodIndex(values.index)
    held = values.notna().to_numpy()
    s_total = var_total = pairs = 0.0
    slopes: list[np.ndarray] = []
    seasons = 0
    for month in range(1, PERIOD + 1):
        inside = held & (months.month == month)
        x = values.to_numpy()[inside]
        years = months.year[inside].to_numpy(dtype=float)
        if len(x) < 2:
            continue
        seasons += 1
        s, var_s = mann_kendall_s(x)
        s_total += s
        var_total += var_s
        pairs += len(x) * (len(x) - 1) / 2
        first, second = np.triu_indices(len(x), k=1)
        slopes.append((x[second] - x[first]) / (years[second] - years[first]))
    if seasons == 0:
        raise ValueError("no calendar month is held in two different years: a seasonal trend "
                         "test needs at least two years of the same months")
    z = (s_total - np.sign(s_total)) / np.sqrt(var_total) if var_total > 0 else 0.0
    p_value = float(2 * stats.norm.sf(abs(z)))
    trend = "no trend" if p_value >= alpha else ("increasing" if s_total > 0 else "decreasing")
    held_months = values.dropna().index
    return SeasonalKendall(
        s=float(s_total), var_s=float(var_total), z=float(z), p_value=p_value,
        tau=float(s_total / pairs), slope_per_year=float(np.median(np.concatenate(slopes))),
        trend=trend, alpha=alpha, months=int(held.sum()), first_month=str(held_months[0]),
        last_month=str(held_months[-1]), seasons=seasons,
    )


@dataclass(frozen=True, kw_only=True)
class TrendTest:
    """The trend test a report publishes, or why there is none.

    Attributes
    ----------
    method : 'seasonal Kendall' or 'not tested'.
    result : the :class:`SeasonalKendall` result, or None when not tested.
    trend : 'increasing', 'decreasing', 'no trend' or 'not tested'.
    p_value : the test's p-value, None when not tested.
    months : months held in the segment considered; ``first_month``/``last_month`` its span.
    sentence : one plain-English sentence for the report.
    """

    method: str
    result: SeasonalKendall | None
    trend: str
    p_value: float | None
    months: int
    first_month: str
    last_month: str
    sentence: str


def _month_name(month: str) -> str:
    return pd.Period(month, freq="M").strftime("%B %Y")


def trend_test(series: pd.Series, *, alpha: float = 0.05,
               breaks: Iterable[BreakLike] = ()) -> TrendTest:
    """Test a monthly series for a trend without mistaking the season for one.

    With at least 24 months held and every calendar month held in at least two years (two full
    cycles), runs :func:`seasonal_kendall` (null hypothesis: no monotonic trend within calendar
    months; two-sided; one test, no correction). Otherwise returns 'not tested' and a sentence
    saying plainly that there are too few months to tell a trend from the seasonal pattern (no
    p-value). Months after the last recording break in ``breaks`` are used (nothing is tested
    across a break).

    Parameters
    ----------
    series : monthly counts indexed by month; NaN (or a missing month) means not held.
    alpha : level at which a trend is called increasing or decreasing.
    breaks : recording breaks; only the months from the last break on are tested.
    """
    values = _held(series, "series")
    all_breaks = as_months(breaks)
    after = [b for b in all_breaks if values.index.min() < b <= values.index.max()]
    if after:
        values = values[values.index >= max(after)]
    held = values.dropna()
    months = pd.PeriodIndex(held.index)
    first, last = str(months[0]), str(months[-1])
    per_month = pd.Series(months.year, index=months.month).groupby(level=0).nunique()
    full_cycles = len(held) >= MIN_MONTHS and len(per_month) == PERIOD and per_month.min() >= 2
    span = f"{_month_name(first)} to {_month_name(last)}"
    if not full_cycles:
        sentence = (f"{len(held)} months are held ({span}): a trend test needs at least "
                    f"{MIN_MONTHS} months, every calendar month in two years, to tell a trend "
                    "from the usual seasonal pattern, so no trend test is reported.")
        return TrendTest(method="not tested", result=None, trend="not tested", p_value=None,
                         months=len(held), first_month=first, last_month=last,
                         sentence=sentence)
    result = seasonal_kendall(values, alpha=alpha)
    finding = ("no significant trend" if result.trend == "no trend"
               else f"a significant {result.trend} trend")
    sentence = (f"Comparing each month with the same month of other years ({span}, "
                f"{len(held)} months), the seasonal Kendall test finds {finding} (p = "
                f"{result.p_value:.3f}; Sen's seasonal slope {result.slope_per_year:+,.1f} a "
                "month per year).")
    return TrendTest(method="seasonal Kendall", result=result, trend=result.trend,
                     p_value=result.p_value, months=len(held), first_month=first,
                     last_month=last, sentence=sentence)
