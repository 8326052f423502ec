"""An analyst's SNA journey in headless Chromium: start a build, watch it run without the page
waiting, open the finished report in the browser (it renders, it does not download), and find
a command-line build listed beside it. Workspace pages are checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.workspace.test_browser import (  # noqa: F401  (fixtures)
    assert_accessible,
    browser_page,
    geography_snapshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-journey-password"


def test_analyst_builds_the_sna_and_opens_it_in_the_browser(
        browser_page, live_server, northants_files: list[Path], reference: Path,  # noqa: F811
        settings, tmp_path: Path) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.pool.services import load_police_uk
    from alliance.web.reports.models import SnaBuild

    settings.ALLIANCE_TASKS_INLINE = True  # no worker: a thread of the web process builds
    load_police_uk(northants_files[:1], reference_dir=reference, created_by="tests")
    SnaBuild.objects.create(area_code="E23000022", area_name="Northamptonshire", period="2023",
                            status=SnaBuild.Status.DONE, origin=SnaBuild.Origin.COMMAND_LINE,
                            started_by_name="jo", output_folder=str(tmp_path / "gone"),
                            files=["index.html"])
    demo = seed_demo(password=PASSWORD)
    page = browser_page
    sign_in(page, live_server.url, demo.emails["analyst"], PASSWORD)
    page.get_by_role("link", name="SNA", exact=True).click()
    page.wait_for_url(re.compile(r".*/sna/$"))
    assert "by jo, from the command line" in page.content()
    assert_accessible(page)

    page.get_by_label("Period").fill("2024-01")
    page.get_by_label("Draft: any months, not for publication").check()
    page.get_by_role("button", name="Build the SNA").click()
    page.wait_for_url(re.compile(r".*/sna/$"))
    # the page came back while the build runs: it shows the build unfinished, with progress
    build = SnaBuild.objects.get(origin=SnaBuild.Origin.WORKSPACE)
    row = page.locator(f"[data-build='{build.pk}']")
    # on a fast machine the one-month draft can be done before the page is read
    if row.get_attribute("data-finished") == "0":
        assert row.locator("progress").count() == 1
        assert "is being built. You can leave this page" in page.content()
    assert_accessible(page)

    # the page follows it and shows the finished build without being reloaded by hand
    page.wait_for_selector(f"[data-build='{build.pk}'][data-finished='1']", timeout=300_000)
    build.refresh_from_db()
    assert build.status == "done", build.message
    row = page.locator(f"[data-build='{build.pk}']")
    assert "Ready" in row.inner_text()
    assert_accessible(page)

    downloads: list[object] = []
    page.on("download", lambda d: downloads.append(d))
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    row.get_by_role("link", name=re.compile("^Open the report")).click()
    page.wait_for_url(re.compile(rf".*/sna/builds/{build.pk}/index\.html$"))
    page.wait_for_load_state()
    assert downloads == []  # rendered, not downloaded
    assert "Strategic Needs Assessment" in page.locator("h1").first.inner_text()
    assert page.locator("svg").count() >= 1
    # its own stylesheet applied under the strict policy, and nothing refused
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Arial" in font, font
    assert violations == []

    page.goto(f"{live_server.url}/sna/builds/{build.pk}/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Word document (DOCX)").click()
    assert download.value.suggested_filename == f"sna-e23000022-{build.pk}-sna.docx"

    # the same report in Welsh, opened from the build's page, readable on a phone
    page.get_by_role("link", name="The report in Welsh (Cymraeg), in the browser").click()
    page.wait_for_url(re.compile(rf".*/sna/builds/{build.pk}/index\.cy\.html$"))
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert page.get_by_role("heading", name="Crynodeb gweithredol").count() == 1
    assert page.get_by_role("heading", name="Cynnwys").count() == 1
    assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations == []
