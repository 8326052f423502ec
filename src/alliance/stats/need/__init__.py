"""Need and risk: deprivation gradients, count regressions, prioritisation indices."""

from alliance.stats.need.glm import CountRegression, count_regression
from alliance.stats.need.inequality import (
    InequalityIndex,
    rates_by_decile,
    slope_index_of_inequality,
)
from alliance.stats.need.prioritisation import PriorityIndex, priority_index

__all__ = [
    "CountRegression",
    "InequalityIndex",
    "PriorityIndex",
    "count_regression",
    "priority_index",
    "rates_by_decile",
    "slope_index_of_inequality",
]
