"""Red, amber or green against a target, decided by significance and polarity, never by eye.

A measure's value has a confidence interval; a target is a value the partnership chose. As
Fingertips compares an area with a benchmark (:func:`alliance.stats.rates.compare_with_benchmark`,
PHE technical guidance "Comparing with a benchmark"), the value is:

* **green**, significantly better than the target: the whole interval lies on the good side
  (below it when lower is better, above it when higher is better);
* **red**, significantly worse: the whole interval lies on the bad side;
* **amber**, not significantly different: the interval contains the target;
* **not rated**: no value (hidden or not held), or a context measure whose rises and falls are
  not good or bad in themselves (polarity "not applicable", ○ in the indicator dictionary:
  sexual offences, where a rise may mean more confidence in reporting; weapon possession,
  driven by police activity).

Null hypothesis: the measure's true value equals the target, which is treated as fixed (it is
a choice, not an estimate). Two-sided, at the interval's level (95%). No correction for
multiple testing: a scorecard of several measures will show some colour by chance; say so
beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from alliance.stats.rates._intervals import IntervalEstimate
from alliance.stats.rates.benchmark import Polarity, compare_with_benchmark

RAG = ("green", "amber", "red", "not rated")
_WORDS = {"green": "significantly better than the target",
          "amber": "not significantly different from the target",
          "red": "significantly worse than the target"}


@dataclass(frozen=True, kw_only=True)
class TargetStatus:
    """The value against its target: ``rag`` one of :data:`RAG`, ``words`` a plain sentence
    fragment, ``reason`` why it is not rated (empty otherwise)."""

    value: float
    lower: float
    upper: float
    target: float
    polarity: str
    rag: str
    words: str
    reason: str = ""
    confidence: float = 0.95


def against_target(*, value: float, lower: float, upper: float, target: float,
                   polarity: Polarity, confidence: float = 0.95) -> TargetStatus:
    """Rate ``value`` (with its interval ``lower``–``upper``) against ``target``.

    Parameters
    ----------
    value, lower, upper : the estimate and its confidence interval (NaN when hidden).
    target : the value aimed for, on the same scale.
    polarity : 'low is good', 'high is good' or 'not applicable'.
    confidence : the level of the interval given (for the words only).
    """
    if polarity not in ("high is good", "low is good", "not applicable"):
        raise ValueError("polarity must be 'high is good', 'low is good' or 'not applicable'")
    if not math.isfinite(target):
        raise ValueError(f"a target must be a finite number, not {target!r}")

    def unrated(reason: str) -> TargetStatus:
        return TargetStatus(value=value, lower=lower, upper=upper, target=target,
                            polarity=polarity, rag="not rated", words="not rated",
                            reason=reason, confidence=confidence)

    if polarity == "not applicable":
        return unrated("a context measure: a rise or fall is not good or bad in itself")
    if any(not math.isfinite(v) for v in (value, lower, upper)):
        return unrated("no published value for this period")
    if not lower <= value <= upper:
        raise ValueError(f"the interval {lower}–{upper} does not contain the value {value}")
    estimate = IntervalEstimate(
        value=pd.Series([value]), lower=pd.Series([lower]), upper=pd.Series([upper]),
        method=pd.Series(["given"]), numerator=pd.Series([math.nan]),
        denominator=pd.Series([math.nan]), statistic="measure", confidence=confidence,
        multiplier=1.0)
    colour = str(compare_with_benchmark(estimate, benchmark=target,
                                        polarity=polarity).colour.iloc[0])
    return TargetStatus(value=value, lower=lower, upper=upper, target=target, polarity=polarity,
                        rag=colour, words=_WORDS[colour], confidence=confidence)
