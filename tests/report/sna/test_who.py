"""The SNA's who chapter prints the who-table as published (chart, table, the sentence saying
what it shows) and the health lens charts what it tabulates; synthetic A&E-shaped sources
(tests/figures/people.py)."""

from __future__ import annotations

import math

import pandas as pd

from alliance.figures.publication import MARKER, publish
from alliance.figures.who import ALL_AGES, ALL_SEXES, UNDER_25_LABEL, who_table
from alliance.report.document import Figure, Paragraph, Table
from alliance.report.sna.partners import PartnerData, monthly_figure, weapon_figure
from alliance.report.sna.who import BAND_WORDS, people_table, source_blocks
from tests.figures.people import people_rows


def _data(seed: int, mean: float) -> PartnerData:
    cube, _ = people_rows(seed, mean=mean)
    return PartnerData(source="istv_ae", label="A&E assault attendances (ISTV)",
                       unit="attendances", publication=publish(cube, threshold=5),
                       placement=pd.DataFrame({"method": ["lsoa"], "rows": [1]}))


def test_the_printed_table_is_the_published_table_with_markers_and_shares() -> None:
    data = _data(4, 3.0)
    pub = data.publication
    table = who_table(pub, period=pub.year("2024"))
    assert table is not None
    printed = people_table(table).set_index("Age band")
    for row in table.counts.index:
        for column in table.counts.columns:
            value = table.cell(str(row), str(column))
            shown = printed.loc[BAND_WORDS[str(row)], str(column)]
            assert shown == (MARKER if math.isnan(value) else f"{value:,.0f}")
    total = table.cell(ALL_AGES)
    young = table.cell(UNDER_25_LABEL)
    if not math.isnan(young):
        assert printed.loc[BAND_WORDS[UNDER_25_LABEL], "% of all"] == \
            f"{young / total * 100:.1f}"
    assert printed.loc["All ages", "% of all"] == "100.0"


def test_the_chapter_blocks_are_a_chart_with_its_sentence_and_a_table() -> None:
    data = _data(4, 3.0)
    pub = data.publication
    blocks = source_blocks(data, wanted=pub.year("2024"))
    figure, table = blocks
    assert isinstance(figure, Figure) and isinstance(table, Table)
    assert figure.id == "f8-1-who-istv-ae" and table.id == "t8-1-who-istv-ae"
    assert figure.message.startswith("Of ") and "under 25" in figure.message
    assert list(figure.data["Age band"]) == [BAND_WORDS[b] for b in
                                             (*pub.cube.age_bands, UNDER_25_LABEL, ALL_AGES)]
    assert "hidden" in figure.provenance.suppression
    assert table.data.columns[-2:].tolist() == [ALL_SEXES, "% of all"]


def test_a_source_without_a_whole_year_says_so() -> None:
    cube, _ = people_rows(2, months=6)
    data = PartnerData(source="istv_ae", label="A&E", unit="attendances",
                       publication=publish(cube, threshold=5),
                       placement=pd.DataFrame(columns=["method", "rows"]))
    wanted = publish(people_rows(2)[0], threshold=5).year("2024")
    (only,) = source_blocks(data, wanted=wanted)
    assert isinstance(only, Paragraph) and "no whole reporting year" in only.text


def test_health_charts_draw_the_published_months_and_weapons() -> None:
    data = _data(3, 6.0)
    pub = data.publication
    area = pub.cube.geography.code
    monthly = monthly_figure(data, level="area", code=area)
    assert monthly is not None and monthly.id == "f11-1-istv-ae"
    assert list(monthly.data["Month"]) == list(pub.cube.months)
    weapons = weapon_figure(data, level="area", code=area, period=pub.year("2024"))
    assert weapons is not None
    counts = weapons.data.set_index("Weapon")["Attendances"]
    sharp = pub.count(level="area", code=area, period=pub.year("2024"), category="sharp")
    assert counts["Knife or sharp object"] == (MARKER if math.isnan(sharp)
                                               else f"{sharp:,.0f}")


def test_a_quiet_source_published_by_year_only_has_no_monthly_chart() -> None:
    data = _data(2, 0.3)
    pub = data.publication
    assert not pub.has_monthly(level="area", code=pub.cube.geography.code)
    assert monthly_figure(data, level="area", code=pub.cube.geography.code) is None
