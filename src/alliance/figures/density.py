"""Kernel density of offences for a published map, shown as bands, not numbers.

The density is drawn from the points of published neighbourhoods; a hidden neighbourhood
contributes instead one weighted point at a point inside it, weighted by the value worked out
from published figures (see
:meth:`alliance.figures.publication.Publication.lsoa_values_for_statistics`), so the surface
does not depend on a hidden count. The map and its table give each cell's *band* (the densest
1%, 5% and 10% of cells), never the density itself, so the surface cannot be inverted back to
counts at map points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from alliance.figures.publication import Period, Publication
from alliance.geo.spatial import to_bng
from alliance.stats.hotspots.kde import DEFAULT_BANDWIDTH, kernel_density

BANDS = ((0.01, "Densest 1% of cells"), (0.05, "Densest 1–5%"), (0.10, "Densest 5–10%"))


@dataclass(frozen=True, kw_only=True)
class DensityBands:
    """Cells (BNG centre x, y) in the densest 10% inside the area, each with its band."""

    cells: pd.DataFrame  # x, y, band (label), rank (1 = densest band)
    cell_size: float
    bandwidth: float
    points: int

    @property
    def method(self) -> str:
        return (f"Gaussian kernel density, bandwidth {self.bandwidth:,.0f} m (the standard "
                f"deviation of the kernel), {self.cell_size:,.0f} m cells; cells are banded "
                "by rank among the cells inside the area")


def density_bands(pub: Publication, *, period: Period, points: pd.DataFrame,
                  bandwidth: float = DEFAULT_BANDWIDTH, cell_size: float = 200.0
                  ) -> DensityBands | None:
    """Bands of kernel density from ``points`` (columns lsoa21_code, easting, northing: the
    placed offences of the period); ``None`` when there are fewer than 20 points."""
    geo = pub.cube.geography
    shown = pub.lsoa_counts(period)
    located = points.dropna(subset=["easting", "northing", "lsoa21_code"])
    located = located[located["lsoa21_code"].isin(shown.index[shown.notna()])]
    xy = located[["easting", "northing"]].to_numpy(dtype=float)
    weights = np.ones(len(xy))
    hidden = shown.index[shown.isna()]
    if len(hidden):
        values = pub.lsoa_values_for_statistics(period).reindex(hidden)
        centres = _points_inside(geo.lsoa.loc[hidden, "geometry_wkb"])
        xy = np.vstack([xy, centres])
        weights = np.concatenate([weights, values.to_numpy(dtype=float)])
    if weights.sum() < 20:
        return None
    outline = shapely.union_all(_bng(geo.lsoa["geometry_wkb"]))
    minx, miny, maxx, maxy = outline.bounds
    surface = kernel_density(xy, cell_size=cell_size, bandwidth=bandwidth,
                             extent=(minx, miny, maxx, maxy), weights=weights)
    gx, gy = np.meshgrid(surface.x, surface.y)
    grid = pd.DataFrame({"x": gx.ravel(), "y": gy.ravel(),
                         "value": surface.density.ravel()})
    inside = shapely.contains_xy(outline, grid["x"].to_numpy(), grid["y"].to_numpy())
    grid = grid[inside & (grid["value"] > 0)].sort_values("value", ascending=False,
                                                          kind="stable")
    n = len(grid)
    rank = np.arange(n) / max(n, 1)
    band = np.select([rank < f for f, _ in BANDS], [label for _, label in BANDS], "")
    order = np.select([rank < f for f, _ in BANDS], [1, 2, 3], 0)
    grid = grid.assign(band=band, rank=order)
    cells = grid[grid["rank"] > 0][["x", "y", "band", "rank"]].reset_index(drop=True)
    return DensityBands(cells=cells, cell_size=cell_size, bandwidth=bandwidth,
                        points=round(float(weights.sum())))


def _bng(wkb: pd.Series) -> np.ndarray:
    """Boundaries (WKB, longitude/latitude) in British National Grid metres."""
    def project(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(to_bng(coords[:, 0], coords[:, 1]))

    return np.asarray(shapely.transform(shapely.from_wkb(wkb.to_numpy()), project))


def _points_inside(wkb: pd.Series) -> np.ndarray:
    pts = shapely.point_on_surface(_bng(wkb))
    return np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])
