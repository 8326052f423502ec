"""The audit trail: append-only. Rows can be added, never changed or deleted.

Two guards: this model refuses changes in Python (a clear error before any SQL), and database
triggers (:mod:`alliance.web.audit.append_only`, migration 0003) refuse UPDATE and DELETE from
any client, raw SQL included.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditImmutableError(Exception):
    """Someone tried to change or delete an audit event."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit events cannot be deleted")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_IN_LOCKED = "sign_in_locked", "Sign-in refused: locked out"
        SIGN_IN_CODE_FAILED = "sign_in_code_failed", "Sign-in failed: wrong code"
        TWO_FACTOR_ON = "two_factor_on", "Set up two-step sign-in"
        TWO_FACTOR_OFF = "two_factor_off", "Turned off two-step sign-in"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset a member's two-step sign-in"
        RECOVERY_CODES_NEW = "recovery_codes_new", "Made new recovery codes"
        SIGN_OUT = "sign_out", "Signed out"
        PASSWORD_RESET = "password_reset", "Password reset requested"
        PASSWORD_CHANGED = "password_changed", "Set a new password with a reset link"
        ACCOUNT_UNLOCKED = "account_unlocked", "Unlocked an account locked by failed sign-ins"
        VIEW_RESTRICTED = "view_restricted", "Viewed restricted data"
        REFUSED = "refused", "Refused access"
        UPLOAD = "upload", "Uploaded data"
        UPLOAD_REJECTED = "upload_rejected", "Upload rejected"
        ROLLBACK = "rollback", "Rolled back a batch"
        EXPORT = "export", "Exported data"
        INVITE = "invite", "Invited a member"
        INVITE_RESENT = "invite_resent", "Resent an invitation"
        INVITE_REVOKED = "invite_revoked", "Withdrew an invitation"
        PERMISSION_CHANGE = "permission_change", "Changed a member's role or access"
        AGREEMENT_CHANGE = "agreement_change", "Changed a data-sharing agreement"
        THEME_EDIT = "theme_edit", "Edited themes (rename, merge, split, re-code)"
        PARTNERSHIP_CREATED = "partnership_created", "Created the partnership"
        # moderation of have-your-say conversations (alliance.web.conversations)
        CONVERSATION_CREATE = "conversation_create", "Created a conversation"
        CONVERSATION_STATUS = "conversation_status", "Opened or closed a conversation"
        MODERATE = "moderate", "Moderated a statement (accept, reject, set aside, edit)"
        SAFEGUARDING_REFERRAL = ("safeguarding_referral",
                                 "Referred a statement to the safeguarding lead")
        SAFEGUARDING_SETTINGS = ("safeguarding_settings",
                                 "Changed the safeguarding lead or procedure")
        SNA_TEXT = "sna_text", "Wrote, changed or removed the SNA's summary, a finding or a " \
            "recommendation"
        SNA_PUBLISHED = "sna_published", "Published an SNA build on the public site"
        SNA_WITHDRAWN = "sna_withdrawn", "Withdrew the SNA from the public site"
        # events, the strategy and its actions (issue 15)
        EVENT_CHANGE = "event_change", "Recorded or changed an event, workshop or note"
        STRATEGY_CHANGE = "strategy_change", ("Changed the strategy, its measures, the "
                                              "communications plan or the partner directory")
        ACTION_CHANGE = "action_change", "Assigned an action or recorded its progress"
        REMINDERS_SENT = "reminders_sent", "Sent action reminders"
        # partners' places and record-level data (alliance.web.places, alliance.web.pool)
        PLACE_DECISION = "place_decision", "Placed written locations the place finder could not"
        VENUE_CHANGE = "venue_change", "Changed the venues list"
        RETENTION_DELETION = "retention_deletion", "Deleted rows past their retention date"
        # consultations and surveys (alliance.web.consultations, alliance.web.surveys)
        CONSULTATION_CHANGED = "consultation_changed", "Created or changed a consultation"
        RESPONSES_ENTERED = "responses_entered", "Entered or imported survey responses"
        TEXT_REVIEWED = "text_reviewed", "Accepted or rejected a survey's written answer"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT, not SET_NULL or CASCADE: both would UPDATE or DELETE audit rows, which the
    # triggers refuse. A person who has acted is never deleted; they are deactivated
    # (alliance.web.accounts.services.set_active), and actor_email keeps who they were.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True, db_index=True)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    target = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditImmutableError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit events cannot be deleted")
