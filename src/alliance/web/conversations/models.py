"""Conversations, their statements, pseudonymous participants and votes.

Statement text is stored as plain text and only ever rendered through Django's auto-escaping;
a participant is known only by a random id kept in a signed cookie.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from alliance.web.accounts.models import Partnership


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class Conversation(models.Model):
    class Mode(models.TextChoices):
        STRICT = "strict", "Strict: nothing is shown until a moderator accepts it"
        OPEN = "open", "Open: statements are shown unless a moderator rejects them"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for votes"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="conversations")
    slug = models.CharField(max_length=32, unique=True, default=new_public_id)
    title = models.CharField(max_length=200)
    question = models.TextField(help_text="The question participants are asked to answer")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.STRICT)
    youth_mode = models.BooleanField(default=False,
                                     help_text="Plain-language wording for young people")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    allow_statements = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    imported_from = models.CharField(max_length=200, blank=True)
    #: Polis's k-smoother across analyses of successive versions of the votes
    #: ({"version", "before", "after"}; alliance.web.conversations.services._smoother_input)
    k_smoother = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def visible_states(self) -> tuple[str, ...]:
        """States of the statements participants may see and vote on."""
        if self.mode == self.Mode.OPEN:
            return ("accepted", "pending")
        return ("accepted",)


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="participants")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    number = models.PositiveIntegerField(help_text="Polis-style participant number")
    consented_at = models.DateTimeField(null=True, blank=True)
    age_band = models.CharField(max_length=20, blank=True)
    area = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    address_key = models.CharField(
        max_length=64, blank=True,
        help_text="Keyed hash of the network address it joined from (never the address "
                  "itself), kept only while the limit on new participants needs it")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "number"],
                                               name="participant_number_unique")]
        indexes = [models.Index(fields=["conversation", "address_key", "created_at"],
                                name="participant_address_recent")]


class Statement(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        META = "meta", "Meta (about the conversation, set aside)"
        REFERRED = "referred", "Referred to the safeguarding lead"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="statements")
    number = models.PositiveIntegerField(help_text="Polis-style statement (comment) id")
    text = models.TextField()
    normalised = models.CharField(max_length=600, db_index=True)
    author_participant = models.ForeignKey(Participant, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="statements")
    author_staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    flagged = models.CharField(max_length=200, blank=True,
                               help_text="Why screening held it back (personal data or a "
                                         "safeguarding concern found)")
    reason = models.CharField(max_length=500, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["conversation", "number"],
                                               name="statement_number_unique")]

    def __str__(self) -> str:
        return self.text


class StatementEdit(models.Model):
    """One moderation action or text edit: who, when, what the text and state were."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)
    old_state = models.CharField(max_length=10, blank=True)
    new_state = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Vote(models.Model):
    class Choice(models.IntegerChoices):
        AGREE = 1, "Agree"
        DISAGREE = -1, "Disagree"
        PASS = 0, "Pass / unsure"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Choice.choices)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "statement"],
                                               name="one_vote_per_pair")]


class SafeguardingContact(models.Model):
    """The partnership's named safeguarding lead and procedure (set by an administrator)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="safeguarding")
    lead_name = models.CharField(max_length=200)
    lead_email = models.EmailField()
    lead_phone = models.CharField(max_length=40, blank=True)
    procedure = models.TextField(
        help_text="What moderators do when a statement suggests a child at risk or a threat: "
                  "the partnership's procedure, shown beside every referral")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")


class SafeguardingReferral(models.Model):
    """A statement referred to the safeguarding lead. The text is kept only here (and in the
    e-mail to the lead); the statement itself is hidden everywhere and its text removed."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="safeguarding_referrals")
    statement = models.OneToOneField(Statement, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="referral")
    text = models.TextField()
    concern = models.CharField(max_length=500, help_text="what the screen found, and the "
                                                         "moderator's note")
    lead_name = models.CharField(max_length=200)
    lead_email = models.EmailField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    referred_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
