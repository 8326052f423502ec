"""A locked-out member unlocks themselves with a password reset, in headless Chromium, as the
lockout message promises (issue 12 items 10 and 12); pages checked with axe-core."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.web.workspace.test_browser import (  # noqa: F401
    assert_accessible,
    browser_page,
    geography_snapshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-journey-password"
NEW_PASSWORD = "a-new-password-after-lockout"


def _try(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_locked_member_resets_their_password_and_signs_in(browser_page, live_server) -> None:  # noqa: F811
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.lockout import ACCOUNT_FROM_ADDRESS
    from alliance.web.audit.models import AuditEvent

    page, base = browser_page, live_server.url
    email = seed_demo(password=PASSWORD).emails["analyst"]
    for i in range(ACCOUNT_FROM_ADDRESS.limit):
        _try(page, base, email, f"wrong-guess-{i}")
    _try(page, base, email, PASSWORD)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "too many failed attempts to sign in to this account from your network" in summary
    assert "reset your password to unlock it now" in summary
    assert_accessible(page)

    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url(re.compile(r".*/password-reset/sent/$"))
    assert_accessible(page)
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Save password").click()
    page.wait_for_url(re.compile(r".*/reset/done/$"))

    _try(page, base, email, NEW_PASSWORD)
    page.wait_for_url(re.compile(r".*/dashboard/.*"))
    actions = set(AuditEvent.objects.filter(target=email).values_list("action", flat=True))
    assert {"sign_in_failed", "sign_in_locked", "password_reset", "password_changed",
            "sign_in"} <= actions
