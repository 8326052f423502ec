"""A real partnership and its first administrator, made by the set-up service that
`alliance partnership create` calls; the printed link, used once; bad input refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from alliance.web.accounts.founding import create_partnership, reset_link
from alliance.web.accounts.models import Membership, Organisation, Partnership
from alliance.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

FIRST = {"name": "Northamptonshire Violence Prevention Partnership", "area_code": "E23000022",
         "organisation": "Northamptonshire Police", "organisation_kind": "police",
         "admin_email": "Jo.Bloggs@Police.test", "admin_name": "Jo Bloggs"}
NEW_PASSWORD = "chosen-by-jo-2026"


def _path(link: str) -> str:
    assert link.startswith("http://127.0.0.1:8000/accounts/reset/"), link
    return link.removeprefix("http://127.0.0.1:8000")


def _choose_password(link: str) -> int:
    c = Client()
    r = c.get(_path(link), follow=True)
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else _path(link)
    if b"This link has expired" in r.content:
        return 404
    return c.post(form_url, {"new_password1": NEW_PASSWORD,
                             "new_password2": NEW_PASSWORD}).status_code


def test_the_partnership_and_its_first_administrator(settings) -> None:
    settings.ALLIANCE_SITE_URL = "http://127.0.0.1:8000"
    founded = create_partnership(**FIRST)
    p = Partnership.objects.get()
    assert (p.name, p.area_code, p.is_demo) == (FIRST["name"], "E23000022", False)
    m = Membership.objects.select_related("user", "organisation").get()
    assert (m.role, m.organisation.name, m.organisation.kind) == (
        "administrator", "Northamptonshire Police", "police")
    assert (m.user.email, m.user.first_name) == ("jo.bloggs@police.test", "Jo Bloggs")
    assert not m.user.has_usable_password()  # no password until Jo chooses one
    event = AuditEvent.objects.get(action="partnership_created")
    assert event.target == FIRST["name"]
    assert event.detail["administrator"] == "jo.bloggs@police.test"
    assert event.detail["via"] == "alliance partnership create"

    link = founded.administrator.link
    assert _choose_password(link) == 302
    assert AuditEvent.objects.filter(action="password_changed",
                                     target="jo.bloggs@police.test").exists()
    signed_in = Client().post("/accounts/sign-in/", {"email": "jo.bloggs@police.test",
                                                     "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert _choose_password(link) == 404  # the link worked once


def test_a_new_link_for_an_expired_one(settings) -> None:
    settings.ALLIANCE_SITE_URL = "http://127.0.0.1:8000"
    create_partnership(**FIRST)
    link = reset_link("JO.BLOGGS@police.test")
    assert AuditEvent.objects.filter(action="password_reset",
                                     detail__via="alliance partnership reset-link").exists()
    assert _choose_password(link.link) == 302
    with pytest.raises(LookupError, match=r"no active member uses nobody@police\.test"):
        reset_link("nobody@police.test")
    get_user_model().objects.filter(email="jo.bloggs@police.test").update(is_active=False)
    with pytest.raises(LookupError):
        reset_link("jo.bloggs@police.test")


@pytest.mark.parametrize(("change", "message"), [
    ({"area_code": "E2300002"}, "not an ONS area code"),
    ({"area_code": "Northamptonshire"}, "not an ONS area code"),
    ({"area_code": "E23009999"}, "not an area in the loaded ONS geography"),
    ({"admin_email": "not-an-address"}, "not an email address"),
    ({"organisation_kind": "army"}, "organisation kind must be one of"),
    ({"name": "   "}, "give the partnership's name"),
    ({"name": "Evil\x1b[31m name"}, "printable characters"),
    ({"name": "x" * 201}, "at most 200"),
    ({"organisation": ""}, "give the administrator's organisation"),
])
def test_bad_input_is_refused_and_nothing_is_made(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        create_partnership(**{**FIRST, **change})
    assert not Partnership.objects.exists() and not Organisation.objects.exists()
    assert not get_user_model().objects.exists()
    assert not AuditEvent.objects.filter(action="partnership_created").exists()


def test_an_address_already_in_use_is_refused() -> None:
    get_user_model().objects.create_user("jo.bloggs@police.test", "jo.bloggs@police.test", None)
    with pytest.raises(ValueError, match=r"an account already uses jo\.bloggs@police\.test"):
        create_partnership(**FIRST)
    assert not Partnership.objects.exists()


def test_the_command_offers_exactly_the_organisation_kinds() -> None:
    from alliance.cli.partnership import KINDS

    assert list(KINDS) == list(Organisation.Kind.values)
