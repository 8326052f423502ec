"""A partner lead's journey in headless Chromium: upload a partner CSV, fix a mapping error,
load it, and find the mapping remembered next month (axe-core checked on every page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.mappings.test_partner_upload import police_month
from tests.web.workspace.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _async_unsafe_only_here(monkeypatch) -> None:
    """Set (and afterwards remove) what ``browser_page`` would set for good: a later test
    running ``check --deploy`` in a subprocess must not inherit it."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def upload(page, base: str, path: Path) -> None:
    page.goto(f"{base}/data/partner/")
    assert_accessible(page)
    page.get_by_label("Dataset name").fill("Local police extract")
    page.get_by_label("What kind of data is it?").select_option("police_extract")
    page.get_by_label("Partner CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url(re.compile(r".*/columns$"))


def test_analyst_fixes_a_mapping_error_and_the_mapping_is_remembered(
        browser_page, live_server, tmp_path: Path, monkeypatch) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.pool.models import ImportBatch
    from alliance.web.tasks.models import Task

    monkeypatch.setenv("ALLIANCE_PSEUDONYM_KEY", "a-test-key-of-sufficient-length")
    page = browser_page
    demo = seed_demo(password="browser-journey-password")
    sign_in(page, live_server.url, demo.emails["analyst"], "browser-journey-password")

    january = tmp_path / "np-extract-2024-01.csv"
    january.write_text(police_month("2024-01"), encoding="utf-8")
    upload(page, live_server.url, january)
    assert "NP/2024-01/01" in page.content()  # the preview
    assert_accessible(page)
    page.get_by_label("Date of the incident").select_option("Offence Description")
    page.get_by_label("Age or age band").select_option("Victim Age")
    page.get_by_role("button", name="Check every row").click()
    summary = page.locator(".govuk-error-summary")
    assert "Line 2, date (column “Offence Description”)" in summary.inner_text()
    assert_accessible(page)
    assert not ImportBatch.objects.filter(kind="incidents").exists()

    page.get_by_label("Date of the incident").select_option("Committed Date")
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_url(re.compile(r".*/confirm$"))
    assert "Every row of np-extract-2024-01.csv passed" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Load as one batch").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+/$"))  # the load runs as a task (inline here)
    task = Task.objects.get(kind="load_partner_extract")
    assert task.status == Task.Status.DONE, task.error
    assert "Loaded 3 rows of Local police extract (2024-01)" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="See the batches").click()
    page.wait_for_url(re.compile(r".*/data/batches/"))

    february = tmp_path / "np-extract-2024-02.csv"
    february.write_text(police_month("2024-02"), encoding="utf-8")
    upload(page, live_server.url, february)
    assert "The columns saved from the last upload" in page.content()
    assert page.get_by_label("Age or age band").input_value() == "Victim Age"
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_url(re.compile(r".*/confirm$"))
    page.get_by_role("button", name="Load as one batch").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
    assert ImportBatch.objects.filter(kind="incidents", source="police_extract").count() == 2
