"""Invitations: send, resend (new link, old one dead, expiry restarts), withdraw, states."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alliance.web.accounts.models import Invitation, Membership, Organisation
from alliance.web.accounts.services import INVITATION_LIFETIME
from alliance.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEWCOMER = "new.lead@fire.test"
PASSWORD = "fire-data-2026-ok"


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/accounts/invitation/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


@pytest.fixture
def invited(client_as, demo):
    admin = client_as("administrator")
    org = Organisation.objects.get(name="Northamptonshire Fire and Rescue Service")
    r = admin.post("/accounts/invite/", {"email": NEWCOMER, "organisation": org.pk,
                                         "role": "partner_lead"})
    assert r.status_code == 302
    return admin, Invitation.objects.get(email=NEWCOMER), _link(mail.outbox[-1])


def _accept(link: str) -> int:
    return Client().post(link, {"name": "New Lead", "password1": PASSWORD,
                                "password2": PASSWORD}).status_code


def test_members_page_shows_every_state(invited) -> None:
    admin, invitation, _ = invited
    now = timezone.now()
    org = invitation.organisation
    common = {"partnership": invitation.partnership, "organisation": org, "role": "analyst"}
    Invitation.objects.create(email="late@x.test", token_sha256="a" * 64,
                              expires_at=now - timedelta(days=1), **common)
    Invitation.objects.create(email="gone@x.test", token_sha256="b" * 64,
                              expires_at=now + timedelta(days=1), revoked_at=now, **common)
    Invitation.objects.create(email="in@x.test", token_sha256="c" * 64,
                              expires_at=now + timedelta(days=1), accepted_at=now, **common)
    page = admin.get("/accounts/members/").content.decode()
    for email, tag in ((NEWCOMER, "Pending"), ("late@x.test", "Expired"),
                       ("gone@x.test", "Withdrawn"), ("in@x.test", "Accepted")):
        row = re.search(rf"<td class=\"govuk-table__cell\">{re.escape(email)}</td>.*?</tr>",
                        page, re.S)
        assert row is not None and f">{tag}</strong>" in row.group(0), email
    statuses = {i.email: i.status for i in Invitation.objects.all()}
    assert statuses == {NEWCOMER: "pending", "late@x.test": "expired",
                        "gone@x.test": "revoked", "in@x.test": "accepted"}


def test_resend_replaces_the_link_and_restarts_the_expiry(invited) -> None:
    admin, invitation, old_link = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1))  # expired: may still be resent
    assert Client().get(old_link).status_code == 404
    before = timezone.now()
    r = admin.post(f"/accounts/invitations/{invitation.pk}/resend/")
    assert r.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.times_sent == 2
    assert invitation.expires_at >= before + INVITATION_LIFETIME
    new_link = _link(mail.outbox[-1])
    assert new_link != old_link
    assert Client().get(old_link).status_code == 404
    assert _accept(old_link) == 404
    assert _accept(new_link) == 302
    assert Membership.objects.get(user__email=NEWCOMER).role == "partner_lead"
    event = AuditEvent.objects.get(action="invite_resent")
    assert (event.target, event.detail["times_sent"]) == (NEWCOMER, 2)
    assert event.actor_email == "admin@demo.alliance.test"


def test_withdrawn_invitation_link_stops_working(invited) -> None:
    admin, invitation, link = invited
    confirm = admin.get(f"/accounts/invitations/{invitation.pk}/withdraw/")
    assert confirm.status_code == 200 and b"Withdraw invitation" in confirm.content
    assert admin.post(f"/accounts/invitations/{invitation.pk}/withdraw/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked" and invitation.revoked_by is not None
    assert Client().get(link).status_code == 404
    assert _accept(link) == 404
    assert not Membership.objects.filter(user__email=NEWCOMER).exists()
    assert AuditEvent.objects.filter(action="invite_revoked", target=NEWCOMER).count() == 1
    # withdrawn is final: neither resent nor withdrawn twice, and nothing is recorded
    again = admin.post(f"/accounts/invitations/{invitation.pk}/resend/")
    assert again.status_code == 400 and b"cannot be sent again" in again.content
    twice = admin.post(f"/accounts/invitations/{invitation.pk}/withdraw/")
    assert twice.status_code == 400 and b"nothing to withdraw" in twice.content
    assert admin.get(f"/accounts/invitations/{invitation.pk}/withdraw/").status_code == 400
    assert AuditEvent.objects.filter(action__in=["invite_revoked", "invite_resent"]).count() == 1
    assert len(mail.outbox) == 1


def test_accepted_invitation_cannot_be_resent_or_withdrawn(invited) -> None:
    admin, invitation, link = invited
    assert _accept(link) == 302
    assert admin.post(f"/accounts/invitations/{invitation.pk}/resend/").status_code == 400
    assert admin.post(f"/accounts/invitations/{invitation.pk}/withdraw/").status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.revoked_at is None


def test_inviting_twice_or_inviting_a_member_is_refused(invited, demo) -> None:
    admin, invitation, _ = invited
    org = invitation.organisation
    dup = admin.post("/accounts/invite/", {"email": NEWCOMER.upper(), "organisation": org.pk,
                                           "role": "analyst"})
    assert dup.status_code == 400 and b"already has an invitation waiting" in dup.content
    member = admin.post("/accounts/invite/", {"email": demo.emails["analyst"],
                                              "organisation": org.pk, "role": "analyst"})
    assert member.status_code == 400 and b"already has an account" in member.content
    assert Invitation.objects.count() == 1
    # once withdrawn, a fresh invitation may be sent
    admin.post(f"/accounts/invitations/{invitation.pk}/withdraw/")
    fresh = admin.post("/accounts/invite/", {"email": NEWCOMER, "organisation": org.pk,
                                             "role": "analyst"})
    assert fresh.status_code == 302 and Invitation.objects.count() == 2


def test_unknown_invitations_are_not_found(invited) -> None:
    admin, invitation, _ = invited
    assert admin.post(f"/accounts/invitations/{invitation.pk + 100}/withdraw/").status_code == 404
    assert admin.post(f"/accounts/invitations/{invitation.pk + 100}/resend/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_resend_and_withdraw_need_post(invited) -> None:
    admin, invitation, _ = invited
    assert admin.get(f"/accounts/invitations/{invitation.pk}/resend/").status_code == 405
    csrf = Client(enforce_csrf_checks=True)
    csrf.cookies = admin.cookies
    assert csrf.post(f"/accounts/invitations/{invitation.pk}/withdraw/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "pending"
