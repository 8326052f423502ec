"""Issue 12 item 10: password-reset e-mails are rate-limited per e-mail address and per network
address, the refusal says when to try again, and nothing reveals who has an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.models import PasswordResetRequest
from alliance.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _ask(email: str, ip: str = "10.2.2.2"):
    return Client().post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def test_the_documented_defaults(settings) -> None:
    assert settings.ALLIANCE_RESET_EMAILS_PER_HOUR == 3
    assert settings.ALLIANCE_RESET_REQUESTS_PER_ADDRESS == 20


def test_one_address_gets_at_most_the_hourly_limit(demo, settings) -> None:
    email = demo.emails["analyst"]
    for i in range(settings.ALLIANCE_RESET_EMAILS_PER_HOUR):
        assert _ask(email, ip=f"10.2.2.{i}").status_code == 302
    assert len(mail.outbox) == settings.ALLIANCE_RESET_EMAILS_PER_HOUR
    refused = _ask(email, ip="10.9.9.9")
    assert refused.status_code == 429
    first = PasswordResetRequest.objects.order_by("at").first()
    again = timezone.localtime(first.at + timedelta(hours=1))
    body = refused.content.decode()
    assert "requests to reset the password for this email address in the last hour" in body
    assert f"try again after {again:%H:%M}" in body and "govuk-error-summary" in body
    assert len(mail.outbox) == settings.ALLIANCE_RESET_EMAILS_PER_HOUR
    # refusals are not counted, and are audited
    assert PasswordResetRequest.objects.count() == settings.ALLIANCE_RESET_EMAILS_PER_HOUR
    assert AuditEvent.objects.get(action="password_reset", detail__refused="email").ip == \
        "10.9.9.9"


def test_the_limit_is_the_same_for_addresses_without_an_account(demo, settings) -> None:
    statuses = {}
    for email in (demo.emails["analyst"], "nobody.here@demo.alliance.test"):
        codes = [_ask(email).status_code
                 for _ in range(settings.ALLIANCE_RESET_EMAILS_PER_HOUR + 1)]
        statuses[email] = codes
    real, invented = statuses.values()
    assert real == invented and real[-1] == 429


def test_one_network_address_is_limited_across_email_addresses(demo, settings) -> None:
    settings.ALLIANCE_RESET_REQUESTS_PER_ADDRESS = 4
    for i in range(4):
        assert _ask(f"person{i}@example.org", ip="192.0.2.50").status_code == 302
    refused = _ask(demo.emails["analyst"], ip="192.0.2.50")
    assert refused.status_code == 429
    assert b"too many requests to reset passwords from your network" in refused.content
    assert not mail.outbox  # none of those addresses has an account; the analyst was refused
    assert _ask(demo.emails["analyst"], ip="192.0.2.51").status_code == 302
    assert len(mail.outbox) == 1


def test_the_hour_passes(demo, settings) -> None:
    email = demo.emails["analyst"]
    for _ in range(settings.ALLIANCE_RESET_EMAILS_PER_HOUR):
        _ask(email)
    assert _ask(email).status_code == 429
    PasswordResetRequest.objects.update(at=timezone.now() - timedelta(minutes=61))
    assert _ask(email).status_code == 302


def test_without_a_mail_server_the_page_says_who_can_help(demo, settings) -> None:
    settings.EMAIL_BACKEND = "alliance.web.accounts.mail.NotConfiguredBackend"
    for r in (Client().get("/accounts/password-reset/"), _ask(demo.emails["analyst"])):
        assert r.status_code == 200
        assert b"not set up to send email" in r.content
        assert b"alliance partnership reset-link" in r.content
    assert not PasswordResetRequest.objects.exists()


def test_a_first_administrator_without_a_password_may_ask_too(settings) -> None:
    from alliance.web.accounts.founding import create_partnership

    create_partnership(name="A Partnership", area_code="E23000022", organisation="Police",
                       organisation_kind="police", admin_email="first@police.test")
    assert _ask("first@police.test").status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
