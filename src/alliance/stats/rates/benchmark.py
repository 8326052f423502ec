"""Compare each area with a benchmark: higher / similar / lower, with a polarity-aware colour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.rates._intervals import IntervalEstimate

Polarity = Literal["high is good", "low is good", "not applicable"]

#: Colours of the Fingertips legends. With a polarity: better green, similar amber, worse red.
#: Without one ("not applicable"): lower lighter blue, similar amber, higher darker blue.
#: Not compared (no value): grey. Hex codes are our choice of close matches.
COLOURS: dict[str, str] = {
    "green": "#92D050", "amber": "#FFC000", "red": "#C00000",
    "light blue": "#BED2FF", "dark blue": "#5555E6", "grey": "#C9C9C9",
}


@dataclass(frozen=True, eq=False)
class BenchmarkComparison:
    """Each area's comparison with the benchmark.

    ``comparison`` is 'higher', 'similar', 'lower' or 'not compared'; ``judgement`` is 'better',
    'similar', 'worse', 'higher', 'lower' or 'not compared' depending on polarity; ``colour``
    is the RAG (or blue) colour name and ``colour_hex`` its hex code.
    """

    value: pd.Series
    lower: pd.Series
    upper: pd.Series
    benchmark: float
    comparison: pd.Series
    judgement: pd.Series
    colour: pd.Series
    polarity: str
    confidence: float

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"value": self.value, "lower": self.lower, "upper": self.upper,
                              "benchmark": self.benchmark, "comparison": self.comparison,
                              "judgement": self.judgement, "colour": self.colour})
        frame["colour_hex"] = frame["colour"].map(COLOURS)
        frame["polarity"] = self.polarity
        return frame


def compare_with_benchmark(
    estimate: IntervalEstimate,
    *,
    benchmark: float | None = None,
    polarity: Polarity = "not applicable",
) -> BenchmarkComparison:
    """Classify each area as higher, similar or lower than a benchmark, as Fingertips does.

    An area is 'higher' when the lower limit of its confidence interval is above the benchmark,
    'lower' when the upper limit is below it, and 'similar' otherwise (PHE Fingertips technical
    guidance, "Comparing with a benchmark"). This is a two-sided test, at the confidence level of
    the estimate (0.95 or 0.998 in Fingertips), of the null hypothesis that the area's true value
    equals the benchmark, which is treated as known without error (e.g. the England value). No
    multiple-testing correction is made: with many areas a few will differ by chance, which is
    why Fingertips also shows 99.8% intervals.

    Polarity turns the comparison into a judgement: with 'high is good' higher is 'better'
    (green) and lower 'worse' (red); with 'low is good' the reverse (for violence, low is good);
    with 'not applicable' areas are just 'higher' (darker blue) or 'lower' (lighter blue).
    'similar' is amber. An area without a value (e.g. a DSR from fewer than 10 events) is
    'not compared' (grey), never a colour guessed from a missing number.

    Parameters
    ----------
    estimate : IntervalEstimate
        From :func:`rate`, :func:`proportion` or :func:`dsr`.
    benchmark : float, keyword-only, optional
        The comparator on the same scale as the values. Default: the pooled value of the
        areas given (sum of numerators / sum of denominators), e.g. the county as a whole.
    polarity : {'high is good', 'low is good', 'not applicable'}, keyword-only
    """
    if polarity not in ("high is good", "low is good", "not applicable"):
        raise ValueError("polarity must be 'high is good', 'low is good' or 'not applicable'")
    if benchmark is None:
        _validate.check_not_all_zero(estimate.denominator, purpose="The pooled benchmark")
        benchmark = float(estimate.numerator.sum() / estimate.denominator.sum()
                          * estimate.multiplier)
    if not np.isfinite(benchmark):
        raise ValueError(f"benchmark must be a finite number, got {benchmark}")
    comparison = pd.Series("similar", index=estimate.value.index, name="comparison")
    comparison[estimate.lower > benchmark] = "higher"
    comparison[estimate.upper < benchmark] = "lower"
    comparison[estimate.value.isna()] = "not compared"
    if polarity == "not applicable":
        judgement = comparison.copy()
        colours = {"higher": "dark blue", "lower": "light blue"}
    else:
        good = "higher" if polarity == "high is good" else "lower"
        bad = "lower" if good == "higher" else "higher"
        judgement = comparison.replace({good: "better", bad: "worse"})
        colours = {good: "green", bad: "red"}
    colours.update({"similar": "amber", "not compared": "grey"})
    return BenchmarkComparison(
        value=estimate.value, lower=estimate.lower, upper=estimate.upper,
        benchmark=float(benchmark), comparison=comparison,
        judgement=judgement.rename("judgement"),
        colour=comparison.map(colours).rename("colour"),
        polarity=polarity, confidence=estimate.confidence,
    )
