"""/our-area/ sets the area's published headline figures beside England and the region, with
significance in plain words, in English and Welsh: every row is the SNA's own comparator table
(:func:`alliance.report.sna.comparators.comparator_table`, the one function for it) over the
partner statistics pooled, so the page and the SNA's context chapter cannot disagree."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from tests.conftest import require_shared
from tests.web.conftest import AREA
from tests.web.public.welsh import english_left, visible_text
from tests.web.sna.test_public_pages import partnership  # noqa: F401  (fixture)
from tests.web.sna.test_public_welsh import _names, catalogue
from tests.web.sna.test_sna_screens import PARTNER_FILES

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def statistics(built):  # type: ignore[no-untyped-def]
    """The published partner statistics the SNA compares (ONS, DfE, Fingertips), pooled."""
    from alliance.web.pool.indicators import load_indicators

    return load_indicators([require_shared("partners", *f) for f in PARTNER_FILES],
                           created_by="tests-public")


def test_without_statistics_the_page_says_there_is_nothing_to_compare(
        built, partnership, client: Client) -> None:  # noqa: F811
    page = html.unescape(client.get("/our-area/").content.decode())
    assert "How the area compares with England" in page
    assert "police.uk figures for the rest of England are not held here" in page
    assert "No published figures for comparison with England are held" in page


def test_headline_figures_beside_england_and_the_region(built, partnership,  # noqa: F811
                                                        statistics, client: Client) -> None:
    import pandas as pd

    from alliance.report.document import Provenance
    from alliance.report.sna.comparators import comparator_table
    from alliance.web.pool import queries
    from alliance.web.pool.publication import publication
    from alliance.web.reports.services import _related_codes, _successors

    page = html.unescape(client.get("/our-area/").content.decode())
    section = page[page.index('id="compared"'):]
    section = section[:section.index("</table>")]
    # the SNA's own table, from the same function over the same pooled rows
    pub = publication(AREA)
    lsoa = pd.DataFrame(index=pub.cube.geography.lsoa.index)
    table = comparator_table(
        indicators=queries.indicators(area_codes=_related_codes(lsoa, AREA)),
        sna_end=pd.Timestamp(pub.cube.months[-1]) + pd.offsets.MonthEnd(0),
        successors=_successors(lsoa), provenance=Provenance(source="test")).table.data
    assert len(table) >= 5
    assert section.count("<tr class=\"govuk-table__row\">") == len(table) + 1  # and the header
    for record in table.to_dict("records"):
        assert html.unescape(str(record["Indicator"])) in section
        assert str(record["Value (95% CI)"]) in section
    violence = table[table["Indicator"].str.contains("Violence with injury")].iloc[0]
    assert violence["vs England"] == "Higher"  # as tests/web/sna/test_sna_screens.py
    row = section[section.index("Violence with injury"):]
    row = row[:row.index("</tr>")]
    assert f"{violence['England']}<br>" in row
    assert "Higher than England: a clear difference" in row
    assert "Region (East Midlands)" in section
    assert "Similar to England: no clear difference" in section
    injuries = section[section.index("injuries"):]
    assert "Lower than England: a clear difference" in injuries[:injuries.index("</tr>")]
    # the police.uk rate is not set beside a blank: the page says why
    assert "police.uk figures for the rest of England are not held here" in page


def test_the_comparison_in_welsh(built, partnership, statistics, client: Client  # noqa: F811
                                 ) -> None:
    page = client.get("/cy/our-area/").content.decode()
    text = visible_text(page)
    assert "Uwch na Lloegr: gwahaniaeth clir" in text
    assert "Tebyg i Loegr: dim gwahaniaeth clir" in text
    assert english_left(page, names=_names(), catalogue=catalogue()) == []
