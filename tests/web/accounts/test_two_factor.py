"""Two-step sign-in: who must, the code step under the lockout, recovery codes, set-up, turning
it off, an administrator's reset, and sessions that lack the step they need."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.config import load
from alliance.web.accounts import two_factor
from alliance.web.accounts.lockout import ACCOUNT_FROM_ADDRESS
from alliance.web.audit.models import AuditEvent
from tests.web.workspace.conftest import DEMO_PASSWORD, current_code

pytestmark = pytest.mark.django_db


def _password(c: Client, email: str, password: str = DEMO_PASSWORD, ip: str = "10.0.0.1"):
    return c.post("/accounts/sign-in/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def _code(c: Client, code: str, ip: str = "10.0.0.1"):
    return c.post("/accounts/sign-in/code/", {"code": code}, REMOTE_ADDR=ip)


def _signed_in(c: Client) -> bool:
    return c.get("/dashboard/").status_code == 200


def _code_for_key(text: str) -> str:
    """The code an authenticator app shows now for a set-up key as the page prints it."""
    key = b32decode("".join(text.split()) + "=" * (-len("".join(text.split())) % 8))
    return f"{totp(key):06d}"


def test_the_setting_requires_administrators_and_analysts_always() -> None:
    assert load({}).require_2fa_roles == ("administrator", "analyst")
    assert load({"ALLIANCE_REQUIRE_2FA_ROLES": "moderator"}).require_2fa_roles == (
        "administrator", "analyst", "moderator")
    assert len(load({"ALLIANCE_REQUIRE_2FA_ROLES": "all"}).require_2fa_roles) == 5
    with pytest.raises(ValueError, match="'admin' is not a role"):
        load({"ALLIANCE_REQUIRE_2FA_ROLES": "admin,analyst"})


def test_an_analyst_is_not_signed_in_until_the_code(demo) -> None:
    c = Client()
    r = _password(c, demo.emails["analyst"])
    assert r["Location"] == "/accounts/sign-in/code/"
    assert not _signed_in(c)  # the password alone opens nothing
    page = c.get("/accounts/sign-in/code/").content.decode()
    assert "Enter your code" in page and 'autocomplete="one-time-code"' in page
    wrong = _code(c, "000000" if current_code(demo.emails["analyst"]) != "000000" else "111111")
    assert wrong.status_code == 400 and "The code is not right" in wrong.content.decode()
    assert not _signed_in(c)
    assert _code(c, current_code(demo.emails["analyst"])).status_code == 302
    assert _signed_in(c)
    event = AuditEvent.objects.filter(action="sign_in").latest("id")
    assert event.detail == {"second_step": "app"} and event.actor_email == demo.emails["analyst"]
    assert AuditEvent.objects.filter(action="sign_in_code_failed").count() == 1


def test_a_code_is_accepted_once(demo) -> None:
    email = demo.emails["administrator"]
    first, second = Client(), Client()
    code = current_code(email)
    _password(first, email)
    _password(second, email)
    assert _code(first, code).status_code == 302
    assert _code(second, code).status_code == 400  # replayed: refused (django-otp's last_t)


def test_wrong_codes_meet_the_sign_in_lockout(demo) -> None:
    email = demo.emails["analyst"]
    c = Client()
    _password(c, email, ip="10.9.9.9")
    for _ in range(ACCOUNT_FROM_ADDRESS.limit):
        assert _code(c, "123456", ip="10.9.9.9").status_code == 400
    # locked: even the right code is refused, before it is checked, with the lockout's words
    r = _code(c, current_code(email), ip="10.9.9.9")
    assert r.status_code == 400 and "too many failed attempts" in r.content.decode()
    assert not _signed_in(c)
    assert AuditEvent.objects.filter(action="sign_in_locked", detail__step="code").exists()
    # and the password step is locked for that account and address too
    assert _password(Client(), email, ip="10.9.9.9").status_code == 400
    # from the member's own network, all is well
    other = Client()
    _password(other, email, ip="10.1.1.1")
    assert _code(other, current_code(email), ip="10.1.1.1").status_code == 302


def test_roles_without_a_second_step_sign_in_with_the_password(demo) -> None:
    c = Client()
    assert _password(c, demo.emails["board_viewer"])["Location"] == "/dashboard/"
    assert _signed_in(c)


def test_a_pending_sign_in_lapses(demo, monkeypatch) -> None:
    c = Client()
    _password(c, demo.emails["analyst"])
    monkeypatch.setattr(two_factor, "PENDING_SECONDS", -1)
    r = c.get("/accounts/sign-in/code/")
    assert r["Location"] == "/accounts/sign-in/"


def test_a_required_role_without_an_app_sets_it_up_at_sign_in(demo) -> None:
    email = demo.emails["analyst"]
    TOTPDevice.objects.filter(user__email=email).delete()
    c = Client()
    assert _password(c, email)["Location"] == "/accounts/two-factor/set-up/"
    assert c.get("/accounts/sign-in/code/")["Location"] == "/accounts/two-factor/set-up/"
    page = c.get("/accounts/two-factor/set-up/").content.decode()
    assert "<svg" in page and "Your role can see sensitive data" in page
    key = re.search(r'<code class="app-setup-key">([A-Z2-7 ]+)</code>', page)
    assert key is not None
    assert not _signed_in(c)
    bad = c.post("/accounts/two-factor/set-up/", {"code": "12345x"})
    assert bad.status_code == 400 and not _signed_in(c)
    r = c.post("/accounts/two-factor/set-up/", {"code": _code_for_key(key.group(1))})
    assert r["Location"] == "/accounts/two-factor/recovery-codes/"
    shown = c.get(r["Location"]).content.decode()
    assert 'href="/dashboard/">I have saved my codes' in shown  # on to where sign-in was going
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert c.get("/accounts/two-factor/recovery-codes/").status_code == 302  # shown once
    assert _signed_in(c)
    assert AuditEvent.objects.filter(action="two_factor_on", actor_email=email).exists()

    # a recovery code signs in once, and the page says how many are left
    again = Client()
    _password(again, email)
    r = _code(again, codes[0].upper())
    assert r.status_code == 302
    assert "You have 9 left" in again.get("/dashboard/").content.decode()  # (signed in)
    twice = Client()
    _password(twice, email)
    assert _code(twice, codes[0]).status_code == 400


def test_an_optional_member_turns_it_on_and_off(demo, client_as) -> None:
    email = demo.emails["partner_lead"]
    c = client_as("partner_lead")
    assert "Two-step sign-in is off" in c.get("/accounts/two-factor/").content.decode()
    page = c.get("/accounts/two-factor/set-up/").content.decode()
    key = re.search(r'<code class="app-setup-key">([A-Z2-7 ]+)</code>', page)
    assert key is not None
    c.post("/accounts/two-factor/set-up/", {"code": _code_for_key(key.group(1))})
    assert two_factor.enabled(c.get("/dashboard/").wsgi_request.user)
    assert "Two-step sign-in is on" in c.get("/accounts/two-factor/").content.decode()
    # from now on the partner lead's password alone does not sign in
    assert _password(Client(), email)["Location"] == "/accounts/sign-in/code/"
    # turning it off, or new recovery codes, needs a current code
    assert c.post("/accounts/two-factor/turn-off/", {"code": "999999"}).status_code == 400
    TOTPDevice.objects.filter(user__email=email).update(last_t=-1)
    assert c.post("/accounts/two-factor/turn-off/",
                  {"code": current_code(email)})["Location"] == "/accounts/two-factor/"
    assert _password(Client(), email)["Location"] == "/dashboard/"
    assert AuditEvent.objects.filter(action="two_factor_off", target=email).exists()


def test_a_required_role_cannot_turn_it_off(demo, client_as) -> None:
    c = client_as("analyst")
    assert "cannot be turned off" in c.get("/accounts/two-factor/").content.decode()
    c.post("/accounts/two-factor/turn-off/", {"code": current_code(demo.emails["analyst"])})
    assert two_factor.enabled(c.get("/dashboard/").wsgi_request.user)


def test_new_recovery_codes_replace_the_old(demo, client_as) -> None:
    c = client_as("analyst")
    r = c.post("/accounts/two-factor/recovery-codes/new/",
               {"code": current_code(demo.emails["analyst"])})
    first = re.findall(r"<code>([a-z2-7-]{9})</code>", c.get(r["Location"]).content.decode())
    r = c.post("/accounts/two-factor/recovery-codes/new/", {"code": first[0]})
    second = re.findall(r"<code>([a-z2-7-]{9})</code>", c.get(r["Location"]).content.decode())
    assert len(second) == 10 and not set(first) & set(second)
    assert AuditEvent.objects.filter(action="recovery_codes_new").count() == 2


def test_an_administrator_resets_a_member_who_lost_their_phone(demo, client_as) -> None:
    from alliance.web.accounts.models import Membership

    analyst = Membership.objects.get(user__email=demo.emails["analyst"])
    signed_in_analyst = client_as("analyst")
    admin = client_as("administrator")
    assert "Reset two-step sign-in" in admin.get("/accounts/members/").content.decode()
    r = admin.post(f"/accounts/members/{analyst.pk}/reset-two-factor/")
    assert r["Location"] == "/accounts/members/"
    assert not TOTPDevice.objects.filter(user=analyst.user).exists()
    assert AuditEvent.objects.filter(action="two_factor_reset",
                                     target=demo.emails["analyst"]).exists()
    # the analyst's session, verified by the removed app, ends; the next sign-in sets up anew
    assert signed_in_analyst.get("/dashboard/")["Location"] == "/accounts/sign-in/"
    assert _password(Client(), demo.emails["analyst"])["Location"] == "/accounts/two-factor/set-up/"
    # not a right of other roles
    assert client_as("partner_lead").post(
        f"/accounts/members/{analyst.pk}/reset-two-factor/").status_code == 403


def test_a_session_that_lacks_a_step_its_role_now_needs_is_ended(demo, client_as) -> None:
    from alliance.web.accounts.models import Membership

    lead = client_as("partner_lead")
    assert _signed_in(lead)
    Membership.objects.filter(user__email=demo.emails["partner_lead"]).update(role="analyst")
    r = lead.get("/dashboard/")
    assert r.status_code == 302 and r["Location"] == "/accounts/sign-in/"
    assert not _signed_in(lead)


def test_an_invited_analyst_sets_up_the_app_before_anything_else(demo, client_as) -> None:
    from django.core import mail

    from alliance.web.accounts.models import Organisation

    admin = client_as("administrator")
    org = Organisation.objects.first()
    admin.post("/accounts/invite/", {"email": "new.analyst@example.org",
                                     "organisation": org.pk, "role": "analyst"})
    link = re.search(r"/accounts/invitation/[^/\s]+/", mail.outbox[-1].body)
    assert link is not None
    c = Client()
    r = c.post(link.group(0), {"name": "New Analyst", "password1": "a-long-new-password-1",
                               "password2": "a-long-new-password-1"})
    assert r.status_code == 302 and r["Location"] == "/accounts/two-factor/set-up/"
    assert not _signed_in(c)


def test_the_demo_prints_the_key_and_the_command_gives_the_code(demo) -> None:
    from typer.testing import CliRunner

    from alliance.cli.main import app

    assert "alliance partnership demo-code" in demo.describe()
    assert demo.code_key and demo.code_roles == ("administrators", "analysts")
    out = CliRunner().invoke(app, ["partnership", "demo-code"])
    assert out.exit_code == 0, out.output
    assert re.fullmatch(r"\d{6}", out.stdout.strip())
    assert _code_for_key(demo.code_key) == out.stdout.strip()


def test_the_way_on_after_the_codes_never_leaves_the_site(demo) -> None:
    email = demo.emails["analyst"]
    TOTPDevice.objects.filter(user__email=email).delete()
    c = Client()
    c.post("/accounts/sign-in/?next=https://evil.example/", {"email": email,
                                                             "password": DEMO_PASSWORD})
    page = c.get("/accounts/two-factor/set-up/").content.decode()
    key = re.search(r'<code class="app-setup-key">([A-Z2-7 ]+)</code>', page)
    assert key is not None
    r = c.post("/accounts/two-factor/set-up/", {"code": _code_for_key(key.group(1))})
    shown = c.get(r["Location"]).content.decode()
    assert "evil.example" not in shown and 'href="/dashboard/"' in shown
