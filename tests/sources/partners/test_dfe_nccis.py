"""DfE/NCCIS NEET readers on each yearly layout (values checked against the raw CSVs, opened
independently; reference: DfE NEET and participation LA dashboard files)."""

from __future__ import annotations

import pytest

from alliance.sources.partners import read
from tests.conftest import require_shared
from tests.sources.partners._raw import one, raw_rows

FILES = {
    2021: "UD_NEETNK_LA_dashboard_2021_vg_removed.csv",
    2022: "UD_NEETNK_LA_dashboard_2022_final.csv",
    2023: "UD_NEETNK_LA_dashboard_2023_final.csv",
    2024: "UD_NEETNK_LA_dashboard_final_2024.csv",
    2025: "UD_NEETNK_LA_dashboard_final_2025.csv",
}


@pytest.mark.parametrize("year", sorted(FILES))
def test_each_year_reads_neet_for_northamptonshire(year: int) -> None:
    """NEET %, not-known % and cohort equal the raw cells; county in 2021, unitaries after."""
    path = require_shared("partners", "dfe_neet_nccis", FILES[year])
    result = read(path)
    table = result.table
    codes = ("E10000021",) if year == 2021 else ("E06000061", "E06000062")
    raw = {r["new_la_code"]: r for r in raw_rows(path)}
    for code in codes:
        r = raw[code]
        for col, measure in (("NEET_percent", "neet_16_17"),
                             ("NEET_not_known_percent", "neet_or_not_known_16_17"),
                             ("Notknown_percent", "activity_not_known_16_17")):
            row = one(table, area_code=code, measure=measure, breakdown="")
            assert row["value"] == float(r[col])
            assert row["denominator"] == float(r["Cohort_DJFavg"])
            assert row["period"] == str(year)
            assert str(row["period_start"].date()) == f"{year - 1}-12-01"
    assert not (table["value"].isna() & table["notes"].eq("")).any()


def test_2021_demo_rows_without_codes_are_problems() -> None:
    """The 2021 file ends with two publisher demo rows with no area code: recorded, not read."""
    path = require_shared("partners", "dfe_neet_nccis", FILES[2021])
    result = read(path)
    assert [p.line for p in result.problems] == [161, 162]
    assert all("no area code" in p.message for p in result.problems)
    assert len(result.table) == (len(raw_rows(path)) - 2) * 10


def test_c_marker_is_kept() -> None:
    """'c' in the vulnerable-group split (2025) is kept as a suppressed row."""
    path = require_shared("partners", "dfe_neet_nccis", FILES[2025])
    table = read(path).table
    raw = [r for r in raw_rows(path) if r["VG_NEET_NK_percentage"] == "c"]
    assert raw
    for r in raw:
        row = one(table, source_line=int(r["_line"]), breakdown="group=vulnerable groups")
        assert row["notes"].startswith("average of") and "suppressed 'c'" in row["notes"]
