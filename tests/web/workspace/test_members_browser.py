"""An administrator's journey through the members pages in headless Chromium, checked with
axe-core: invite (and copy the link), send again, withdraw, deactivate, reactivate, unlock."""

from __future__ import annotations

import re

import pytest

from tests.web.workspace.test_browser import (  # noqa: F401
    assert_accessible,
    browser_page,
    geography_snapshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-journey-password"


def test_administrator_manages_invitations_and_members(browser_page, live_server) -> None:  # noqa: F811
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.models import Invitation, Membership
    from alliance.web.audit.models import AuditEvent

    page = browser_page
    demo = seed_demo(password=PASSWORD)
    sign_in(page, live_server.url, demo.emails["administrator"], PASSWORD)

    page.goto(f"{live_server.url}/accounts/invite/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("new.lead@fire.test")
    page.get_by_label("Organisation").select_option(
        label="Northamptonshire Fire and Rescue Service")
    page.get_by_label("Role").select_option(label="Partner lead")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r".*/accounts/invitations/sent/$"))
    assert "Invitation sent" in page.content()
    first_link = page.get_by_label("Invitation link for new.lead@fire.test").input_value()
    assert "/accounts/invitation/" in first_link
    assert_accessible(page)
    page.get_by_role("link", name="Back to members").click()

    page.get_by_role("button", name="Send again to new.lead@fire.test").click()
    page.wait_for_url(re.compile(r".*/accounts/invitations/sent/$"))
    second_link = page.get_by_label("Invitation link for new.lead@fire.test").input_value()
    assert second_link != first_link and "stops this one" in page.content()
    page.get_by_role("link", name="Back to members").click()
    page.wait_for_url(re.compile(r".*/accounts/members/$"))
    assert "sent 2 times" in page.content()

    page.get_by_role("link", name="Withdraw the invitation to new.lead@fire.test").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw invitation").click()
    page.wait_for_url(re.compile(r".*/accounts/members/$"))
    assert Invitation.objects.get(email="new.lead@fire.test").status == "revoked"
    assert "Withdrawn" in page.content()

    board = demo.emails["board_viewer"]
    page.get_by_role("link", name=f"Deactivate {board}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Deactivate").click()
    page.wait_for_url(re.compile(r".*/accounts/members/$"))
    assert f"{board} can no longer sign in" in page.content()
    assert_accessible(page)
    assert not Membership.objects.get(user__email=board).user.is_active

    page.get_by_role("button", name=f"Reactivate {board}").click()
    page.wait_for_url(re.compile(r".*/accounts/members/$"))
    assert Membership.objects.get(user__email=board).user.is_active

    # someone guessed the board viewer's password from many addresses: unlock them
    from alliance.web.accounts.lockout import ACCOUNT, record_attempt

    for i in range(ACCOUNT.limit):
        record_attempt(board, f"203.0.113.{i + 1}", succeeded=False)
    page.reload()
    assert_accessible(page)
    page.get_by_role("button", name=f"Unlock {board}").click()
    page.wait_for_url(re.compile(r".*/accounts/members/$"))
    assert f"{board} can sign in again" in page.content()

    # the last administrator is told why they cannot step down, in the error summary
    page.get_by_label(f"Role of {demo.emails['administrator']}").select_option(label="Analyst")
    page.get_by_role("button", name=f"Change role of {demo.emails['administrator']}").click()
    assert "only active administrator" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    assert {"invite", "invite_resent", "invite_revoked", "permission_change",
            "account_unlocked"} <= set(
        AuditEvent.objects.values_list("action", flat=True))
