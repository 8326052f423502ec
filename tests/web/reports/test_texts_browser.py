"""An analyst's journey in headless Chromium: write a recommendation in the workspace citing a
finding of the latest SNA, build the SNA again on the SNA page, open the report and find the
recommendation there with its owner, measure and baseline, after the summary and key findings.

Data: the 16 real police.uk street-level months for Northamptonshire (shared/data/policeuk),
so 2025 is a whole reporting year; the first build is made as the command line makes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.report.conftest import ARTEFACTS
from tests.web.workspace.test_browser import (  # noqa: F401  (fixtures)
    assert_accessible,
    browser_page,
    geography_snapshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-journey-password"
WORDS = "Fund detached youth workers in Castle ward on Friday and Saturday evenings."
MEASURE = "Offences a year in Castle ward (police.uk, proxy measure)"


def test_analyst_writes_a_recommendation_and_finds_it_in_the_rebuilt_sna(
        browser_page, live_server, northants_files: list[Path], reference: Path,  # noqa: F811
        settings, tmp_path: Path) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.pool.services import load_police_uk
    from alliance.web.reports.models import SnaBuild, SnaText
    from alliance.web.reports.services import build_sna

    settings.ALLIANCE_TASKS_INLINE = True  # no worker: a thread of the web process builds
    ARTEFACTS.joinpath("sna").mkdir(parents=True, exist_ok=True)
    load_police_uk(northants_files, reference_dir=reference, created_by="tests")
    demo = seed_demo(password=PASSWORD)
    first = build_sna("E23000022", tmp_path / "first", period="2025", pdf=False)
    total = next(f for _, f in first.report.blocks() if getattr(f, "id", "") == "f-total")
    page = browser_page
    sign_in(page, live_server.url, demo.emails["analyst"], PASSWORD)
    page.get_by_role("link", name="SNA", exact=True).click()
    page.get_by_role("link", name="Summary, findings and recommendations").click()
    page.wait_for_url(re.compile(r".*/sna/texts/$"))
    assert "No recommendations yet." in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Add a recommendation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # nothing filled in: told what is missing
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the words" in summary and "Choose the organisation that owns it" in summary
    assert_accessible(page)
    page.screenshot(path=str(ARTEFACTS / "sna" / "10-recommendation-form.png"), full_page=True)
    page.get_by_label("The words", exact=True).fill(WORDS)
    page.get_by_label(re.compile(r"^Finding: [\d,]+ offences counted as serious")).check()
    page.get_by_label("Owner", exact=True).select_option(label="Northamptonshire Police")
    page.get_by_label("Measure", exact=True).fill(MEASURE)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/sna/texts/\?area=E23000022$"))
    page.screenshot(path=str(ARTEFACTS / "sna" / "09-texts-page.png"), full_page=True)
    card = page.locator(".govuk-summary-card").filter(has_text=WORDS)
    assert "Up to date" in card.inner_text() and "Northamptonshire Police" in card.inner_text()
    baseline = SnaText.objects.get().baseline
    assert baseline == f"{total.value:,.0f} offences (January 2025 to December 2025)"

    page.get_by_role("link", name="Back to the SNA").click()
    page.get_by_label("Period").fill("2025")
    page.get_by_role("button", name="Build the SNA").click()
    page.wait_for_url(re.compile(r".*/sna/$"))
    build = SnaBuild.objects.get(origin=SnaBuild.Origin.WORKSPACE)
    page.wait_for_selector(f"[data-build='{build.pk}'][data-finished='1']", timeout=600_000)
    build.refresh_from_db()
    assert build.status == "done", build.message
    page.locator(f"[data-build='{build.pk}']").get_by_role(
        "link", name=re.compile("^Open the report")).click()
    page.wait_for_url(re.compile(rf".*/sna/builds/{build.pk}/index\.html$"))
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:4] == ["Executive summary", "Key findings", "Recommendations",
                            "About this assessment"]
    recs = page.locator("section[aria-labelledby='recommendations']")
    text = recs.inner_text()
    assert WORDS in text and "Owner: Northamptonshire Police" in text
    assert f"Measure: {MEASURE}" in text and f"Baseline: {baseline}" in text
    assert "Rests on:" in text and "has changed" not in text  # same numbers: not flagged
    recs.screenshot(path=str(ARTEFACTS / "sna" / "08-recommendations.png"))
    recs.get_by_role("link", name=re.compile("offences counted as serious violence")).click()
    assert page.url.endswith("#f-total")  # the finding it rests on, in its chapter
