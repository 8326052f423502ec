"""Place 1,000,000 points in the 35,672 LSOA 2021 polygons: LsoaIndex vs geopandas.sjoin.

Run: ``.venv/bin/python benchmarks/bench_spatial_join.py [n_points]``

Points are drawn uniformly inside the bounding boxes of randomly chosen LSOAs (seed 2021), so
most fall in land polygons and some in neighbours or the sea, as real incident points do. Both
tools get the same polygons and lon/lat arrays. "build" is the index for LsoaIndex and the two
GeoDataFrames (including the point geometries) for geopandas; LsoaIndex.place makes its point
geometries inside "place", so compare the end-to-end line. The answers are compared
(geopandas may return several rows for a border point; its lowest code is taken, as LsoaIndex
does). Both run the same GEOS STRtree query, so expect a ratio near 1.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from alliance import config
from alliance.geo.layout import read_boundaries
from alliance.geo.spatial import LsoaIndex


def main(n_points: int = 1_000_000) -> None:
    folder = Path(config.load().shared_data) / "geo"
    boundaries, _ = read_boundaries(folder, "lsoa21_boundaries")
    polygons = shapely.from_wkb(boundaries["geometry_wkb"].to_numpy())
    rng = np.random.default_rng(2021)
    bounds = shapely.bounds(polygons)[rng.integers(0, len(polygons), n_points)]
    lon = rng.uniform(bounds[:, 0], bounds[:, 2])
    lat = rng.uniform(bounds[:, 1], bounds[:, 3])
    print(f"{n_points:,} points, {len(polygons):,} LSOA 2021 polygons (BSC)")

    start = time.perf_counter()
    index = LsoaIndex.from_boundaries(boundaries)
    ours_build = time.perf_counter() - start
    start = time.perf_counter()
    ours = index.place(lon, lat)
    ours_query = time.perf_counter() - start

    start = time.perf_counter()
    areas = gpd.GeoDataFrame({"code": boundaries["code"].to_numpy()}, geometry=polygons,
                             crs=4326)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    theirs_build = time.perf_counter() - start
    start = time.perf_counter()
    joined = gpd.sjoin(points, areas, how="left", predicate="intersects")
    theirs_query = time.perf_counter() - start
    theirs = joined["code"].groupby(level=0).min().reindex(range(n_points)).to_numpy()

    found = np.array([c is not None for c in ours])
    same = np.array([a == b for a, b in zip(ours[found], theirs[found], strict=True)])
    agree = same.mean() if found.any() else float("nan")
    print(f"LsoaIndex      build {ours_build:6.2f} s  place {ours_query:6.2f} s")
    print(f"geopandas.sjoin build {theirs_build:6.2f} s  sjoin {theirs_query:6.2f} s")
    ours_total, theirs_total = ours_build + ours_query, theirs_build + theirs_query
    print(f"end to end: LsoaIndex {ours_total:.2f} s, geopandas {theirs_total:.2f} s, "
          f"ratio geopandas/LsoaIndex {theirs_total / ours_total:.2f}x "
          f"(query only {theirs_query / ours_query:.2f}x)")
    print(f"placed {found.mean():.1%}; same code as sjoin for {agree:.4%} of placed points")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
