"""An analyst's journey in Chromium: upload survey-style free text, read the themes, rename and
merge them, re-code a text, and read the history; every page checked with axe-core.

Runs in headless Chromium like tests/web/workspace/test_browser.py (whose fixtures it reuses).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import require_shared
from tests.web.workspace.test_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-journey-password"


@pytest.fixture
def async_unsafe_for_this_test(monkeypatch):  # type: ignore[no-untyped-def]
    """Playwright needs DJANGO_ALLOW_ASYNC_UNSAFE; set here so that it is removed afterwards."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_analyst_uploads_free_text_and_edits_its_themes(
        async_unsafe_for_this_test, browser_page, live_server, settings) -> None:
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.themes.models import ThemeEdit, ThemeSet
    from alliance.web.themes.store import load_result

    settings.ALLIANCE_TASKS_INLINE = True
    demo = seed_demo(password=PASSWORD)
    comments = require_shared("polis", "london.youth.policing") / "comments.csv"
    page = browser_page
    sign_in(page, live_server.url, demo.emails["analyst"], PASSWORD)
    page.get_by_role("link", name="Themes", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Upload survey answers or workshop notes").click()
    assert_accessible(page)

    # a wrong column is refused, naming the columns, and nothing is stored
    page.get_by_label("Title").fill("Youth workshop notes")
    page.get_by_label("What the texts are").select_option("workshop")
    page.get_by_label("File").set_input_files(str(comments))
    page.get_by_label("Text column (CSV only)").fill("body")
    page.get_by_role("button", name="Find themes").click()
    assert "no column 'body'" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    assert not ThemeSet.objects.exists()

    page.get_by_label("File").set_input_files(str(comments))
    page.get_by_label("Text column (CSV only)").fill("comment-body")
    page.get_by_role("button", name="Find themes").click()
    page.wait_for_url(re.compile(r".*/themes/\d+/$"))
    assert "39 texts read from comments.csv" in page.content()
    assert_accessible(page)
    theme_set = ThemeSet.objects.get()
    result = load_result(theme_set)
    first, second, third = result.theme_ids[:3]

    page.locator("#id_rename-theme").select_option(str(first))
    page.get_by_label("New name").fill("Trust and accountability")
    page.get_by_role("button", name="Rename").click()
    page.wait_for_load_state()
    assert "Trust and accountability" in page.locator(f"#theme-{first}").inner_text()

    page.get_by_label("Keep this theme").select_option(str(second))
    page.get_by_label("and move every text of this theme into it").select_option(str(third))
    page.get_by_role("button", name="Merge").click()
    page.wait_for_load_state()
    merged = load_result(ThemeSet.objects.get(pk=theme_set.pk))
    assert page.locator(f"#theme-{third}").count() == 0
    assert f"{merged.theme(second).n_texts} texts" in page.locator(f"#theme-{second}").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="See every text and its themes").click()
    assert_accessible(page)
    text_id = merged.ids[0]
    page.get_by_label("Text id").fill(str(text_id))
    page.locator("#id_recode-own").select_option(str(second))
    page.locator(f"#recode-also-{first}").check()
    page.get_by_role("button", name="Re-code").click()
    page.wait_for_url(re.compile(r".*/texts/$"))
    row = page.locator(f"#text-{text_id}").inner_text()
    assert "Re-coded" in row and "Trust and accountability" in row
    page.get_by_role("link", name="Back to the themes").click()
    history = page.locator("#history ~ table").inner_text()
    assert "Renamed" in history and "Merged" in history and f"Text {text_id} moved" in history
    assert list(ThemeEdit.objects.values_list("kind", flat=True)) == [
        "rename", "merge", "recode"]
