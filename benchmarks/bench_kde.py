"""Kernel density on real Northamptonshire police.uk points: Alliance vs scipy.stats.gaussian_kde.

Run: ``.venv/bin/python benchmarks/bench_kde.py``

1. 10,000 points (a fixed random sample of the 2024–2025 street-level crimes inside the county's
   bounding box) on a 200 m grid over Northamptonshire (~125,000 cells), Gaussian kernel with
   h = 400 m for both (scipy with covariance h^2 I). Prints both times, the ratio, and the
   largest relative difference where the density exceeds 1 % of its maximum.
2. 1,000,000 points (the real points resampled with replacement and jittered by 25 m) on a 50 m
   grid (~2 million cells).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from alliance import config  # noqa: E402
from alliance.stats.hotspots.kde import kernel_density  # noqa: E402

DATA = config.load().shared_data
BANDWIDTH = 400.0


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


def main() -> None:
    from scipy.stats import gaussian_kde

    points, bounds = northants_points()
    rng = np.random.default_rng(0)
    sample = points[rng.choice(len(points), 10_000, replace=False)]
    extent = snapped(bounds, 200.0)
    start = time.perf_counter()
    ours = kernel_density(sample, cell_size=200.0, bandwidth=BANDWIDTH, extent=extent)
    ours_time = time.perf_counter() - start
    reference = gaussian_kde(sample.T)
    reference._data_covariance = np.eye(2)  # isotropic kernel, sd = BANDWIDTH
    reference._data_cho_cov = np.eye(2)
    reference.set_bandwidth(BANDWIDTH)
    xx, yy = np.meshgrid(ours.x, ours.y)
    start = time.perf_counter()
    exact = reference(np.vstack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    scipy_time = time.perf_counter() - start
    mask = exact > 0.01 * exact.max()
    worst = float(np.max(np.abs(ours.density[mask] / exact[mask] - 1)))
    print(f"10,000 points, 200 m grid {ours.density.shape} = {ours.density.size:,} cells, "
          f"h = {BANDWIDTH:.0f} m")
    print(f"  scipy gaussian_kde {scipy_time:7.3f} s")
    print(f"  alliance           {ours_time:7.3f} s   speed-up x{scipy_time / ours_time:.0f}")
    print(f"  max relative difference where density > 1% of max: {worst:.4%}")

    big = points[rng.integers(0, len(points), 1_000_000)] + rng.normal(0, 25, (1_000_000, 2))
    extent50 = snapped(bounds, 50.0)
    start = time.perf_counter()
    surface = kernel_density(big, cell_size=50.0, bandwidth=BANDWIDTH, extent=extent50)
    big_time = time.perf_counter() - start
    print(f"1,000,000 points, 50 m grid {surface.density.shape} = {surface.density.size:,} "
          f"cells: {big_time:.3f} s")


if __name__ == "__main__":
    main()
