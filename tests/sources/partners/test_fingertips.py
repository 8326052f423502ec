"""Fingertips export and the Trafford Data Lab tidy files (values checked against the raw CSVs;
reference: OHID Fingertips indicator 90284 and the tidy extracts)."""

from __future__ import annotations

import math

import pytest

from alliance.sources.partners import read
from alliance.sources.partners.fingertips import parse_period
from tests.conftest import require_shared
from tests.sources.partners._raw import one, raw_rows


def test_export_injury_admissions_north_and_west() -> None:
    """90284, Persons, 2023/24: value, count and denominator equal the export."""
    path = require_shared("partners", "dfe_csc", "la_hospital_admissions_2324.csv.gz")
    result = read(path)
    table = result.table
    assert result.problems == () and len(table) == len(raw_rows(path)) == 7208
    for r in raw_rows(path):
        if r["Area Code"] in ("E06000061", "E06000062") and r["Sex"] == "Persons" \
                and r["Time period"] == "2023/24":
            row = one(table, area_code=r["Area Code"], period="2023/24", breakdown="",
                      measure="hospital_admissions_injuries_0_14")
            assert row["value"] == pytest.approx(float(r["Value"]))
            assert row["numerator"] == float(r["Count"])
            assert row["denominator"] == float(r["Denominator"])
            assert row["unit"] == "rate per 10,000"  # value = count / denominator x 10,000


@pytest.mark.parametrize(("name", "measure", "rows"), [
    ("admissions_self_harm.csv", "self_harm_admissions_dsr", 2624),
    ("admissions_self_harm_young_people.csv", "self_harm_admissions_10_24_dsr", 1078),
    ("alcohol_related_admissions.csv", "alcohol_related_admissions_narrow_dsr", 3280),
    ("alcohol_related_mortality.csv", "alcohol_related_mortality_dsr", 3280),
])
def test_tidy_files(name: str, measure: str, rows: int) -> None:
    """Each tidy file reads whole; NA stays suppressed; DSR has no numerator/denominator."""
    path = require_shared("partners", "fingertips_trafforddatalab", name)
    result = read(path)
    table = result.table
    assert result.problems == () and len(table) == rows
    assert set(table["measure"]) == {measure}
    assert table["unit"].str.startswith("directly standardised rate per 100,000").all()
    raws = raw_rows(path)
    na = [r for r in raws if r["value"] == "NA"]
    for r in na:
        row = one(table, source_line=int(r["_line"]))
        assert math.isnan(row["value"]) and "suppressed 'NA'" in row["notes"]
    assert table["numerator"].isna().all()


def test_self_harm_districts() -> None:
    """Corby 2010/11 = 289 (lower-tier district, CSP area), Worse than England."""
    path = require_shared("partners", "fingertips_trafforddatalab", "admissions_self_harm.csv")
    row = one(read(path).table, area_code="E07000150", period="2010/11")
    assert row["value"] == 289.0 and row["area_level"] == "la"
    assert row["notes"] == "compared with England: Worse"


def test_fingertips_period_labels() -> None:
    fy = parse_period("2010/11")
    assert fy is not None and fy.start.isoformat() == "2010-04-01"
    pooled = parse_period("2019/20 - 21/22")
    assert pooled is not None and pooled.end.isoformat() == "2022-03-31"
    assert parse_period("2015 - 17") is not None
    assert parse_period("Q1 2020") is None
