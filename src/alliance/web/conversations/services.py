"""What the conversation pages do: voting, submitting, moderating, analysing, export and import.

Views stay thin; every rule that protects the conversation (duplicate guards, rate limit,
screening, strict/open mode) lives here so it is tested once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from alliance.voice.opinion import OpinionAnalysis, analyse
from alliance.web.conversations.models import (
    Conversation,
    Participant,
    Statement,
    StatementEdit,
    Vote,
)
from alliance.web.conversations.screening import find_personal_data, normalise

MIN_LENGTH, MAX_LENGTH = 10, 280
#: statements one participant may submit per hour
STATEMENTS_PER_HOUR = 5
#: Polis numbers staff-seeded statements as written by this author id
STAFF_AUTHOR = 0


class StatementRefused(ValueError):
    """A submitted statement was not taken; the message is fit to show the participant."""


def new_participant(conversation: Conversation) -> Participant:
    for _ in range(5):
        top = conversation.participants.aggregate(m=Max("number"))["m"]
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    conversation=conversation, number=(top or 0) + 1)
        except IntegrityError:  # two first visits at once took the same number: try again
            continue
    raise RuntimeError("could not number a new participant")


def _next_statement_number(conversation: Conversation) -> int:
    top = conversation.statements.aggregate(m=Max("number"))["m"]
    return 0 if top is None else top + 1


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    """Statements participants see: by mode, never a pending one that screening flagged."""
    return conversation.statements.filter(state__in=conversation.visible_states()).exclude(
        state=Statement.State.PENDING, flagged__gt="")


def next_statement(participant: Participant) -> Statement | None:
    """A random statement the participant has not voted on (None when all are done)."""
    seen = participant.votes.values("statement_id")
    remaining = list(visible_statements(participant.conversation)
                     .exclude(pk__in=seen).exclude(author_participant=participant)
                     .values_list("pk", flat=True))
    if not remaining:
        return None
    return Statement.objects.get(pk=random.choice(remaining))


def cast_vote(participant: Participant, statement_pk: int, value: int) -> Vote:
    """Store (or replace: the latest vote wins) one vote; the statement must be visible."""
    if value not in (1, -1, 0):
        raise ValueError(f"vote must be 1, -1 or 0, got {value!r}")
    statement = visible_statements(participant.conversation).get(pk=statement_pk)
    vote, _ = Vote.objects.update_or_create(
        participant=participant, statement=statement, defaults={"value": value})
    return vote


def submit_statement(participant: Participant, text: str) -> Statement:
    """Take a participant's statement, or raise :class:`StatementRefused` saying why.

    Screening for personal data holds a statement for moderation even in open mode, so no
    other participant sees it until a moderator has looked.
    """
    conversation = participant.conversation
    text = " ".join(text.split())
    if not conversation.allow_statements or conversation.status != Conversation.Status.OPEN:
        raise StatementRefused("This conversation is not taking new statements.")
    if len(text) < MIN_LENGTH:
        raise StatementRefused(f"Write at least {MIN_LENGTH} characters.")
    if len(text) > MAX_LENGTH:
        raise StatementRefused(f"Keep it to {MAX_LENGTH} characters or fewer "
                               f"(yours has {len(text)}).")
    since = timezone.now() - timedelta(hours=1)
    if participant.statements.filter(created_at__gte=since).count() >= STATEMENTS_PER_HOUR:
        raise StatementRefused("You have added several statements in the last hour. "
                               "Please vote on other people's for now and come back later.")
    key = normalise(text)
    if conversation.statements.filter(normalised=key).exists():
        raise StatementRefused("Someone has already made this statement. "
                               "You can vote on it instead.")
    found = find_personal_data(text)
    with transaction.atomic():
        statement = Statement.objects.create(
            conversation=conversation, number=_next_statement_number(conversation), text=text,
            normalised=key, author_participant=participant,
            state=Statement.State.PENDING, flagged=", ".join(found))
        Vote.objects.create(participant=participant, statement=statement, value=1)
    return statement


def seed_statement(conversation: Conversation, text: str, user: Any) -> Statement:
    text = " ".join(text.split())
    return Statement.objects.create(
        conversation=conversation, number=_next_statement_number(conversation), text=text,
        normalised=normalise(text), author_staff=user, state=Statement.State.ACCEPTED)


def is_visible(statement: Statement) -> bool:
    """Whether participants can see it: flagged pending statements never are."""
    if statement.state == Statement.State.PENDING and statement.flagged:
        return False
    return statement.state in statement.conversation.visible_states()


def moderate(statement: Statement, *, state: str, reason: str, user: Any,
             text: str | None = None) -> Statement:
    """Accept, reject or set aside (meta) a statement, optionally editing its text; logged."""
    if state not in Statement.State.values:
        raise ValueError(f"unknown state {state!r}")
    if state == Statement.State.REJECTED and not reason.strip():
        raise ValueError("a rejection needs a reason")
    new_text = " ".join(text.split()) if text is not None else statement.text
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        StatementEdit.objects.create(
            statement=locked, editor=user, old_text=locked.text if new_text != locked.text
            else "", new_text=new_text if new_text != locked.text else "",
            old_state=locked.state, new_state=state, reason=reason.strip())
        locked.text, locked.normalised = new_text, normalise(new_text)
        locked.state, locked.reason = state, reason.strip()
        locked.moderated_by, locked.moderated_at = user, timezone.now()
        if state == Statement.State.ACCEPTED:
            locked.flagged = ""
        locked.save()
    return locked


def votes_frame(conversation: Conversation) -> pd.DataFrame:
    """``participant_id, statement_id, vote, timestamp`` (latest vote per pair, ms)."""
    rows = Vote.objects.filter(statement__conversation=conversation).values_list(
        "participant__number", "statement__number", "value", "at")
    frame = pd.DataFrame(list(rows), columns=["participant_id", "statement_id", "vote", "at"])
    frame["timestamp"] = [int(at.timestamp() * 1000) for at in frame["at"]]
    return frame.drop(columns="at").astype(
        {"participant_id": "int64", "statement_id": "int64", "vote": "int64",
         "timestamp": "int64"})


def moderated_out(conversation: Conversation) -> tuple[int, ...]:
    return tuple(conversation.statements.filter(
        state__in=[Statement.State.REJECTED, Statement.State.META]
    ).values_list("number", flat=True))


@dataclass(frozen=True)
class AnalysisOutcome:
    analysis: OpinionAnalysis | None
    problem: str = ""


def run_analysis(conversation: Conversation, *, seed: int = 0) -> AnalysisOutcome:
    votes = votes_frame(conversation)
    if votes.empty:
        return AnalysisOutcome(None, "Nobody has voted yet.")
    try:
        result = analyse(votes[["participant_id", "statement_id", "vote"]],
                         moderated_out=moderated_out(conversation), seed=seed)
    except ValueError as error:
        return AnalysisOutcome(None, f"Not enough votes to find opinion groups yet ({error}).")
    return AnalysisOutcome(result)
