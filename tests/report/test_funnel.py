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
                               desc="Four areas", target_rate=3.0, overdispersion="none")
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "f-title f-desc"
    assert list(chart.data["Position"]) == ["below 99.8%", "above 99.8%", "within limits",
                                            "suppressed"]
    assert funnel.funnel_position(42, 10000, 3.0) == "above 95%"  # P(X>=42 | 30) ≈ 0.02
    with pytest.raises(ValueError, match="denominator"):
        funnel.funnel_plot(["a"], [1], [0], chart_id="f", title="t", desc="d")


def _overdispersed(n: int = 80, seed: int = 5) -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pops = rng.integers(1_200, 3_000, n).astype(float)
    counts = rng.poisson(pops * 0.03 * np.exp(rng.normal(0, 0.5, n))).astype(float)
    return [f"E01{i:06d}" for i in range(n)], counts, pops


def test_overdispersed_funnel_draws_adjusted_limits_and_counts_both_sides() -> None:
    """Issue 11: with significant over-dispersion the chart draws Spiegelhalter's additive
    limits (those of alliance.stats.rates.funnel_limits), says so in the legend with phi, and
    the positions are read from those limits, both sides."""
    from alliance.stats.rates import funnel_limits

    labels, counts, pops = _overdispersed()
    chart = funnel.funnel_plot(labels, counts, pops, chart_id="od", title="Funnel",
                               desc="Areas")
    ref = funnel_limits(pd.Series(counts), pd.Series(pops), multiplier=1000,
                        overdispersion="auto")
    assert ref.overdispersion == "additive" and ref.overdispersion_significant
    assert chart.limits is not None and chart.limits.phi == pytest.approx(ref.phi)
    assert "φ" in chart.svg and f"{ref.phi:.1f}" in chart.svg
    assert list(chart.data["Position"]) == list(ref.flag)
    plain = funnel.funnel_plot(labels, counts, pops, chart_id="p", title="Funnel", desc="Areas",
                               overdispersion="none")
    outside = chart.data["Position"].str.contains("99.8").sum()
    assert outside < plain.data["Position"].str.contains("99.8").sum()
    above = int((chart.data["Position"] == "above 99.8%").sum())
    below = int((chart.data["Position"] == "below 99.8%").sum())
    assert (above, below) == (ref.outside.loc["99.8%", "above"], ref.outside.loc["99.8%", "below"])


def test_limits_from_true_counts_with_hidden_cells() -> None:
    """Hidden (suppressed) counts stay hidden on the chart, but phi comes from every area's
    true count when the caller passes the limits."""
    from alliance.stats.rates import funnel_limits

    labels, counts, pops = _overdispersed()
    limits = funnel_limits(pd.Series(counts), pd.Series(pops), multiplier=1000,
                           overdispersion="auto")
    shown = counts.copy()
    shown[:3] = np.nan
    chart = funnel.funnel_plot(labels, shown, pops, chart_id="h", title="Funnel", desc="Areas",
                               limits=limits)
    assert chart.limits is limits
    assert list(chart.data["Position"][:3]) == ["suppressed"] * 3
    assert list(chart.data["Position"][3:]) == list(limits.flag[3:])
    sqrt = funnel.funnel_plot(labels, counts, pops, chart_id="s", title="Funnel", desc="Areas",
                              overdispersion_scale="transformed")
    assert sqrt.limits is not None and sqrt.limits.scale == "transformed"
    with pytest.raises(ValueError, match="limits cover"):
        funnel.funnel_plot(labels[:5], shown[:5], pops[:5], chart_id="x", title="t", desc="d",
                           limits=limits)
