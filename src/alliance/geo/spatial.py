"""Place points in LSOA 2021 polygons, and convert lon/lat to British National Grid.

:class:`LsoaIndex` holds the LSOA 2021 polygons in a shapely 2 STRtree and places many points
at once (one vectorised tree query; no Python loop over points). A point that touches several
polygons — exactly on a shared border or vertex — is given the lowest LSOA code among them, so
the answer is deterministic. Points with a missing (NaN) or infinite coordinate, and points
in no polygon (at sea, outside England & Wales, in a gap of a generalised boundary layer), get
``None``.

Boundary layers held are the ONS *super generalised* (BSC, 200 m) ones, so points within some
tens of metres of an LSOA border can fall on the wrong side of it; police.uk points are
themselves snapped to anonymised map points. Expect high but not perfect agreement with codes
assigned upstream on full-resolution boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

from alliance.geo.tables import GeographyInputError, require_columns


@lru_cache(maxsize=1)
def _wgs84_to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def to_bng(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Longitude/latitude (EPSG:4326) to British National Grid easting/northing (EPSG:27700).

    Vectorised over arrays; NaN (or infinite) in gives NaN out. Uses pyproj's default
    transformation: the OSTN15 grid when PROJ has it installed, else the Helmert
    approximation (EPSG "OSGB36 to WGS 84 (6)", a few metres).
    """
    lon_arr = np.asarray(lon, dtype=float)
    lat_arr = np.asarray(lat, dtype=float)
    if lon_arr.shape != lat_arr.shape:
        raise ValueError(f"lon has shape {lon_arr.shape} but lat has {lat_arr.shape}")
    easting, northing = _wgs84_to_bng().transform(lon_arr, lat_arr)
    easting, northing = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    # PROJ returns inf for a NaN input; a missing point must stay missing.
    missing = ~(np.isfinite(lon_arr) & np.isfinite(lat_arr)) | ~np.isfinite(easting)
    easting[missing] = np.nan
    northing[missing] = np.nan
    return easting, northing


@dataclass(frozen=True, eq=False)
class LsoaIndex:
    """LSOA 2021 polygons (EPSG:4326) in an STRtree, ordered by code.

    Build with :meth:`from_boundaries`; place points with :meth:`place`.
    """

    codes: NDArray[np.object_]
    polygons: NDArray[np.object_]
    tree: shapely.STRtree

    @classmethod
    def from_boundaries(cls, boundaries: pd.DataFrame) -> LsoaIndex:
        """From a boundary table with ``code`` and ``geometry_wkb`` (e.g. ``lsoa21_boundaries``)."""
        require_columns(boundaries, ["code", "geometry_wkb"], source="LSOA boundary table")
        if boundaries["code"].duplicated().any():
            dup = sorted(set(boundaries["code"][boundaries["code"].duplicated()]))
            raise GeographyInputError(f"LSOA boundary table: duplicated code(s) {dup[:10]}")
        ordered = boundaries.sort_values("code", kind="stable")
        polygons = shapely.from_wkb(ordered["geometry_wkb"].to_numpy())
        if shapely.is_missing(polygons).any() or shapely.is_empty(polygons).any():
            bad = ordered["code"][shapely.is_missing(polygons) | shapely.is_empty(polygons)]
            raise GeographyInputError(f"LSOA boundary table: empty geometry for {list(bad)[:10]}")
        shapely.prepare(polygons)
        return cls(codes=ordered["code"].to_numpy(dtype=object), polygons=polygons,
                   tree=shapely.STRtree(polygons))

    def __len__(self) -> int:
        return len(self.codes)

    def place_index(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.int64]:
        """Position in :attr:`codes` of the polygon holding each point, -1 where none."""
        lon_arr = np.asarray(lon, dtype=float).ravel()
        lat_arr = np.asarray(lat, dtype=float).ravel()
        if lon_arr.shape != lat_arr.shape:
            raise ValueError(f"lon has {lon_arr.size} values but lat has {lat_arr.size}")
        result = np.full(lon_arr.size, -1, dtype=np.int64)
        finite = np.flatnonzero(np.isfinite(lon_arr) & np.isfinite(lat_arr))
        if finite.size == 0:
            return result
        points = shapely.points(lon_arr[finite], lat_arr[finite])
        point_i, poly_i = self.tree.query(points, predicate="intersects")
        if point_i.size:
            # Several hits = a point on a shared border: keep the lowest code (lowest index,
            # since polygons are ordered by code). Shapely returns hits grouped by point; sort
            # only if a future version does not.
            if np.any(point_i[1:] < point_i[:-1]):
                order = np.argsort(point_i, kind="stable")
                point_i, poly_i = point_i[order], poly_i[order]
            starts = np.flatnonzero(np.concatenate(([True], point_i[1:] != point_i[:-1])))
            result[finite[point_i[starts]]] = np.minimum.reduceat(poly_i, starts)
        return result

    def place(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.object_]:
        """LSOA 2021 code of each point (object array; ``None`` where no polygon holds it)."""
        index = self.place_index(lon, lat)
        out = np.full(index.size, None, dtype=object)
        found = index >= 0
        out[found] = self.codes[index[found]]
        return out
