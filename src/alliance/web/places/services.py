"""The gazetteer the store holds, the geocoder over it, and the review of words it could not place.

The gazetteer is built from what is pooled (every police.uk street point, every month loaded),
the stored geography (postcodes, ward and district names) and the partnership's venues, and is
kept per process until any of them changes. Analysts' answers (:class:`PlaceDecision`) are used
before anything else for the same words, here and at every later load.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import shapely
from django.db import transaction
from django.db.models import Count, F, Max, Q

from alliance.geo.gazetteer import Gazetteer, build_gazetteer, lsoa_places, police_uk_streets
from alliance.geo.geocode import (
    AMBIGUOUS,
    DECISION,
    NO_PLACE,
    NOT_FOUND,
    REVIEW_BELOW,
    UNKNOWN_POSTCODE,
    Decision,
    Geocoder,
    decision_key,
)
from alliance.geo.spatial import to_bng
from alliance.pool.geocoding import PlacingSummary, place_rows_in_words
from alliance.sources.partner_extract import PartnerExtract
from alliance.sources.schema import RowFlag
from alliance.ukpostcode import canonical_postcode
from alliance.web.places.models import PlaceDecision, Venue
from alliance.web.pool import geography as geo_store
from alliance.web.pool.models import ImportBatch
from alliance.web.pool.queries import current_incidents

LSOA = "lsoa21_code"
_lock = threading.Lock()
_cache: dict[str, tuple[object, Any]] = {}


class PlaceError(ValueError):
    """An answer that does not give a place; the message says what would."""


def _pool_key() -> tuple[object, ...]:
    """Changes when the gazetteer's inputs do: police.uk loaded or rolled back (partner loads
    do not change it), the geography, the venues."""
    agg = ImportBatch.objects.filter(source__startswith="police_uk").aggregate(
        last=Max("id"), n=Count("id", filter=Q(status=ImportBatch.Status.ACTIVE)))
    venues = Venue.objects.aggregate(last=Max("updated_at"), n=Count("id"))
    geo = geo_store.current_batch()
    return (agg["last"], agg["n"], venues["last"], venues["n"], geo.pk if geo else None)


def places_version() -> tuple[object, ...]:
    """Changes when an analyst's answer re-places pooled rows (figures must be recounted)."""
    agg = PlaceDecision.objects.aggregate(last=Max("decided_at"), n=Count("id"))
    return (agg["last"], agg["n"])


def street_points() -> pd.DataFrame:
    """Every police.uk street point pooled, with its records: the gazetteer's streets."""
    rows = (current_incidents().filter(source="police_uk_street", lsoa21_code__isnull=False,
                                       easting__isnull=False).exclude(location="")
            .values("location", "easting", "northing", "lsoa21_code")
            .annotate(count=Count("id")))
    frame = pd.DataFrame.from_records(list(rows), columns=["location", "easting", "northing",
                                                           "lsoa21_code", "count"])
    return police_uk_streets(frame)


def venues_frame() -> pd.DataFrame:
    return pd.DataFrame.from_records(
        list(Venue.objects.values("name", "aliases", "easting", "northing", LSOA)),
        columns=["name", "aliases", "easting", "northing", LSOA])


def gazetteer() -> Gazetteer | None:
    """The store's gazetteer (None until a geography is loaded)."""
    key = _pool_key()
    with _lock:
        hit = _cache.get("gazetteer")
        if hit is not None and hit[0] == key:
            return hit[1]
    tables = geo_store.stored_tables()
    if tables is None:
        return None
    streets = street_points()
    postcodes = tables.postcodes
    lsoas = set(streets[LSOA]) | set(postcodes[LSOA]) if len(postcodes) else set(streets[LSOA])
    built = build_gazetteer(streets=streets, postcodes=postcodes,
                            places=lsoa_places(tables.areas, tables.area_parents, lsoas),
                            venues=venues_frame())
    with _lock:
        _cache["gazetteer"] = (key, built)
    return built


def decisions() -> dict[str, Decision]:
    return {d.key: Decision(d.lsoa21_code, d.easting, d.northing, no_place=d.no_place,
                            note=f"analyst: {d.answer}" if d.answer else "")
            for d in PlaceDecision.objects.all()}


def geocoder() -> Geocoder | None:
    """A geocoder over :func:`gazetteer` with every analyst's answer (None: no geography)."""
    key = (_pool_key(), places_version())
    with _lock:
        hit = _cache.get("geocoder")
        if hit is not None and hit[0] == key:
            return hit[1]
    found = gazetteer()
    if found is None:
        return None
    coder = Geocoder(found, decisions())
    with _lock:
        _cache["geocoder"] = (key, coder)
    return coder


def place_extract(extract: PartnerExtract) -> tuple[PartnerExtract, PlacingSummary | None]:
    """The extract's rows placed by postcode or by their written location (the pool's rules:
    :mod:`alliance.pool.geocoding`); unchanged when no geography is loaded yet."""
    coder = geocoder()
    if coder is None:
        return extract, None
    frame, summary = place_rows_in_words(extract.frame, extract.postcodes, geocoder=coder,
                                         postcode_places=coder.gazetteer.postcodes)
    return replace(extract, frame=frame), summary


# --- the review queue -------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueEntry:
    """Words to review: as first written, how many rows, and what the geocoder made of them."""

    key: str
    text: str
    rows: int
    method: str
    matched: str
    confidence: float | None


NEEDS_ANSWER = (AMBIGUOUS, NOT_FOUND, UNKNOWN_POSTCODE)


def _needing_review() -> Any:
    rows = current_incidents().exclude(source__startswith="police_uk").exclude(location="")
    flagged = rows.annotate(geo=F("flags").bitand(int(RowFlag.NOT_GEOCODED)))
    return flagged.filter(Q(geo__gt=0, place_method__in=NEEDS_ANSWER)
                          | Q(place_confidence__lt=REVIEW_BELOW, place_confidence__gt=0))


def review_queue(*, limit: int = 200) -> tuple[list[QueueEntry], int]:
    """Distinct words to review, most rows first, and how many rows named no place (listed
    apart: "home" needs no answer)."""
    coder = geocoder()
    groups: dict[str, list[Any]] = {}
    for location, method, confidence in _needing_review().values_list(
            "location", "place_method", "place_confidence"):
        key = decision_key(location)
        entry = groups.setdefault(key, [location, 0, method, confidence])
        entry[1] += 1
    entries = []
    for key, (text, rows, method, confidence) in groups.items():
        answer = coder(text) if coder is not None else None
        entries.append(QueueEntry(key=key, text=text, rows=rows, method=method,
                                  matched=answer.matched if answer is not None else "",
                                  confidence=confidence))
    entries.sort(key=lambda e: (-e.rows, e.key))
    no_place = current_incidents().exclude(source__startswith="police_uk").filter(
        place_method=NO_PLACE).count()
    return entries[:limit], no_place


def _answer_place(answer: str) -> tuple[str, float, float, str]:
    """(LSOA, easting, northing, what it is) of an analyst's answer: a postcode, an LSOA code,
    or a place the geocoder places surely."""
    text = answer.strip()
    coder = geocoder()
    if coder is None:
        raise PlaceError("No geography is loaded yet, so nothing can be placed.")
    postcode = canonical_postcode(text)
    if postcode is not None:
        place = coder.gazetteer.postcodes.get(postcode)
        if place is None:
            raise PlaceError(f"{postcode} is not a postcode the store knows.")
        return place.lsoa21_code, place.easting, place.northing, postcode
    if text.upper().startswith(("E01", "W01")):
        tables = geo_store.stored_tables()
        assert tables is not None
        bounds = tables.lsoa21_boundaries.drop_duplicates("code").set_index("code")
        code = text.upper()
        if code not in bounds.index:
            raise PlaceError(f"{code} is not an LSOA 2021 code the store knows.")
        centre = shapely.point_on_surface(shapely.from_wkb(bounds.loc[code, "geometry_wkb"]))
        east, north = to_bng(np.array([centre.x]), np.array([centre.y]))
        return code, float(east[0]), float(north[0]), f"LSOA {code}"
    found = Geocoder(coder.gazetteer)(text)
    if not found.placed or found.confidence < REVIEW_BELOW:
        raise PlaceError(f"\u201c{text}\u201d does not give one place: give a postcode, an "
                         "LSOA code, or a street with its town.")
    assert found.lsoa21_code is not None and found.easting is not None
    assert found.northing is not None
    return found.lsoa21_code, found.easting, found.northing, found.matched


@transaction.atomic
def decide(text: str, *, answer: str = "", no_place: bool = False, by: str) -> int:
    """Remember the answer for ``text`` and re-place the pooled rows written that way; returns
    how many rows changed."""
    key = decision_key(text)
    if not key:
        raise PlaceError("There are no words to place.")
    if no_place:
        values: dict[str, Any] = {"lsoa21_code": None, "easting": None, "northing": None,
                                  "no_place": True, "answer": "names no place"}
    else:
        lsoa, east, north, what = _answer_place(answer)
        values = {"lsoa21_code": lsoa, "easting": east, "northing": north,
                  "no_place": False, "answer": what[:200]}
    PlaceDecision.objects.update_or_create(key=key, defaults={**values, "text": text[:300],
                                                              "decided_by": by})
    ids = [pk for pk, location in current_incidents().exclude(source__startswith="police_uk")
           .exclude(location="").values_list("pk", "location")
           if decision_key(location) == key]
    rows = current_incidents().filter(pk__in=ids)
    if no_place:
        changed = rows.update(place_method=NO_PLACE, place_confidence=0.0)
    else:
        from pyproj import Transformer

        lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(
            values["easting"], values["northing"])
        changed = rows.update(
            lsoa21_code=values["lsoa21_code"], lsoa_published=values["lsoa21_code"],
            easting=values["easting"], northing=values["northing"], longitude=lon, latitude=lat,
            place_method=DECISION, place_confidence=1.0,
            flags=F("flags").bitand(~int(RowFlag.NOT_GEOCODED | RowFlag.NO_LOCATION)))
    with _lock:
        _cache.pop("geocoder", None)
    return changed
