"""API crime records (JSON) as the canonical incident table, the same as a CSV load.

The mapping follows the street-level CSV so that a month downloaded through the API and one
loaded from the bulk CSV land in the pool the same way: ``category`` (slug) -> the CSV
``Crime type`` wording through the ``crime-categories`` list, ``location.street.name`` ->
``location``, ``outcome_status.category`` -> ``outcome``, ``persistent_id`` -> ``source_ref``,
crimes without a location flagged NO_LOCATION. ``record_key`` is built as in
:mod:`alliance.sources.police_uk` from the same tuple, with an empty LSOA code (the API gives
none). ``line`` is the 1-based position of the record in the list given.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from alliance.sources.months import MonthError, check_month
from alliance.sources.police_uk_read import canonical_frame
from alliance.sources.police_uk_validate import UK_LAT, UK_LON, key_digest
from alliance.sources.schema import RowFlag

#: The 15 pairs of ``crime-categories`` (stable since 2013); used when no list is passed.
DEFAULT_CATEGORY_NAMES: dict[str, str] = {
    "all-crime": "All crime",
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
    "other-crime": "Other crime",
}


class PoliceApiError(Exception):
    """The API could not give what was asked, or gave something unusable."""


class UnpublishedMonthError(PoliceApiError):
    """The month (or the force's part of it) is not published: missing data, not zero crime."""


def check_month_text(value: str, *, what: str) -> str:
    """``value`` when it is a real, published-era month (:func:`alliance.sources.months`)."""
    try:
        return check_month(value)
    except MonthError as exc:
        raise PoliceApiError(f"{what}: {exc}") from None


def shift_month(month: str, delta: int) -> str:
    """``month`` moved by ``delta`` months (YYYY-MM)."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def api_crimes_to_frame(
    records: Sequence[Mapping[str, Any]],
    *,
    force: str,
    month: str,
    category_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Canonical incident rows (``INCIDENT_COLUMN_NAMES``) from crimes-street/no-location JSON.

    Raises
    ------
    PoliceApiError
        A record filed under another month, an unknown category slug, or unusable coordinates
        (naming the record's position and id).
    """
    check_month_text(month, what="month")
    names = dict(category_names or DEFAULT_CATEGORY_NAMES)
    id_counts = Counter(_text(r.get("persistent_id")) for r in records)
    ordinals: dict[str, int] = {}
    seen: set[str] = set()
    cols: dict[str, list[Any]] = {n: [] for n in (
        "record_key", "source_ref", "source_category", "longitude", "latitude", "location",
        "outcome", "flags", "line", "extra")}
    for position, record in enumerate(records, start=1):
        where = f"record {position} (id {record.get('id')})"
        if record.get("month") not in (None, month):
            raise PoliceApiError(f"{where}: filed under {record.get('month')!r}, not {month}")
        slug = _text(record.get("category"))
        if slug not in names:
            raise PoliceApiError(f"{where}: unknown crime category {slug!r} (not in the "
                                 "crime-categories list)")
        crime_type = names[slug]
        location = record.get("location") or {}
        street = location.get("street") or {}
        lon_text, lat_text = _text(location.get("longitude")), _text(location.get("latitude"))
        street_name = _text(street.get("name"))
        persistent_id = _text(record.get("persistent_id"))
        flags = 0
        lon = lat = math.nan
        if lon_text and lat_text:
            try:
                lon, lat = float(lon_text), float(lat_text)
            except ValueError:
                raise PoliceApiError(f"{where}: coordinates {lon_text!r}, {lat_text!r} are "
                                     "not numbers") from None
            if not (UK_LON[0] <= lon <= UK_LON[1] and UK_LAT[0] <= lat <= UK_LAT[1]):
                flags |= RowFlag.OUTSIDE_UK
                lon = lat = math.nan
        else:
            flags |= RowFlag.NO_LOCATION
        digest = key_digest([persistent_id, crime_type, lon_text, lat_text, street_name, ""])
        ordinals[digest] = ordinals.get(digest, 0) + 1
        if persistent_id:
            if id_counts[persistent_id] > 1:
                flags |= RowFlag.REPEATED_ID
            whole = json.dumps({k: v for k, v in record.items() if k != "id"},
                               sort_keys=True, default=str)
            if whole in seen:
                flags |= RowFlag.DUPLICATE_ROW
            seen.add(whole)
        outcome = record.get("outcome_status") or {}
        cols["record_key"].append(f"{digest}-{ordinals[digest]}")
        cols["source_ref"].append(persistent_id or None)
        cols["source_category"].append(crime_type)
        cols["longitude"].append(lon)
        cols["latitude"].append(lat)
        cols["location"].append(street_name or None)
        cols["outcome"].append(outcome.get("category") or None)
        cols["flags"].append(int(flags))
        cols["line"].append(position)
        cols["extra"].append(json.dumps({
            "api_id": record.get("id"),
            "street_id": street.get("id"),
            "location_type": record.get("location_type"),
            "location_subtype": record.get("location_subtype"),
            "context": record.get("context"),
            "outcome_date": outcome.get("date"),
        }))
    n = len(records)
    nothing = np.full(n, None, dtype=object)
    data: dict[str, Any] = {
        "source": np.full(n, "police_uk_street", dtype=object),
        "partition": np.full(n, force, dtype=object),
        "month": np.full(n, month, dtype=object),
        "occurred_date": nothing, "occurred_time": nothing, "offence_code": nothing,
        "knife_flag": nothing, "easting": np.full(n, np.nan), "northing": np.full(n, np.nan),
        "lsoa_published": nothing, "lsoa21_code": nothing, "subject_role": nothing,
        "age": nothing, "sex": nothing, "person_key": nothing,
        "longitude": np.asarray(cols["longitude"], dtype=np.float64),
        "latitude": np.asarray(cols["latitude"], dtype=np.float64),
        "flags": np.asarray(cols["flags"], dtype=np.int64),
        "line": np.asarray(cols["line"], dtype=np.int64),
    }
    for name in ("record_key", "source_ref", "source_category", "location", "outcome", "extra"):
        data[name] = np.asarray(cols[name], dtype=object)
    return canonical_frame(data)
