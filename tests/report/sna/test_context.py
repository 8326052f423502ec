"""Chapter 3 partner statistics on the real published files: every figure with its period,
out-of-date figures flagged with the newest period held, former districts never shown as
current, numbers written as people write them (2,221, not 2221.0)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from alliance.report.sna import context
from alliance.report.sna.common import Context
from alliance.report.sna.period import parse_period
from alliance.report.sna.published import STALE_AFTER_MONTHS, currency, local_figures
from tests.report.sna import _partners as P
from tests.report.sna.conftest import make_inputs

WRITTEN = re.compile(r"^(\[c\]|\d{1,3}(,\d{3})*(\.\d+)?%?)$")


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return P.all_rows()


@pytest.fixture(scope="module")
def ctx(rows: pd.DataFrame) -> Context:
    inputs = dataclasses.replace(make_inputs(), indicators=P.northamptonshire(rows),
                                 successors=P.successors())
    return Context(inputs=inputs, period=parse_period("2025"), threshold=5)


def test_every_figure_has_its_period_and_old_ones_are_flagged(ctx: Context) -> None:
    stats = context.partner_statistics(ctx, context.CONTEXT_MEASURES, table_id="t", caption="c")
    assert stats.table is not None
    t = stats.table.data
    assert t["Period"].str.len().gt(0).all() and "Currency" in t.columns
    violence = t[t["Indicator"].str.contains("Violence with injury")].iloc[0]
    assert violence["Period"] == "year ending December 2019"
    assert violence["Currency"] == ("Out of date: ended 6 years before this SNA's period; "
                                    "newest held: year ending December 2019")
    note = stats.note()
    assert note is not None and "more than 24 months before this SNA's period ends " \
        "(December 2025)" in note.text
    homicide = t[t["Indicator"].str.startswith("Homicide")].iloc[0]
    assert homicide["Period"] == "April 2022 to March 2025"
    assert homicide["Currency"] == "Current"
    assert not t["Currency"].str.contains("latest", case=False).any()


def test_values_are_written_as_people_write_them(ctx: Context) -> None:
    for measures in (context.CONTEXT_MEASURES, context.RISK_MEASURES, context.YOUTH_MEASURES):
        table = context.partner_table(ctx, measures, table_id="t", caption="c")
        if table is None:
            continue
        data = table.data
        assert data["Value"].map(lambda v: bool(WRITTEN.match(v))).all(), list(data["Value"])
        counts = data[data["Unit"] == "count"]
        assert not counts["Value"].str.contains(r"\.").any()
    t = context.partner_table(ctx, context.CONTEXT_MEASURES, table_id="t", caption="c")
    assert t is not None
    knife = t.data[t.data["Indicator"].str.endswith("Homicide")].iloc[0]
    assert knife["Value"] == "[c]"  # 3 knife homicides: below the threshold of 5
    weapons = t.data[t.data["Indicator"].str.contains("Possession of weapons")].iloc[0]
    assert weapons["Value"] == "0.85"  # two significant figures, not 0.9 or 0.852035


def test_former_districts_are_left_out_with_the_reason(ctx: Context) -> None:
    stats = context.partner_statistics(ctx, context.RISK_MEASURES, table_id="t", caption="c")
    note = stats.note()
    assert note is not None
    assert "Corby, Daventry, East Northamptonshire, Kettering, Northampton, South " \
           "Northamptonshire and Wellingborough, which no longer exist" in note.text
    assert "standardised rate cannot be added up" in note.text
    assert stats.table is not None
    former = tuple(c for c in P.successors() if c != P.COUNTY)
    assert not stats.table.data["Area"].str.contains("|".join(former)).any()


def _counts(rows: list[tuple[str, str, str, float]], unit: str = "count") -> pd.DataFrame:
    return pd.DataFrame([{"area_code": a, "area_name": n, "period": p,
                          "period_end": f"{int(p[:4]) + 1}-03-31", "measure": "m",
                          "measure_label": "Illustrative measure", "breakdown": "",
                          "numerator": None, "denominator": None, "value": v, "unit": unit,
                          "source": "illustrative", "notes": "", "batch_id": 1}
                         for a, n, p, v in rows])


def test_former_district_counts_add_up_to_their_successor() -> None:
    """Illustrative counts for the four former districts that make up North Northamptonshire:
    added up for the year all four publish, left out for the year one is missing."""
    succ = P.successors()
    north = [c for c, new in succ.items() if new == (P.NORTH,)]
    assert len(north) == 4
    rows = [(c, f"District {c[-3:]}", "2019/20", 10.0 + i) for i, c in enumerate(north)]
    rows += [(c, f"District {c[-3:]}", "2018/19", 5.0) for c in north[:3]]
    rows += [(P.NORTH, "North Northamptonshire", "2022/23", 1.0)]
    local = local_figures(_counts(rows[:-1]), ["m"], successors=succ)
    summed = local.rows
    assert list(summed["period"]) == ["2019/20"]
    assert summed["value"].iloc[0] == 10 + 11 + 12 + 13
    assert summed["area_code"].iloc[0] == P.NORTH
    assert "added up" in summed["area_name"].iloc[0]
    dsr = local_figures(_counts(rows[:-1], unit="directly standardised rate per 100,000"),
                        ["m"], successors=succ)
    assert dsr.rows.empty and "standardised" in dsr.left_out[0].reason


def test_county_figures_describe_the_whole_area_only_when_it_is_the_sna_area() -> None:
    """An illustrative county-wide figure (one youth justice service for both councils):
    shown, named for what it covers now, when both councils are the SNA's areas; left out
    as split when only one is."""
    succ = P.successors()
    both = _counts([(P.COUNTY, "Northamptonshire", "2023/24", 30.5),
                    (P.NORTH, "North Northamptonshire", "2023/24", 1.0),
                    (P.WEST, "West Northamptonshire", "2023/24", 2.0)], unit="percentage")
    both.loc[1:, "measure"] = "other"
    shown = local_figures(both, ["m"], successors=succ).rows
    assert shown["area_name"].iloc[0] == ("Northamptonshire (former area, now North "
                                          "Northamptonshire and West Northamptonshire)")
    one = both.iloc[:2]
    out = local_figures(one, ["m"], successors=succ)
    assert out.rows.empty and "split" in out.left_out[0].reason


@pytest.mark.parametrize(("end", "stale"), [("2023-12-31", False), ("2023-11-30", True),
                                            ("2019-12-31", True), ("2025-03-31", False)])
def test_currency_gap(end: str, stale: bool) -> None:
    got = currency(end, sna_end=pd.Timestamp("2025-12-31"), newest_period="2024/25")
    assert got.stale is stale
    assert STALE_AFTER_MONTHS == 24
    if stale:
        assert "newest held: 2024/25" in got.text
