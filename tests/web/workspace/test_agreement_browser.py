"""Browser journey: an agreement expires, its dataset is blocked, an administrator renews it
from the blocked page, and the dataset is usable again. Checked with axe-core on every page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.web.workspace.test_browser import (  # noqa: F401 (fixtures used by name)
    assert_accessible,
    browser_page,
    geography_snapshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-journey-password"
BLOCKED = "police.uk street-level crime cannot be used in new outputs"


def test_administrator_renews_an_expired_agreement_and_the_data_is_usable_again(
        browser_page, live_server, tmp_path: Path) -> None:  # noqa: F811
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.partnerships.models import Agreement

    page = browser_page
    demo = seed_demo(password=PASSWORD)
    core = Agreement.objects.get(title__startswith="Serious Violence Duty core")
    Agreement.objects.filter(pk=core.pk).update(expiry_date=date.today() - timedelta(days=1))

    # the dashboard: the reminder for administrators, and the block with its renew link
    sign_in(page, live_server.url, demo.emails["administrator"], PASSWORD)
    text = " ".join(page.content().split())
    assert "2 agreements need attention: 2 expired" in text and BLOCKED in text
    assert_accessible(page)

    # the SNA page refuses to build and links to the renew form
    page.goto(f"{live_server.url}/sna/")
    assert BLOCKED in page.content()
    assert page.get_by_role("button", name="Build the SNA").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Renew the agreement")).first.click()
    page.wait_for_url(re.compile(rf".*/agreements/{core.pk}/renew/$"))
    assert_accessible(page)

    # dates out of order: an error summary, nothing renewed
    today = date.today()
    page.get_by_label("New start date").fill(today.isoformat())
    page.get_by_label("New review date").fill((today + timedelta(days=400)).isoformat())
    page.get_by_label("New expiry date").fill((today + timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Renew the agreement").click()
    summary = page.locator(".govuk-error-summary")
    assert "review date must be on or before the expiry date" in summary.inner_text()
    assert_accessible(page)
    assert Agreement.objects.filter(series=core.series).count() == 1

    signed = tmp_path / "core-isa-signed.pdf"
    signed.write_bytes(b"%PDF-1.7\n% signed by every party\n%%EOF\n")
    page.get_by_label("New review date").fill((today + timedelta(days=300)).isoformat())
    page.get_by_label("The signed agreement (optional)").set_input_files(str(signed))
    page.get_by_role("button", name="Renew the agreement").click()
    page.wait_for_url(re.compile(r".*/agreements/\d+/$"))
    assert "as version 2" in page.content() and "core-isa-signed.pdf" in page.content()
    assert "Renewed (version 2)" in page.content()
    assert_accessible(page)

    # the dataset is usable again: the SNA can be built, the dashboard has no block
    page.goto(f"{live_server.url}/sna/")
    assert BLOCKED not in page.content()
    assert page.get_by_role("button", name="Build the SNA").count() == 1
    page.goto(f"{live_server.url}/dashboard/")
    text = " ".join(page.content().split())
    assert BLOCKED not in text and "1 agreement needs attention: 1 expired" in text

    # the register shows the renewed agreement in force and the other one expired
    page.goto(f"{live_server.url}/agreements/")
    assert "Version 2" in page.content() and "Expired" in page.content()
    assert_accessible(page)

    # the other forms pass axe too, with and without errors; hostile text is refused
    new = Agreement.objects.get(series=core.series, superseded_at=None)
    page.goto(f"{live_server.url}/agreements/{new.pk}/edit/")
    assert_accessible(page)
    page.get_by_label("Title").fill("<script>alert(1)</script>")
    page.get_by_role("button", name="Save agreement").click()
    assert "must be plain text" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/agreements/{new.pk}/documents/add/")
    assert_accessible(page)
    fake = tmp_path / "dpia.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    page.get_by_label("Document type").select_option("dpia")
    page.get_by_label("Document", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Upload the document").click()
    assert "is not a PDF document" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    new.refresh_from_db()
    assert new.title.startswith("Serious Violence Duty core") and new.documents.count() == 1
