"""Sign-in, lockout, password reset, invitations, session timeout, the demo partnership."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client

from alliance.web.accounts.lockout import ACCOUNT_FROM_ADDRESS, ADDRESS
from alliance.web.accounts.models import Membership, Organisation
from alliance.web.audit.models import AuditEvent
from tests.web.workspace.conftest import DEMO_PASSWORD, sign_in_with_code

pytestmark = pytest.mark.django_db


def _sign_in(c: Client, email: str, password: str, ip: str = "10.0.0.1"):
    """The sign-in form, then the code for the roles that have one (tests/web/accounts covers
    the code step itself)."""
    return sign_in_with_code(c, email, password, REMOTE_ADDR=ip)


def test_demo_partnership_has_the_county_partners(demo) -> None:
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"police", "fire", "youth_justice", "probation", "health", "council",
            "voluntary"} <= kinds
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"North Northamptonshire Council", "West Northamptonshire Council"} <= names
    assert set(Membership.objects.values_list("role", flat=True)) == {
        "administrator", "analyst", "partner_lead", "board_viewer", "moderator"}
    assert DEMO_PASSWORD in demo.describe()


def test_seed_demo_twice_changes_nothing(demo) -> None:
    from alliance.web.accounts.demo import seed_demo

    again = seed_demo(password="another-long-password")
    assert not again.created and again.password is None
    assert Membership.objects.count() == 5
    assert _sign_in(Client(), again.emails["analyst"], "another-long-password").status_code == 400
    assert _sign_in(Client(), again.emails["analyst"], DEMO_PASSWORD).status_code == 302


def test_password_is_stored_hashed(demo) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=demo.emails["analyst"])
    assert DEMO_PASSWORD not in user.password


def test_sign_in_by_email_and_audit(demo) -> None:
    c = Client()
    r = _sign_in(c, demo.emails["analyst"].upper(), DEMO_PASSWORD)
    assert r.status_code == 302 and r["Location"] == "/dashboard/"
    assert AuditEvent.objects.filter(action="sign_in", actor_email=demo.emails["analyst"]).exists()
    bad = _sign_in(Client(), demo.emails["analyst"], "wrong")
    assert bad.status_code == 400
    assert b"Enter a correct email address and password" in bad.content
    assert b"govuk-error-summary" in bad.content
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


def test_open_redirect_is_refused(demo) -> None:
    r = sign_in_with_code(Client(), demo.emails["analyst"], DEMO_PASSWORD,
                          path="/accounts/sign-in/?next=https://evil.example/")
    assert r["Location"] == "/dashboard/"
    r = Client().post("/accounts/sign-in/?next=https://evil.example/",
                      {"email": demo.emails["board_viewer"], "password": DEMO_PASSWORD})
    assert r["Location"] == "/dashboard/"


def test_lockout_per_account_and_address(demo) -> None:
    email = demo.emails["board_viewer"]
    for i in range(ACCOUNT_FROM_ADDRESS.limit):
        assert _sign_in(Client(), email, f"wrong-{i}", ip="10.0.1.1").status_code == 400
    r = _sign_in(Client(), email, DEMO_PASSWORD, ip="10.0.1.1")
    assert r.status_code == 400
    assert b"too many failed attempts to sign in to this account from your network" in r.content
    assert AuditEvent.objects.filter(action="sign_in_locked", target=email).exists()
    # the real user elsewhere, and another account, are not affected
    assert _sign_in(Client(), email, DEMO_PASSWORD, ip="10.0.2.1").status_code == 302
    assert _sign_in(Client(), demo.emails["analyst"], DEMO_PASSWORD,
                    ip="10.0.1.1").status_code == 302


def test_lockout_per_address(demo) -> None:
    for i in range(ADDRESS.limit):
        _sign_in(Client(), f"nobody{i}@example.org", "wrong", ip="192.0.2.7")
    assert _sign_in(Client(), demo.emails["analyst"], DEMO_PASSWORD,
                    ip="192.0.2.7").status_code == 400
    assert _sign_in(Client(), demo.emails["analyst"], DEMO_PASSWORD,
                    ip="192.0.2.8").status_code == 302


def test_sign_out_needs_post_with_csrf(demo) -> None:
    c = Client(enforce_csrf_checks=True)
    page = c.get("/accounts/sign-in/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token is not None
    r = c.post("/accounts/sign-in/", {"email": demo.emails["board_viewer"],
                                      "password": DEMO_PASSWORD,
                                      "csrfmiddlewaretoken": token.group(1).decode()})
    assert r.status_code == 302 and r["Location"] == "/dashboard/"
    assert c.get("/accounts/sign-out/").status_code == 405
    assert c.post("/accounts/sign-out/").status_code == 403  # no CSRF token


def test_password_reset_by_email(demo) -> None:
    c = Client()
    r = c.post("/accounts/password-reset/", {"email": demo.emails["partner_lead"]})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    r = c.get(link.group(1), follow=True)
    form_url = r.redirect_chain[-1][0]
    r = c.post(form_url, {"new_password1": "a-new-long-password-42",
                          "new_password2": "a-new-long-password-42"})
    assert r.status_code == 302
    assert _sign_in(Client(), demo.emails["partner_lead"],
                    "a-new-long-password-42").status_code == 302
    # unknown addresses get the same answer and no mail
    assert c.post("/accounts/password-reset/", {"email": "x@nowhere.test"}).status_code == 302
    assert len(mail.outbox) == 1


def test_invitation_by_administrator(client_as, demo) -> None:
    admin = client_as("administrator")
    org = Organisation.objects.get(name="Northamptonshire Fire and Rescue Service")
    r = admin.post("/accounts/invite/", {"email": "new.analyst@fire.test",
                                         "organisation": org.pk, "role": "analyst"})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="invite", target="new.analyst@fire.test").exists()
    link = re.search(r"http://testserver(/accounts/invitation/\S+/)", mail.outbox[0].body)
    assert link is not None
    newcomer = Client()
    weak = newcomer.post(link.group(1), {"name": "New Analyst", "password1": "short",
                                         "password2": "short"})
    assert weak.status_code == 400 and b"govuk-error-summary" in weak.content
    r = newcomer.post(link.group(1), {"name": "New Analyst", "password1": "fire-data-2026-ok",
                                      "password2": "fire-data-2026-ok"})
    assert r.status_code == 302
    m = Membership.objects.get(user__email="new.analyst@fire.test")
    assert (m.role, m.organisation) == ("analyst", org)
    # the link works once only
    assert Client().get(link.group(1)).status_code == 404


def test_role_change_is_audited(client_as, demo) -> None:
    m = Membership.objects.get(user__email=demo.emails["board_viewer"])
    r = client_as("administrator").post(f"/accounts/members/{m.pk}/role/", {"role": "analyst"})
    assert r.status_code == 302
    event = AuditEvent.objects.get(action="permission_change")
    assert event.detail == {"before": "board_viewer", "after": "analyst"}


def test_idle_session_times_out(client_as, settings) -> None:
    from alliance.web.accounts.middleware import LAST_SEEN

    c = client_as("analyst")
    assert c.get("/agreements/").status_code == 200
    session = c.session
    session[LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    r = c.get("/agreements/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/sign-in/")
    assert c.get("/agreements/").status_code == 302


def test_the_time_last_seen_is_written_at_most_once_a_minute(client_as, settings) -> None:
    """Not a database write on every page: only when it has moved by a minute or more, and
    a session idle for the timeout still ends (within that minute)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.web.accounts.middleware import LAST_SEEN, SEEN_EVERY

    c = client_as("analyst")
    assert c.get("/agreements/").status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert c.get("/agreements/").status_code == 200
    assert not [q for q in context.captured_queries
                if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    session = c.session
    session[LAST_SEEN] = time.time() - SEEN_EVERY - 1
    session.save()
    assert c.get("/agreements/").status_code == 200
    assert time.time() - c.session[LAST_SEEN] < 30  # written again
    session = c.session
    session[LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    assert c.get("/agreements/").status_code == 302


def test_security_headers(client) -> None:
    r = client.get("/accounts/sign-in/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None and f'nonce="{nonce.group(1)}"'.encode() in r.content
    assert r["X-Frame-Options"] == "DENY"
    assert r["Referrer-Policy"] == "same-origin"
