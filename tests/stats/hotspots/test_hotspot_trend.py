"""Emerging / persistent / intermittent / former / none classification on worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.stats.hotspots.hotspot_trend import classify_hotspot_trend


def _period(hot_cells: list[int]) -> np.ndarray:
    """A 1 x 20 surface: background 1, the listed cells 10 (top 5 % -> exactly those hot)."""
    surface = np.ones((1, 20))
    surface[0, hot_cells] = 10.0
    return surface


def test_worked_example_four_periods() -> None:
    """Cells: 0 hot always, 1 only in the last two, 2 only in the first two, 3 on-off-on-off.

    With T = 4 the earlier half is periods 1–2. Hot share 0.2 of 20 cells = the 4 cells at 10
    (quantile ties), so each period's hot set is exactly the listed cells.
    """
    periods = [
        _period([0, 2, 3, 5]),
        _period([0, 2, 5, 6]),
        _period([0, 1, 3, 6]),
        _period([0, 1, 5, 7]),
    ]
    result = classify_hotspot_trend(periods, hot_share=0.2)
    cat = result.category[0]
    assert cat[0] == "persistent"
    assert cat[1] == "emerging"
    assert cat[2] == "former"
    assert cat[3] == "intermittent"  # hot early and in period 3, not in the last
    assert cat[5] == "persistent"  # hot 3 of 4 periods (75 %), including the last
    assert cat[7] == "emerging"
    assert cat[19] == "none"
    assert result.to_frame()["periods_hot"].iloc[0] == 4


def test_two_periods() -> None:
    result = classify_hotspot_trend([_period([0, 1]), _period([0, 2])], hot_share=0.1)
    assert list(result.category[0, :3]) == ["persistent", "former", "emerging"]


def test_needs_two_same_shape_periods() -> None:
    with pytest.raises(ValueError, match="two periods"):
        classify_hotspot_trend([np.ones((2, 2))])
    with pytest.raises(ValueError, match="negative"):
        classify_hotspot_trend([np.ones((2, 2)), -np.ones((2, 2))])
