"""DfE Explore Education Statistics readers on the real files (values checked against the raw CSV,
opened independently with the csv module; reference: the published DfE files themselves)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from alliance.sources.partners import dfe_ees, read
from tests.conftest import require_shared
from tests.sources.partners._raw import one, raw_rows

CSC = ("partners", "dfe_csc")


def _file(name: str):
    return require_shared(*CSC, name)


@pytest.mark.parametrize(("name", "dataset", "per_row"), [
    ("b1_children_in_need_2013_to_2025.csv", "dfe_cin_b1", 8),
    ("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
     "dfe_cin_c1_referrals", 6),
    ("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
     "dfe_cin_c3_assessment_factors", 40),
    ("cla_number_and_rate_per_10k_children.csv", "dfe_cla_numbers", 2),
    ("la_conviction_health_outcome_cla.csv.gz", "dfe_cla_outcomes", 1),
    ("absence_la.csv.gz", "dfe_absence_social_care", 6),
])
def test_reads_every_row(name: str, dataset: str, per_row: int) -> None:
    """Every raw record becomes ``per_row`` indicator rows; nothing is dropped silently."""
    path = _file(name)
    result = read(path)
    assert result.dataset == dataset
    assert result.problems == ()
    assert len(result.table) == len(raw_rows(path)) * per_row
    # a missing value always says why
    assert not (result.table["value"].isna() & result.table["notes"].eq("")).any()


def test_c3_gangs_and_criminal_exploitation_north_and_west() -> None:
    """Gangs / child criminal exploitation factor counts, 2025, equal the raw cells."""
    path = _file("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv")
    table = read(path).table
    raw = {(r["new_la_code"], r["time_period"]): r for r in raw_rows(path)
           if r["geographic_level"] == "Local authority"}
    for code in ("E06000061", "E06000062"):
        r = raw[(code, "2025")]
        for col, measure in (("Gangs", "csc_factor_gangs"),
                             ("Child_criminal_exploitation",
                              "csc_factor_child_criminal_exploitation")):
            row = one(table, area_code=code, period="2024/25", measure=measure)
            assert row["value"] == float(r[col])
            assert row["source_line"] == int(r["_line"])
    county = raw[("E10000021", "2020")]
    row = one(table, area_code="E10000021", period="2019/20", measure="csc_factor_gangs")
    assert row["value"] == float(county["Gangs"])
    assert str(row["period_start"].date()) == "2019-04-01"


def test_suppression_markers_are_kept_not_zero() -> None:
    """Every 'c'/'x'/'u' cell of c3 is a suppressed row with the marker in notes."""
    path = _file("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv")
    table = read(path).table.set_index(["source_line", "measure"])
    checked = 0
    for r in raw_rows(path):
        for col in ("Gangs", "Trafficking", "Child_criminal_exploitation"):
            if r[col] in ("c", "x", "u"):
                row: Any = table.loc[(int(r["_line"]), f"csc_factor_{col.lower()}")]
                assert math.isnan(row["value"])
                assert f"suppressed '{r[col]}'" in row["notes"]
                checked += 1
    assert checked > 50


def test_cla_rate_carries_count_and_population() -> None:
    """CLA rate per 10,000 at 31 March 2025, West Northamptonshire, with its count and base."""
    path = _file("cla_number_and_rate_per_10k_children.csv")
    table = read(path).table
    raw = next(r for r in raw_rows(path) if r["new_la_code"] == "E06000062"
               and r["time_period"] == "2025"
               and r["population_type"] == "Children looked after on 31 March each year")
    row = one(table, area_code="E06000062", period="2024/25", measure="cla_at_31_march_rate")
    assert row["value"] == float(raw["rate_per_10000"])
    assert row["numerator"] == float(raw["children_count"])
    assert row["denominator"] == float(raw["population_estimate"])
    assert row["unit"] == "rate per 10,000"


def test_cla_convictions_percent_has_cohort_as_denominator() -> None:
    """Convicted/cautioned 10-17 (%): numerator = count, denominator = 'Total ages 10 to 17'."""
    path = _file("la_conviction_health_outcome_cla.csv.gz")
    table = read(path).table
    rows = [r for r in raw_rows(path) if r["new_la_code"] == "E06000061"
            and r["time_period"] == "2025" and r["characteristic"].startswith("Convictions")]
    by = {r["breakdown"].split()[0]: r for r in rows}
    row = one(table, area_code="E06000061", period="2024/25",
              measure="cla_convicted_or_cautioned_10_17_percent")
    assert row["value"] == float(by["Convicted"]["children_percent"])
    assert row["numerator"] == float(by["Convicted"]["children_count"])
    assert row["denominator"] == float(by["Total"]["children_count"])


def test_absence_persistent_rate_north_northamptonshire() -> None:
    """Persistent absence of children looked after, all schools, 2023/24, with numerator."""
    path = _file("absence_la.csv.gz")
    table = read(path).table
    raw = next(r for r in raw_rows(path) if r["new_la_code"] == "E06000061"
               and r["time_period"] == "202324" and r["phase_type_grouping"] == "Total"
               and r["social_care_group"] == "CLA 12 months at 31 March")
    row = one(table, area_code="E06000061", period="2023/24", measure="persistent_absence_rate",
              breakdown="social_care_group=CLA 12 months at 31 March; phase=Total")
    if raw["pt_pupils_pa_10_exact"] in ("c", "x", "z", "u"):
        assert math.isnan(row["value"])
    else:
        assert row["value"] == float(raw["pt_pupils_pa_10_exact"])
    assert str(row["period_start"].date()) == "2023-09-01"


def test_referrals_county_before_reorganisation() -> None:
    """Northamptonshire county re-referral rate 2019/20 = raw cell, with its count and base."""
    path = _file("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    table = read(path).table
    raw = next(r for r in raw_rows(path) if r["new_la_code"] == "E10000021"
               and r["time_period"] == "2020")
    row = one(table, area_code="E10000021", period="2019/20", measure="csc_rereferral_rate")
    assert row["value"] == float(raw["rereferral_percent"])
    assert row["numerator"] == float(raw["rereferral_count"])
    assert row["denominator"] == float(raw["referral_count"])


def test_recognise_rejects_other_layouts(tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("time_period,time_identifier,geographic_level,foo\n2020,Reporting year,"
                    "National,1\n")
    assert dfe_ees.recognise(path) is None
