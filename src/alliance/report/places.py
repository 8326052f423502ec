"""Place names and district boundaries for the report's maps, derived from the data held.

No gazetteer of towns is held, so town labels are derived, by a rule that is written down here
and checked on the real Northamptonshire data:

1. **Built-up clusters.** Small areas (LSOAs) with at least :data:`MIN_DENSITY` residents per
   km² (10 per hectare: streets of houses, not fields) that touch form a cluster — roughly a
   town or a suburb run together, as ONS built-up areas are.
2. **A cluster's name** is, first, the ward name that covers at least half its residents (wards
   sharing a first word — "Daventry East", "Daventry West" — count as that word, "Daventry");
   else, when the cluster is the largest in its district and holds at least half the
   district's residents, the district's name (a district is named after its main town where it
   has one: Corby, Kettering, Northampton, Wellingborough); else it is not labelled.
3. Districts (or Community Safety Partnerships) whose name no town label carries are labelled
   as areas, at the point inside them farthest from their edge.

Labels are ranked by population; the map draws them in that order and leaves out any that
would overlap one already drawn (:mod:`alliance.report.map_labels`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.ops import nearest_points, polylabel

from alliance.report.map_labels import Place
from alliance.report.maps import project

#: Residents per km² from which a small area counts as built up.
MIN_DENSITY = 1_000.0
#: Smallest cluster labelled as a town (about two LSOAs).
MIN_TOWN = 2_500.0
#: Share of a cluster's residents a ward name must cover to name it; share of a district's
#: residents its largest cluster must hold to carry the district's name.
DOMINANT = 0.5
#: Gap (metres) within which two small areas count as touching (boundaries are generalised).
TOUCH = 25.0


@dataclass(frozen=True, kw_only=True)
class MapLayers:
    """What makes a map of small areas readable: place labels, district boundaries (WKB,
    EPSG:4326, indexed by name) and names for the areas' tooltips."""

    places: tuple[Place, ...] = ()
    boundaries: pd.Series | None = None
    names: Mapping[str, str] = field(default_factory=dict)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`alliance.report.maps.choropleth` and
        :func:`alliance.report.category_map.category_map`."""
        return {"places": self.places, "boundaries": self.boundaries, "names": dict(self.names)}


def _stem(name: str, shared: set[str]) -> str:
    first = name.split()[0] if name.split() else name
    return first if first in shared else name


def _ward_stems(wards: pd.Series) -> pd.Series:
    """Ward names, with wards that share a first word ("Rushden South", "Rushden Pemberton
    West") reduced to it ("Rushden")."""
    names = wards.fillna("").astype(str)
    firsts = names.drop_duplicates().map(lambda n: n.split()[0] if n.split() else n)
    shared = set(firsts[firsts.duplicated(keep=False)])
    return names.map(lambda n: _stem(n, shared))


def _clusters(geoms: np.ndarray) -> np.ndarray:
    """Component label of each geometry among touching geometries (union-find)."""
    parent = np.arange(len(geoms))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    if len(geoms):
        tree = shapely.STRtree(geoms)
        left, right = tree.query(shapely.buffer(geoms, TOUCH), predicate="intersects")
        for a, b in zip(left, right, strict=True):
            ra, rb = find(int(a)), find(int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(len(geoms))])


def town_places(geometries: pd.Series, population: pd.Series, *,
                wards: pd.Series | None = None, districts: pd.Series | None = None,
                min_density: float = MIN_DENSITY, min_town: float = MIN_TOWN) -> list[Place]:
    """Town labels by the rule of the module docstring.

    ``geometries`` are WKB polygons (EPSG:4326) by area code; ``population`` residents by the
    same codes; ``wards`` and ``districts`` the ward and district name of each area.
    """
    codes = [str(c) for c in geometries.index]
    geoms = project(list(geometries.to_numpy()), codes)
    pop = population.reindex(geometries.index).astype(float).fillna(0.0).to_numpy()
    area_km2 = shapely.area(geoms) / 1e6
    dense = np.flatnonzero(pop / np.maximum(area_km2, 1e-9) >= min_density)
    if not len(dense):
        return []
    label = _clusters(geoms[dense])
    stems = _ward_stems(wards.reindex(geometries.index)) if wards is not None else None
    dist = districts.reindex(geometries.index).astype(str) if districts is not None else None
    centres = shapely.centroid(geoms)
    cx, cy = shapely.get_x(centres), shapely.get_y(centres)
    clusters = []
    for cluster in np.unique(label):
        members = dense[label == cluster]
        weight = pop[members]
        total = float(weight.sum())
        if total <= 0:
            continue
        x = float(np.average(cx[members], weights=weight))
        y = float(np.average(cy[members], weights=weight))
        shape = shapely.union_all(shapely.buffer(geoms[members], TOUCH))
        if not shape.contains(shapely.Point(x, y)):  # e.g. a crescent-shaped town
            nearest = nearest_points(shape, shapely.Point(x, y))[0]
            x, y = nearest.x, nearest.y
        clusters.append((total, x, y, members))
    clusters.sort(key=lambda c: -c[0])
    largest_in: dict[str, float] = {}
    places: list[Place] = []
    for total, x, y, members in clusters:
        name = None
        if stems is not None:
            shares = pd.Series(pop[members], index=stems.iloc[members].to_numpy()).groupby(
                level=0).sum() / total
            if len(shares) and shares.max() >= DOMINANT and shares.idxmax():
                name = str(shares.idxmax())
        if dist is not None:
            by = pd.Series(pop[members], index=dist.iloc[members].to_numpy()).groupby(
                level=0).sum()
            home = str(by.idxmax())
            first = home not in largest_in
            largest_in.setdefault(home, total)
            district_pop = float(pop[(dist == home).to_numpy()].sum())
            if name is None and first and total >= DOMINANT * district_pop:
                name = home
        if name is None or total < min_town:
            continue
        places.append(Place(name=name, x=x, y=y, kind="town", population=total))
    return _ranked(_unique(places))


def _unique(places: list[Place]) -> list[Place]:
    """One label per name: the most populous cluster of that name."""
    seen: dict[str, Place] = {}
    for p in sorted(places, key=lambda p: -p.population):
        seen.setdefault(p.name, p)
    return list(seen.values())


def _ranked(places: list[Place]) -> list[Place]:
    order = sorted(places, key=lambda p: (-p.population, p.name))
    return [Place(name=p.name, x=p.x, y=p.y, kind=p.kind, rank=i, population=p.population)
            for i, p in enumerate(order)]


def dissolve(geometries: pd.Series, groups: pd.Series) -> pd.Series:
    """Outlines of groups of areas (e.g. LSOAs by district) as WKB (EPSG:4326) by group name."""
    geoms = shapely.from_wkb(np.asarray(list(geometries.to_numpy()), dtype=object))
    keys = groups.reindex(geometries.index).astype(str).to_numpy()
    out = {}
    for key in sorted(set(keys)):
        merged = shapely.union_all(geoms[keys == key])
        out[key] = shapely.to_wkb(merged)
    return pd.Series(out, dtype=object)


def area_places(geometries: pd.Series, groups: pd.Series, population: pd.Series, *,
                named: set[str] = frozenset()) -> list[Place]:  # type: ignore[assignment]
    """A label for each group not already ``named`` by a town label, at the point of the
    group's largest part farthest from its edge (so it sits well inside)."""
    codes = [str(c) for c in geometries.index]
    geoms = project(list(geometries.to_numpy()), codes)
    keys = groups.reindex(geometries.index).astype(str).to_numpy()
    pop = population.reindex(geometries.index).astype(float).fillna(0.0).to_numpy()
    out = []
    for key in sorted(set(keys)):
        if key in named:
            continue
        merged = shapely.union_all(shapely.buffer(geoms[keys == key], TOUCH))
        parts = list(getattr(merged, "geoms", [merged]))
        part = max(parts, key=lambda g: g.area)
        point = polylabel(part, tolerance=100.0)
        out.append(Place(name=key, x=point.x, y=point.y, kind="area",
                         population=float(pop[keys == key].sum())))
    return out


def area_names(names: Mapping[str, str], *, wards: Mapping[str, str] | None = None,
               districts: Mapping[str, str] | None = None) -> dict[str, str]:
    """Tooltip names: 'North Northamptonshire 005A (Lloyds, Corby)' — the area's own name
    first, then where it is."""
    out = {}
    for code, name in names.items():
        where = [w for w in ((wards or {}).get(code), (districts or {}).get(code)) if w]
        where = list(dict.fromkeys(where))
        out[code] = f"{name} ({', '.join(where)})" if where else name
    return out


def map_layers(lsoa: pd.DataFrame, *, group_column: str = "csp_name",
               ward_column: str = "ward_name") -> MapLayers:
    """Labels, boundaries and tooltip names for a map of the SNA's LSOAs.

    ``lsoa`` is :attr:`alliance.report.sna.inputs.SnaInputs.lsoa` (``name``, ``population``,
    ``geometry_wkb``, the group column such as ``csp_name``) with, optionally, each LSOA's ward
    name in ``ward_column``. Boundaries are drawn only when there are two groups or more.
    """
    geometries = lsoa["geometry_wkb"]
    population = lsoa["population"].astype(float)
    groups = lsoa[group_column].astype(str) if group_column in lsoa.columns else None
    wards = lsoa[ward_column].astype(str) if ward_column in lsoa.columns else None
    towns = town_places(geometries, population, wards=wards, districts=groups)
    places = list(towns)
    boundaries = None
    if groups is not None and groups.nunique() >= 2:
        named = {p.name for p in towns}
        areas = area_places(geometries, groups, population, named=named)
        # Area names rank after the ten largest towns and before the smaller ones.
        places = _interleave(towns, areas, after=10)
        boundaries = dissolve(geometries, groups)
    names = area_names({str(k): str(v) for k, v in lsoa["name"].items()},
                       wards={str(k): str(v) for k, v in wards.items()} if wards is not None
                       else None,
                       districts={str(k): str(v) for k, v in groups.items()}
                       if groups is not None else None)
    return MapLayers(places=tuple(places), boundaries=boundaries, names=names)


def _interleave(towns: list[Place], areas: list[Place], *, after: int) -> list[Place]:
    ordered = [*towns[:after], *areas, *towns[after:]]
    return [Place(name=p.name, x=p.x, y=p.y, kind=p.kind, rank=i, population=p.population)
            for i, p in enumerate(ordered)]
