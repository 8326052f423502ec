"""Benchmark comparison: the Fingertips rule (interval vs benchmark) and polarity colours."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.stats.rates import compare_with_benchmark, dsr, rate


def test_higher_similar_lower_with_polarity() -> None:
    """Reference: PHE Fingertips technical guidance: higher if the lower CI limit is above the
    benchmark, lower if the upper limit is below it, similar otherwise."""
    est = rate(pd.Series([300, 100, 30], index=["hi", "mid", "lo"]),
               pd.Series([100_000] * 3, index=["hi", "mid", "lo"]))
    result = compare_with_benchmark(est, benchmark=100.0, polarity="low is good").to_frame()
    assert list(result["comparison"]) == ["higher", "similar", "lower"]
    assert list(result["judgement"]) == ["worse", "similar", "better"]
    assert list(result["colour"]) == ["red", "amber", "green"]
    good = compare_with_benchmark(est, benchmark=100.0, polarity="high is good")
    assert list(good.colour) == ["green", "amber", "red"]
    neutral = compare_with_benchmark(est, benchmark=100.0)
    assert list(neutral.colour) == ["dark blue", "amber", "light blue"]


def test_pooled_benchmark_and_not_compared() -> None:
    with pytest.warns(UserWarning):
        est = dsr([0, 1, 0, 50, 60, 70], [100] * 3 + [1000] * 3,
                  ["0-4", "5-9", "10-14"] * 2, areas=["a"] * 3 + ["b"] * 3,
                  standard=pd.Series([1.0, 1.0, 1.0], index=["0-4", "5-9", "10-14"]))
    result = compare_with_benchmark(est, benchmark=5000.0)
    assert result.comparison["a"] == "not compared" and result.colour["a"] == "grey"
    pooled = compare_with_benchmark(rate([10, 20], [1000, 1000]))
    assert pooled.benchmark == pytest.approx(1500.0)
