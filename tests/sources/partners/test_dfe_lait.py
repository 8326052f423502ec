"""LAIT big data set reader on the real parquet (values checked against the raw parquet read
independently with pandas; reference: DfE LAIT production BDS)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alliance.sources.partners import IndicatorRead, read
from tests.conftest import require_shared
from tests.sources.partners._raw import one


@pytest.fixture(scope="module")
def lait() -> IndicatorRead:
    return read(require_shared("partners", "dfe_lait", "bds_long_0.parquet"))


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_parquet(require_shared("partners", "dfe_lait", "bds_long_0.parquet"))


def test_every_row_read_or_recorded(lait: IndicatorRead, raw: pd.DataFrame) -> None:
    """641,070 rows = rows read + the 170 rows whose year label is '0' (recorded problems and
    left out). The 15 England rows recorded as well are kept, without a value (next test)."""
    assert len(raw) == 641_070
    left_out = [p for p in lait.problems if p.field == "Years"]
    assert len(lait.table) + len(left_out) == len(raw)
    assert {p.value for p in left_out} == {"0"}
    assert lait.table["measure"].nunique() == 432


def test_england_count_beside_regional_rates_is_not_used(lait: IndicatorRead,
                                                         raw: pd.DataFrame) -> None:
    """LAIT gives England's first-time entrants as 1,258 in 2024 beside regional rates per
    100,000 from 98 to 181 (and preventable child deaths likewise, 2016-2021): a national rate
    lies within its regions' range, so these 15 England figures are kept without a value,
    recorded as problems, and never used as a comparator."""
    r = raw[(raw["Short Desc"] == "FirstYJS") & (raw["LA and Regions"] == "England")
            & (raw["Years"] == "2024")]
    assert r["Values"].iloc[0] == "1258"
    row = one(lait.table, measure="fte_youth_justice_rate", area_code="E92000001",
              period="2024")
    assert math.isnan(row["value"]) and "outside the range of the English regions" in \
        row["notes"]
    flagged = [p for p in lait.problems if p.field == "Values"]
    assert len(flagged) == 15 and all("regions' values" in p.message for p in flagged)
    region = one(lait.table, measure="fte_youth_justice_rate", area_code="E12000004",
                 period="2024")
    assert region["value"] == 98.0


def test_first_time_entrants_northamptonshire(lait: IndicatorRead, raw: pd.DataFrame) -> None:
    """FTE rate per 100,000: county 257 in 2016; North 109 and West 69 in 2024 (SOURCES.md)."""
    t = lait.table
    cases = [(928, "E10000021", "2016", 257.0), (940, "E06000061", "2024", 109.0),
             (941, "E06000062", "2024", 69.0)]
    for number, code, year, published in cases:
        r = raw[(raw["Short Desc"] == "FirstYJS") & (raw["LA Number"] == number)
                & (raw["Years"] == year)]
        assert float(r["Values"].iloc[0]) == published
        row = one(t, measure="fte_youth_justice_rate", area_code=code, period=year)
        assert row["value"] == published
        assert row["unit"] == "rate per 100,000"
        assert row["source_line"] == r.index[0] + 2


def test_dash_is_kept_as_not_available(lait: IndicatorRead) -> None:
    """'-' (no figure: North Northamptonshire did not exist in 2016) is suppressed, not 0."""
    row = one(lait.table, measure="fte_youth_justice_rate", area_code="E06000061", period="2016")
    assert math.isnan(row["value"]) and "suppressed '-'" in row["notes"]


def test_reoffending_and_exclusions(lait: IndicatorRead, raw: pd.DataFrame) -> None:
    """Re-offending % (single county YOS) and permanent exclusion rate, academic dates."""
    r = raw[(raw["Short Desc"] == "ReoffYO") & (raw["LA Number"] == 928)
            & (raw["Years"] == "2023")]
    row = one(lait.table, measure="youth_reoffending_rate", area_code="E10000021",
              period="2023")
    assert row["value"] == pytest.approx(float(r["Values"].iloc[0]))
    ex = one(lait.table, measure="permanent_exclusion_rate", area_code="E06000061",
             period="2023/24")
    assert ex["value"] == pytest.approx(0.22591)
    assert str(ex["period_start"].date()) == "2023-09-01"


def test_regions_and_england_have_gss_codes(lait: IndicatorRead) -> None:
    t = lait.table
    em = t[(t["area_name"] == "East Midlands")]
    assert set(em["area_code"]) == {"E12000004"} and set(em["area_level"]) == {"region"}
    assert set(t.loc[t["area_name"] == "England", "area_code"]) == {"E92000001"}
