"""A partnership, its partner organisations and its members (one membership per user)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    BOARD_VIEWER = "board_viewer", "Board viewer"
    MODERATOR = "moderator", "Moderator"


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    area_code = models.CharField(max_length=9, help_text="GSS code of the partnership's area")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Integrated care board"
        COUNCIL = "council", "Local authority"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="organisations")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="unique_organisation_name")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user.email} ({self.get_role_display()}, {self.organisation})"


def token_digest(token: str) -> str:
    """Invitation tokens are stored hashed: a database leak does not give working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An administrator's invitation to join; the link carries a token stored only hashed.

    Resending replaces the token (the old link stops working) and restarts the expiry;
    withdrawing (revoking) ends it for good. Rows are kept as the record of who was invited.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Withdrawn"

    email = models.EmailField()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices)
    token_sha256 = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    #: when the current link was sent (the first time, or the latest resend)
    sent_at = models.DateTimeField(default=timezone.now)
    times_sent = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    def status_at(self, now: datetime) -> str:
        """Accepted and withdrawn are final; otherwise pending until the link expires."""
        if self.accepted_at is not None:
            return str(self.Status.ACCEPTED)
        if self.revoked_at is not None:
            return str(self.Status.REVOKED)
        if self.expires_at <= now:
            return str(self.Status.EXPIRED)
        return str(self.Status.PENDING)

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def can_resend(self) -> bool:
        """Pending or expired: neither accepted nor withdrawn (no clock needed)."""
        return self.accepted_at is None and self.revoked_at is None

    #: an invitation can be withdrawn exactly when it can be sent again
    can_revoke = can_resend


class SignInAttempt(models.Model):
    """Every sign-in attempt, for the lockout rule (failures per account and per address)."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)
