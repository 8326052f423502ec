"""LSOA 2011 -> 2021 conversion with the real ONS lookup (LSOA11_LSOA21_LAD22_EW_LU V2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from alliance.geo.lsoa_convert import apportion_to_lsoa21, convert_lsoa11
from alliance.geo.spatial import LsoaIndex
from alliance.geo.tables import GeographyInputError, GeographyTables
from tests.conftest import require_shared

MERGED = ("E01011973", "E01011976")  # Hartlepool 005A and 005D -> Hartlepool 015C
MERGED_INTO = "E01035188"


def _split_in_northants(lookup: pd.DataFrame) -> tuple[str, list[str]]:
    northants = pd.read_csv(
        require_shared("geo", "northants", "northants_lsoa21_master_lookup.csv"))
    split = northants[northants["lsoa11_to_21_change"] == "S"]["lsoa11_code"].iloc[0]
    return split, sorted(lookup.loc[lookup["lsoa11_code"] == split, "lsoa21_code"])


def test_unchanged_merged_unknown_and_split_without_point(geo_tables: GeographyTables) -> None:
    lookup = geo_tables.lsoa11_to_21
    split, _ = _split_in_northants(lookup)
    result = convert_lsoa11(["E01027305", *MERGED, "E01999999", split, None], lookup=lookup)
    assert result.lsoa21 == ("E01027305", MERGED_INTO, MERGED_INTO, None, None, None)
    assert result.status == ("unchanged", "merged", "merged", "unknown", "split_unresolved",
                             "unknown")
    assert result.counts()["split_unresolved"] == 1
    assert list(result.to_frame().columns) == ["lsoa11_code", "lsoa21_code", "status"]


def test_split_resolved_from_a_point_in_a_successor(geo_tables: GeographyTables,
                                                    lsoa_index: LsoaIndex) -> None:
    lookup = geo_tables.lsoa11_to_21
    split, successors = _split_in_northants(lookup)
    assert len(successors) >= 2
    polygons = lsoa_index.polygons[np.searchsorted(lsoa_index.codes, successors)]
    inside = [p.representative_point() for p in polygons]
    lon = [p.x for p in inside] + [-0.8977, np.nan]  # central Northampton: not a successor
    lat = [p.y for p in inside] + [52.2405, np.nan]
    result = convert_lsoa11([split] * (len(successors) + 2), lookup=lookup, lon=lon, lat=lat,
                            index=lsoa_index)
    assert list(result.lsoa21) == [*successors, None, None]
    assert result.status == (("split_by_point",) * len(successors)
                             + ("split_unresolved", "split_unresolved"))


def test_real_postcodes_in_split_lsoas_resolve_from_their_points(
        geo_tables: GeographyTables, lsoa_index: LsoaIndex) -> None:
    """Live Northamptonshire postcodes (ONS PCD-OA-LSOA May 2022 lookup, LSOA 2011 codes) with
    their OS Code-Point Open 2025 grid references. Of the 1,691 postcodes in LSOAs 2011 that
    split, 1,599 (94.6 %, measured) fall in one of the split's successors on the BSC polygons;
    the rest (postcodes near a generalised border, or whose best-fit LSOA 2011 is not the one
    their point lies in) are left unresolved, never guessed."""
    lookup = geo_tables.lsoa11_to_21
    postcodes = pd.read_csv(require_shared(
        "geo", "northants", "postcode_oa11_lsoa11_msoa11_lad22_may22_northants.csv.gz"),
        usecols=["pcds", "doterm", "lsoa11cd"])
    points = pd.read_csv(require_shared(
        "geo", "northants", "codepoint_open_2025_postcodes_northants.csv.gz"),
        usecols=["Postcode", "Eastings", "Northings"])
    live = postcodes[postcodes["doterm"].isna()].merge(points, left_on="pcds",
                                                       right_on="Postcode")
    lon, lat = Transformer.from_crs(27700, 4326, always_xy=True).transform(
        live["Eastings"].to_numpy(float), live["Northings"].to_numpy(float))
    result = convert_lsoa11(live["lsoa11cd"], lookup=lookup, lon=lon, lat=lat, index=lsoa_index)
    counts = result.counts()
    split_rows = counts["split_by_point"] + counts["split_unresolved"]
    assert split_rows > 500
    assert counts["split_by_point"] / split_rows > 0.9
    assert counts["unknown"] == 0 and counts["merged"] == 0  # no merges in Northamptonshire
    frame = result.to_frame()
    placed = frame[frame["status"] == "split_by_point"]
    pairs = set(zip(lookup["lsoa11_code"], lookup["lsoa21_code"], strict=True))
    assert all(p in pairs for p in zip(placed["lsoa11_code"], placed["lsoa21_code"], strict=True))


def test_apportioned_population_keeps_totals(geo_tables: GeographyTables) -> None:
    """Mid-2020 population (ONS SAPE23DT2) carried to LSOA 2021 by Census 2021 resident
    share: the England & Wales total and each split's total are preserved."""
    pop = geo_tables.population
    mid2020 = pop[pop["source"] == "ons_sape_mid2020"].set_index("lsoa_code")["total"]
    census = pop[pop["source"] == "census2021_usual_residents"].set_index("lsoa_code")["total"]
    result = apportion_to_lsoa21(mid2020.astype(float), geo_tables.lsoa11_to_21, weights=census)
    assert len(result) == 35_672
    assert result.sum() == pytest.approx(float(mid2020.sum()), rel=1e-12)
    lookup = geo_tables.lsoa11_to_21
    split, successors = _split_in_northants(lookup)
    assert result[successors].sum() == pytest.approx(float(mid2020[split]))
    shares = census[successors] / census[successors].sum()
    assert result[successors].to_numpy() == pytest.approx(float(mid2020[split]) * shares)
    assert result[MERGED_INTO] == pytest.approx(float(mid2020[list(MERGED)].sum()))


def test_apportion_rejects_bad_input(geo_tables: GeographyTables) -> None:
    lookup = geo_tables.lsoa11_to_21
    with pytest.raises(GeographyInputError, match="E01999999"):
        apportion_to_lsoa21(pd.Series({"E01999999": 1.0}), lookup,
                            weights=pd.Series({"E01027305": 1.0}))
    with pytest.raises(GeographyInputError, match="negative"):
        apportion_to_lsoa21(pd.Series({"E01027305": -1.0}), lookup,
                            weights=pd.Series({"E01027305": 1.0}))
    with pytest.raises(GeographyInputError, match="no weight"):
        apportion_to_lsoa21(pd.Series({"E01027305": 1.0}), lookup,
                            weights=pd.Series({"E01000001": 1.0}))
    with pytest.raises(ValueError, match="together"):
        convert_lsoa11(["E01027305"], lookup=lookup, lon=[0.0], lat=[0.0])
