"""Give partner rows a place before they are pooled: a postcode, or the words of a location.

Partners say where in four ways, used in this order for each row:

1. a **point** (longitude/latitude or easting/northing) or an **LSOA code**: used as given
   (``place_method`` "point given" / "LSOA given", confidence 1);
2. a **postcode** of the place: its Code-Point Open point and its LSOA (confidence 0.98, or
   0.9 for a terminated postcode);
3. the **words** of the location ("o/s Wetherspoons, Abington St"): the gazetteer and geocoder
   (:mod:`alliance.geo.geocode`) give the LSOA, a point and a confidence, and
   ``place_method`` says how; words naming no place, or no one place, leave the row unplaced,
   flagged ``NOT_GEOCODED`` (it counts in its source's totals but in no neighbourhood);
4. nothing: the row was already flagged ``NO_LOCATION`` by its reader.

A person's **home postcode** becomes only its LSOA (``home_lsoa21_code``); no postcode is
stored. :func:`place_rows_in_words` returns the rows with the geocoder's summary, which the
upload's confirmation page and the SNA's data quality section show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer

from alliance.geo.gazetteer import PostcodePlace
from alliance.geo.geocode import POSTCODE_METHOD, Geocoder
from alliance.sources.schema import RowFlag

POINT_GIVEN = "point given"
LSOA_GIVEN = "LSOA given"
UNKNOWN_POSTCODE = "postcode not known"


@dataclass(frozen=True)
class PlacingSummary:
    """How the rows of one file were placed: rows per method, and the words left unplaced."""

    methods: dict[str, int]
    unplaced_texts: dict[str, int]  # words -> rows (the review queue's entries)

    @property
    def rows(self) -> int:
        return sum(self.methods.values())


def _bng_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def place_rows_in_words(frame: pd.DataFrame, postcodes: pd.DataFrame, *, geocoder: Geocoder,
                        postcode_places: Mapping[str, PostcodePlace]
                        ) -> tuple[pd.DataFrame, PlacingSummary]:
    """The rows of ``frame`` (canonical incident columns) with a place where one can be found
    (see the module notes); ``postcodes`` holds each row's ``postcode`` and ``home_postcode``
    (same index), which are used and not returned."""
    out = frame.copy()
    n = len(out)
    method = np.full(n, "", dtype=object)
    confidence = np.full(n, np.nan)
    flags = out["flags"].fillna(0).astype("int64").to_numpy().copy()
    lon = pd.to_numeric(out["longitude"], errors="coerce").to_numpy(dtype=float, copy=True)
    lat = pd.to_numeric(out["latitude"], errors="coerce").to_numpy(dtype=float, copy=True)
    east = np.full(n, np.nan)
    north = np.full(n, np.nan)
    lsoa = out["lsoa_published"].astype(object).where(out["lsoa_published"].notna(),
                                                      None).to_numpy().copy()
    has_point = ~(np.isnan(lon) | np.isnan(lat))
    method[has_point] = POINT_GIVEN
    confidence[has_point] = 1.0
    given_lsoa = ~has_point & pd.notna(lsoa)
    method[given_lsoa] = LSOA_GIVEN
    confidence[given_lsoa] = 1.0
    codes = postcodes.reindex(out.index) if len(postcodes) else pd.DataFrame(
        index=out.index, columns=["postcode", "home_postcode"])
    unplaced: dict[str, int] = {}
    texts = out["location"].fillna("").astype(str).to_numpy()
    for i in range(n):
        if method[i]:
            continue
        code = codes["postcode"].iloc[i] if "postcode" in codes else None
        if isinstance(code, str) and code:
            place = postcode_places.get(code)
            if place is None:
                method[i] = UNKNOWN_POSTCODE
                flags[i] |= int(RowFlag.NOT_GEOCODED)
                continue
            east[i], north[i], lsoa[i] = place.easting, place.northing, place.lsoa21_code
            method[i], confidence[i] = POSTCODE_METHOD, 0.98 if place.live else 0.9
            continue
        if not texts[i].strip():
            continue
        found = geocoder(texts[i])
        method[i] = found.method
        if found.placed:
            east[i], north[i], lsoa[i] = found.easting, found.northing, found.lsoa21_code
            confidence[i] = found.confidence
        else:
            flags[i] |= int(RowFlag.NOT_GEOCODED)
            unplaced[texts[i]] = unplaced.get(texts[i], 0) + 1
    new_point = ~np.isnan(east)
    if new_point.any():
        glon, glat = _bng_to_wgs84().transform(east[new_point], north[new_point])
        lon[new_point], lat[new_point] = glon, glat
        flags[new_point] &= ~int(RowFlag.NO_LOCATION)
    out["longitude"], out["latitude"] = lon, lat
    out["lsoa_published"] = lsoa
    out["place_method"] = method
    out["place_confidence"] = confidence
    out["flags"] = flags
    if "home_postcode" in codes:
        home = codes["home_postcode"].map(
            lambda c: postcode_places[c].lsoa21_code if isinstance(c, str)
            and c in postcode_places else None)
        mine = out["home_lsoa21_code"].astype(object)
        out["home_lsoa21_code"] = mine.where(mine.notna(), home.to_numpy())
    counts = pd.Series(method[method != ""]).value_counts()
    summary = PlacingSummary(methods={str(k): int(v) for k, v in counts.items()},
                             unplaced_texts=dict(sorted(unplaced.items(),
                                                        key=lambda kv: (-kv[1], kv[0]))))
    return out, summary
