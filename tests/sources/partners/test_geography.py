"""Reading Northamptonshire across the April 2021 break (county -> North and West unitaries).

Real series: DfE CLA rate (numerator/denominator published), c3 gangs counts, LAIT first-time
entrants (rate only), NCCIS NEET (percentage without numerator). Synthetic tables only for the
cases no real file has (a standardised rate, a suppressed unitary figure)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from alliance.sources.partners import read
from alliance.sources.partners._table import finish
from alliance.sources.partners.geography import (
    BASIS_COUNTY,
    BASIS_RATIO,
    BASIS_SUM,
    BASIS_UNITARY,
    NORTHAMPTONSHIRE,
    Succession,
    harmonise_successors,
    northamptonshire_series,
    rate_scale,
)
from tests.conftest import require_shared
from tests.sources.partners._raw import one


def test_cla_rate_county_then_recomputed_county_equivalent() -> None:
    """County rate as published to 2020/21; from 2021/22 sum(count)/sum(population) x 10,000."""
    table = read(require_shared("partners", "dfe_csc",
                                "cla_number_and_rate_per_10k_children.csv")).table
    s = northamptonshire_series(table)
    s = s[s["measure"] == "cla_at_31_march_rate"]
    county = one(s, area_code="E10000021", period="2020/21")
    assert county["harmonisation"] == BASIS_COUNTY and county["value"] == 67
    north = one(s, area_code="E06000061", period="2024/25")
    west = one(s, area_code="E06000062", period="2024/25")
    eq = one(s, area_code="E10000021", period="2024/25")
    assert eq["harmonisation"] == BASIS_RATIO
    assert eq["numerator"] == north["numerator"] + west["numerator"]
    assert eq["denominator"] == north["denominator"] + west["denominator"]
    assert eq["value"] == pytest.approx(eq["numerator"] / eq["denominator"] * 10_000)
    # never the average of the two published rates
    assert eq["value"] != pytest.approx((north["value"] + west["value"]) / 2, abs=1e-6)
    assert north["harmonisation"] == BASIS_UNITARY
    # one county figure per period
    assert not s[s["area_code"] == "E10000021"].duplicated("period").any()


def test_gangs_counts_are_summed() -> None:
    table = read(require_shared(
        "partners", "dfe_csc", "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv")
    ).table
    s = northamptonshire_series(table)
    s = s[s["measure"] == "csc_factor_gangs"]
    eq = one(s, area_code="E10000021", period="2022/23")
    parts = s[(s["period"] == "2022/23") & s["area_code"].isin(["E06000061", "E06000062"])]
    assert eq["harmonisation"] == BASIS_SUM and eq["value"] == parts["value"].sum()
    assert one(s, area_code="E10000021", period="2020/21")["harmonisation"] == BASIS_COUNTY


def test_rates_without_numerator_get_no_county_equivalent() -> None:
    """LAIT FTE rate: county to 2021 (the straddling calendar year keeps the county figure),
    unitaries after, and no county-equivalent because a rate is never averaged."""
    table = read(require_shared("partners", "dfe_lait", "bds_long_0.parquet")).table
    s = northamptonshire_series(table[table["measure"] == "fte_youth_justice_rate"])
    assert one(s, area_code="E10000021", period="2016")["value"] == 257
    assert s[(s["area_code"] == "E10000021") & (s["period"] == "2024")].empty
    north = one(s, area_code="E06000061", period="2024")
    assert north["value"] == 109 and "no county-equivalent" in north["notes"]
    assert "rates are never averaged" in north["notes"]


def _row(code: str, value: float, *, unit: str = "count", num: float = math.nan,
         den: float = math.nan, start: str = "2022-04-01", notes: str = "") -> dict[str, object]:
    return dict(area_code=code, area_name=code, area_level="utla", period="2022/23",
                period_start=pd.Timestamp(start), period_end=pd.Timestamp(start) +
                pd.DateOffset(years=1) - pd.Timedelta(days=1), measure="m", measure_label="m",
                numerator=num, denominator=den, value=value, unit=unit, breakdown="",
                source="synthetic", source_file="synthetic.csv", source_line=2, notes=notes)


def test_standardised_rate_is_not_summed() -> None:
    t = finish(pd.DataFrame([
        _row("E06000061", 100.0, unit="directly standardised rate per 100,000", num=50, den=5e4),
        _row("E06000062", 200.0, unit="directly standardised rate per 100,000", num=90, den=6e4),
    ]))
    s = northamptonshire_series(t)
    assert set(s["harmonisation"]) == {BASIS_UNITARY}
    assert s["notes"].str.contains("cannot be summed").all()


def test_suppressed_unitary_blocks_the_sum() -> None:
    t = finish(pd.DataFrame([_row("E06000061", 12.0),
                             _row("E06000062", math.nan, notes="suppressed 'c': confidential")]))
    s = northamptonshire_series(t)
    assert (s["area_code"] != "E10000021").all()
    assert s["notes"].str.contains("missing or suppressed").all()


def test_old_county_code_alias_and_general_succession() -> None:
    t = finish(pd.DataFrame([_row("34", 5.0, start="2019-04-01"),
                             _row("E06000061", 2.0), _row("E06000062", 3.0)]))
    s = harmonise_successors(t, NORTHAMPTONSHIRE)
    assert one(s, area_code="34")["harmonisation"] == BASIS_COUNTY
    assert one(s, area_code="E10000021")["value"] == 5.0
    with pytest.raises(ValueError, match="no successors"):
        Succession(predecessor="A", predecessor_name="A", successors=(), change=date(2021, 4, 1))


def test_not_an_indicator_table() -> None:
    with pytest.raises(ValueError, match="column"):
        harmonise_successors(pd.DataFrame({"area_code": ["E06000061"]}), NORTHAMPTONSHIRE)


def test_rate_scale() -> None:
    assert rate_scale("percentage") == 100
    assert rate_scale("rate per 100,000") == 100_000
    assert rate_scale("directly standardised rate per 100,000") is None
    assert rate_scale("average score") is None


def test_plain_successor_map() -> None:
    t = finish(pd.DataFrame([_row("E06000061", 2.0), _row("E06000062", 3.0)]))
    s = harmonise_successors(t, {"E10000021": ["E06000061", "E06000062"]},
                             change=date(2021, 4, 1))
    assert one(s, area_code="E10000021")["value"] == 5.0
    with pytest.raises(ValueError, match="change="):
        harmonise_successors(t, {"E10000021": ["E06000061"]})
