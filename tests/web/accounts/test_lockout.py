"""Issue 12 item 12: each lockout rule, what its message promises, and that the promise holds.

The rules (alliance.web.accounts.lockout, docs/adr/0003): 5 failures for one account from one
address in 15 minutes; 50 for one account from anywhere in 24 hours; 20 from one address in
15 minutes. A reset unlocks the account rules, so does an administrator.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.lockout import (
    ACCOUNT,
    ACCOUNT_FROM_ADDRESS,
    ADDRESS,
    lockout_for,
    record_attempt,
)
from alliance.web.accounts.models import Membership, SignInAttempt
from alliance.web.audit.models import AuditEvent
from tests.web.workspace.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

HOME = "10.1.1.1"  # the member's own network
ATTACKER = "198.51.100.66"


def _sign_in(email: str, password: str, ip: str = HOME):
    return Client().post("/accounts/sign-in/", {"email": email, "password": password},
                         REMOTE_ADDR=ip)


def _fail(email: str, n: int, ip: str = ATTACKER) -> None:
    for i in range(n):
        assert _sign_in(email, f"guess-{i}", ip=ip).status_code == 400


def _reset_password(email: str, new: str) -> None:
    c = Client()
    assert c.post("/accounts/password-reset/", {"email": email}).status_code == 302
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body)
    assert link is not None
    r = c.get(link.group(1), follow=True)
    r = c.post(r.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert r.status_code == 302


def test_an_attacker_elsewhere_cannot_lock_the_member_out(demo) -> None:
    email = demo.emails["analyst"]
    _fail(email, ACCOUNT_FROM_ADDRESS.limit)
    locked = _sign_in(email, DEMO_PASSWORD, ip=ATTACKER)
    assert locked.status_code == 400
    assert b"from your network. Try again after" in locked.content
    assert _sign_in(email, DEMO_PASSWORD, ip=HOME).status_code == 302
    event = AuditEvent.objects.filter(action="sign_in_locked").get()
    assert event.detail["rule"] == "account_from_address" and event.ip == ATTACKER


def test_the_address_rule_lifts_after_its_window(demo) -> None:
    email = demo.emails["analyst"]
    _fail(email, ACCOUNT_FROM_ADDRESS.limit, ip=HOME)
    assert _sign_in(email, DEMO_PASSWORD).status_code == 400
    SignInAttempt.objects.update(at=timezone.now() - ACCOUNT_FROM_ADDRESS.window
                                 - timedelta(seconds=1))
    assert _sign_in(email, DEMO_PASSWORD).status_code == 302


def test_the_message_names_the_time_it_lifts(demo) -> None:
    email = demo.emails["analyst"]
    _fail(email, ACCOUNT_FROM_ADDRESS.limit, ip=HOME)
    first = SignInAttempt.objects.order_by("at").first()
    lifts = timezone.localtime(first.at + ACCOUNT_FROM_ADDRESS.window)
    r = _sign_in(email, DEMO_PASSWORD)
    assert f"Try again after {lifts:%H:%M}".encode() in r.content
    assert b"reset your password to unlock it now" in r.content


def test_guessing_from_many_addresses_locks_the_account_everywhere(demo) -> None:
    email = demo.emails["board_viewer"]
    for i in range(ACCOUNT.limit):  # one guess from each of 50 addresses
        record_attempt(email, f"203.0.113.{i + 1}", succeeded=False)
    r = _sign_in(email, DEMO_PASSWORD, ip=HOME)
    assert r.status_code == 400
    body = r.content.decode()
    assert "This account is locked" in body and "Reset your password to unlock it" in body
    assert "ask an administrator of your partnership" in body


def test_a_password_reset_unlocks_both_account_rules_as_promised(demo) -> None:
    email = demo.emails["board_viewer"]
    for i in range(ACCOUNT.limit):
        record_attempt(email, f"203.0.113.{i + 1}", succeeded=False)
    _fail(email, ACCOUNT_FROM_ADDRESS.limit, ip=HOME)  # refused while locked: not counted
    _reset_password(email, "a-brand-new-password-7")
    assert not SignInAttempt.objects.filter(email=email, succeeded=False).exists()
    assert _sign_in(email, "a-brand-new-password-7").status_code == 302
    changed = AuditEvent.objects.get(action="password_changed", target=email)
    assert changed.detail["failures_cleared"] == ACCOUNT.limit


def test_an_administrator_unlocks_from_the_members_page(client_as, demo) -> None:
    email = demo.emails["partner_lead"]
    for i in range(ACCOUNT.limit):
        record_attempt(email, f"203.0.113.{i + 1}", succeeded=False)
    admin = client_as("administrator")
    page = admin.get("/accounts/members/").content.decode()
    row = re.search(rf"{re.escape(email)}</td>.*?</tr>", page, re.S)
    assert row is not None and "Locked out" in row.group(0)
    m = Membership.objects.get(user__email=email)
    assert admin.post(f"/accounts/members/{m.pk}/unlock/").status_code == 302
    assert _sign_in(email, DEMO_PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="account_unlocked")
    assert event.target == email and event.detail["failures_cleared"] == ACCOUNT.limit
    assert "Locked out" not in admin.get("/accounts/members/").content.decode()
    # unlocking someone who is not locked changes and records nothing
    r = admin.post(f"/accounts/members/{m.pk}/unlock/", follow=True)
    assert b"was not locked out" in r.content
    assert AuditEvent.objects.filter(action="account_unlocked").count() == 1


def test_one_address_failing_on_many_accounts_is_stopped(demo) -> None:
    for i in range(ADDRESS.limit):
        _sign_in(f"nobody{i}@example.org", "wrong", ip=ATTACKER)
    r = _sign_in(demo.emails["analyst"], DEMO_PASSWORD, ip=ATTACKER)
    assert r.status_code == 400
    assert b"from your network. Try again after" in r.content
    assert b"reset your password" not in r.content  # a reset does not lift this rule
    assert _sign_in(demo.emails["analyst"], DEMO_PASSWORD, ip=HOME).status_code == 302


def test_a_lockout_says_nothing_about_whether_the_account_exists(demo) -> None:
    real, invented = demo.emails["analyst"], "no.such.person@demo.alliance.test"
    answers = []
    for email in (real, invented):
        _fail(email, ACCOUNT_FROM_ADDRESS.limit, ip=HOME)
        r = _sign_in(email, "anything-at-all", ip=HOME)
        answers.append(re.sub(r"\d\d:\d\d", "HH:MM", r.content.decode()
                              .split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]))
    assert answers[0] == answers[1]


def test_locked_attempts_are_not_counted_and_do_not_check_the_password(demo) -> None:
    email = demo.emails["analyst"]
    _fail(email, ACCOUNT_FROM_ADDRESS.limit, ip=HOME)
    for _ in range(3):
        _sign_in(email, DEMO_PASSWORD, ip=HOME)
    assert SignInAttempt.objects.filter(email=email).count() == ACCOUNT_FROM_ADDRESS.limit
    assert AuditEvent.objects.filter(action="sign_in_locked").count() == 3
    assert not AuditEvent.objects.filter(action="sign_in").exists()


@pytest.mark.parametrize("rule", [ACCOUNT_FROM_ADDRESS, ACCOUNT, ADDRESS])
def test_each_rule_locks_at_its_limit_and_not_before(demo, rule) -> None:
    now = timezone.now()
    email, ip = "someone@example.org", "192.0.2.10"
    for i in range(rule.limit - 1):
        SignInAttempt.objects.create(
            email=email if rule is not ADDRESS else f"other{i}@example.org",
            ip=ip if rule is not ACCOUNT else f"192.0.2.{100 + i % 100}", succeeded=False)
    assert lockout_for(email, ip, now=now + timedelta(seconds=1)) is None
    SignInAttempt.objects.create(email=email, ip=ip, succeeded=False)
    found = lockout_for(email, ip, now=now + timedelta(seconds=1))
    assert found is not None and found.rule is rule
    later = lockout_for(email, ip, now=now + rule.window + timedelta(minutes=1))
    assert later is None or later.rule is not rule
