"""Postcodes with a point and an LSOA 2021: what the geocoder looks a written postcode up in.

Two public files are read, if the geography folder holds them (anywhere below it):

* **OS Code-Point Open** (``codepoint_open*postcodes*.csv[.gz]``): every live postcode with a
  point (British National Grid), positional quality 10 = within a building;
* **the ONS postcode lookup** (``postcode_oa11_lsoa11*.csv[.gz]``, PCD_OA_LSOA_MSOA_LAD): every
  postcode, live and terminated, with its best-fit LSOA 2011.

A postcode's LSOA 2021 is its ONS LSOA 2011 carried through the ONS LSOA 2011 → 2021 lookup
when that gives one area (unchanged or merged LSOAs); where the LSOA was split in 2021, or the
ONS lookup does not list the postcode, the LSOA polygon holding the Code-Point point decides.
Terminated postcodes (still typed by people years later) keep the LSOA of the ONS lookup and
get the point of their LSOA's centre, so they are placed, with less precision.

Postcodes are written in one canonical form, ``"NN1 1AA"`` (outward code, one space, inward
code), see :func:`canonical_postcode`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from alliance.geo.spatial import LsoaIndex, to_bng
from alliance.geo.tables import GeographyInputError, require_columns
from alliance.ukpostcode import POSTCODE, canonical_postcode

__all__ = ["POSTCODE", "POSTCODE_COLUMNS", "canonical_postcode", "empty_postcodes",
           "read_postcodes"]

POSTCODE_COLUMNS = ("postcode", "easting", "northing", "lsoa21_code", "live")
CODEPOINT_PATTERN = "codepoint_open*postcodes*.csv*"
ONS_LOOKUP_PATTERN = "postcode_oa11_lsoa11*.csv*"
def empty_postcodes() -> pd.DataFrame:
    return pd.DataFrame({"postcode": pd.Series(dtype=object),
                         "easting": pd.Series(dtype=float), "northing": pd.Series(dtype=float),
                         "lsoa21_code": pd.Series(dtype=object),
                         "live": pd.Series(dtype=bool)})


def _find(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(f"**/{pattern}") if p.is_file())


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise GeographyInputError(f"{path}: cannot be read as CSV ({exc})") from exc
    require_columns(frame, columns, source=str(path))
    return frame


def read_postcodes(folder: Path, *, lsoa11_to_21: pd.DataFrame,
                   lsoa21_boundaries: pd.DataFrame) -> pd.DataFrame:
    """The postcodes table (:data:`POSTCODE_COLUMNS`) of the files found below ``folder``;
    empty when neither file is there. Postcodes whose place cannot be worked out (no point and
    no known LSOA) are left out."""
    points = [_read_csv(p, ["Postcode", "Eastings", "Northings"]) for p in
              _find(folder, CODEPOINT_PATTERN)]
    lookups = [_read_csv(p, ["pcds", "doterm", "lsoa11cd"]) for p in
               _find(folder, ONS_LOOKUP_PATTERN)]
    if not points and not lookups:
        return empty_postcodes()
    cp = (pd.concat(points, ignore_index=True) if points
          else pd.DataFrame(columns=["Postcode", "Eastings", "Northings"]))
    cp = pd.DataFrame({"postcode": cp["Postcode"].map(canonical_postcode),
                       "easting": pd.to_numeric(cp["Eastings"], errors="coerce"),
                       "northing": pd.to_numeric(cp["Northings"], errors="coerce")})
    cp = cp.dropna().drop_duplicates("postcode").set_index("postcode")
    ons = (pd.concat(lookups, ignore_index=True) if lookups
           else pd.DataFrame(columns=["pcds", "doterm", "lsoa11cd"]))
    ons = pd.DataFrame({"postcode": ons["pcds"].map(canonical_postcode),
                        "live": ons["doterm"].isna(), "lsoa11_code": ons["lsoa11cd"]})
    ons = ons.dropna(subset=["postcode"]).drop_duplicates("postcode").set_index("postcode")
    codes = sorted(set(cp.index) | set(ons.index))
    out = pd.DataFrame(index=pd.Index(codes, name="postcode"))
    out["easting"] = cp["easting"].reindex(codes)
    out["northing"] = cp["northing"].reindex(codes)
    out["live"] = ons["live"].reindex(codes).astype("boolean").fillna(True).astype(bool)
    # LSOA 2011 -> 2021 where the lookup gives exactly one 2021 area
    links = lsoa11_to_21.drop_duplicates(["lsoa11_code", "lsoa21_code"])
    counts = links.groupby("lsoa11_code")["lsoa21_code"].transform("size")
    single = links[counts == 1].set_index("lsoa11_code")["lsoa21_code"]
    out["lsoa21_code"] = ons["lsoa11_code"].reindex(codes).map(single)
    index = LsoaIndex.from_boundaries(lsoa21_boundaries)
    need = out["lsoa21_code"].isna() & out["easting"].notna()
    if need.any():
        from pyproj import Transformer

        to_wgs = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
        lon, lat = to_wgs.transform(out.loc[need, "easting"].to_numpy(),
                                    out.loc[need, "northing"].to_numpy())
        out.loc[need, "lsoa21_code"] = index.place(lon, lat)
    # terminated (or unlisted by Code-Point) postcodes: the centre of their LSOA
    no_point = out["easting"].isna() & out["lsoa21_code"].notna()
    if no_point.any():
        wanted = out.loc[no_point, "lsoa21_code"]
        bounds = lsoa21_boundaries.drop_duplicates("code").set_index("code")["geometry_wkb"]
        known = wanted[wanted.isin(bounds.index)]
        centres = shapely.point_on_surface(shapely.from_wkb(bounds.reindex(known).to_numpy()))
        east, north = to_bng(shapely.get_x(centres), shapely.get_y(centres))
        out.loc[known.index, "easting"] = np.round(east)
        out.loc[known.index, "northing"] = np.round(north)
    out = out.dropna(subset=["lsoa21_code", "easting"]).reset_index()
    return out[list(POSTCODE_COLUMNS)]
