"""The public pages on the 16 real Northamptonshire months, with no account: the area's
figures are the staff dashboard's, the assessment summary is the built SNA's own, and the
accessibility statement is linked from every page.

(Here beside the other tests of the loaded months rather than in tests/web/public, so the
package's shared load is made where it always was; the browser test is in tests/web/public.)"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from tests.web.conftest import AREA

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def partnership(db):  # type: ignore[no-untyped-def]
    """The one partnership of the store, for the area the data covers."""
    from alliance.web.accounts.models import Partnership

    return Partnership.objects.create(name="Northamptonshire Serious Violence Alliance",
                                      area_code=AREA)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:1000]
    return html.unescape(response.content.decode())


def _cells(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-cell="([^"]+)"[^>]*>([^<]*)<', page))


def test_the_area_page_shows_the_dashboards_figures(built, partnership, client: Client
                                                    ) -> None:
    from alliance.web.dashboards.services import build, units
    from alliance.web.pool.publication import publication

    page = _text(client.get("/our-area/"))
    assert "Violence in Northamptonshire" in page
    assert "Reporting year 2025" in page
    pub = publication(AREA)
    whole = units(pub)[0]
    year = pub.year("2025").months
    board = build(area_code=AREA, unit=whole, period_months=year, category="",
                  record_level=False, draw=False)
    cells = _cells(page)
    assert cells[f"area {AREA} 2025-01 2025-12 all"] == board.tiles[0].value
    assert board.lsoa is not None
    for code, count in zip(board.lsoa["lsoa21_code"], board.lsoa["count"], strict=True):
        assert cells[f"lsoa {code} 2025-01 2025-12 all"].replace(",", "") == str(count)
    assert page.count('id="rate-map-title"') == 1 and page.count('id="hotspot-map-title"') == 1
    assert "Northampton" in page  # place names on the map and in the table
    # a month: no neighbourhood map (whole years only), and the page says why
    month = _text(client.get("/our-area/", {"period": "2025-03"}))
    assert "published for whole reporting years only" in month
    assert 'id="rate-map-title"' not in month
    # a district of the area
    csp = next(u for u in units(pub) if u.level == "csp")
    district = _text(client.get("/our-area/", {"area": csp.code, "period": "2025"}))
    assert f"csp {csp.code} 2025-01 2025-12 all" in _cells(district)
    # nonsense choices fall back to the defaults rather than fail
    assert "Reporting year 2025" in _text(client.get("/our-area/", {"area": "x", "period": "y"}))


def publish(folder):  # type: ignore[no-untyped-def]
    """Publish the build written into ``folder`` (as an administrator would)."""
    from alliance.web.accounts.models import Partnership
    from alliance.web.reports.models import SnaBuild
    from alliance.web.reports.publishing import publish as publish_build

    build = SnaBuild.objects.get(output_folder=str(folder.resolve()))
    publish_build(build, partnership=Partnership.objects.get(), user=None)
    return build


def test_the_summary_is_the_built_assessments_own(built, partnership, client: Client) -> None:
    import json

    # nothing is public until the partnership publishes a build
    assert "No assessment has been published yet." in _text(client.get("/our-area/assessment/"))
    assert client.get("/our-area/assessment.pdf").status_code == 404
    publish(built["again"])
    page = _text(client.get("/our-area/assessment/"))
    assert "Executive summary" in page and "Key findings" in page
    assert "Core outcome measures" in page
    figures = json.loads((built["dir"] / "data" / "figures.json").read_text())
    headline = next(f for f in figures["figures"] if f["id"] == "t1-1-headlines")
    for row in headline["data"]:
        assert html.unescape(row["Figure"]) in page
    assert "Data request" not in page  # requests to partners stay in the full report
    # the published build wrote no PDF: none is offered
    assert "Download this summary (PDF)" not in page
    assert client.get("/our-area/assessment.pdf").status_code == 404
    publish(built["dir"])  # the other build, with its PDF, replaces it
    assert "Download this summary (PDF)" in _text(client.get("/our-area/assessment/"))
    pdf = client.get("/our-area/assessment.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_every_public_page_links_the_accessibility_statement(partnership, client: Client,
                                                             settings) -> None:
    settings.ALLIANCE_PUBLIC_CONTACT = "safer@example.gov.uk"
    statement = _text(client.get("/accessibility/"))
    assert "This website is run by Northamptonshire Serious Violence Alliance" in statement
    assert "mailto:safer@example.gov.uk" in statement
    assert "Equality Advisory and Support Service" in statement
    for url in ("/our-area/", "/our-area/assessment/", "/accessibility/"):
        assert 'href="/accessibility/"' in _text(client.get(url)), url


def test_pages_say_plainly_when_nothing_is_published(client: Client, db) -> None:
    assert "has not been set up yet" in _text(client.get("/our-area/"))
    assert "has not been set up yet" in _text(client.get("/our-area/assessment/"))
    assert client.get("/our-area/assessment.pdf").status_code == 404
