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
    sign_in,
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

    sign_in(page, base, email, NEW_PASSWORD)  # with the analyst's code, after the password
    actions = set(AuditEvent.objects.filter(target=email).values_list("action", flat=True))
    assert {"sign_in_failed", "sign_in_locked", "password_reset", "password_changed",
            "sign_in"} <= actions


def test_an_analyst_sets_up_two_step_sign_in_and_later_uses_a_recovery_code(
        browser_page, live_server) -> None:  # noqa: F811
    """The first sign-in of an analyst with no authenticator: set-up page (QR code and key),
    the recovery codes, the dashboard; then a sign-in with a recovery code instead of the app."""
    from base64 import b32decode

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alliance.web.accounts.demo import seed_demo

    page, base = browser_page, live_server.url
    email = seed_demo(password=PASSWORD).emails["analyst"]
    TOTPDevice.objects.filter(user__email=email).delete()  # as after an administrator's reset
    _try(page, base, email, PASSWORD)
    page.wait_for_url(re.compile(r".*/accounts/two-factor/set-up/$"))
    assert page.locator(".app-qr svg").count() == 1
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    key = "".join(page.locator(".app-setup-key").inner_text().split())
    code = f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"
    page.get_by_label("Code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/recovery-codes/$"))
    assert_accessible(page)
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my codes").click()
    page.wait_for_url(re.compile(r".*/dashboard/.*"))  # where the sign-in was going
    page.goto(f"{base}/accounts/two-factor/")
    assert "Two-step sign-in is on" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("^Sign out")).click()
    _try(page, base, email, PASSWORD)
    page.wait_for_url(re.compile(r".*/accounts/sign-in/code/$"))
    page.get_by_text("I cannot use my authenticator app").click()
    assert_accessible(page)
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/dashboard/.*"))
    assert "You have 9 left" in page.content()
