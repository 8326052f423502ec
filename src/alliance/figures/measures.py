"""Outcome measures over the pool: defined once, computed for every period from the lattice.

A strategy's outcome measure (the number of offences of some categories in a unit, per 1,000
residents a year) is a :class:`MeasureSpec`. Its value for a period is computed here, and
only here, from the same published lattice the dashboard and the SNA read, with the same
count and rate functions (:mod:`alliance.figures.counts`), so the monitoring report, the board
view, the dashboard and the SNA agree for the same unit, period and categories.

Periods
-------
* **reporting years** and **single months** are lattice cells;
* **quarters** ('2025-Q3') are *not* cells of their own: a quarter's count is the sum of its
  three published months (:meth:`Publication.sum_of`), hidden if any month is hidden, and
  unavailable where the unit's monthly series is published by year only. A sum of published
  figures tells nobody anything they could not add up themselves, so quarters need no place in
  the suppression audit (ADR 0007);
* **the 12 months to a month** ('12 months to 2025-09', :func:`rolling_year`) likewise, a sum
  of twelve published months: a quarter's rate is judged against an annual target, and beside
  England's rolling-year figure, over the year ending with it, so that the season does not
  pass for progress (ADR 0013). Roles with record-level access get any period from the
  count cube, unsuppressed and marked so.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from alliance.figures.counts import Change, Rate, _contiguous, monthly_counts, rate_of
from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import NotPublished, Period, Publication
from alliance.stats.trends.period_change import period_change
from alliance.stats.trends.rate_ratio import RateRatio, rate_ratio

Polarity = Literal["low is good", "high is good", "not applicable"]
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
ROLLING = re.compile(r"^12 months to (\d{4}-\d{2})$")
SHOWN, HIDDEN, BY_YEAR_ONLY, NOT_HELD = "shown", "hidden", "by year only", "not held"


@dataclass(frozen=True, kw_only=True)
class MeasureSpec:
    """An outcome measure over a pooled source: numerator = rows of ``categories`` (every
    counted category when empty) placed in the unit (``level``, ``code``; code '' is the whole
    area); denominator = the unit's residents; per 1,000 a year.

    The categories are those the source's lattice publishes: police.uk's categories, or a
    partner source's published sums (a Home Office core measure such as ``sharp``, knife or
    sharp-object A&E assault attendances, or its under-25 view ``sharp_u25``); ``source`` names
    the source whose publication it is computed from."""

    key: str
    title: str
    categories: tuple[str, ...] = ()
    level: str = "area"
    code: str = ""
    polarity: Polarity = "low is good"
    source: str = "police_uk_street"

    def __post_init__(self) -> None:
        if self.level not in ("area", "lad", "csp"):
            raise ValueError(f"a measure's unit is the area, a local authority or a community "
                             f"safety partnership, not {self.level!r}")
        if self.polarity not in ("low is good", "high is good", "not applicable"):
            raise ValueError(f"unknown polarity {self.polarity!r}")

    def unit(self, pub: Publication) -> tuple[str, str]:
        geo = pub.cube.geography
        code = self.code or geo.code
        if self.level == "area" and code != geo.code:
            raise KeyError(f"{code} is not the area {geo.code}")
        if self.level != "area" and code not in geo.units(self.level):
            raise KeyError(f"{code} is not a {self.level} of {geo.name}")
        return self.level, code

    def category_keys(self, pub: Publication) -> tuple[str, ...]:
        if pub.cube.source != self.source:
            raise KeyError(f"{self.key} is computed from {self.source}, not {pub.cube.source}")
        published = pub.cube.published_categories
        unknown = [c for c in self.categories if c not in published]
        if unknown:
            raise KeyError(f"no category {', '.join(unknown)} in the pooled data; categories: "
                           f"{', '.join(published)}")
        if not self.categories or (pub.cube.fine_published
                                   and set(self.categories) == set(pub.cube.categories)):
            return (ALL,)
        return tuple(self.categories)


@dataclass(frozen=True, kw_only=True)
class MeasureValue:
    """A measure for one period: the count (NaN unless shown) and the rate with its interval."""

    key: str
    period: str  # '2025', '2025/26', '2025-Q3' or '2025-07'
    label: str  # in words
    months: tuple[str, ...]
    count: float
    rate: Rate
    state: str  # shown, hidden, by year only, not held
    record_level: bool

    @property
    def shown(self) -> bool:
        return self.state == SHOWN


def quarter_months(label: str) -> tuple[str, ...]:
    """'2025-Q3' -> ('2025-07', '2025-08', '2025-09')."""
    match = QUARTER.match(label.strip())
    if match is None:
        raise ValueError(f"{label!r} is not a quarter such as 2025-Q3")
    year, q = int(match.group(1)), int(match.group(2))
    return tuple(f"{year}-{3 * (q - 1) + i:02d}" for i in (1, 2, 3))


def quarter_label(label: str) -> str:
    months = quarter_months(label)
    first, last = (pd.Period(m, freq="M") for m in (months[0], months[-1]))
    return f"{first:%B} to {last:%B %Y} ({label})"


def quarters_held(pub: Publication) -> tuple[str, ...]:
    """Calendar quarters all three of whose months are held, in order."""
    held = set(pub.cube.months)
    found = {f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}" for m in held}
    return tuple(sorted(q for q in found if set(quarter_months(q)) <= held))


def rolling_year(months: tuple[str, ...]) -> str:
    """The label of the 12 months ending with the last of ``months``: '12 months to 2025-09'."""
    return f"12 months to {months[-1]}"


def _rolling_months(last: str) -> tuple[str, ...]:
    end = pd.Period(last, freq="M")
    return tuple(str(end - i) for i in range(11, -1, -1))


def period_of(pub: Publication, label: str) -> Period:
    """A reporting year ('2025', '2025/26'), a quarter ('2025-Q3'), a month ('2025-07') or the
    12 months to a month ('12 months to 2025-09')."""
    label = label.strip()
    rolling = ROLLING.match(label)
    if QUARTER.match(label) or rolling:
        months = _rolling_months(rolling.group(1)) if rolling else quarter_months(label)
        missing = [m for m in months if m not in pub.cube.months]
        if missing:
            raise KeyError(f"{label}: months not held: {', '.join(missing)}")
        words = (f"the 12 months to {pd.Period(months[-1], freq='M'):%B %Y}" if rolling
                 else quarter_label(label))
        if rolling:
            for year in pub.years:  # a reporting year is its own cell
                if year.months == months:
                    return pub.year(year.label)
        return Period(months=months, label=words, key=None)
    if re.match(r"^\d{4}-\d{2}$", label):
        return pub.month(label)
    return pub.year(label)


def _count(pub: Publication, spec: MeasureSpec, period: Period) -> tuple[float, str]:
    level, code = spec.unit(pub)
    cats = spec.category_keys(pub)
    if pub.record_level:
        lsoas = pub.cube.geography.lsoas_of(level, code)
        return float(sum(pub.cube.total(lsoas=lsoas, months=period.months, category=c)
                         for c in cats)), SHOWN
    if period.key is None:  # a quarter or 12 months: a sum of published months
        if not all(pub.has_monthly(level=level, code=code, category=c) for c in cats):
            return math.nan, BY_YEAR_ONLY
        value = pub.sum_of([CellKey(level, code, m, c) for m in period.months for c in cats])
        return value, HIDDEN if math.isnan(value) else SHOWN
    if len(period.months) == 1 and not all(
            pub.has_monthly(level=level, code=code, category=c) for c in cats):
        return math.nan, BY_YEAR_ONLY
    try:
        values = [pub.count(level=level, code=code, period=period, category=c) for c in cats]
    except NotPublished:
        return math.nan, BY_YEAR_ONLY
    if any(math.isnan(v) for v in values):
        return math.nan, HIDDEN
    return float(sum(values)), SHOWN


def measure_value(pub: Publication, spec: MeasureSpec, period: str) -> MeasureValue:
    """The measure for ``period`` (see :func:`period_of`); not held -> state 'not held'."""
    level, code = spec.unit(pub)
    population = pub.cube.geography.population(pub.cube.geography.lsoas_of(level, code))
    try:
        p = period_of(pub, period)
    except KeyError:
        nothing = rate_of(math.nan, population=population,
                          period=Period(months=("2000-01",), label=period, key=None))
        return MeasureValue(key=spec.key, period=period, label=period, months=(),
                            count=math.nan, rate=nothing, state=NOT_HELD,
                            record_level=pub.record_level)
    value, state = _count(pub, spec, p)
    return MeasureValue(key=spec.key, period=period, label=p.label, months=p.months,
                        count=value, rate=rate_of(value, population=population, period=p),
                        state=state, record_level=pub.record_level)


def every_period(pub: Publication) -> tuple[str, ...]:
    """Every period a measure is computed for: reporting years, quarters, months."""
    return (*(y.label for y in pub.years), *quarters_held(pub), *pub.cube.months)


def measure_table(pub: Publication, spec: MeasureSpec) -> pd.DataFrame:
    """The measure for every period: period, kind, label, count, rate, lower, upper, state."""
    rows = []
    years = {y.label for y in pub.years}
    for label in every_period(pub):
        v = measure_value(pub, spec, label)
        kind = "year" if label in years else "quarter" if QUARTER.match(label) else "month"
        rows.append({"period": label, "kind": kind, "label": v.label, "count": v.count,
                     "rate": v.rate.value, "lower": v.rate.lower, "upper": v.rate.upper,
                     "state": v.state})
    return pd.DataFrame(rows, columns=["period", "kind", "label", "count", "rate", "lower",
                                       "upper", "state"])


def measure_monthly(pub: Publication, spec: MeasureSpec) -> pd.Series:
    """The measure's published monthly counts (NaN where hidden or published by year only),
    for charts and forecasts: a function of published figures only."""
    level, code = spec.unit(pub)
    parts = [monthly_counts(pub, level=level, code=code, category=c)
             for c in spec.category_keys(pub)]
    total = parts[0]
    for part in parts[1:]:
        total = total + part  # NaN anywhere stays NaN
    return total.rename(spec.key)


def measure_change(pub: Publication, spec: MeasureSpec, *, before: str, after: str) -> Change:
    """The measure in period ``after`` against period ``before`` (each a year, quarter or
    month), as :func:`alliance.figures.counts.change` compares a category: a quasi-Poisson
    model of the published monthly counts when every month of both is published (and the
    periods run unbroken), otherwise the exact rate ratio of the two published totals."""
    b, a = measure_value(pub, spec, before), measure_value(pub, spec, after)

    def without(verdict: str) -> Change:
        return Change(before=b.count, after=a.count, before_label=b.label,
                      after_label=a.label, ratio=math.nan, lower=math.nan, upper=math.nan,
                      p_value=math.nan, method="", verdict=verdict)

    if not (b.shown and a.shown):
        return without("hidden")
    if b.months[-1] >= a.months[0]:
        raise ValueError(f"{before} does not end before {after} starts")
    if b.count == 0:
        return without("not calculable")
    series = measure_monthly(pub, spec)
    months = [*b.months, *a.months]
    level, code = spec.unit(pub)
    population = pub.cube.geography.population(pub.cube.geography.lsoas_of(level, code))
    rr: RateRatio
    if (_contiguous(b.months) and _contiguous(a.months) and len(months) >= 4
            and series.reindex(months).notna().all()):
        rr = period_change(series.reindex(months).astype(int),
                           before=(b.months[0], b.months[-1]),
                           after=(a.months[0], a.months[-1]), population=float(population))
    else:
        days_b = Period(months=b.months, label="", key=None).days
        days_a = Period(months=a.months, label="", key=None).days
        rr = rate_ratio(int(b.count), float(days_b), int(a.count), float(days_a))
        rr = dataclasses.replace(rr, method=rr.method + " on the two totals")
    verdict = ("significant rise" if rr.lower > 1 else "significant fall" if rr.upper < 1
               else "no significant change")
    return Change(before=b.count, after=a.count, before_label=b.label, after_label=a.label,
                  ratio=rr.ratio, lower=rr.lower, upper=rr.upper, p_value=rr.p_value,
                  method=rr.method, verdict=verdict)
