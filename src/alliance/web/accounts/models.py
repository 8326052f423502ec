"""The partnership, its partner organisations and its members (one membership per user).

A store holds one partnership (docs/adr/0002-one-partnership-per-store.md): pooled batches,
the audit trail, tasks and SNA builds belong to the store, so a second partnership in it would
see and change the first one's. The model refuses a second with a message, and the database
refuses it too (a unique column every row fills with the same value), whatever path tries.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    BOARD_VIEWER = "board_viewer", "Board viewer"
    MODERATOR = "moderator", "Moderator"


class SecondPartnershipError(ValueError):
    """The store already holds a partnership; it holds one only."""


class Partnership(models.Model):
    #: the value every partnership row has: with ``unique`` and the check constraint, the
    #: database itself refuses a second row (bulk inserts and raw SQL included)
    ONLY = 1

    name = models.CharField(max_length=200, unique=True)
    area_code = models.CharField(max_length=9, help_text="GSS code of the partnership's area")
    store = models.PositiveSmallIntegerField(default=ONLY, unique=True, editable=False,
                                             help_text="one partnership per store (ADR 0002)")
    #: created by ``alliance demo`` (its people and passwords are made up); ``alliance demo``
    #: seeds only an empty store, and a real partnership is never mistaken for the demo
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(store=1),
                                              name="one_partnership_per_store")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            existing = Partnership.objects.exclude(pk=self.pk).first()
            if existing is not None:
                raise SecondPartnershipError(refusal_of_second(existing))
        super().save(*args, **kwargs)


def refusal_of_second(existing: Partnership) -> str:
    """Why a second partnership is refused, and what to do instead."""
    what = "the demo partnership" if existing.is_demo else f"the partnership {existing.name}"
    return (f"This store already holds {what}, and a store holds one partnership. Use a new "
            f"store for another one: set DATABASE_URL to a new PostgreSQL database, or "
            f"ALLIANCE_HOME to a new folder for SQLite.")


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
    """Recent sign-in attempts, for the lockout rules (:mod:`alliance.web.accounts.lockout`).

    Kept only as long as the longest rule looks back; the audit trail is the lasting record.
    """

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class PasswordResetRequest(models.Model):
    """Recent password-reset requests, for the limits per e-mail address and per network
    address (:mod:`alliance.web.accounts.reset`); kept for a day."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
