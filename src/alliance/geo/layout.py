"""The folder layout the geography reader expects, and helpers to read its files.

The layout is the one of the shared data folder (see its SOURCES.md): boundaries as
single-layer GeoPackages in EPSG:4326, lookups as CSV (optionally gzip-compressed).
:mod:`alliance.geo.download` writes the same layout from the publishers' own files.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer

from alliance.geo.tables import GeographyInputError, empty_boundaries, require_columns

#: Relative path (without a trailing .gz) of every file the reader uses.
FILES: dict[str, str] = {
    "lsoa21_boundaries": "boundaries/lsoa21_ew_bsc.gpkg",
    "lsoa11_boundaries": "boundaries/lsoa11_ew_bsc.gpkg",
    "msoa21_boundaries": "boundaries/msoa21_ew_bsc.gpkg",
    "msoa11_boundaries": "boundaries/msoa11_ew_bsc.gpkg",
    "ward_boundaries": "boundaries/wards22_uk_bsc.gpkg",
    "lad24_boundaries": "boundaries/lad24_uk_buc.gpkg",
    "lad20_boundaries": "boundaries/lad20_uk_buc.gpkg",
    "pfa_boundaries": "boundaries/pfa20_ew_buc.gpkg",
    "lsoa21_ward24_lad24": "lookups/lsoa21_ward24_lad24_ew.csv",
    "lsoa11_lsoa21_lad22": "lookups/lsoa11_lsoa21_lad22_ew.csv",
    "lsoa21_msoa21": "lookups/lsoa21_msoa21_ew_derived.csv",
    "lsoa11_lad19_lad20_lad21": "lookups/lsoa11_lad19_lad20_lad21_ew.csv",
    "oa11_lsoa11_msoa11_lad17": "lookups/oa11_lsoa11_msoa11_lad17_gb.csv",
    "lad24_csp24_pfa24": "lookups/lad24_csp24_pfa24_ew.csv",
    "lad24_region24": "lookups/lad24_region24_en.csv",
    "lsoa21_icb24": "lookups/lsoa21_sicbl24_icb24_en.csv",
    "imd2019": "deprivation/iod2019/iod2019_lsoa11_england_combined.csv",
    "imd2025": "deprivation/iod2025/imd2025_scores_ranks_deciles_lsoa21.csv",
    "imd2025_subdomains": "deprivation/iod2025/imd2025_subdomains_lsoa21.csv",
    "mye2020": "population/mye2020_lsoa11_single_year_of_age_ew.csv",
    "mye2019": "population/mye2019_lsoa11_single_year_of_age_ew.csv",
    "census2021_residents": "census2021/census21_usual_residents_lsoa21_ew_derived.csv",
}

#: (code column, name column, vintage) of each boundary layer.
BOUNDARY_FIELDS: dict[str, tuple[str, str, str]] = {
    "lsoa21_boundaries": ("lsoa21_code", "lsoa21_name", "2021"),
    "lsoa11_boundaries": ("lsoa11_code", "lsoa11_name", "2011"),
    "msoa21_boundaries": ("msoa21_code", "msoa21_name", "2021"),
    "msoa11_boundaries": ("msoa11_code", "msoa11_name", "2011"),
    "ward_boundaries": ("ward22_code", "ward22_name", "2022"),
    "lad24_boundaries": ("lad24_code", "lad24_name", "2024"),
    "lad20_boundaries": ("lad20_code", "lad20_name", "2020"),
    "pfa_boundaries": ("pfa20_code", "pfa20_name", "2020"),
}

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")


def locate(folder: Path, key: str) -> Path:
    """The file for ``key`` in ``folder`` (plain or ``.gz``); a clear error when absent."""
    relative = FILES[key]
    for candidate in (folder / relative, folder / f"{relative}.gz"):
        if candidate.exists():
            return candidate
    raise GeographyInputError(
        f"missing file {folder / relative} (or {relative}.gz) needed for {key}")


def read_table(folder: Path, key: str, columns: list[str]) -> tuple[pd.DataFrame, Path]:
    """Read CSV ``key`` as text, check ``columns`` exist and the code columns are GSS codes."""
    path = locate(folder, key)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise GeographyInputError(f"{path}: cannot be read as CSV ({exc})") from exc
    require_columns(frame, columns, source=str(path))
    for column in columns:
        if column.endswith(("_code", "CD")) and column != "change_code":
            check_codes(frame[column], source=str(path), column=column)
    return frame, path


def check_codes(codes: pd.Series, *, source: str, column: str) -> None:
    """Raise naming the file, CSV line and column of the first blank or malformed GSS code."""
    bad = codes.isna() | ~codes.fillna("").str.match(GSS_CODE)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise GeographyInputError(
            f"{source}: line {first + 2}, column {column}: {codes.iloc[first]!r} is not a GSS "
            f"code ({int(bad.sum())} such row(s))")


def read_boundaries(folder: Path, key: str) -> tuple[pd.DataFrame, Path]:
    """Read a boundary GeoPackage into code, name, vintage, geometry_wkb (EPSG:4326)."""
    path = locate(folder, key)
    code_field, name_field, vintage = BOUNDARY_FIELDS[key]
    try:
        meta, _fids, geometry, field_data = pyogrio.raw.read(path)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise GeographyInputError(f"{path}: cannot be read as a boundary layer ({exc})") from exc
    names = list(meta["fields"])
    missing = [f for f in (code_field, name_field) if f not in names]
    if missing:
        raise GeographyInputError(
            f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(names)}")
    wkb = np.asarray(geometry, dtype=object)
    if meta.get("crs") and CRS.from_user_input(meta["crs"]) != CRS.from_epsg(4326):
        wkb = to_wgs84_wkb(wkb, meta["crs"])
    frame = pd.DataFrame({
        "code": field_data[names.index(code_field)].astype(str),
        "name": field_data[names.index(name_field)].astype(str),
        "vintage": vintage,
        "geometry_wkb": wkb,
    })
    check_codes(frame["code"], source=str(path), column=code_field)
    empty = frame["geometry_wkb"].isna()
    if empty.any():
        raise GeographyInputError(
            f"{path}: {int(empty.sum())} feature(s) without geometry, e.g. "
            f"{frame.loc[empty, 'code'].head(5).tolist()}")
    return frame, path


def to_wgs84_wkb(wkb: np.ndarray, crs: str) -> np.ndarray:
    """Reproject WKB geometries from ``crs`` to EPSG:4326 (lon/lat order)."""
    transformer = Transformer.from_crs(crs, 4326, always_xy=True)
    geoms = shapely.from_wkb(wkb)
    moved = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(
        xy[:, 0], xy[:, 1])))
    return np.asarray(shapely.to_wkb(moved), dtype=object)


def dissolve_duplicates(frame: pd.DataFrame, path: Path,
                        issues: list[dict[str, str]]) -> pd.DataFrame:
    """Union the parts of a code that appears on several features, and report it.

    ONS layers occasionally hold one area as two features (e.g. Wards Dec 2022 has ward
    E05014284 twice, one part per former district); one area must have one geometry here.
    """
    duplicated = frame["code"].duplicated(keep=False)
    if not duplicated.any():
        return frame
    merged = []
    for code, parts in frame[duplicated].groupby("code", sort=True):
        geometry = shapely.union_all(shapely.from_wkb(parts["geometry_wkb"].to_numpy()))
        merged.append(parts.iloc[[0]].assign(geometry_wkb=[shapely.to_wkb(geometry)]))
        issues.append({"file": str(path), "column": "code", "code": str(code),
                       "problem": f"{len(parts)} features with this code; geometries unioned"})
    return pd.concat([frame[~duplicated], *merged], ignore_index=True)


def empty_or(frame: pd.DataFrame | None) -> pd.DataFrame:
    return empty_boundaries() if frame is None else frame
