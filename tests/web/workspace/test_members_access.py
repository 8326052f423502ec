"""Members: role changes, deactivation and reactivation, and the last administrator rule."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from alliance.web.accounts.models import Membership
from alliance.web.audit.models import AuditEvent
from tests.web.workspace.conftest import DEMO_PASSWORD, sign_in_with_code

pytestmark = pytest.mark.django_db


def _member(email: str) -> Membership:
    return Membership.objects.select_related("user").get(user__email=email)


def _sign_in(email: str, password: str = DEMO_PASSWORD) -> Client:
    c = Client()
    sign_in_with_code(c, email, password)
    return c


def test_deactivated_member_is_signed_out_and_cannot_sign_in(client_as, demo) -> None:
    analyst = client_as("analyst")
    assert analyst.get("/agreements/").status_code == 200
    m = _member(demo.emails["analyst"])
    admin = client_as("administrator")
    confirm = admin.get(f"/accounts/members/{m.pk}/deactivate/")
    assert confirm.status_code == 200 and b"will not be able to sign in" in confirm.content
    assert admin.post(f"/accounts/members/{m.pk}/deactivate/").status_code == 302
    # the open session ends at its next request...
    r = analyst.get("/agreements/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/sign-in/")
    # ...and stays ended after reactivation (the session was destroyed, not just refused)
    admin.post(f"/accounts/members/{m.pk}/reactivate/")
    assert analyst.get("/agreements/").status_code == 302
    admin.post(f"/accounts/members/{m.pk}/deactivate/")
    refused = Client().post("/accounts/sign-in/", {"email": demo.emails["analyst"],
                                                   "password": DEMO_PASSWORD})
    assert refused.status_code == 400
    events = AuditEvent.objects.filter(action="permission_change", target=demo.emails["analyst"])
    assert [e.detail["change"] for e in events.order_by("id")] == [
        "deactivated", "reactivated", "deactivated"]
    assert all(e.actor_email == demo.emails["administrator"] for e in events)


def test_reactivated_member_can_sign_in_again(client_as, demo) -> None:
    m = _member(demo.emails["board_viewer"])
    admin = client_as("administrator")
    admin.post(f"/accounts/members/{m.pk}/deactivate/")
    page = admin.get("/accounts/members/").content.decode()
    assert "Deactivated" in page and f"/accounts/members/{m.pk}/reactivate/" in page
    admin.post(f"/accounts/members/{m.pk}/reactivate/")
    assert _sign_in(demo.emails["board_viewer"]).get("/agreements/").status_code == 200


def test_deactivating_twice_records_once(client_as, demo) -> None:
    m = _member(demo.emails["moderator"])
    admin = client_as("administrator")
    admin.post(f"/accounts/members/{m.pk}/deactivate/")
    admin.post(f"/accounts/members/{m.pk}/deactivate/")
    assert AuditEvent.objects.filter(action="permission_change").count() == 1


def test_the_last_administrator_cannot_demote_or_deactivate_themselves(client_as, demo) -> None:
    me = _member(demo.emails["administrator"])
    admin = client_as("administrator")
    demote = admin.post(f"/accounts/members/{me.pk}/role/", {"role": "analyst"})
    assert demote.status_code == 400
    assert b"only active administrator" in demote.content
    assert b"govuk-error-summary" in demote.content
    leave = admin.post(f"/accounts/members/{me.pk}/deactivate/")
    assert leave.status_code == 400 and b"only active administrator" in leave.content
    me.refresh_from_db()
    me.user.refresh_from_db()
    assert (me.role, me.user.is_active) == ("administrator", True)
    assert not AuditEvent.objects.filter(action="permission_change").exists()


def test_with_a_second_administrator_the_first_may_step_down(client_as, demo) -> None:
    me = _member(demo.emails["administrator"])
    other = _member(demo.emails["analyst"])
    admin = client_as("administrator")
    assert admin.post(f"/accounts/members/{other.pk}/role/",
                      {"role": "administrator"}).status_code == 302
    assert admin.post(f"/accounts/members/{me.pk}/role/", {"role": "analyst"}).status_code == 302
    me.refresh_from_db()
    assert me.role == "analyst"
    # no longer an administrator: the next request is refused
    assert admin.get("/accounts/members/").status_code == 403
    # the new sole administrator is now protected in turn
    new_admin = _sign_in(demo.emails["analyst"])
    assert new_admin.post(f"/accounts/members/{other.pk}/role/",
                          {"role": "board_viewer"}).status_code == 400
    details = [e.detail for e in AuditEvent.objects.filter(action="permission_change")
               .order_by("id")]
    assert details == [{"before": "analyst", "after": "administrator"},
                       {"before": "administrator", "after": "analyst"}]


def test_a_deactivated_administrator_does_not_count(client_as, demo) -> None:
    me = _member(demo.emails["administrator"])
    other = _member(demo.emails["analyst"])
    admin = client_as("administrator")
    admin.post(f"/accounts/members/{other.pk}/role/", {"role": "administrator"})
    assert admin.post(f"/accounts/members/{other.pk}/deactivate/").status_code == 302
    assert admin.post(f"/accounts/members/{me.pk}/deactivate/").status_code == 400
    # an inactive administrator may be demoted: they are not keeping the partnership running
    assert admin.post(f"/accounts/members/{other.pk}/role/",
                      {"role": "analyst"}).status_code == 302


def test_an_administrator_may_deactivate_themselves_when_another_remains(client_as,
                                                                        demo) -> None:
    me = _member(demo.emails["administrator"])
    other = _member(demo.emails["analyst"])
    admin = client_as("administrator")
    admin.post(f"/accounts/members/{other.pk}/role/", {"role": "administrator"})
    assert admin.post(f"/accounts/members/{me.pk}/deactivate/").status_code == 302
    assert admin.get("/accounts/members/").status_code == 302  # signed out
    assert not get_user_model().objects.get(pk=me.user_id).is_active


def test_bad_role_and_unknown_members_change_nothing(client_as, demo) -> None:
    m = _member(demo.emails["board_viewer"])
    admin = client_as("administrator")
    bad = admin.post(f"/accounts/members/{m.pk}/role/", {"role": "superuser"})
    assert bad.status_code == 400 and b"Choose a role from the list" in bad.content
    unknown = Membership.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    assert admin.post(f"/accounts/members/{unknown}/deactivate/").status_code == 404
    assert admin.post(f"/accounts/members/{unknown}/role/",
                      {"role": "administrator"}).status_code == 404
    m.refresh_from_db()
    assert m.role == "board_viewer"
    assert not AuditEvent.objects.filter(action="permission_change").exists()


def test_members_page_makes_a_fixed_number_of_queries(client_as, demo,
                                                      django_assert_max_num_queries) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from alliance.web.accounts.models import Invitation

    admin = client_as("administrator")
    m = _member(demo.emails["analyst"])
    for i in range(20):
        u = get_user_model().objects.create_user(f"p{i}@x.test", f"p{i}@x.test", "pw")
        Membership.objects.create(user=u, partnership=m.partnership,
                                  organisation=m.organisation, role="analyst")
        Invitation.objects.create(email=f"i{i}@x.test", partnership=m.partnership,
                                  organisation=m.organisation, role="analyst",
                                  token_sha256=f"{i:064d}",
                                  expires_at=timezone.now() + timedelta(days=1))
    with django_assert_max_num_queries(12):
        assert admin.get("/accounts/members/").status_code == 200
