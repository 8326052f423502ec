"""Each outcome measure for a period: value, baseline, change, target status, the baseline
forecast, England and similar areas, all computed from published figures; and the
turn-the-curve series.

The board view and the monitoring report both call :func:`score`, so they say the same. The
statistical choices (ADR 0013): change against the baseline by the quasi-Poisson model of
monthly counts, like months with like (:func:`alliance.figures.measures.measure_change`);
target status and the comparison with England judged over whole 12 months, the 12 months
ending with the period when it is a quarter or a month, since an annual target or England's
annual rate set against one season would rate the season, not the strategy (where those 12
months are not all held, the target is judged on the period alone and the words say the time
of year may colour it; England is then not compared).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.figures.counts import DAYS_A_YEAR, PER, Change
from alliance.figures.measures import (
    MeasureValue,
    measure_change,
    measure_monthly,
    measure_value,
    period_of,
    rolling_year,
)
from alliance.figures.publication import Publication
from alliance.report.monitoring.comparison import Comparisons, compare_with_england
from alliance.report.monitoring.inputs import MeasureInput
from alliance.report.monitoring.plain import (
    change_words,
    forecast_words,
    season_caution,
    target_words,
)
from alliance.stats.rates.comparators import compare_figure, figure_interval
from alliance.stats.rates.target import TargetStatus, against_target
from alliance.stats.trends.forecast import CountForecast, forecast_counts


@dataclass(frozen=True, kw_only=True)
class ForecastCheck:
    actual: float
    expected: float
    lower: float
    upper: float
    words: str
    method: str


@dataclass(frozen=True, kw_only=True)
class Score:
    """One measure for one period (``value`` None for measures not pooled)."""

    measure: MeasureInput
    period: str
    value: MeasureValue | None
    baseline: MeasureValue | None
    change: Change | None
    target: TargetStatus | None
    forecast: ForecastCheck | None
    england: str
    status: str
    moved: str  # whether it moved, in words
    against_target: str  # in words
    published_value: float | None = None
    published_period: str = ""
    #: what the target was judged over: the 12 months ending with the period (``value`` for a
    #: year), or the period alone when those 12 months are not all published
    judged: MeasureValue | None = None
    comparisons: Comparisons | None = None
    similar: str = ""  # compared with similar areas, in words

    @property
    def rag(self) -> str:
        return self.target.rag if self.target is not None else "not rated"


def source_of(pub: Publication, m: MeasureInput) -> Publication:
    """The publication a pooled measure is computed from: its own partner source's, or the
    report's (police.uk)."""
    return m.publication if m.publication is not None else pub


def _population(pub: Publication, m: MeasureInput) -> int:
    assert m.spec is not None
    level, code = m.spec.unit(pub)
    return pub.cube.geography.population(pub.cube.geography.lsoas_of(level, code))


def baseline_forecast(pub: Publication, m: MeasureInput, *, start: str,
                      through: str) -> CountForecast | None:
    """The forecast from the months before ``start`` to ``through`` (None when too few months
    are published before the start)."""
    assert m.spec is not None
    series = measure_monthly(source_of(pub, m), m.spec)
    history = series[series.index < start]
    if history.notna().sum() < 6 or through < start:
        return None
    first, last = pd.Period(start, freq="M"), pd.Period(through, freq="M")
    months = [str(first + i) for i in range((last - first).n + 1)]
    return forecast_counts(history, months=months)


def judged_over(pub: Publication, m: MeasureInput, value: MeasureValue) -> MeasureValue:
    """The 12 months a target and the comparators are judged over: ``value`` itself when it is
    12 months, else the 12 months ending with it (state 'not held' when not all held)."""
    assert m.spec is not None
    if len(value.months) == 12 or not value.months:
        return value
    return measure_value(source_of(pub, m), m.spec, rolling_year(value.months))


def _pooled(report_pub: Publication, m: MeasureInput, period: str, start: str) -> Score:
    assert m.spec is not None
    pub = source_of(report_pub, m)
    value = measure_value(pub, m.spec, period)
    baseline = (measure_value(pub, m.spec, m.baseline_period) if m.baseline_period else None)
    change = None
    if baseline is not None and value.months and baseline.months \
            and baseline.months[-1] < value.months[0]:
        change = measure_change(pub, m.spec, before=m.baseline_period, after=period)
    year = judged_over(pub, m, value)
    # 12 months not all held (a gap in the data): the period alone, and the words say so
    judged = year if year.shown or not value.shown else value
    status = None
    if m.target is not None:
        status = against_target(value=judged.rate.value, lower=judged.rate.lower,
                                upper=judged.rate.upper, target=m.target, polarity=m.polarity)
    comparisons = compare_with_england(year, m, area_code=pub.cube.geography.code)
    check = None
    if value.shown and value.months and value.months[0] >= start:
        fc = baseline_forecast(report_pub, m, start=start, through=value.months[-1])
        if fc is not None:
            expected, lower, upper = fc.total(list(value.months))
            check = ForecastCheck(
                actual=value.count, expected=expected, lower=lower, upper=upper,
                method=fc.method,
                words=forecast_words(actual=value.count, expected=expected, lower=lower,
                                     upper=upper, polarity=m.polarity, period=value.label))
    state = {"shown": "Computed from the pooled data", "hidden": "Hidden: too small to publish "
             "safely", "by year only": "Published by whole year only (too few offences a "
             "month)", "not held": f"No data held for {period}"}[value.state]
    if value.record_level:
        state += " (record-level figures: not for publication)"
    words = target_words(status.rag if status else "not rated", target=m.target, unit=m.unit,
                         target_period=m.target_period)
    if status is not None and year is not value:
        words += (f" Judged over {year.label}, so that the season does not count as progress."
                  if judged is year else f" Judged over {value.label} alone, because "
                  f"{year.label} are not all published: the time of year may colour it.")
    moved = change_words(change, polarity=m.polarity)
    if change is not None and baseline is not None:
        moved += season_caution(baseline.months, value.months)
    return Score(measure=m, period=period, value=value, baseline=baseline, change=change,
                 target=status, forecast=check, england=comparisons.england_words,
                 status=state, moved=moved, against_target=words, judged=judged,
                 comparisons=comparisons, similar=comparisons.similar_words)


def _published(m: MeasureInput, period_end: str) -> Score:
    """A partner statistic: its newest value published for a period ending by the report
    period's end, England beside it, the target by the published interval."""
    rows = m.published if m.published is not None else pd.DataFrame()
    if not rows.empty:
        rows = rows[rows["period_end"].astype(str) <= period_end].sort_values("period_end")
    if rows.empty:
        return Score(measure=m, period=period_end, value=None, baseline=None, change=None,
                     target=None, forecast=None, england="No England figure held",
                     status=m.status or "No published figure held for this period",
                     moved="No published figure for this period yet.",
                     against_target=target_words("not rated", target=m.target, unit=m.unit,
                                                 target_period=m.target_period))
    row = rows.iloc[-1]
    published = None
    if pd.notna(row.get("lower")) and pd.notna(row.get("upper")):
        published = (float(row["lower"]), float(row["upper"]))
    interval = figure_interval(value=float(row["value"]), kind="rate", multiplier=None,
                               numerator=row.get("numerator"),
                               denominator=row.get("denominator"), published=published)
    england_value = row.get("england")
    england = "No England figure published for this period"
    if england_value is not None and pd.notna(england_value):
        comp = compare_figure(interval, {"England": float(england_value)},
                              polarity=None if m.polarity == "not applicable" else m.polarity)
        verdict = {"higher": "higher than England", "lower": "lower than England",
                   "similar": "similar to England"}.get(comp[0].result)
        england = (f"England {float(england_value):,.2f}: " +
                   (verdict if verdict else f"not compared ({comp[0].basis})"))
    status = None
    if m.target is not None and interval.lower is not None and interval.upper is not None:
        status = against_target(value=interval.value, lower=interval.lower,
                                upper=interval.upper, target=m.target,
                                polarity=m.polarity)
    rag = status.rag if status else "not rated"
    words = target_words(rag, target=m.target, unit=m.unit, target_period=m.target_period)
    if m.target is not None and status is None:
        words += f" It cannot be rated: {interval.reason}."
    return Score(measure=m, period=str(row["period"]), value=None, baseline=None, change=None,
                 target=status, forecast=None, england=england,
                 status=f"Published by {row.get('source') or 'its publisher'}",
                 moved="A published figure: compare it with the years before in the table.",
                 against_target=words, published_value=float(row["value"]),
                 published_period=str(row["period"]))


def score(pub: Publication, m: MeasureInput, *, period: str, start: str) -> Score:
    """Measure ``m`` for ``period`` (year, quarter or month) in a strategy that began in month
    ``start``."""
    if m.kind == "pooled":
        return _pooled(pub, m, period, start)
    try:
        end = period_of(pub, period).months[-1]
    except KeyError:
        end = period
    if m.kind == "published":
        return _published(m, pd.Period(end, freq="M").end_time.date().isoformat())
    return Score(measure=m, period=period, value=None, baseline=None, change=None, target=None,
                 forecast=None, england="", status=m.status or "Not pooled",
                 moved="Not measured yet: the data are not pooled.",
                 against_target="Not rated: the data are not pooled.")


def curve(pub: Publication, m: MeasureInput, *, start: str, through: str) -> pd.DataFrame:
    """Turn the curve: per month, the actual rate, the baseline forecast with its prediction
    interval and the target, per 1,000 residents a year (NaN where not shown)."""
    assert m.spec is not None
    series = measure_monthly(source_of(pub, m), m.spec)
    last = max(pd.Period(through, freq="M"), pd.Period(series.index.max(), freq="M"))
    first = pd.Period(series.index.min(), freq="M")
    months = [str(first + i) for i in range((last - first).n + 1)]
    pop = float(_population(source_of(pub, m), m))
    days = np.array([pd.Period(x, freq="M").days_in_month for x in months], dtype=float)
    scale = PER * DAYS_A_YEAR / (pop * days)
    frame = pd.DataFrame({"month": months})
    frame["actual"] = series.reindex(months).to_numpy(dtype=float) * scale
    frame["expected"] = frame["lower"] = frame["upper"] = math.nan
    fc = baseline_forecast(pub, m, start=start, through=str(last))
    if fc is not None:
        f = fc.forecast.set_index("month").reindex(months)
        for col in ("expected", "lower", "upper"):
            frame[col] = f[col].to_numpy(dtype=float) * scale
    frame["target"] = m.target if m.target is not None else math.nan
    return frame
