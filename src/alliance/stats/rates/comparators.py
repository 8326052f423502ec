"""One published figure beside its comparators (England, the region, similar areas), as
Fingertips shows an area's indicator beside England and the region.

Two steps, each one function:

1. :func:`figure_interval` finds the figure's 95% confidence interval, in this order:
   the interval the publisher gave (ONS, OHID); else one computed from the published count and
   denominator with the PHE/Fingertips methods — exact Poisson below 10 events, Byar's from 10
   for a rate (:func:`alliance.stats.rates.rate`), Wilson score for a percentage
   (:func:`alliance.stats.rates.proportion`) — but only when the published value *is* that
   count over that denominator (to 0.5%, or to the rounding of the published value: DfE
   publishes 5% for 11 of 220): a standardised rate, or a value computed from
   unrounded counts, is not; else no interval, and the figure is not compared.
2. :func:`compare_figure` classifies the figure against each comparator value with the
   Fingertips rule (:func:`alliance.stats.rates.compare_with_benchmark`): 'higher' when the
   interval lies wholly above the comparator, 'lower' when wholly below, 'similar' otherwise.

The null hypothesis of each comparison is that the area's true value equals the comparator's,
which is treated as known without error (as Fingertips treats England and the region); the test
is two-sided at the interval's level (95%). Several comparisons are made for each figure and no
correction for multiple testing is applied, as in Fingertips: read a 'higher' or 'lower' as a
flag to look further, not as proof. Where the publisher states its own comparison with England
(Fingertips' "Compared to England"), that verdict is reported beside ours and, when our interval
is missing, in place of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alliance.stats.rates._intervals import IntervalEstimate
from alliance.stats.rates.benchmark import compare_with_benchmark
from alliance.stats.rates.crude import rate
from alliance.stats.rates.proportion import proportion

FigureKind = Literal["rate", "percentage", "count", "other"]
#: The published value must equal numerator / denominator x multiplier to this relative
#: tolerance for an interval computed from the count to describe it (as the Fingertips reader
#: checks a crude rate).
CONSISTENT_TO = 0.005
#: Publisher's verdicts read as our 'higher' / 'lower' / 'similar' when the polarity is known.
_VERDICTS = {("Better", "low is good"): "lower", ("Worse", "low is good"): "higher",
             ("Better", "high is good"): "higher", ("Worse", "high is good"): "lower",
             ("Higher", None): "higher", ("Lower", None): "lower", ("Similar", None): "similar"}


#: why a figure has no interval (and so is not compared), as the report's notes give it
NOT_A_RATE = "a count or score, not a rate or percentage"
NO_DENOMINATOR = "no count and denominator or interval published"
NOT_COUNT_OVER_DENOMINATOR = ("the published value is not count / denominator (e.g. "
                              "standardised) and no interval is published")
NUMERATOR_ABOVE = "numerator above denominator"

@dataclass(frozen=True, kw_only=True)
class FigureInterval:
    """A published figure and its confidence interval (``lower``/``upper`` None when none).

    ``method`` says where the interval came from ("as published", "Byar's", "exact Poisson
    (chi-square)", "Wilson score"); ``reason`` says why there is none.
    """

    value: float
    lower: float | None
    upper: float | None
    method: str
    reason: str = ""
    confidence: float = 0.95

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None


@dataclass(frozen=True, kw_only=True)
class FigureComparison:
    """The figure against one comparator.

    ``result`` is 'higher', 'similar', 'lower' or 'not compared'; ``basis`` says how it was
    decided (our interval, the publisher's own verdict) or why it was not.
    """

    comparator: str
    comparator_value: float | None
    result: str
    basis: str


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _half_unit(value: float) -> float:
    """Half a unit in the last decimal place the value was published to (a percentage published
    as 5 may be 4.5 to 5.5), so a rounded figure still matches its count and denominator."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    places = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0 ** -places


def figure_interval(*, value: float, kind: FigureKind, multiplier: float | None = None,
                    numerator: float | None = None, denominator: float | None = None,
                    published: tuple[float, float] | None = None,
                    confidence: float = 0.95) -> FigureInterval:
    """The confidence interval of one published figure (see the module docstring for the order).

    Parameters
    ----------
    value : the figure as published (a rate per ``multiplier``, or a percentage 0-100).
    kind : 'rate', 'percentage', 'count' or 'other'; counts and other values get no interval
        (a count has no denominator to compare per head).
    multiplier : the rate's "per" (1,000; 100,000 ...); 100 for a percentage.
    numerator, denominator : published count and base, when given.
    published : the publisher's (lower, upper) interval at ``confidence``, when given.
    """
    v = _number(value)
    if v is None:
        raise ValueError(f"a figure to compare must be a finite number, not {value!r}")
    if published is not None:
        lo, hi = published
        if not lo <= hi:
            raise ValueError(f"published interval is reversed: {lo} > {hi}")
        return FigureInterval(value=v, lower=float(lo), upper=float(hi), method="as published",
                              confidence=confidence)
    if kind not in ("rate", "percentage"):
        return FigureInterval(value=v, lower=None, upper=None, method="",
                              reason=NOT_A_RATE,
                              confidence=confidence)
    num, den = _number(numerator), _number(denominator)
    scale = 100.0 if kind == "percentage" else _number(multiplier)
    if num is None or den is None or den <= 0 or num < 0 or scale is None:
        return FigureInterval(value=v, lower=None, upper=None, method="",
                              reason=NO_DENOMINATOR,
                              confidence=confidence)
    implied = num / den * scale
    if not math.isclose(implied, v, rel_tol=CONSISTENT_TO, abs_tol=_half_unit(v)):
        return FigureInterval(value=v, lower=None, upper=None, method="",
                              reason=NOT_COUNT_OVER_DENOMINATOR,
                              confidence=confidence)
    if kind == "percentage":
        if num > den:
            return FigureInterval(value=v, lower=None, upper=None, method="",
                                  reason=NUMERATOR_ABOVE, confidence=confidence)
        est = proportion([num], [den], confidence=confidence)
    else:
        est = rate([num], [den], multiplier=scale, confidence=confidence)
    factor = 100.0 if kind == "percentage" else 1.0
    # The interval of the count and denominator (the published value is their rounding).
    return FigureInterval(value=v, lower=float(est.lower.iloc[0]) * factor,
                          upper=float(est.upper.iloc[0]) * factor,
                          method=str(est.method.iloc[0]), confidence=confidence)


def compare_figure(interval: FigureInterval, comparators: Mapping[str, float | None], *,
                   published_verdict: str | None = None, verdict_against: str = "England",
                   polarity: Literal["high is good", "low is good"] | None = None,
                   ) -> tuple[FigureComparison, ...]:
    """The figure against each comparator (name -> value; None where none is published).

    ``published_verdict`` is the publisher's own comparison with ``verdict_against`` ('Better',
    'Worse', 'Similar', 'Higher', 'Lower'); with ``polarity`` it is turned into higher/lower
    and used for that comparator when no interval is held, and noted when ours disagrees.
    """
    out = []
    for name, raw in comparators.items():
        value = _number(raw)
        verdict = _from_verdict(published_verdict, polarity) if name == verdict_against else None
        if value is None:
            out.append(FigureComparison(comparator=name, comparator_value=None,
                                        result="not compared",
                                        basis=f"no {name} value published for this period"))
            continue
        if not interval.has_interval:
            if verdict is not None:
                out.append(FigureComparison(comparator=name, comparator_value=value,
                                            result=verdict, basis="as published"))
            else:
                out.append(FigureComparison(comparator=name, comparator_value=value,
                                            result="not compared", basis=interval.reason))
            continue
        estimate = IntervalEstimate(
            value=pd.Series([interval.value]), lower=pd.Series([interval.lower]),
            upper=pd.Series([interval.upper]), method=pd.Series([interval.method]),
            numerator=pd.Series([np.nan]), denominator=pd.Series([np.nan]),
            statistic="published figure", confidence=interval.confidence, multiplier=1.0)
        result = str(compare_with_benchmark(estimate, benchmark=value).comparison.iloc[0])
        level = f"{interval.confidence * 100:g}%"
        basis = f"{level} CI ({interval.method}) against the {name} value"
        if verdict is not None and verdict != result:
            basis += f"; the publisher's own comparison says {verdict}"
        out.append(FigureComparison(comparator=name, comparator_value=value, result=result,
                                    basis=basis))
    return tuple(out)


def _from_verdict(verdict: str | None, polarity: str | None) -> str | None:
    if verdict is None:
        return None
    key = (verdict.capitalize(), polarity if verdict.capitalize() in ("Better", "Worse")
           else None)
    return _VERDICTS.get(key)


def pooled_value(numerators: Sequence[float | None], denominators: Sequence[float | None], *,
                 multiplier: float) -> float | None:
    """The value of a group of areas (e.g. similar areas) as one: sum of counts over sum of
    denominators, times ``multiplier``; None unless every area has both (a mean of rates would
    weight a small area like a large one)."""
    nums = [_number(n) for n in numerators]
    dens = [_number(d) for d in denominators]
    if not nums or any(n is None for n in nums) or any(d is None or d <= 0 for d in dens):
        return None
    return sum(n for n in nums if n is not None) / sum(d for d in dens if d is not None) \
        * multiplier
