"""Rates, proportions, standardised rates, funnel plots and benchmark comparison.

Methods follow the PHE/OHID Fingertips technical guidance so that figures match the national
public health profiles an analyst will compare them with.
"""

from alliance.stats.rates._intervals import IntervalEstimate
from alliance.stats.rates.benchmark import BenchmarkComparison, Polarity, compare_with_benchmark
from alliance.stats.rates.comparators import (
    FigureComparison,
    FigureInterval,
    compare_figure,
    figure_interval,
    pooled_value,
)
from alliance.stats.rates.crude import rate
from alliance.stats.rates.dsr import ESP2013, DsrEstimate, dsr
from alliance.stats.rates.funnel import FunnelLimits, funnel_limits
from alliance.stats.rates.proportion import proportion
from alliance.stats.rates.target import TargetStatus, against_target

__all__ = [
    "ESP2013",
    "BenchmarkComparison",
    "DsrEstimate",
    "FigureComparison",
    "FigureInterval",
    "FunnelLimits",
    "IntervalEstimate",
    "Polarity",
    "TargetStatus",
    "against_target",
    "compare_figure",
    "compare_with_benchmark",
    "dsr",
    "figure_interval",
    "funnel_limits",
    "pooled_value",
    "proportion",
    "rate",
]
