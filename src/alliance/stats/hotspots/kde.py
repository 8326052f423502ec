"""Gaussian kernel density of point events on a regular British National Grid raster.

A kernel density surface spreads each event (a crime's map point) over the surrounding area as a
smooth bump, and adds the bumps up; where bumps pile up the surface is high. It estimates how
densely events occur at each place. It is a description, not a test: it has no null hypothesis
and no p-value (use Gi* on areas for that).

How it is computed
------------------
The estimate at a cell centre c is f(c) = sum_i w_i K(c - x_i) / sum_i w_i with the isotropic
Gaussian kernel K(d) = exp(-|d|^2 / (2 h^2)) / (2 pi h^2), the same as
``scipy.stats.gaussian_kde`` with covariance h^2 I. Instead of summing over every
(point, cell) pair, points are first spread onto a fine lattice by linear (bilinear) binning,
with lattice spacing at most h / 8 and dividing the cell size; the Gaussian then factorises into
an x part and a y part, so the surface is two dense matrix products
``Ky @ counts @ Kx.T`` from lattice nodes to cell centres.

Binning tolerance: moving a point's mass to the four surrounding lattice nodes changes its kernel
by at most (d^2 / 8) |K''|, i.e. about 0.4 % of the kernel's peak at spacing d = h / 8. In
practice (tested on 10,000 real Northamptonshire police.uk points) the surface is within 1 % of
the exact sum wherever the density exceeds 1 % of its maximum. Points more than 6 bandwidths
outside the grid contribute less than 1e-8 of a kernel peak to any cell and are skipped (they
still count in the total that normalises the surface).

Defaults: ``cell_size=100`` m and ``bandwidth=400`` m (the Gaussian's standard deviation, so
most of a bump lies within about 800 m). police.uk points are snapped to anonymous map points
roughly a street segment apart, so bandwidths below about 200 m mostly draw the snapping pattern.
Choose the bandwidth from the points by a documented rule or use the default
(:func:`alliance.stats.hotspots.kde_bandwidth.kde_bandwidth`), never from the size of the map,
and report it with the map.

Reference: Silverman, B. W. (1986) Density Estimation for Statistics and Data Analysis, ch. 3
(binned kernel estimates: Wand, M. P. (1994) J. Comp. Graph. Stat. 3(4), 433–445).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
Extent = tuple[float, float, float, float]

DEFAULT_CELL_SIZE = 100.0
DEFAULT_BANDWIDTH = 400.0
LATTICE_PER_BANDWIDTH = 8  # lattice spacing <= bandwidth / 8 (binning tolerance above)
REACH = 6.0  # bandwidths beyond which a point's contribution is ignored


@dataclass(frozen=True, kw_only=True)
class DensitySurface:
    """A kernel density raster.

    Attributes
    ----------
    density : (ny, nx) probability density per square metre (integrates to 1 over the plane),
        row j at ``y[j]``, column i at ``x[i]`` (cell centres, BNG metres, y ascending).
    x, y : cell-centre coordinates.
    cell_size, bandwidth : metres.
    total_weight : number of events (or sum of weights) the surface describes.
    """

    density: FloatArray
    x: FloatArray
    y: FloatArray
    cell_size: float
    bandwidth: float
    total_weight: float

    @property
    def events_per_km2(self) -> FloatArray:
        """Expected events per square kilometre: density x total events x 10^6."""
        return self.density * self.total_weight * 1e6

    @property
    def extent(self) -> Extent:
        half = self.cell_size / 2
        return (self.x[0] - half, self.y[0] - half, self.x[-1] + half, self.y[-1] + half)

    def to_frame(self) -> pd.DataFrame:
        """One row per cell: centre ``x``, ``y``, ``density``, ``events_per_km2``."""
        import pandas as pd

        xx, yy = np.meshgrid(self.x, self.y)
        return pd.DataFrame({
            "x": xx.ravel(), "y": yy.ravel(), "density": self.density.ravel(),
            "events_per_km2": self.events_per_km2.ravel(),
        })


def validated_points(
    points: ArrayLike, weights: ArrayLike | None
) -> tuple[FloatArray, FloatArray]:
    xy = np.asarray(points, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError(f"points must be an (n, 2) array of BNG easting/northing, got {xy.shape}")
    if xy.shape[0] == 0:
        raise ValueError("no points given: a density surface needs at least one event")
    bad = ~np.isfinite(xy).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)[:10].tolist()
        raise ValueError(f"{int(bad.sum())} point(s) have missing coordinates, rows {rows}")
    if np.abs(xy).max() > 2_000_000:
        raise ValueError("coordinates look like degrees or another CRS, not BNG metres")
    w = np.ones(xy.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (xy.shape[0],):
        raise ValueError(f"{w.size} weights for {xy.shape[0]} points")
    if (~np.isfinite(w) | (w < 0)).any():
        rows = np.flatnonzero(~np.isfinite(w) | (w < 0))[:10].tolist()
        raise ValueError(f"weights must be finite and non-negative; bad rows {rows}")
    if w.sum() <= 0:
        raise ValueError("the weights sum to zero: nothing to estimate")
    return xy, w


def grid_extent(points: FloatArray, *, bandwidth: float, cell_size: float) -> Extent:
    """The points' bounding box padded by 3 bandwidths, snapped outward to whole cells."""
    pad = 3 * bandwidth
    lo = np.floor((points.min(axis=0) - pad) / cell_size) * cell_size
    hi = np.ceil((points.max(axis=0) + pad) / cell_size) * cell_size
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


def _axis_matrix(centres: FloatArray, nodes: FloatArray, bandwidth: float) -> FloatArray:
    offsets = (centres[:, None] - nodes[None, :]) / bandwidth
    return np.exp(-0.5 * offsets * offsets)


def kernel_density(
    points: ArrayLike,
    *,
    cell_size: float = DEFAULT_CELL_SIZE,
    bandwidth: float = DEFAULT_BANDWIDTH,
    extent: Extent | None = None,
    weights: ArrayLike | None = None,
) -> DensitySurface:
    """Gaussian kernel density of events on a regular BNG grid (see the module notes).

    Parameters
    ----------
    points : (n, 2) easting, northing in British National Grid metres (EPSG:27700).
    cell_size : grid cell side in metres (default 100).
    bandwidth : Gaussian standard deviation h in metres (default 400).
    extent : (xmin, ymin, xmax, ymax) of the grid; default: the points' box padded by 3h.
        The grid has ceil(width / cell_size) columns starting at xmin (same for rows).
    weights : optional non-negative weight per point (e.g. harm scores, residents).

    Returns
    -------
    DensitySurface
        Equal to ``scipy.stats.gaussian_kde`` (covariance h^2 I) at the cell centres within the
        binning tolerance.
    """
    if not (cell_size > 0 and bandwidth > 0):
        raise ValueError("cell_size and bandwidth must be positive (metres)")
    xy, w = validated_points(points, weights)
    total = float(w.sum())
    xmin, ymin, xmax, ymax = extent if extent is not None else grid_extent(
        xy, bandwidth=bandwidth, cell_size=cell_size)
    if not (xmax > xmin and ymax > ymin):
        raise ValueError(f"empty extent {extent}")
    nx = max(1, math.ceil((xmax - xmin) / cell_size - 1e-9))
    ny = max(1, math.ceil((ymax - ymin) / cell_size - 1e-9))
    x = np.asarray(xmin + (np.arange(nx) + 0.5) * cell_size, dtype=np.float64)
    y = np.asarray(ymin + (np.arange(ny) + 0.5) * cell_size, dtype=np.float64)
    reach = REACH * bandwidth
    near = ((xy[:, 0] > x[0] - reach) & (xy[:, 0] < x[-1] + reach)
            & (xy[:, 1] > y[0] - reach) & (xy[:, 1] < y[-1] + reach))
    xy, w = xy[near], w[near]
    density = np.zeros((ny, nx))
    if xy.shape[0]:
        spacing = cell_size / math.ceil(cell_size * LATTICE_PER_BANDWIDTH / bandwidth)
        origin = xy.min(axis=0) - spacing
        span = np.floor((xy.max(axis=0) - origin) / spacing).astype(int) + 2
        position = (xy - origin) / spacing
        base = np.floor(position).astype(np.int64)
        frac = position - base
        lattice = np.zeros(int(span[1]) * int(span[0]))
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            share = (frac[:, 0] if dx else 1 - frac[:, 0]) * (frac[:, 1] if dy else 1 - frac[:, 1])
            flat = (base[:, 1] + dy) * span[0] + base[:, 0] + dx
            lattice += np.bincount(flat, weights=w * share, minlength=lattice.size)
        counts = lattice.reshape(int(span[1]), int(span[0]))
        kx = _axis_matrix(x, origin[0] + np.arange(span[0]) * spacing, bandwidth)
        ky = _axis_matrix(y, origin[1] + np.arange(span[1]) * spacing, bandwidth)
        # Multiply in the cheaper order.
        if ny * span[1] * span[0] + ny * span[0] * nx <= span[1] * span[0] * nx + ny * span[1] * nx:
            density = (ky @ counts) @ kx.T
        else:
            density = ky @ (counts @ kx.T)
        density *= 1.0 / (2 * math.pi * bandwidth**2 * total)
    return DensitySurface(density=density, x=x, y=y, cell_size=float(cell_size),
                          bandwidth=float(bandwidth), total_weight=total)
