"""Fetch the geography files from their publishers into the reader's folder layout.

:data:`PUBLISHED_FILES` is the one table of where each file comes from: the ONS Open Geography
Portal (ArcGIS feature services, queried page by page, boundaries in EPSG:4326) and MHCLG's
Indices of Deprivation "File 7" CSVs. Each entry names the file(s) of
:data:`alliance.geo.layout.FILES` it becomes; published field names are renamed to the
layout's. Files of the layout that publishers do not offer as such (files derived by joins,
the 80 MB ONS population workbooks) are listed in :data:`NOT_PUBLISHED_AS_FILES` with the reason
and must be supplied by hand.

Service names checked against public code that calls them: the LSOA 2021 and 2011 BSC
boundary services, ``LSOA21_WD24_LAD24_EW_LU``, ``LSOA11_LSOA21_LAD22_EW_LU_v5`` and both File 7
URLs. The other service names follow the portal's naming and could not be checked offline; a
service that does not answer raises :class:`DownloadError` naming its URL, so a renamed
service is found on the first online run. All HTTP goes through the injected ``httpx.Client``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import numpy as np
import pandas as pd
import pyogrio.raw
import shapely

from alliance.geo.layout import FILES

ONS = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
Kind = Literal["arcgis_features", "arcgis_table", "csv", "iod2019_file7", "iod2025_file7"]


class DownloadError(RuntimeError):
    """A publisher's URL failed or answered with something that is not the expected file."""


@dataclass(frozen=True, kw_only=True)
class PublishedFile:
    """One published file and the layout file(s) it is written to."""

    targets: tuple[str, ...]
    publisher: str
    url: str
    kind: Kind
    fields: dict[str, str] = field(default_factory=dict)


def _boundary(key: str, service: str, code: str, name: str, layout_prefix: str) -> PublishedFile:
    return PublishedFile(targets=(key,), publisher="ONS Open Geography Portal",
                         url=f"{ONS}/{service}/FeatureServer/0", kind="arcgis_features",
                         fields={code: f"{layout_prefix}_code", name: f"{layout_prefix}_name"})


def _lookup(key: str, service: str, fields: dict[str, str]) -> PublishedFile:
    return PublishedFile(targets=(key,), publisher="ONS Open Geography Portal",
                         url=f"{ONS}/{service}/FeatureServer/0", kind="arcgis_table",
                         fields=fields)


PUBLISHED_FILES: tuple[PublishedFile, ...] = (
    _boundary("lsoa21_boundaries",
              "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V4",
              "LSOA21CD", "LSOA21NM", "lsoa21"),
    _boundary("lsoa11_boundaries", "LSOA_2011_Boundaries_Super_Generalised_Clipped_BSC_EW_V4",
              "LSOA11CD", "LSOA11NM", "lsoa11"),
    _boundary("msoa21_boundaries",
              "Middle_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V3",
              "MSOA21CD", "MSOA21NM", "msoa21"),
    _boundary("msoa11_boundaries", "MSOA_Dec_2011_Boundaries_Super_Generalised_Clipped_BSC_EW_V3",
              "MSOA11CD", "MSOA11NM", "msoa11"),
    _boundary("ward_boundaries", "Wards_December_2022_Boundaries_UK_BSC", "WD22CD", "WD22NM",
              "ward22"),
    _boundary("lad24_boundaries", "Local_Authority_Districts_May_2024_Boundaries_UK_BUC",
              "LAD24CD", "LAD24NM", "lad24"),
    _boundary("lad20_boundaries", "Local_Authority_Districts_December_2020_UK_BUC",
              "LAD20CD", "LAD20NM", "lad20"),
    _boundary("pfa_boundaries", "Police_Force_Areas_December_2020_EW_BUC", "PFA20CD", "PFA20NM",
              "pfa20"),
    _lookup("lsoa21_ward24_lad24", "LSOA21_WD24_LAD24_EW_LU", {
        "LSOA21NM": "lsoa21_name", "LSOA21CD": "lsoa21_code", "WD24NM": "ward24_name",
        "WD24CD": "ward24_code", "LAD24NM": "lad24_name", "LAD24CD": "lad24_code"}),
    _lookup("lsoa11_lsoa21_lad22", "LSOA11_LSOA21_LAD22_EW_LU_v5", {
        "LSOA11NM": "lsoa11_name", "LSOA11CD": "lsoa11_code", "CHGIND": "change_code",
        "LSOA21NM": "lsoa21_name", "LSOA21CD": "lsoa21_code", "LAD22NM": "lad22_name",
        "LAD22CD": "lad22_code"}),
    _lookup("lad24_csp24_pfa24", "LAD24_CSP24_PFA24_EW_LU", {
        "LAD24CD": "lad24_code", "LAD24NM": "lad24_name", "CSP24CD": "csp24_code",
        "CSP24NM": "csp24_name", "PFA24CD": "pfa24_code", "PFA24NM": "pfa24_name"}),
    _lookup("lad24_region24", "LAD24_RGN24_EN_LU", {
        "LAD24NM": "lad24_name", "LAD24CD": "lad24_code", "RGN24NM": "region24_name",
        "RGN24CD": "region24_code"}),
    _lookup("lsoa21_icb24", "LSOA21_SICBL24_ICB24_CAL24_LAD24_EN_LU", {
        "LSOA21NM": "lsoa21_name", "LSOA21CD": "lsoa21_code", "SICBL24NM": "sicbl24_name",
        "SICBL24CD": "sicbl24_code", "SICBL24CDH": "sicbl24_code_nhs", "ICB24NM": "icb24_name",
        "ICB24CD": "icb24_code", "ICB24CDH": "icb24_code_nhs"}),
    PublishedFile(targets=("oa11_lsoa11_msoa11_lad17",), publisher="ONS Open Geography Portal",
                  url="https://hub.arcgis.com/api/v3/datasets/fe6c55f0924b4734adf1cf7104a0173e_0"
                      "/downloads/data?format=csv&spatialRefId=4326", kind="csv"),
    PublishedFile(targets=("imd2019",), publisher="MHCLG", kind="iod2019_file7",
                  url="https://assets.publishing.service.gov.uk/government/uploads/system/"
                      "uploads/attachment_data/file/845345/File_7_-_All_IoD2019_Scores__Ranks"
                      "__Deciles_and_Population_Denominators_3.csv"),
    PublishedFile(targets=("imd2025", "imd2025_subdomains"), publisher="MHCLG",
                  kind="iod2025_file7",
                  url="https://assets.publishing.service.gov.uk/media/691ded56d140bbbaa59a2a7d/"
                      "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"),
)

NOT_PUBLISHED_AS_FILES: dict[str, str] = {
    "lsoa21_msoa21": "derived from the ONS naming rule (no official LSOA21->MSOA21 lookup)",
    "lsoa11_lad19_lad20_lad21": "a join of three ONS LSOA11->ward->LAD lookups (2019/20/21)",
    "mye2020": "ONS SAPE23DT2 is an 80 MB+ Excel workbook; convert by hand",
    "mye2019": "ONS SAPE22DT2 is an 80 MB+ Excel workbook; convert by hand",
    "census2021_residents": "the total column of Census 2021 TS021 (Nomis bulk file)",
}

_RANK = "Rank (where 1 is most deprived)"
_DECILE = "Decile (where 1 is most deprived 10% of LSOAs)"
_FILE7_DOMAINS = {  # published heading -> (2019 layout prefix, 2025 layout prefix)
    "Index of Multiple Deprivation (IMD)": ("imd", "IMD"),
    "Income": ("income", "Income"), "Employment": ("employment", "Employment"),
    "Education, Skills and Training": ("education", "Education"),
    "Health Deprivation and Disability": ("health", "Health"), "Crime": ("crime", "Crime"),
    "Barriers to Housing and Services": ("barriers", "Housing_and_Services"),
    "Living Environment": ("living_env", "Environment"),
    "Income Deprivation Affecting Children Index (IDACI)": ("idaci", ""),
    "Income Deprivation Affecting Older People (IDAOPI)": ("idaopi", ""),
}
_SUBDOMAINS = {"Children and Young People": "children_and_young_people",
               "Adult Skills": "adult_skills", "Geographical Barriers": "geographical_barriers",
               "Wider Barriers": "wider_barriers", "Indoors": "indoors", "Outdoors": "outdoors"}
_POP_2019 = {
    "Total population: mid 2015 (excluding prisoners)": "pop_total_mid2015",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)": "pop_children_0_15_mid2015",
    "Population aged 16-59: mid 2015 (excluding prisoners)": "pop_16_59_mid2015",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)": "pop_60plus_mid2015",
    "Working age population 18-59/64: for use with Employment Deprivation Domain "
    "(excluding prisoners)": "pop_working_age_mid2015",
}


@dataclass(frozen=True, kw_only=True)
class DownloadReport:
    """What was written where, and which layout files must be supplied by hand."""

    written: tuple[tuple[str, str], ...]  # (layout key, path)
    not_downloadable: tuple[tuple[str, str], ...]  # (layout key, reason)

    def to_frame(self) -> pd.DataFrame:
        rows = [{"file": k, "status": "written", "detail": p} for k, p in self.written]
        rows += [{"file": k, "status": "supply by hand", "detail": r}
                 for k, r in self.not_downloadable]
        return pd.DataFrame(rows, columns=["file", "status", "detail"])


def _get(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
    try:
        response = client.get(url, params=params, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: {exc}") from exc
    return response


def _arcgis_pages(client: httpx.Client, source: PublishedFile, fmt: str,
                  page_size: int) -> list[dict[str, Any]]:
    """All features of an ArcGIS feature service, following ``exceededTransferLimit``."""
    features: list[dict[str, Any]] = []
    url = f"{source.url}/query"
    while True:
        params = {"where": "1=1", "outFields": ",".join(source.fields), "outSR": 4326,
                  "f": fmt, "resultOffset": len(features), "resultRecordCount": page_size,
                  "orderByFields": next(iter(source.fields))}
        try:
            data = _get(client, url, params).json()
        except ValueError as exc:
            raise DownloadError(f"{url}: the answer is not JSON") from exc
        if "error" in data:
            raise DownloadError(f"{url}: the service answered with an error: {data['error']}")
        page = data.get("features")
        if page is None:
            raise DownloadError(f"{url}: the answer has no 'features'")
        features.extend(page)
        more = data.get("exceededTransferLimit") or data.get("properties", {}).get(
            "exceededTransferLimit")
        if not more or not page:
            return features


def _attributes(features: list[dict[str, Any]], source: PublishedFile, key: str) -> pd.DataFrame:
    rows = [f.get("properties") or f.get("attributes") or {} for f in features]
    frame = pd.DataFrame(rows)
    by_upper = {str(c).upper(): c for c in frame.columns}
    missing = [f for f in source.fields if f.upper() not in by_upper]
    if missing:
        raise DownloadError(f"{source.url} ({key}): published field(s) {missing} not in the "
                            f"answer; found {list(frame.columns)}")
    return pd.DataFrame({new: frame[by_upper[old.upper()]].to_numpy()
                         for old, new in source.fields.items()})


def _write_boundaries(path: Path, features: list[dict[str, Any]], source: PublishedFile,
                      key: str) -> None:
    attributes = _attributes(features, source, key)
    geometries = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    polygons = shapely.get_type_id(geometries) == shapely.GeometryType.POLYGON
    geometries[polygons] = [shapely.MultiPolygon([g]) for g in geometries[polygons]]
    path.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.raw.write(
        str(path), np.asarray(shapely.to_wkb(geometries), dtype=object),
        [attributes[c].astype(str).to_numpy() for c in attributes.columns],
        list(attributes.columns), layer=path.stem, driver="GPKG",
        geometry_type="MultiPolygon", crs="EPSG:4326")


def _file7(text: str, url: str, year: str) -> dict[str, pd.DataFrame]:
    published = pd.read_csv(io.StringIO(text), dtype=str)
    code = "LSOA code (2011)" if year == "2019" else "LSOA code (2021)"
    want: dict[str, str] = {code: "lsoa11_code" if year == "2019" else "lsoa21_code"}
    subdomain_cols: list[str] = []
    for heading, (name19, name25) in _FILE7_DOMAINS.items():
        name = name19 if year == "2019" else name25
        if not name:
            continue
        want[f"{heading} {_RANK}"] = f"{name}_rank"
        want[f"{heading} {_DECILE}"] = f"{name}_decile"
        score = next((c for c in published.columns if c.startswith(f"{heading} Score")), None)
        if year == "2025" or name in ("imd", "income", "employment"):
            if score is None:
                raise DownloadError(f"{url}: no column '{heading} Score'")
            want[score] = {"income": "income_score_pct", "employment": "employment_score_pct"}.get(
                name, f"{name}_score")
    for heading, name in _SUBDOMAINS.items():
        prefix = "sub_" if year == "2019" else ""
        for measure, suffix in (("Rank (where 1 is most deprived)", "rank"),
                                (_DECILE, "decile"), ("Score", "score")):
            if year == "2019" and suffix == "score":
                continue
            want[f"{heading} Sub-domain {measure}"] = f"{prefix}{name}_{suffix}"
            subdomain_cols.append(f"{prefix}{name}_{suffix}")
    if year == "2019":
        want.update(_POP_2019)
    # MHCLG's IoD2025 File 7 header cuts one heading short at 80 characters ("... 10% of
    # LSO"), so a heading also matches a published column it starts with.
    matched = [(_published_column(list(published.columns), h), h, n) for h, n in want.items()]
    missing = [h for column, h, _ in matched if column is None]
    if missing:
        raise DownloadError(f"{url}: published column(s) not found: {missing[:5]}")
    found = {str(column): name for column, _, name in matched}
    frame = published[list(found)].rename(columns=found)
    if year == "2019":
        for column in ("income_score_pct", "employment_score_pct"):  # rates -> percent
            frame[column] = (pd.to_numeric(frame[column]) * 100).round(6).astype(str)
        return {"imd2019": frame}
    return {"imd2025": frame.drop(columns=subdomain_cols),
            "imd2025_subdomains": frame[["lsoa21_code", *subdomain_cols]]}


def _published_column(columns: list[str], heading: str) -> str | None:
    if heading in columns:
        return heading
    cut = [c for c in columns if len(c) >= 60 and heading.startswith(c)]
    return cut[0] if len(cut) == 1 else None


def download_geography_folder(folder: Path, *, client: httpx.Client,
                              files: tuple[PublishedFile, ...] = PUBLISHED_FILES,
                              page_size: int = 2000,
                              progress: Callable[[str], None] | None = None) -> DownloadReport:
    """Download ``files`` into ``folder`` in the layout :func:`read_geography_folder` reads.

    Raises
    ------
    DownloadError
        Naming the URL, when a request fails or the answer lacks an expected field/column.
    """
    say = progress or (lambda _message: None)
    written: list[tuple[str, str]] = []
    for source in files:
        say(f"fetching {', '.join(source.targets)} from {source.publisher}")
        if source.kind == "arcgis_features":
            key = source.targets[0]
            path = folder / FILES[key]
            _write_boundaries(path, _arcgis_pages(client, source, "geojson", page_size),
                              source, key)
            written.append((key, str(path)))
            continue
        if source.kind == "arcgis_table":
            key = source.targets[0]
            tables = {key: _attributes(_arcgis_pages(client, source, "json", page_size),
                                       source, key)}
        elif source.kind == "csv":
            text = _get(client, source.url).text
            tables = {source.targets[0]: pd.read_csv(io.StringIO(text), dtype=str)}
        else:
            year = "2019" if source.kind == "iod2019_file7" else "2025"
            tables = _file7(_get(client, source.url).text, source.url, year)
        for key, frame in tables.items():
            path = folder / FILES[key]
            path.parent.mkdir(parents=True, exist_ok=True)
            # ONS's own table re-created in the layout the geography loader reads back: a
            # cache, not an output anyone opens, so it is written as published
            frame.to_csv(path, index=False)
            written.append((key, str(path)))
    return DownloadReport(written=tuple(written),
                          not_downloadable=tuple(NOT_PUBLISHED_AS_FILES.items()))
