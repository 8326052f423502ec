"""Kernel density against scipy.stats.gaussian_kde on real Northamptonshire points."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.stats.hotspots.kde import kernel_density


def _scipy_reference(points: np.ndarray, bandwidth: float, where: np.ndarray) -> np.ndarray:
    from scipy.stats import gaussian_kde

    reference = gaussian_kde(points.T)
    # Same isotropic Gaussian kernel: covariance bandwidth^2 * identity.
    reference._data_covariance = np.eye(2)
    reference._data_cho_cov = np.eye(2)
    reference.set_bandwidth(bandwidth)
    return np.asarray(reference(where.T))


@pytest.mark.parametrize(("cell", "bandwidth"), [(200.0, 400.0), (250.0, 300.0), (100.0, 800.0)])
def test_equals_scipy_gaussian_kde_within_binning_tolerance(
    county_points: np.ndarray, cell: float, bandwidth: float
) -> None:
    """Reference: scipy.stats.gaussian_kde with covariance h^2 I, evaluated at cell centres.

    Tolerance: 1 % relative wherever the density exceeds 1 % of its maximum (module notes).
    """
    surface = kernel_density(county_points, cell_size=cell, bandwidth=bandwidth)
    xx, yy = np.meshgrid(surface.x, surface.y)
    # Every cell that could exceed 1 % of the maximum (ours > 0.5 % of ours, a safe superset).
    candidates = np.flatnonzero(surface.density.ravel() > 0.005 * surface.density.max())
    exact = _scipy_reference(
        county_points, bandwidth, np.c_[xx.ravel()[candidates], yy.ravel()[candidates]])
    ours = surface.density.ravel()[candidates]
    mask = exact > 0.01 * exact.max()
    assert mask.sum() > 1000
    assert np.max(np.abs(ours[mask] / exact[mask] - 1)) < 0.01
    # It is a density: integrates to ~1 over the padded grid.
    assert abs(surface.density.sum() * cell**2 - 1) < 0.01


def test_weights_scale_and_frame(county_points: np.ndarray) -> None:
    pts = county_points[:500]
    a = kernel_density(pts, cell_size=200, bandwidth=400)
    b = kernel_density(pts, cell_size=200, bandwidth=400, weights=np.full(500, 2.0))
    np.testing.assert_allclose(a.density, b.density)
    np.testing.assert_allclose(b.events_per_km2, 2 * a.events_per_km2)
    frame = a.to_frame()
    assert len(frame) == a.density.size
    assert set(frame.columns) == {"x", "y", "density", "events_per_km2"}
    # Events per km² sum (x cell area) back to the number of events.
    assert abs(a.events_per_km2.sum() * 0.04 - 500) < 5


def test_defaults_are_documented_values() -> None:
    surface = kernel_density(np.array([[450_000.0, 260_000.0]]))
    assert surface.cell_size == 100.0 and surface.bandwidth == 400.0
    # A single point: the peak equals the Gaussian's height near the centre.
    assert surface.density.max() == pytest.approx(1 / (2 * np.pi * 400**2), rel=0.02)


def test_bad_points_are_reported() -> None:
    with pytest.raises(ValueError, match=r"rows \[1\]"):
        kernel_density(np.array([[450_000.0, 260_000.0], [np.nan, 1.0]]))
    with pytest.raises(ValueError, match="degrees"):
        kernel_density(np.array([[1e7, 52.0]]))
    with pytest.raises(ValueError, match="no points"):
        kernel_density(np.empty((0, 2)))
    with pytest.raises(ValueError, match="non-negative"):
        kernel_density(np.array([[450_000.0, 260_000.0]]), weights=[-1.0])
    with pytest.raises(ValueError, match="positive"):
        kernel_density(np.array([[450_000.0, 260_000.0]]), bandwidth=0)
