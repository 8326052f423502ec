"""Dual-KDE risk surface: events over population with a floor."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.stats.hotspots.kde import kernel_density
from alliance.stats.hotspots.risk_surface import risk_surface


def test_ratio_of_the_two_kernel_surfaces_with_floor() -> None:
    """Risk = events/km² over max(residents/km², floor), per 1,000 — checked cell by cell."""
    rng = np.random.default_rng(3)
    town = np.array([460_000.0, 260_000.0])
    residents_at = town + rng.normal(0, 800, (50, 2))
    residents = rng.integers(1000, 2000, 50).astype(float)
    events = town + rng.normal(0, 600, (300, 2))
    extent = (455_000.0, 255_000.0, 465_000.0, 265_000.0)
    risk = risk_surface(events, residents_at, residents, cell_size=200, bandwidth=400,
                        extent=extent, population_floor=50)
    ev = kernel_density(events, cell_size=200, bandwidth=400, extent=extent).events_per_km2
    pop = kernel_density(residents_at, cell_size=200, bandwidth=400, extent=extent,
                         weights=residents).events_per_km2
    np.testing.assert_allclose(risk.risk_per_1000, ev / np.maximum(pop, 50) * 1000)
    assert risk.floored.any() and not risk.floored.all()
    np.testing.assert_array_equal(risk.floored, pop < 50)
    # Far from anyone the floor stops the ratio exploding.
    assert np.isfinite(risk.risk_per_1000).all()
    assert len(risk.to_frame()) == risk.risk_per_1000.size


def test_floor_must_be_positive() -> None:
    with pytest.raises(ValueError, match="floor"):
        risk_surface(np.zeros((1, 2)), np.zeros((1, 2)), [1.0], population_floor=0)
