"""Every public page, in English and Welsh, opened in headless Chromium at a phone's width
(390 px) and a desktop's (1,280 px): axe-core finds nothing serious, and on the phone the page
does not scroll sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import AREA
from tests.web.workspace.test_browser import (  # noqa: F401  (fixtures)
    assert_accessible,
    browser_page,
    geography_snapshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGES = ["/our-area/", "/our-area/?period=2025-03", "/our-area/assessment/", "/accessibility/",
         "/our-area/you-said/"]
WIDTHS = (390, 1280)


def test_public_pages_are_accessible_and_fit_a_phone(
        browser_page, live_server, northants_files: list[Path], reference: Path,  # noqa: F811
        tmp_path: Path) -> None:
    from alliance.web.accounts.models import Partnership
    from alliance.web.pool.services import load_police_uk
    from alliance.web.reports.services import build_sna
    from tests.web.conftest import forget_figure_caches

    # calendar year 2025 whole: the neighbourhood maps are published
    year = [f for f in northants_files if f.name.startswith("2025-")]
    load_police_uk(year, reference_dir=reference, created_by="tests")
    forget_figure_caches()
    Partnership.objects.create(name="Northamptonshire Serious Violence Alliance",
                               area_code=AREA)
    build_sna(AREA, tmp_path / "sna", period="2025-01:2025-12", pdf=False)
    page = browser_page
    checked = 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for prefix in ("", "/cy"):
            for url in PAGES:
                response = page.goto(f"{live_server.url}{prefix}{url}")
                assert response is not None and response.status == 200, url
                assert page.locator("h1").count() == 1, url
                assert_accessible(page)
                if width == 390:
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - "
                        "document.documentElement.clientWidth")
                    assert overflow <= 0, f"{prefix}{url} scrolls sideways by {overflow}px"
                checked += 1
    assert checked == len(WIDTHS) * 2 * len(PAGES)
    # the maps are drawn on the year's page, with the table beside them
    page.goto(f"{live_server.url}/our-area/")
    assert page.locator("svg[role=img]").count() == 2
    assert page.get_by_role("region", name="Offences in each neighbourhood").count() == 1
