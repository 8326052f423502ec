"""Changes administrators make to people: invitations, roles, access. Each one is audited.

Views check the permission rule; these functions check everything else (the invitation is
still open, the partnership keeps an active administrator) and raise :class:`Refused` with a
message for the page when a change may not be made, having changed nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from alliance.web.accounts import lockout
from alliance.web.accounts.mail import deliver
from alliance.web.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Partnership,
    Role,
    token_digest,
)
from alliance.web.audit.services import record

INVITATION_LIFETIME = timedelta(days=7)


class Refused(Exception):
    """The change may not be made; the message says why, in words for the page."""


@dataclass(frozen=True, kw_only=True)
class InvitationLink:
    """A freshly made invitation link, and why the e-mail carrying it was not sent (if not)."""

    invitation: Invitation
    link: str
    problem: str = ""

    @property
    def emailed(self) -> bool:
        return not self.problem


def _send_invitation(request: HttpRequest, invitation: Invitation,
                     token: str) -> InvitationLink:
    link = request.build_absolute_uri(reverse("accounts:accept", args=[token]))
    days = INVITATION_LIFETIME.days
    problem = deliver(
        f"You are invited to {invitation.partnership.name}",
        f"You have been invited to join {invitation.partnership.name} on Alliance as "
        f"{Role(invitation.role).label.lower()}.\n\nAccept within {days} days: {link}\n",
        invitation.email)
    return InvitationLink(invitation=invitation, link=link, problem=problem)


def invite(request: HttpRequest, partnership: Partnership, *, email: str,
           organisation: Organisation, role: str) -> InvitationLink:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email.lower(), partnership=partnership, organisation=organisation, role=role,
        token_sha256=token_digest(token), invited_by=request.user, sent_at=now,
        expires_at=now + INVITATION_LIFETIME)
    sent = _send_invitation(request, invitation, token)
    record(request, "invite", target=invitation.email, role=role, organisation=organisation.name,
           emailed=sent.emailed)
    return sent


def _closed(invitation: Invitation, consequence: str) -> Refused:
    return Refused(f"The invitation to {invitation.email} is "
                   f"{invitation.get_status_display().lower()}: {consequence}")


def resend_invitation(request: HttpRequest, invitation: Invitation) -> InvitationLink:
    """A new link (the old one stops working) valid for the full lifetime from now."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.can_resend:
            raise _closed(invitation, "it cannot be sent again.")
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation.token_sha256 = token_digest(token)
        invitation.sent_at = now
        invitation.expires_at = now + INVITATION_LIFETIME
        invitation.times_sent += 1
        invitation.save(update_fields=["token_sha256", "sent_at", "expires_at", "times_sent"])
    sent = _send_invitation(request, invitation, token)
    record(request, "invite_resent", target=invitation.email, role=invitation.role,
           times_sent=invitation.times_sent, emailed=sent.emailed)
    return sent


def check_revocable(invitation: Invitation) -> None:
    """Refuse unless the invitation can still be withdrawn (the confirmation page asks too)."""
    if not invitation.can_revoke:
        raise _closed(invitation, "there is nothing to withdraw.")


def revoke_invitation(request: HttpRequest, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        check_revocable(invitation)
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = request.user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        record(request, "invite_revoked", target=invitation.email, role=invitation.role)


def _lock(membership: Membership) -> tuple[Membership, list[int]]:
    """The membership re-read under lock, and the ids of the partnership's active administrators.

    The administrators' rows are locked first, always in id order, then the membership: two
    administrators demoting each other at the same moment queue behind one another (and cannot
    deadlock), so they cannot both succeed and leave the partnership with none.
    """
    admins = list(Membership.objects.select_for_update()
                  .filter(partnership_id=membership.partnership_id, role=Role.ADMINISTRATOR,
                          user__is_active=True)
                  .order_by("pk").values_list("pk", flat=True))
    locked = (Membership.objects.select_for_update(of=("self",)).select_related("user")
              .get(pk=membership.pk))
    return locked, admins


def _refuse_last_administrator(membership: Membership, admins: list[int]) -> None:
    if membership.pk in admins and len(admins) == 1:
        raise Refused(f"{membership.user.email} is the partnership's only active "
                      f"administrator. Make someone else an administrator first.")


def change_role(request: HttpRequest, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise Refused("Choose a role from the list.")
    with transaction.atomic():
        membership, admins = _lock(membership)
        before = membership.role
        if before == role:
            return membership
        _refuse_last_administrator(membership, admins)
        membership.role = role
        membership.save(update_fields=["role"])
        record(request, "permission_change", target=membership.user.email,
               before=before, after=role)
    return membership


def set_active(request: HttpRequest, membership: Membership, active: bool) -> Membership:
    """Deactivate (cannot sign in; signed-in sessions end at their next request) or reactivate.

    Deactivating, not deleting, is how someone leaves: the audit trail keeps pointing at them.
    """
    with transaction.atomic():
        membership, admins = _lock(membership)
        user = membership.user
        if user.is_active == active:
            return membership
        if not active:
            _refuse_last_administrator(membership, admins)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(request, "permission_change", target=user.email,
               change="reactivated" if active else "deactivated", role=membership.role)
    return membership


def unlock(request: HttpRequest, membership: Membership) -> int:
    """Lift the sign-in lockout of a member (the failures are forgotten; the audit keeps
    them); the number of failures forgotten, 0 when there was nothing to lift."""
    forgotten = lockout.clear(membership.user.email)
    if forgotten:
        record(request, "account_unlocked", target=membership.user.email,
               failures_cleared=forgotten, via="administrator")
    return forgotten
