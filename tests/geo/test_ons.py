"""Reading the real ONS / MHCLG geography folder (../shared/data/geo, see its SOURCES.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliance.geo.deprivation import read_imd2025
from alliance.geo.layout import FILES, read_table
from alliance.geo.ons import read_geography_folder
from alliance.geo.tables import TABLE_COLUMNS, GeographyInputError, GeographyTables
from tests.conftest import require_shared

NORTHANTS_PFA = "E23000022"
#: SOURCES.md "Facts about Northamptonshire geography": LSOAs 2021 per CSP.
NORTHANTS_CSPS = {"E22000233": 45, "E22000357": 101, "E22000235": 51, "E22000236": 60,
                  "E22000237": 137, "E22000239": 49}


def _lsoa_parents(tables: GeographyTables, level: str) -> pd.DataFrame:
    links = tables.area_parents
    return links[(links["child_level"] == "lsoa21") & (links["parent_level"] == level)]


def test_national_lsoa21_boundaries_load(geo_tables: GeographyTables) -> None:
    """SOURCES.md: 35,672 LSOA 2021 in England & Wales; 34,753 LSOA 2011."""
    assert len(geo_tables.lsoa21_boundaries) == 35_672
    assert geo_tables.lsoa21_boundaries["code"].is_unique
    assert len(geo_tables.lsoa11_boundaries) == 34_753
    assert isinstance(geo_tables.lsoa21_boundaries["geometry_wkb"].iloc[0], bytes)


def test_every_table_has_documented_columns(geo_tables: GeographyTables) -> None:
    for name, frame in geo_tables.layers().items():
        assert list(frame.columns[: len(TABLE_COLUMNS[name])]) == list(TABLE_COLUMNS[name])


def test_every_lsoa21_has_one_parent_at_each_current_level(geo_tables: GeographyTables) -> None:
    for level in ("msoa21", "ward", "csp", "pfa", "country"):
        links = _lsoa_parents(geo_tables, level)
        assert links["child_code"].nunique() == 35_672, level
        assert links["child_code"].is_unique, level
    lad24 = _lsoa_parents(geo_tables, "lad")
    assert lad24[lad24["parent_vintage"] == "2024"]["child_code"].nunique() == 35_672


def test_every_parent_is_a_known_area(geo_tables: GeographyTables) -> None:
    known = set(zip(geo_tables.areas["code"], geo_tables.areas["level"], strict=True))
    links = geo_tables.area_parents
    pairs = set(zip(links["parent_code"], links["parent_level"], strict=True))
    assert pairs <= known


def test_northamptonshire_csps_follow_former_districts(geo_tables: GeographyTables) -> None:
    """SOURCES.md: six CSPs with 45/101/51/60/137/49 LSOAs, all in PFA E23000022, and the
    same CSP per LSOA as the derived Northants master lookup."""
    pfa = _lsoa_parents(geo_tables, "pfa")
    northants = set(pfa.loc[pfa["parent_code"] == NORTHANTS_PFA, "child_code"])
    assert len(northants) == 443
    csp = _lsoa_parents(geo_tables, "csp")
    csp = csp[csp["child_code"].isin(northants)]
    assert csp.groupby("parent_code").size().to_dict() == NORTHANTS_CSPS
    master = pd.read_csv(require_shared("geo", "northants", "northants_lsoa21_master_lookup.csv"))
    ours = csp.set_index("child_code")["parent_code"]
    assert (ours.reindex(master["lsoa21_code"]).to_numpy() == master["csp24_code"]).all()


def test_csps_of_other_split_unitaries_are_complete(geo_tables: GeographyTables) -> None:
    """Buckinghamshire, BCP, Cumbria and East Suffolk CSPs follow districts of 2017-2020."""
    csp = _lsoa_parents(geo_tables, "csp")
    for code in ("E22000303", "E22000306", "E22000311", "E22000318",  # Bucks
                 "E22000063", "E22000067",  # Bournemouth, Poole
                 "E22000031", "E22000032",  # Allerdale, Barrow-in-Furness
                 "E22000274", "E22000278"):  # Suffolk Coastal, Waveney
        assert (csp["parent_code"] == code).sum() > 20, code
    assert len(geo_tables.input_issues.query("column == 'csp24_code'")) == 0


def test_input_issues_list_what_was_changed_or_left_out(geo_tables: GeographyTables) -> None:
    """Wards Dec 2022 BSC holds ward E05014284 (Hunmanby & Sherburn) as two features; the
    reader unions them and says so. Nothing else in the shared folder is left out."""
    issues = geo_tables.input_issues
    assert list(issues["code"]) == ["E05014284"]
    assert "wards22_uk_bsc.gpkg" in issues["file"].iloc[0]
    assert len(geo_tables.ward_boundaries) == 8_482


def test_bad_tables_are_rejected(geo_tables: GeographyTables) -> None:
    layers = geo_tables.layers()
    with pytest.raises(GeographyInputError, match="missing table"):
        GeographyTables.from_layers({k: v for k, v in layers.items() if k != "imd2019"})
    bad = dict(layers, areas=layers["areas"].assign(level="county"))
    with pytest.raises(GeographyInputError, match="unknown level"):
        GeographyTables.from_layers(bad)
    bad = dict(layers, area_parents=layers["area_parents"].drop(columns="relationship"))
    with pytest.raises(GeographyInputError, match="relationship"):
        GeographyTables.from_layers(bad)


def test_layers_round_trip_through_parquet(geo_tables: GeographyTables, tmp_path: Path) -> None:
    for name, frame in geo_tables.layers().items():
        frame.to_parquet(tmp_path / f"{name}.parquet")
    back = GeographyTables.from_layers(
        {p.stem: pd.read_parquet(p) for p in tmp_path.glob("*.parquet")})
    for name, frame in geo_tables.layers().items():
        pd.testing.assert_frame_equal(back.layers()[name].reset_index(drop=True),
                                      frame.reset_index(drop=True), check_dtype=False)


def test_population_vintages_and_bands(geo_tables: GeographyTables) -> None:
    """Mid-2020 bands summed here equal the derived age-band file; Northants mid-2020 10-24
    totals equal SOURCES.md (North 58,926; West 70,405)."""
    pop = geo_tables.population
    assert pop.groupby("source").size().to_dict() == {
        "census2021_usual_residents": 35_672, "ons_sape_mid2019": 34_753,
        "ons_sape_mid2020": 34_753}
    mid2020 = pop[pop["source"] == "ons_sape_mid2020"].set_index("lsoa_code")
    bands = pd.read_csv(
        require_shared("geo", "population", "mye2020_lsoa11_agebands_ew_derived.csv.gz"),
        index_col="lsoa11_code")
    for band in ("age_0_9", "age_10_17", "age_18_24", "age_10_24", "age_0_15", "age_16_64",
                 "age_65_plus"):
        assert (mid2020[band].reindex(bands.index).to_numpy() == bands[band].to_numpy()).all()
    northants = pd.read_csv(require_shared("geo", "northants", "northants_lsoa11_lookup.csv"))
    by_lad = mid2020["age_10_24"].reindex(northants["lsoa11_code"]).groupby(
        northants["lad21_name"].to_numpy()).sum()
    assert by_lad.to_dict() == {"North Northamptonshire": 58_926, "West Northamptonshire": 70_405}


def test_imd_tables(geo_tables: GeographyTables) -> None:
    """IoD2019: 32,844 LSOA 2011; IoD2025: 33,755 LSOA 2021; rank 1 is decile 1."""
    assert len(geo_tables.imd2019) == 32_844
    assert len(geo_tables.imd2025) == 33_755
    top = geo_tables.imd2025.sort_values("imd_rank").iloc[0]
    assert top["imd_rank"] == 1 and top["imd_decile"] == 1


def test_missing_folder_and_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(GeographyInputError, match="does not exist"):
        read_geography_folder(tmp_path / "nowhere")
    with pytest.raises(GeographyInputError, match=r"lsoa21_ew_bsc\.gpkg"):
        read_geography_folder(tmp_path)


def _one_file_folder(tmp_path: Path, key: str, text: str) -> Path:
    path = tmp_path / FILES[key]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return tmp_path


def test_missing_column_is_named(tmp_path: Path) -> None:
    folder = _one_file_folder(tmp_path, "lad24_csp24_pfa24", "lad24_code,lad24_name\nE06000061,X\n")
    with pytest.raises(GeographyInputError, match=r"lad24_csp24_pfa24_ew\.csv: missing column"
                       r"\(s\) csp24_code"):
        read_table(folder, "lad24_csp24_pfa24", ["lad24_code", "csp24_code"])


def test_malformed_code_names_line_and_column(tmp_path: Path) -> None:
    folder = _one_file_folder(tmp_path, "lad24_csp24_pfa24",
                              "lad24_code,csp24_code\nE06000061,E22000233\nE0600006,E22000235\n")
    with pytest.raises(GeographyInputError, match="line 3, column lad24_code: 'E0600006'"):
        read_table(folder, "lad24_csp24_pfa24", ["lad24_code", "csp24_code"])


def test_unknown_codes_are_reported_not_silently_dropped(tmp_path: Path) -> None:
    source = require_shared("geo", "deprivation", "iod2025")
    target = tmp_path / "deprivation" / "iod2025"
    target.mkdir(parents=True)
    for name in ("imd2025_scores_ranks_deciles_lsoa21.csv.gz", "imd2025_subdomains_lsoa21.csv.gz"):
        frame = pd.read_csv(source / name, dtype=str).head(3)
        frame.loc[2, "lsoa21_code"] = "E01999999"
        frame.to_csv(target / name.removesuffix(".gz"), index=False)
        assert not (target / name).exists()
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
    issues: list[dict[str, str]] = []
    frame = read_imd2025(tmp_path, {"E01000001", "E01000002"}, issues)
    assert list(frame["lsoa21_code"]) == ["E01000001", "E01000002"]
    assert [i["code"] for i in issues] == ["E01999999"]
