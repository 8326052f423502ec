"""Kernel density on real Northamptonshire police.uk points: Alliance beside scipy's exact sum
and KDEpy's binned FFT estimator, with the accuracy of each against the exact sum.

Run: ``uv run python benchmarks/bench_kde.py``

What each computes (Gaussian kernel, standard deviation h = 400 m in both directions, density
per square metre at the centre of every grid cell):

* ``scipy.stats.gaussian_kde`` (covariance h^2 I): the exact sum over every (point, cell) pair,
  O(points x cells). The reference for accuracy.
* KDEpy ``FFTKDE``: linear binning of the points onto an equidistant lattice, then one FFT
  convolution with the kernel sampled on the lattice; the kernel is cut where its value drops
  below 1e-4 (``practical_support``, in the data's units), and every point must lie inside the
  lattice. *default*: coordinates in metres, the lattice = the output cells (200 m = h/2),
  widened by 6h so that every point is inside; at bw = 400 (metres) its kernel cut falls at
  2.1 h. *best*: what KDEpy's own error message advises, the data scaled to bandwidth units
  (bw = 1, kernel cut at 4.1 h), on a lattice of h/8 (50 m) from which the cell centres are
  read; the same lattice spacing as ours.
* Alliance ``kernel_density``: linear binning onto a lattice of h/8, then the Gaussian, which
  factorises into an x part and a y part, as two dense matrix products from lattice nodes to
  cell centres (no cut within 6 h).

Cases:

1. 10,000 points (a fixed random sample of the 2024-2025 street-level crimes inside the county's
   bounding box) on a 200 m grid over Northamptonshire (~126,000 cells): all four, timed (median
   of 3; scipy once), and each one's largest and median relative difference from the exact sum
   where the exact density exceeds 1 % of its maximum.
2. 1,000,000 points (the real points resampled with replacement and jittered by 25 m) on a 50 m
   grid (~2 million cells): ours and FFTKDE best, timed; the exact sum is too slow for every
   cell, so it is taken at 300 random cells where the density exceeds 1 % of its maximum and
   both are compared there.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from alliance import config  # noqa: E402
from alliance.stats.hotspots.kde import kernel_density  # noqa: E402

DATA = config.load().shared_data
BANDWIDTH = 400.0
PAD = 6 * BANDWIDTH  # every point must lie inside KDEpy's lattice
REPEATS = 3


def northants_points() -> tuple[np.ndarray, tuple[float, float, float, float]]:
    import geopandas as gpd
    from pyproj import Transformer

    files = sorted((DATA / "policeuk" / "street" / "northamptonshire").glob("*.csv.gz"))
    crimes = pd.concat([pd.read_csv(f, usecols=["Longitude", "Latitude"]) for f in files])
    crimes = crimes.dropna()
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    x, y = to_bng.transform(crimes["Longitude"].to_numpy(), crimes["Latitude"].to_numpy())
    lsoas = gpd.read_file(DATA / "geo" / "northants" / "lsoa21_bsc_northants.geojson")
    xmin, ymin, xmax, ymax = lsoas.to_crs(27700).total_bounds
    inside = (x > xmin) & (x < xmax) & (y > ymin) & (y < ymax)
    return np.c_[x, y][inside], (float(xmin), float(ymin), float(xmax), float(ymax))


def snapped(
    bounds: tuple[float, float, float, float], cell: float
) -> tuple[float, float, float, float]:
    lo = np.floor(np.array(bounds[:2]) / cell) * cell
    hi = np.ceil(np.array(bounds[2:]) / cell) * cell
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


def fftkde(points: np.ndarray, x: np.ndarray, y: np.ndarray, *, best: bool) -> np.ndarray:
    """KDEpy FFTKDE at the cell centres ``x`` (columns) and ``y`` (rows), shape (ny, nx)."""
    from KDEpy import FFTKDE

    cell = float(x[1] - x[0])
    step = BANDWIDTH / 8 if best else cell
    every = round(cell / step)
    extra = int(np.ceil(PAD / step))
    # lattice nodes: the cell centres, `every - 1` nodes between two of them, `extra` beyond
    gx = x[0] + step * np.arange(-extra, (len(x) - 1) * every + extra + 1)
    gy = y[0] + step * np.arange(-extra, (len(y) - 1) * every + extra + 1)
    mx, my = np.meshgrid(gx, gy, indexing="ij")
    grid = np.c_[mx.ravel(), my.ravel()]
    if best:  # in bandwidth units: KDEpy's kernel cut (value < 1e-4) then lies at 4.1 h
        density = FFTKDE(kernel="gaussian", bw=1.0).fit(points / BANDWIDTH).evaluate(
            grid / BANDWIDTH) / BANDWIDTH**2
    else:
        density = FFTKDE(kernel="gaussian", bw=BANDWIDTH).fit(points).evaluate(grid)
    lattice = density.reshape(len(gx), len(gy))
    take_x = extra + every * np.arange(len(x))
    take_y = extra + every * np.arange(len(y))
    return np.asarray(lattice[np.ix_(take_x, take_y)].T)


def exact_at(points: np.ndarray, where: np.ndarray) -> np.ndarray:
    """scipy's exact Gaussian sum (covariance h^2 I) at the (k, 2) positions ``where``."""
    from scipy.stats import gaussian_kde

    reference = gaussian_kde(points.T)
    reference._data_covariance = np.eye(2)  # isotropic kernel, sd = BANDWIDTH
    reference._data_cho_cov = np.eye(2)
    reference.set_bandwidth(BANDWIDTH)
    return np.asarray(reference(where.T))


def timed(call: Callable[[], np.ndarray], repeats: int) -> tuple[float, np.ndarray]:
    times, result = [], np.empty(0)
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def differences(estimate: np.ndarray, exact: np.ndarray) -> str:
    mask = exact > 0.01 * exact.max()
    relative = np.abs(estimate[mask] / exact[mask] - 1)
    return f"max {relative.max():7.3%}, median {np.median(relative):7.4%}"


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f}")
    points, bounds = northants_points()
    rng = np.random.default_rng(0)
    sample = points[rng.choice(len(points), 10_000, replace=False)]
    extent = snapped(bounds, 200.0)
    ours_time, ours = timed(lambda: kernel_density(
        sample, cell_size=200.0, bandwidth=BANDWIDTH, extent=extent).density, REPEATS)
    surface = kernel_density(sample, cell_size=200.0, bandwidth=BANDWIDTH, extent=extent)
    xx, yy = np.meshgrid(surface.x, surface.y)
    scipy_time, exact = timed(
        lambda: exact_at(sample, np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape), 1)
    fft_default_time, fft_default = timed(
        lambda: fftkde(sample, surface.x, surface.y, best=False), REPEATS)
    fft_best_time, fft_best = timed(
        lambda: fftkde(sample, surface.x, surface.y, best=True), REPEATS)
    print(f"10,000 points, 200 m grid {exact.shape} = {exact.size:,} cells, "
          f"h = {BANDWIDTH:.0f} m; difference from the exact sum where density > 1% of max")
    print(f"  scipy gaussian_kde (exact)  {scipy_time:8.3f} s")
    print(f"  KDEpy FFTKDE default        {fft_default_time:8.3f} s   "
          f"{differences(fft_default, exact)}")
    print(f"  KDEpy FFTKDE best           {fft_best_time:8.3f} s   "
          f"{differences(fft_best, exact)}")
    print(f"  alliance                    {ours_time:8.3f} s   {differences(ours, exact)}")
    print(f"  ours is {scipy_time / ours_time:.0f}x faster than scipy, "
          f"{fft_default_time / ours_time:.1f}x than FFTKDE default, "
          f"{fft_best_time / ours_time:.1f}x than FFTKDE best")

    big = points[rng.integers(0, len(points), 1_000_000)] + rng.normal(0, 25, (1_000_000, 2))
    extent50 = snapped(bounds, 50.0)
    big_time, _ = timed(lambda: kernel_density(
        big, cell_size=50.0, bandwidth=BANDWIDTH, extent=extent50).density, REPEATS)
    surface = kernel_density(big, cell_size=50.0, bandwidth=BANDWIDTH, extent=extent50)
    big_fft_time, big_fft = timed(lambda: fftkde(big, surface.x, surface.y, best=True), REPEATS)
    dense = np.argwhere(surface.density > 0.01 * surface.density.max())
    cells = dense[rng.choice(len(dense), 300, replace=False)]
    where = np.c_[surface.x[cells[:, 1]], surface.y[cells[:, 0]]]
    exact_big = exact_at(big, where)

    def at_cells(grid: np.ndarray) -> np.ndarray:
        return grid[cells[:, 0], cells[:, 1]]

    print(f"1,000,000 points, 50 m grid {surface.density.shape} = {surface.density.size:,} "
          f"cells; difference from the exact sum at 300 random cells above 1% of max")
    print(f"  KDEpy FFTKDE best           {big_fft_time:8.3f} s   "
          f"{differences(at_cells(big_fft), exact_big)}")
    print(f"  alliance                    {big_time:8.3f} s   "
          f"{differences(at_cells(surface.density), exact_big)}")
    print(f"  ours is {big_fft_time / big_time:.1f}x faster than FFTKDE best")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
