"""Tests for alliance.report.funnel.

Reference: PHStatsMethods ``calculate_funnel_limits`` (the Python port of the OHID Fingertips
funnel method) for the limits; exact Poisson tail probabilities for the positions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PHStatsMethods import calculate_funnel_limits

from alliance.report import funnel


def test_funnel_limits_match_phstatsmethods() -> None:
    """Same limits as PHStatsMethods.calculate_funnel_limits(statistic='rate', crude)."""
    counts = np.array([12, 30, 55, 80, 140, 260])
    pops = np.array([1500, 2600, 4100, 9000, 15000, 30000])
    df = pd.DataFrame({"n": counts, "pop": pops, "rate": counts / pops * 1000})
    ref = calculate_funnel_limits(df, "n", "rate", 1000, denom_col="pop", rate="rate",
                                  rate_type="crude", years_of_data=1, metadata=False)
    target = counts.sum() / pops.sum() * 1000
    events = ref["Events"].to_numpy(dtype=float)
    for coverage, tag in ((0.95, "2s"), (0.998, "3s")):
        lower, upper = funnel.poisson_limit_curves(target, 1e9, coverage=coverage,
                                                   events=events)
        np.testing.assert_allclose(lower.rate, ref[f"lower_{tag}_limit"], rtol=1e-4)
        np.testing.assert_allclose(upper.rate[events > 0], ref[f"upper_{tag}_limit"][events > 0],
                                   rtol=1e-4)


def test_funnel_plot_positions() -> None:
    chart = funnel.funnel_plot(["a", "b", "c", "d"], [10, 60, 30, np.nan],
                               [10000, 10000, 10000, 5000], chart_id="f", title="Funnel",
                               desc="Four areas", target_rate=3.0)
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "f-title f-desc"
    assert list(chart.data["Position"]) == ["below 99.8%", "above 99.8%", "within limits",
                                            "suppressed"]
    assert funnel.funnel_position(42, 10000, 3.0) == "above 95%"  # P(X>=42 | 30) ≈ 0.02
    with pytest.raises(ValueError, match="denominator"):
        funnel.funnel_plot(["a"], [1], [0], chart_id="f", title="t", desc="d")
