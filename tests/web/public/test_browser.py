"""Every public page, in English and Welsh, opened in headless Chromium at a phone's width
(390 px) and a desktop's (1,280 px): axe-core finds nothing serious, and on the phone the page
does not scroll sideways (wide tables scroll inside their own box). Before, the partnership's
administrator publishes the built SNA from the workspace (the assessment page shows none
until then)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.conftest import AREA
from tests.web.workspace.test_browser import (  # noqa: F401  (fixtures)
    assert_accessible,
    browser_page,
    geography_snapshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGES = ["/our-area/", "/our-area/?period=2025-03", "/our-area/assessment/", "/accessibility/",
         "/our-area/you-said/"]
WIDTHS = (390, 1280)


def test_public_pages_are_accessible_and_fit_a_phone(
        browser_page, live_server, northants_files: list[Path], reference: Path,  # noqa: F811
        tmp_path: Path) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.pool.services import load_police_uk
    from alliance.web.reports.models import SnaBuild
    from alliance.web.reports.services import build_sna
    from tests.web.conftest import forget_figure_caches

    # calendar year 2025 whole: the neighbourhood maps are published
    year = [f for f in northants_files if f.name.startswith("2025-")]
    load_police_uk(year, reference_dir=reference, created_by="tests")
    forget_figure_caches()
    demo = seed_demo(password="browser-journey-password")
    build_sna(AREA, tmp_path / "sna", period="2025-01:2025-12", pdf=False)
    build = SnaBuild.objects.get()
    page = browser_page
    publish_in_the_workspace(page, live_server.url, demo.emails["administrator"], build.pk)
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


def publish_in_the_workspace(page, base: str, email: str, build_id: int) -> None:  # type: ignore[no-untyped-def]
    """The administrator's journey: nothing public yet; publish the build from the SNA page
    through its confirmation page; the public page shows it; sign out."""
    page.goto(f"{base}/our-area/assessment/")
    assert "No assessment has been published yet." in page.locator("main").inner_text()
    assert_accessible(page)
    sign_in(page, base, email, "browser-journey-password")
    page.goto(f"{base}/sna/")
    row = page.locator(f"[data-build='{build_id}']")
    row.get_by_role("link", name=re.compile("^Publish on the public site")).click()
    page.wait_for_url(re.compile(rf".*/sna/builds/{build_id}/publish/$"))
    assert "Publish build" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Publish on the public site").click()
    page.wait_for_url(re.compile(rf".*/sna/builds/{build_id}/$"))
    assert "is now on the public site" in page.content()
    assert "On the public site" in page.locator("dl").inner_text()
    assert page.get_by_role("link", name="Withdraw from the public site").count() == 1
    assert_accessible(page)
    page.goto(f"{base}/our-area/assessment/")
    main = page.locator("main").inner_text()
    assert "Executive summary" in main and "No assessment has been published" not in main
    page.goto(f"{base}/sna/")
    page.get_by_role("button", name=re.compile("^Sign out")).click()
