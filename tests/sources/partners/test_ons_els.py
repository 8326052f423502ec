"""ONS Explore local statistics reader (values checked against the raw CSV; reference: ONS
indicator files, Home Office Homicide Index, DfE, DWP)."""

from __future__ import annotations

import math

import pytest

from alliance.sources.partners import read
from alliance.sources.partners.ons_els import parse_interval
from tests.conftest import require_shared
from tests.sources.partners._raw import one, raw_rows

ELS = ("partners", "ons_explore_local_statistics")


@pytest.mark.parametrize(("name", "rows"), [
    ("homicide-offences.csv", 504),
    ("children-in-relative-poverty.csv", 2472),
    ("persistent-absences-for-all-pupils.csv", 2909),
    ("persistent-absences-for-pupils-eligible-for-free-school-meals.csv", 975),
    ("persistent-absences-for-pupils-looked-after-by-local-authorities.csv", 1148),
])
def test_reads_every_row(name: str, rows: int) -> None:
    result = read(require_shared(*ELS, name))
    assert result.problems == () and len(result.table) == rows
    assert not (result.table["value"].isna() & result.table["notes"].eq("")).any()


def test_homicide_northamptonshire_pfa() -> None:
    """E23000022, April 2022 - March 2025: 7.45 per million (SOURCES.md), three-year period."""
    path = require_shared(*ELS, "homicide-offences.csv")
    table = read(path).table
    raw = next(r for r in raw_rows(path) if r["areacd"] == "E23000022"
               and r["period"] == "2022-04-01/P3Y")
    row = one(table, area_code="E23000022", period="Apr 2022-Mar 2025")
    assert row["value"] == pytest.approx(float(raw["observation"]))
    assert round(row["value"], 2) == 7.45
    assert row["area_level"] == "pfa" and row["unit"] == "rate per 1,000,000"
    assert str(row["period_end"].date()) == "2025-03-31"
    assert row["measure_label"].startswith("Homicide offences")  # from the JSON sidecar


def test_status_u_is_a_flag_beside_the_value() -> None:
    path = require_shared(*ELS, "homicide-offences.csv")
    table = read(path).table
    flagged = [r for r in raw_rows(path) if r["status"] == "u"]
    assert len(flagged) == 9
    for r in flagged:
        row = one(table, source_line=int(r["_line"]))
        if r["observation"]:  # a flag beside a published value
            assert "status 'u': low reliability" in row["notes"]
            assert row["value"] == pytest.approx(float(r["observation"]))
        else:  # the figure is withheld: suppressed with its marker, never 0
            assert math.isnan(row["value"]) and "suppressed 'u'" in row["notes"]


def test_looked_after_status_markers_are_suppressed() -> None:
    path = require_shared(*ELS, "persistent-absences-for-pupils-looked-after-by-local-"
                                "authorities.csv")
    table = read(path).table
    raws = [r for r in raw_rows(path) if r["status"] in ("x", "c", "z")]
    assert len(raws) == 187
    for r in raws:
        row = one(table, source_line=int(r["_line"]))
        assert math.isnan(row["value"]) and f"suppressed '{r['status']}'" in row["notes"]


def test_poverty_north_and_west() -> None:
    path = require_shared(*ELS, "children-in-relative-poverty.csv")
    table = read(path).table
    for r in raw_rows(path):
        if r["areacd"] in ("E06000061", "E06000062") and r["period"] == "2024-04-01/P1Y":
            measure = ("children_relative_poverty_bhc" if "before" in r["indicator"]
                       else "children_relative_poverty_ahc")
            row = one(table, area_code=r["areacd"], period="2024/25", area_level="utla",
                      measure=measure)
            assert row["value"] == pytest.approx(float(r["observation"]))


def test_interval_labels() -> None:
    academic, calendar = parse_interval("2022-08-01/P1Y"), parse_interval("2021-01-01/P1Y")
    assert academic is not None and academic.label == "2022/23"
    assert calendar is not None and calendar.label == "2021"
    assert parse_interval("2022/23") is None


def test_json_metadata_reads_its_csv_and_broken_json_is_a_problem(tmp_path) -> None:
    """read(<indicator>.json) reads the CSV beside it; an unreadable JSON is recorded."""
    json_path = require_shared(*ELS, "homicide-offences.json")
    assert len(read(json_path).table) == 504
    csv_path = tmp_path / "x.csv"
    csv_path.write_text("areacd,areanm,geography,indicator,period,observation,measure,unit,"
                        "lci_95,uci_95,status,notes\nE23000022,Northamptonshire,Police Force "
                        "Area,X,2022-04-01/P3Y,7.4,m,%,,,,\n")
    (tmp_path / "x.json").write_text("{not json")
    result = read(csv_path)
    assert len(result.table) == 1
    assert [p.value for p in result.problems] == ["x.json"]
