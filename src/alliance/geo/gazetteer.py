"""The gazetteer: every place name the partnership already holds, with a point and an LSOA.

Built offline from what is in the store, nothing fetched:

* **streets** — police.uk's "On or near …" locations with their map points, every month
  loaded. One street name can be several streets ("High Street" in twenty villages): the points
  of a name are grouped into *instances* (points within :data:`SAME_STREET_METRES` of another
  point of the same name belong to one street). An instance's LSOA is the one most of its
  police.uk records fall in, its point the busiest point in that LSOA. police.uk's own generic
  labels ("Supermarket", "Parking Area", "Sports/Recreation Area") name no particular place and
  are left out.
* **postcodes** — Code-Point Open and the ONS postcode lookup (:mod:`alliance.geo.postcodes`).
* **towns** — what each LSOA is called: its ward (and the parts of a ward's name: "Towcester
  and Roade" gives "Towcester" and "Roade"; "Rushden South" and "Rushden Pemberton West" give
  "Rushden"), its former district (Corby, Kettering, Northampton ...) and its council. A town
  named in a text settles which of several same-named streets is meant.
* **venues** — the partnership's own list of pubs, clubs, schools, stations and parks (name,
  aliases, point), kept in the workspace.

Every name is stored in :func:`alliance.geo.place_text.canonical` form. The gazetteer is a
plain frozen object; :mod:`alliance.geo.geocode` searches it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial import cKDTree

from alliance.geo.place_text import STREET_TYPES, canonical

#: points of one street name closer than this (metres, single linkage) are one street
SAME_STREET_METRES = 1500.0
#: police.uk's generic location labels: a kind of place, not a place
POLICE_UK_GENERIC = frozenset(canonical(n) for n in (
    "Supermarket", "Petrol Station", "Parking Area", "Shopping Area", "Nightclub", "Hospital",
    "Police Station", "Theatre/Concert Hall", "Further/Higher Educational Building",
    "Sports/Recreation Area", "Park/Open Space", "Bus/Coach Station", "Airport/Airfield",
    "Conference/Exhibition Centre", "Pedestrian Subway", "Prison", "Train Station",
    "Hotel/Motel", "Church", "Place of Worship", "Cinema", "Shopping Centre", "Leisure Centre",
    "Sports Centre", "School", "University", "College", "Cemetery", "Bus Station",
))
_DIRECTIONS = {"north", "south", "east", "west", "central", "rural", "upper", "lower",
               "outer", "inner"}
STREET_COLUMNS = ("name", "easting", "northing", "lsoa21_code", "weight")
VENUE_COLUMNS = ("name", "aliases", "easting", "northing", "lsoa21_code")


@dataclass(frozen=True)
class Entry:
    """One place the gazetteer knows (a street instance, a venue)."""

    name: str  # as published
    kind: str  # "street" or "venue"
    easting: float
    northing: float
    lsoa21_code: str
    towns: frozenset[str]  # ward names and their parts: where it is, closely
    districts: frozenset[str]  # former district, council, postcode district: broadly
    weight: float  # police.uk records on it (a venue: 1)


@dataclass(frozen=True)
class PostcodePlace:
    easting: float
    northing: float
    lsoa21_code: str
    live: bool


@dataclass(frozen=True, kw_only=True)
class Gazetteer:
    """Names (canonical) -> entries, postcodes, and town names.

    Attributes
    ----------
    entries : every street instance and venue.
    names : canonical name -> indices into ``entries`` (a name of several instances has
        several); venue aliases are names too.
    postcodes : canonical postcode ("NN1 1AA") -> its place.
    towns : canonical town name -> the LSOAs it covers; an outward postcode ("nn1") is a town
        name too.
    by_type : street type word ("road") -> canonical names ending in it, for fuzzy search.
    untyped : names that end in no street type ("drapery", "a43").
    major_towns : names of towns (a first word wards share) and districts ("corby",
        "kettering"): a text naming only one is no street, even where police.uk has a map
        point of that name.
    """

    entries: tuple[Entry, ...]
    names: Mapping[str, tuple[int, ...]]
    postcodes: Mapping[str, PostcodePlace]
    towns: Mapping[str, frozenset[str]]
    by_type: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    untyped: tuple[str, ...] = ()
    major_towns: frozenset[str] = frozenset()  # towns and districts: never a street

    def __len__(self) -> int:
        return len(self.entries)

    def describe(self) -> str:
        streets = sum(1 for e in self.entries if e.kind == "street")
        return (f"{streets:,} streets ({len(self.names):,} names), "
                f"{len(self.entries) - streets:,} venues, {len(self.postcodes):,} postcodes, "
                f"{len(self.towns):,} town and district names")


def town_names(name: str) -> set[str]:
    """Canonical town names an area's name gives: itself, the parts of "A and B" / "A, B",
    each part without a trailing direction ("Daventry East" -> "daventry")."""
    out = set()
    whole = canonical(name)
    if whole:
        out.add(whole)
    for part in re.split(r",| and | & ", name):
        words = canonical(part).split()
        if not words:
            continue
        out.add(" ".join(words))
        while len(words) > 1 and words[-1] in _DIRECTIONS:
            words = words[:-1]
            out.add(" ".join(words))
    return {t for t in out if len(t) >= 3}


def lsoa_places(areas: pd.DataFrame, parents: pd.DataFrame,
                lsoa21: Iterable[str] | None = None) -> pd.DataFrame:
    """(lsoa21_code, place, level) rows: the canonical town names of each LSOA 2021 from its
    ward (level "ward": its name and the parts of it), the town its ward is part of (level
    "town": a first word two or more wards share) and its local authority, current and former
    (level "district").

    ``areas`` and ``parents`` are :class:`alliance.geo.tables.GeographyTables` tables. A ward
    name's first word is a town name where two or more wards share it ("Rushden South",
    "Rushden Pemberton West" -> "rushden")."""
    links = parents[(parents["child_level"] == "lsoa21")
                    & parents["parent_level"].isin(["ward", "lad"])]
    if lsoa21 is not None:
        links = links[links["child_code"].isin(set(lsoa21))]
    names = areas.drop_duplicates("code").set_index("code")["name"]
    links = links.assign(name=links["parent_code"].map(names)).dropna(subset=["name"])
    wards = links.loc[links["parent_level"] == "ward", "name"].drop_duplicates()
    firsts = wards.map(lambda n: canonical(n).split()[0] if canonical(n) else "")
    shared = set(firsts[firsts.duplicated(keep=False)]) - _DIRECTIONS - {""}
    rows = []
    for code, level, name in links[["child_code", "parent_level", "name"]].itertuples(
            index=False):
        keys = town_names(str(name))
        if level == "ward":
            first = canonical(str(name)).split()[0] if canonical(str(name)) else ""
            if first in shared:
                rows.append((code, first, "town"))
                keys.discard(first)
        rows.extend((code, k, "ward" if level == "ward" else "district") for k in keys)
    return pd.DataFrame(rows, columns=["lsoa21_code", "place", "level"]).drop_duplicates()


def _instances(points: pd.DataFrame) -> np.ndarray:
    """Instance label per point (points sorted by name): single linkage within a name."""
    labels = np.zeros(len(points), dtype=np.int64)
    if not len(points):
        return labels
    next_label = 0
    xy = points[["easting", "northing"]].to_numpy(dtype=float)
    starts = np.flatnonzero(np.r_[True, points["key"].to_numpy()[1:]
                                  != points["key"].to_numpy()[:-1]])
    ends = np.r_[starts[1:], len(points)]
    for s, e in zip(starts, ends, strict=True):
        if e - s == 1:
            labels[s] = next_label
            next_label += 1
            continue
        cut = fcluster(linkage(xy[s:e], "single"), SAME_STREET_METRES, "distance")
        labels[s:e] = next_label + cut - 1
        next_label += int(cut.max())
    return labels


def build_gazetteer(*, streets: pd.DataFrame, postcodes: pd.DataFrame | None = None,
                    places: pd.DataFrame | None = None,
                    venues: pd.DataFrame | None = None) -> Gazetteer:
    """The gazetteer of the given tables.

    Parameters
    ----------
    streets : police.uk points, columns :data:`STREET_COLUMNS`: ``name`` without "On or
        near ", point (British National Grid), LSOA 2021, ``weight`` = records at the point.
    postcodes : :data:`alliance.geo.postcodes.POSTCODE_COLUMNS`.
    places : (lsoa21_code, place, level) rows (:func:`lsoa_places`).
    venues : :data:`VENUE_COLUMNS`; ``aliases`` separated by ``;``.
    """
    missing = [c for c in STREET_COLUMNS if c not in streets.columns]
    if missing:
        raise ValueError(f"streets: missing column(s) {missing}")
    pts = streets.dropna(subset=["name", "easting", "northing", "lsoa21_code"]).copy()
    pts["key"] = pts["name"].astype(str).map(canonical)
    pts = pts[(pts["key"] != "") & ~pts["key"].isin(POLICE_UK_GENERIC)
              & ~pts["name"].astype(str).str.contains("/")]
    pts = pts.sort_values(["key", "easting", "northing"], kind="stable").reset_index(drop=True)
    pts["instance"] = _instances(pts)
    town_of: dict[str, set[str]] = defaultdict(set)
    district_of: dict[str, set[str]] = defaultdict(set)
    major: set[str] = set()
    if places is not None:
        level = places["level"] if "level" in places.columns else pd.Series(
            "town", index=places.index)
        for code, place, lev in zip(places["lsoa21_code"], places["place"], level,
                                    strict=True):
            (district_of if lev == "district" else town_of)[str(code)].add(str(place))
            if lev in ("town", "district"):
                major.add(str(place))
    pc = postcodes if postcodes is not None else pd.DataFrame(
        columns=["postcode", "easting", "northing", "lsoa21_code", "live"])
    pc = pc.dropna(subset=["postcode", "easting", "northing", "lsoa21_code"])
    tree = cKDTree(pc[["easting", "northing"]].to_numpy(dtype=float)) if len(pc) else None
    outward = pc["postcode"].astype(str).str.split(" ").str[0].str.lower().to_numpy()

    # an instance's LSOA: where most of its records are; its point: the busiest point there
    by_lsoa = (pts.groupby(["instance", "lsoa21_code"], sort=False)["weight"].sum()
               .rename("lsoa_weight").reset_index())
    modal = by_lsoa.sort_values(["instance", "lsoa_weight", "lsoa21_code"],
                                ascending=[True, False, True]).drop_duplicates("instance")
    best = (pts.merge(modal[["instance", "lsoa21_code"]], on=["instance", "lsoa21_code"])
            .sort_values(["instance", "weight"], ascending=[True, False], kind="stable")
            .drop_duplicates("instance").set_index("instance"))
    weights = pts.groupby("instance")["weight"].sum()
    totals = dict(zip(weights.index.astype(int), weights.astype(float), strict=True))
    lsoas_of: dict[int, list[str]] = {}
    for instance, code in zip(by_lsoa["instance"], by_lsoa["lsoa21_code"], strict=True):
        lsoas_of.setdefault(int(instance), []).append(str(code))
    nearest_out: np.ndarray = np.full(len(best), "", dtype=object)
    if tree is not None:
        _, nearest = tree.query(best[["easting", "northing"]].to_numpy(dtype=float))
        nearest_out = outward[np.asarray(nearest, dtype=int)]
    entries: list[Entry] = []
    names: dict[str, list[int]] = defaultdict(list)
    records = best.reset_index()[["instance", "key", "name", "easting", "northing",
                                  "lsoa21_code"]].to_dict("records")
    for row, out in zip(records, nearest_out, strict=True):
        codes = lsoas_of[int(row["instance"])]
        towns = set().union(*(town_of.get(str(c), set()) for c in codes))
        districts = set().union(*(district_of.get(str(c), set()) for c in codes))
        if out:
            districts.add(str(out))
        key = str(row["key"])
        names[key].append(len(entries))
        if key.startswith("the "):
            names[key[4:]].append(len(entries))
        entries.append(Entry(name=str(row["name"]), kind="street",
                             easting=float(row["easting"]), northing=float(row["northing"]),
                             lsoa21_code=str(row["lsoa21_code"]), towns=frozenset(towns),
                             districts=frozenset(districts),
                             weight=float(totals[int(row["instance"])])))
    if venues is not None and len(venues):
        for v in venues.to_dict("records"):
            aliases = [a for a in str(v.get("aliases") or "").split(";") if a.strip()]
            idx = len(entries)
            code = str(v["lsoa21_code"])
            entries.append(Entry(
                name=str(v["name"]), kind="venue", easting=float(v["easting"]),
                northing=float(v["northing"]), lsoa21_code=code,
                towns=frozenset(town_of.get(code, set())),
                districts=frozenset(district_of.get(code, set())), weight=1.0))
            for alias in {canonical(str(v["name"])), *(canonical(a) for a in aliases)}:
                if alias:
                    names[alias].append(idx)
                    if alias.startswith("the "):
                        names[alias[4:]].append(idx)
    towns_index: dict[str, set[str]] = defaultdict(set)
    for mapping in (town_of, district_of):
        for code, keys in mapping.items():
            for k in keys:
                towns_index[k].add(code)
    for code, out in zip(pc["lsoa21_code"].astype(str), outward, strict=True):
        towns_index[str(out)].add(code)
    postcode_index = {str(p): PostcodePlace(float(e), float(n), str(c), bool(live))
                      for p, e, n, c, live in pc[["postcode", "easting", "northing",
                                                   "lsoa21_code", "live"]].itertuples(
                                                       index=False)}
    by_type: dict[str, list[str]] = defaultdict(list)
    untyped: list[str] = []
    for name in names:
        last = name.rsplit(" ", 1)[-1]
        if last in STREET_TYPES:
            by_type[last].append(name)
        else:
            untyped.append(name)
    return Gazetteer(entries=tuple(entries),
                     names={k: tuple(dict.fromkeys(v)) for k, v in names.items()},
                     postcodes=postcode_index,
                     towns={k: frozenset(v) for k, v in towns_index.items()},
                     by_type={k: tuple(sorted(v)) for k, v in by_type.items()},
                     untyped=tuple(sorted(untyped)),
                     major_towns=frozenset(major))


def police_uk_streets(frame: pd.DataFrame) -> pd.DataFrame:
    """Street points (:data:`STREET_COLUMNS`) from police.uk rows: ``location``
    ("On or near …"), ``easting``, ``northing``, ``lsoa21_code`` and an optional ``count``
    (records; 1 per row when absent)."""
    rows = frame.dropna(subset=["location", "easting", "northing", "lsoa21_code"])
    weight = rows["count"] if "count" in rows.columns else pd.Series(1, index=rows.index)
    out = pd.DataFrame({
        "name": rows["location"].astype(str).str.replace(r"^On or near\s+", "", regex=True)
        .str.strip(),
        "easting": rows["easting"].astype(float).round(1),
        "northing": rows["northing"].astype(float).round(1),
        "lsoa21_code": rows["lsoa21_code"].astype(str), "weight": weight.astype(float)})
    kept = out[out["name"] != ""]
    return kept.groupby(["name", "easting", "northing", "lsoa21_code"],
                        as_index=False).agg(weight=("weight", "sum"))
