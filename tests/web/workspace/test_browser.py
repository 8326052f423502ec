"""Browser journeys in headless Chromium (Debian's, from scripts/browser), checked with axe-core.

Transactional tests empty the database when they end, which would also remove the geography
that tests/web/conftest.py loads once per session; ``geography_snapshot`` copies those rows
first and puts them back (after each journey here, and when the module ends).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def geography_snapshot(django_db_setup, django_db_blocker) -> Iterator[Callable[[], None]]:
    from alliance.web.pool.geography import forget_cache
    from alliance.web.pool.models import Area, GeographyLayer, ImportBatch

    with django_db_blocker.unblock():
        batches = list(ImportBatch.objects.filter(kind="geography").values())
        layers = list(GeographyLayer.objects.values())
        areas = list(Area.objects.values())

    def restore() -> None:
        if ImportBatch.objects.filter(kind="geography").exists():
            return
        ImportBatch.objects.bulk_create([ImportBatch(**b) for b in batches])
        GeographyLayer.objects.bulk_create([GeographyLayer(**r) for r in layers])
        Area.objects.bulk_create([Area(**r) for r in areas], batch_size=5000)
        forget_cache()

    yield restore
    with django_db_blocker.unblock():
        restore()


@pytest.fixture
def browser_page(live_server, geography_snapshot, monkeypatch):
    require_program(CHROMIUM, "run scripts/browser (Debian chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (fixtures, assertions) are still synchronous and safe.
    # (monkeypatch: left set, it would leak into test_settings' `check --deploy` subprocess)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    geography_snapshot()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--headless", "--disable-gpu"])
        page = browser.new_page()
        page.set_default_timeout(60_000)
        yield page
        browser.close()
        # The test's own ORM calls ran while Playwright's event loop was current, so Django
        # kept their connection apart from the thread's usual one: close it here, or it
        # would hold the PostgreSQL test database open when pytest drops it.
        from django.db import connections

        connections.close_all()


def assert_accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not bad, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad)


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/dashboard/.*"))


def test_analyst_uploads_a_month_sees_the_dashboard_and_builds_the_sna(
        browser_page, live_server, northants_files: list[Path]) -> None:
    from alliance.web.accounts.demo import seed_demo

    page = browser_page
    demo = seed_demo(password="browser-journey-password")
    sign_in(page, live_server.url, demo.emails["analyst"], "browser-journey-password")
    assert "No incident data is loaded yet" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/data/upload/")
    assert_accessible(page)
    page.get_by_label("police.uk street-crime file").set_input_files(str(northants_files[0]))
    page.get_by_role("button", name="Upload and load").click()
    page.wait_for_url(re.compile(r".*/data/batches/"))
    assert "Loaded 2024-01-northamptonshire-street.csv" in page.content()
    assert_accessible(page)

    # a wrong file gets a clear message in the error summary and changes nothing
    page.goto(f"{live_server.url}/data/upload/")
    bad = Path(os.environ.get("TMPDIR", "/tmp")) / "2024-02-northamptonshire-street.csv"
    bad.write_text("Crime ID,Month,Offence\n1,2024-02,x\n")
    try:
        page.get_by_label("police.uk street-crime file").set_input_files(str(bad))
        page.get_by_role("button", name="Upload and load").click()
    finally:
        bad.unlink()
    summary = page.locator(".govuk-error-summary")
    assert "missing: Reported by" in summary.inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/dashboard/")
    tiles = page.locator(".alliance-tile").all_inner_texts()
    assert tiles and re.search(r"\d", tiles[0])
    assert "Offences per month" in page.content()
    # one month is not a whole reporting year: no neighbourhood map is published, and the page
    # says why; the analyst's record-level view (audited) has it
    assert "whole reporting years" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboard/?figures=unsuppressed")
    assert page.locator("figure svg").count() >= 1  # the LSOA map (one month: no trend line)
    assert_accessible(page)
    page.goto(f"{live_server.url}/sna/")
    assert_accessible(page)
    page.get_by_label("Period").fill("2024-01")
    page.get_by_label("Draft: any months, not for publication").check()
    page.get_by_role("button", name="Build the SNA").click()
    page.wait_for_url(re.compile(r".*/sna/$"))
    assert "is being built" in page.content(), page.content()[:3000]
    # the build runs in the background; the page shows it finished (tests/web/reports follows
    # the whole journey, opening the report)
    page.wait_for_selector("[data-build][data-finished='1']", timeout=300_000)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download the Word document")).first.click()
    assert download.value.suggested_filename.endswith(".docx")

    page.goto(f"{live_server.url}/agreements/")
    assert "Expired" in page.content()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/audit/")
    assert response is not None and response.status == 403  # administrators only


def test_board_viewer_is_refused_record_level_data(browser_page, live_server) -> None:
    from alliance.web.accounts.demo import seed_demo

    page = browser_page
    demo = seed_demo(password="browser-journey-password")
    sign_in(page, live_server.url, demo.emails["board_viewer"], "browser-journey-password")
    assert page.get_by_text("Show unsuppressed figures").count() == 0
    response = page.goto(f"{live_server.url}/dashboard/?figures=unsuppressed")
    assert response is not None and response.status == 403
    assert "You do not have access" in page.content()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/data/batches/")
    assert response is not None and response.status == 403
