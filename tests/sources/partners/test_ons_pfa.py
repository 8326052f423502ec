"""ONS police force area tables reader on all eight workbooks (values checked against the
workbook opened independently with openpyxl; reference: ONS PFA data tables, SOURCES.md)."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from alliance.sources.partners import read
from tests.conftest import require_shared
from tests.sources.partners._raw import one

EDITIONS = {
    "policeforceareatablesyearendingmarch2018v2.xlsx": "YE Mar 2018",
    "policeforceareadatatablesyearendingjune2018corrected.xlsx": "YE Jun 2018",
    "policeforceareatablesyearendingsep18corrected.xlsx": "YE Sep 2018",
    "policeforceareatablesyearendingdecember2018.xlsx": "YE Dec 2018",
    "policeforceareatablesyeendingmarch2019.xlsx": "YE Mar 2019",
    "policeforceareatablesyearendingjune2019.xlsx": "YE Jun 2019",
    "policeforceareatablesyearendingseptember2019.xlsx": "YE Sep 2019",
    "pfatablesdec19.xlsx": "YE Dec 2019",
}


def _northants_row(path: Path, sheet: str) -> tuple[int, tuple]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    name = next(n for n in wb.sheetnames if n.strip() == sheet)
    for i, r in enumerate(wb[name].iter_rows(values_only=True), start=1):
        if r[0] == "E23000022":
            wb.close()
            return i, r
    raise AssertionError("Northamptonshire not found")


@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_each_edition_northamptonshire(name: str) -> None:
    """Homicide and violence-with-injury counts, rates and knife totals equal the workbook."""
    path = require_shared("partners", "ons_pfa_tables", name)
    result = read(path)
    t = result.table
    assert set(t["period"]) == {EDITIONS[name]}
    # 55 coded areas in each of P1 / P3 / P4
    assert t["area_code"].nunique() == 55
    line, p1 = _northants_row(path, "Table P1")
    hom = one(t, area_code="E23000022", measure="prc_homicide")
    assert hom["value"] == float(p1[5]) and hom["source_line"] == line
    assert hom["source_file"].startswith(name + "[Table P1")
    _, p4 = _northants_row(path, "Table P4")
    knife = one(t, area_code="E23000022", measure="knife_total_of_selected_serious_offences")
    assert knife["value"] == float(p4[2])
    pct = one(t, area_code="E23000022",
              measure="knife_total_of_selected_serious_offences_percent")
    assert pct["value"] == pytest.approx(float(p4[3]))
    _, p3 = _northants_row(path, "Table P3")
    rate = one(t, area_code="E23000022", measure="prc_violence_with_injury_rate")
    assert rate["denominator"] == float(p3[2])  # mid-year population
    vwi = one(t, area_code="E23000022", measure="prc_violence_with_injury")
    assert rate["numerator"] == vwi["value"]
    # the published rate agrees with P1 count / population (population rounded to 100)
    assert rate["value"] == pytest.approx(vwi["value"] / rate["denominator"] * 1000, rel=2e-3)
    # British Transport Police has no GSS code: recorded, not silently dropped
    assert any(p.value == "British Transport Police" for p in result.problems)


def test_december_2019_published_figures() -> None:
    """SOURCES.md: YE Dec 2019 Northamptonshire 62,269 offences, 7 homicides, 629 knife (6.0%)."""
    t = read(require_shared("partners", "ons_pfa_tables", "pfatablesdec19.xlsx")).table
    north = t[t["area_code"] == "E23000022"].set_index("measure")["value"]
    assert north["prc_total_recorded_crime_excluding_fraud"] == 62269
    assert north["prc_homicide"] == 7
    assert north["knife_total_of_selected_serious_offences"] == 629
    assert round(north["knife_total_of_selected_serious_offences_percent"], 1) == 6.0
    assert north["knife_homicide"] == 3


def test_dash_and_plus_markers() -> None:
    """'-' (base under 50) and '+' (City of London rate inside London) stay suppressed."""
    t = read(require_shared("partners", "ons_pfa_tables", "pfatablesdec19.xlsx")).table
    pct = one(t, area_code="E23000022", measure="knife_attempted_murder_percent")
    assert math.isnan(pct["value"]) and "fewer than 50" in pct["notes"]
    city = one(t, area_code="E23000034", measure="prc_homicide_rate")
    assert math.isnan(city["value"]) and "suppressed '+'" in city["notes"]
