"""The partnership's places for surveys: the list of wards, typed place names, where a pin
falls (LSOA and ward), and the clickable map (an SVG drawn from the pooled boundaries).

No tiles and no script: the map is an ``<input type="image">`` whose click arrives as pixel
coordinates with the form, turned back into longitude and latitude here. The same gazetteer
serves the no-map alternative: a list of wards, or a typed name matched against ward, district
and town names (no postcode lookup is held in the pool, so a typed postcode is kept as typed
for staff to place).
"""

from __future__ import annotations

import difflib
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import shapely

from alliance.geo.spatial import LsoaIndex
from alliance.voice.surveys import Places
from alliance.web.pool import geography as geo_store
from alliance.web.pool.publication import NoFigures, area_geography

#: width of the map in CSS pixels: fixed, because a click arrives in rendered pixels and a
#: 320-pixel map fits a 390-pixel phone with the page's margins
MAP_WIDTH = 320
#: half the side of the zoomed map around a first click, in degrees of latitude (~2.2 km)
ZOOM_HALF = 0.02
_lock = threading.Lock()


@dataclass(frozen=True)
class AreaPlaces:
    """Wards of the area (code -> name, lon, lat of a point inside), their boundaries, the
    LSOA index, LSOA -> ward and ward -> district, and the area's bounding box."""

    places: Places
    wards: pd.DataFrame  # index ward code: name, lad_code, lad_name, geometry (shapely)
    lsoas: pd.DataFrame  # index lsoa code: ward_code, population, geometry
    index: LsoaIndex
    bounds: tuple[float, float, float, float]


def _finder(names: dict[str, str], extra: dict[str, str]) -> Any:
    lookup: dict[str, str] = {}
    for code, name in [*names.items(), *extra.items()]:
        lookup.setdefault(name.lower(), code)
    # the places a ward is named after ("Cropredy, Sibfords and Wroxton"), where only one
    # ward carries that name
    parts: dict[str, set[str]] = {}
    for code, name in names.items():
        for part in re.split(r",\s*|\s+and\s+|\s*&\s*", name.lower()):
            if len(part) >= 4:
                parts.setdefault(part.strip(), set()).add(code)
    for part, codes in parts.items():
        if len(codes) == 1 and part not in lookup:
            lookup[part] = next(iter(codes))
    keys = sorted(lookup, key=len, reverse=True)

    def find(text: str) -> str | None:
        words = re.sub(r"[^a-z0-9 '&-]", " ", text.lower())
        for key in keys:  # a known name inside the text ("the park in Abington")
            if re.search(rf"\b{re.escape(key)}\b", words):
                return lookup[key]
        close = difflib.get_close_matches(" ".join(words.split()), keys, n=1, cutoff=0.85)
        return lookup[close[0]] if close else None

    return find


#: how long the current geography batch is trusted without asking the database again (a
#: pin is placed on every response sent; geography is reloaded a few times a year)
BATCH_SECONDS = 30.0
_batch_seen: tuple[float, int | None] = (0.0, None)


def area_places(area_code: str) -> AreaPlaces:
    """The places of an area, built once per geography load."""
    global _batch_seen
    now = time.monotonic()
    if now - _batch_seen[0] > BATCH_SECONDS:
        _batch_seen = (now, getattr(geo_store.current_batch(), "pk", None))
    return _cached(area_code, _batch_seen[1])


@lru_cache(maxsize=4)
def _cached(area_code: str, _batch: int | None) -> AreaPlaces:
    with _lock:
        tables = geo_store.stored_tables()
        if tables is None:
            raise NoFigures("no geography is loaded yet: an analyst must load it first")
        area = area_geography(area_code)
        lsoa = area.lsoa.copy()
        links = tables.area_parents
        to_ward = links[(links["child_level"] == "lsoa21") & (links["parent_level"] == "ward")]
        ward_of = to_ward.drop_duplicates("child_code").set_index("child_code")["parent_code"]
        lsoa["ward_code"] = ward_of.reindex(lsoa.index).fillna("").to_numpy()
        lsoa["geometry"] = shapely.from_wkb(lsoa["geometry_wkb"].to_numpy())
        names = tables.areas.drop_duplicates("code").set_index("code")["name"]
        bounds_table = tables.ward_boundaries.drop_duplicates("code").set_index("code")
        codes = sorted({c for c in lsoa["ward_code"] if c})
        geoms = []
        for code in codes:
            if code in bounds_table.index:
                geoms.append(shapely.from_wkb(bounds_table.loc[code, "geometry_wkb"]))
            else:  # no ward boundary held: the union of its LSOAs
                geoms.append(shapely.union_all(lsoa.loc[lsoa["ward_code"] == code, "geometry"]))
        lad_of = lsoa.groupby("ward_code")["lad_code"].agg(lambda s: s.mode().iloc[0])
        lad_name = lsoa.groupby("lad_code")["lad_name"].first()
        wards = pd.DataFrame({"name": [str(names.get(c, c)) for c in codes],
                              "lad_code": lad_of.reindex(codes).to_numpy(),
                              "geometry": geoms}, index=codes)
        wards["lad_name"] = wards["lad_code"].map(lad_name).fillna("")
        points = shapely.point_on_surface(np.asarray(wards["geometry"].to_numpy()))
        areas = {c: (f"{n}, {d}" if d else n, float(p.x), float(p.y)) for c, n, d, p in zip(
            codes, wards["name"], wards["lad_name"], points, strict=True)}
        towns = {}
        for lad_code, name in lad_name.items():  # a district's name finds its largest ward
            mine = wards[wards["lad_code"] == lad_code]
            if len(mine):
                towns[str(lad_code)] = str(name)
        ward_names = dict(zip(codes, wards["name"], strict=True))
        district_ward = {c: mine.index[0] for c in towns
                         if len(mine := wards[wards["lad_code"] == c])}
        finder = _finder(ward_names, {district_ward[c]: n for c, n in towns.items()})
        minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(lsoa["geometry"].to_numpy()))
        bounds = (float(minx), float(miny), float(maxx), float(maxy))
        index = LsoaIndex.from_boundaries(lsoa.reset_index().rename(
            columns={"lsoa21_code": "code"})[["code", "geometry_wkb"]])
        return AreaPlaces(places=Places(areas=areas, bounds=bounds, find=finder), wards=wards,
                          lsoas=lsoa[["ward_code", "population", "geometry"]], index=index,
                          bounds=bounds)


def place_points(places: AreaPlaces, lon: list[float], lat: list[float],
                 ) -> tuple[list[str], list[str]]:
    """LSOA and ward code of each point ('' outside the area)."""
    found = places.index.place(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    lsoa = ["" if c is None else str(c) for c in found]
    ward = [str(places.lsoas.at[c, "ward_code"]) if c else "" for c in lsoa]
    return lsoa, ward


# ------------------------------------------------------------------------------------ map
@dataclass(frozen=True)
class MapFrame:
    """A map's window: west, south, east, north (degrees) and its size in pixels."""

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> int:
        return MAP_WIDTH

    @property
    def height(self) -> int:
        ratio = (self.north - self.south) / ((self.east - self.west) *
                                             np.cos(np.radians((self.north + self.south) / 2)))
        return max(120, min(480, round(MAP_WIDTH * ratio)))

    def to_pixels(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return x, y

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon = self.west + x / self.width * (self.east - self.west)
        lat = self.north - y / self.height * (self.north - self.south)
        return lon, lat


def county_frame(places: AreaPlaces) -> MapFrame:
    w, s, e, n = places.bounds
    pad_x, pad_y = (e - w) * 0.02, (n - s) * 0.02
    return MapFrame(w - pad_x, s - pad_y, e + pad_x, n + pad_y)


def zoom_frame(lon: float, lat: float) -> MapFrame:
    half_lon = ZOOM_HALF / np.cos(np.radians(lat))
    return MapFrame(lon - half_lon, lat - ZOOM_HALF, lon + half_lon, lat + ZOOM_HALF)


def _path(geom: Any, frame: MapFrame) -> str:
    parts = []
    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        for ring in [poly.exterior, *poly.interiors]:
            xy = [frame.to_pixels(x, y) for x, y in ring.coords]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def map_svg(places: AreaPlaces, frame: MapFrame, *, pin: tuple[float, float] | None = None,
            zoomed: bool = False) -> str:
    """The map as SVG: ward (zoomed: LSOA) boundaries, ward names when zoomed, and the pin."""
    box = shapely.box(frame.west, frame.south, frame.east, frame.north)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame.width}" '
           f'height="{frame.height}" viewBox="0 0 {frame.width} {frame.height}">',
           f'<rect width="{frame.width}" height="{frame.height}" fill="#f3f2f1"/>']
    shapes = places.lsoas["geometry"] if zoomed else places.wards["geometry"]
    for geom in shapes:
        if shapely.intersects(geom, box):
            out.append(f'<path d="{_path(shapely.intersection(geom, box), frame)}" '
                       'fill="#ffffff" stroke="#505a5f" stroke-width="0.6"/>')
    if zoomed:
        for _code, row in places.wards.iterrows():
            point = shapely.point_on_surface(row["geometry"])
            if shapely.contains(box, point):
                x, y = frame.to_pixels(point.x, point.y)
                name = str(row["name"]).replace("&", "&amp;").replace("<", "&lt;")
                out.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="11" text-anchor="middle" '
                           f'font-family="arial, sans-serif" fill="#0b0c0c">{name}</text>')
    if pin is not None:
        x, y = frame.to_pixels(*pin)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#d4351c" stroke="#ffffff" '
                   'stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)
