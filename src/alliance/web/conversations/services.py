"""What the conversation pages do: voting, submitting, moderating, analysing, export and import.

Views stay thin; every rule that protects the conversation (duplicate guards, rate limit,
screening, strict/open mode) lives here so it is tested once.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

import alliance
from alliance import config
from alliance.privacy.pseudonym import MissingPseudonymKey, Pseudonymiser
from alliance.voice.opinion import OpinionAnalysis, analyse
from alliance.voice.opinion.clustering import KSmoother
from alliance.voice.screening import clean, normalise, screen
from alliance.web.accounts.network import parse_address
from alliance.web.conversations.models import (
    Conversation,
    Participant,
    Statement,
    StatementEdit,
    Vote,
)

MIN_LENGTH, MAX_LENGTH = 10, 280
#: statements one participant may submit per hour
STATEMENTS_PER_HOUR = 5
#: Polis numbers staff-seeded statements as written by this author id
STAFF_AUTHOR = 0


class StatementRefused(ValueError):
    """A submitted statement was not taken; the message is fit to show the participant."""


#: how far back the limit on new participants from one network address counts (the limit is
#: settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS, from ALLIANCE_JOINS_PER_ADDRESS)
ADDRESS_WINDOW = timedelta(hours=1)


class ParticipantRefused(Exception):
    """Too many new participants from one network address in the last hour."""


def address_key(conversation: Conversation, address: str) -> str:
    """Keyed hash of a client's network address, never the address itself.

    Keyed with the partnership's pseudonym key (``ALLIANCE_PSEUDONYM_KEY``) when one is set,
    else with a key derived from the Django secret key, so a conversation run on a laptop
    before a pseudonym key exists still works. The conversation is part of the domain, so the
    same address gives unrelated keys in two conversations (no linking across them). IPv6
    clients are keyed by their /64 network, which one household or device usually holds whole;
    addresses are hashed in packed form because the pseudonymiser drops dots and colons.
    """
    ip = parse_address(address)  # IPv4-mapped IPv6 comes back as IPv4
    if ip is None:
        canonical = "unknown"  # no usable address: all such visits share one allowance
    elif isinstance(ip, ipaddress.IPv6Address):
        canonical = ipaddress.ip_network(f"{ip}/64", strict=False).network_address.packed.hex()
    else:
        canonical = ip.packed.hex()
    domain = f"have-your-say-address-{conversation.pk}"
    try:
        pseudonymiser = Pseudonymiser.from_config(domain=domain)
    except MissingPseudonymKey:
        derived = salted_hmac("alliance.conversations.address", "", algorithm="sha256")
        pseudonymiser = Pseudonymiser(derived.hexdigest(), domain)
    return pseudonymiser.pseudonym(canonical)


def join(conversation: Conversation, address: str, *, age_band: str = "",
         area: str = "") -> Participant:
    """A consenting participant, or :class:`ParticipantRefused` past the per-address limit.

    The conversation row is locked while the participant is numbered and the address counted,
    so simultaneous first visits neither take the same number nor slip past the limit.
    """
    key = address_key(conversation, address)
    now = timezone.now()
    since = now - ADDRESS_WINDOW
    with transaction.atomic():
        list(Conversation.objects.select_for_update().filter(pk=conversation.pk)
             .values_list("pk", flat=True))
        recent = Participant.objects.filter(conversation=conversation, address_key=key,
                                            created_at__gte=since)
        if recent.count() >= settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS:
            raise ParticipantRefused(conversation.pk)
        # the hash is only needed for the window: forget it on older participants
        Participant.objects.filter(conversation=conversation, created_at__lt=since).exclude(
            address_key="").update(address_key="")
        top = conversation.participants.aggregate(m=Max("number"))["m"]
        return Participant.objects.create(
            conversation=conversation, number=(top or 0) + 1, consented_at=now,
            age_band=age_band, area=area, address_key=key)


def _next_statement_number(conversation: Conversation) -> int:
    top = conversation.statements.aggregate(m=Max("number"))["m"]
    return 0 if top is None else top + 1


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    """Statements participants see: by mode, never a pending one that screening flagged."""
    return conversation.statements.filter(state__in=conversation.visible_states()).exclude(
        state=Statement.State.PENDING, flagged__gt="")


def next_statement(participant: Participant) -> Statement | None:
    """A random statement the participant has not voted on (None when all are done).

    One query: the anti-join on the (participant, statement) unique index and the random pick
    both happen in the database, so nothing grows with the number of statements in Python.
    """
    seen = Vote.objects.filter(participant=participant, statement=OuterRef("pk"))
    return (visible_statements(participant.conversation).exclude(Exists(seen))
            .exclude(author_participant=participant).order_by("?").first())


def cast_vote(participant: Participant, statement_pk: int, value: int) -> Vote:
    """Store (or replace: the latest vote wins) one vote; the statement must be visible.

    One statement, no transaction of its own: ``INSERT … SELECT … WHERE EXISTS (the statement
    is visible to participants) ON CONFLICT (participant, statement) DO UPDATE``. The check
    and the write cannot drift apart, an earlier vote is replaced atomically, and a vote costs
    one round trip to the database (PostgreSQL and SQLite alike). Raises
    ``Statement.DoesNotExist`` when the statement is not one the participant may vote on.
    """
    if value not in (1, -1, 0):
        raise ValueError(f"vote must be 1, -1 or 0, got {value!r}")
    if not 0 < statement_pk < 2**63:  # beyond the key column: no such statement
        raise Statement.DoesNotExist(f"no visible statement {statement_pk}")
    visible = visible_statements(participant.conversation).filter(pk=statement_pk).values("pk")
    visible_sql, visible_params = visible.query.sql_with_params()
    field = Vote._meta.get_field
    q = connection.ops.quote_name
    person, statement, choice, at = (q(field(n).column) for n in
                                     ("participant", "statement", "value", "at"))
    now = timezone.now()
    sql = (f"INSERT INTO {q(Vote._meta.db_table)} ({person}, {statement}, {choice}, {at}) "
           f"SELECT %s, %s, %s, %s WHERE EXISTS ({visible_sql}) "
           f"ON CONFLICT ({person}, {statement}) DO UPDATE "
           f"SET {choice} = excluded.{choice}, {at} = excluded.{at} RETURNING {q('id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [participant.pk, statement_pk, value,
                             field("at").get_db_prep_save(now, connection), *visible_params])
        row = cursor.fetchone()
    if row is None:
        raise Statement.DoesNotExist(f"no visible statement {statement_pk}")
    return Vote(pk=row[0], participant=participant, statement_id=statement_pk, value=value,
                at=now)


def submit_statement(participant: Participant, text: str) -> Statement:
    """Take a participant's statement, or raise :class:`StatementRefused` saying why.

    The text is cleaned and screened (:func:`alliance.voice.screening.screen`): a statement in
    which the screen finds personal data or a safeguarding concern is held for moderation
    even in open mode, so no other participant sees it until a moderator has looked. The
    author's own agree vote is kept (as in Polis), but only accepted statements ever reach an
    analysis, so it cannot carry a held statement into the results.
    """
    conversation = participant.conversation
    found = screen(text)
    text = found.text
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
    with transaction.atomic():
        statement = Statement.objects.create(
            conversation=conversation, number=_next_statement_number(conversation), text=text,
            normalised=key, author_participant=participant,
            state=Statement.State.PENDING, flagged=found.reason[:200])
        Vote.objects.create(participant=participant, statement=statement, value=1)
    return statement


def seed_statement(conversation: Conversation, text: str, user: Any) -> Statement:
    text = clean(text)
    return Statement.objects.create(
        conversation=conversation, number=_next_statement_number(conversation), text=text,
        normalised=normalise(text), author_staff=user, state=Statement.State.ACCEPTED)


def is_visible(statement: Statement) -> bool:
    """Whether participants can see it: flagged pending statements never are."""
    if statement.state == Statement.State.PENDING and statement.flagged:
        return False
    return statement.state in statement.conversation.visible_states()


#: the states a moderator's form may set (a referral has its own route,
#: :func:`alliance.web.conversations.safeguarding.refer`)
DECISIONS = (Statement.State.ACCEPTED, Statement.State.REJECTED, Statement.State.META)


def moderate(statement: Statement, *, state: str, reason: str, user: Any,
             text: str | None = None) -> Statement:
    """Accept, reject or set aside (meta) a statement, optionally editing its text; logged.

    An edited text is cleaned as a participant's is. A referred statement is final: it cannot
    be moderated again (its text is no longer here).
    """
    if state not in DECISIONS:
        raise ValueError(f"unknown decision {state!r}")
    if state == Statement.State.REJECTED and not reason.strip():
        raise ValueError("a rejection needs a reason")
    new_text = clean(text) if text is not None else statement.text
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.state == Statement.State.REFERRED:
            raise ValueError("it has been referred to the safeguarding lead")
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
    """``participant_id, statement_id, vote, timestamp`` (latest vote per pair, ms), on
    accepted statements only.

    This is the only way votes leave the database for an analysis, result, export or report,
    so a statement that is pending, rejected, set aside or referred — and the author's own
    vote on it — never reaches one.
    """
    rows = Vote.objects.filter(statement__conversation=conversation,
                               statement__state=Statement.State.ACCEPTED).values_list(
        "participant__number", "statement__number", "value", "at")
    frame = pd.DataFrame(list(rows), columns=["participant_id", "statement_id", "vote", "at"])
    frame["timestamp"] = [int(at.timestamp() * 1000) for at in frame["at"]]
    return frame.drop(columns="at").astype(
        {"participant_id": "int64", "statement_id": "int64", "vote": "int64",
         "timestamp": "int64"})


def accepted_numbers(conversation: Conversation) -> tuple[int, ...]:
    return tuple(conversation.statements.filter(state=Statement.State.ACCEPTED)
                 .order_by("number").values_list("number", flat=True))


def consensus_eligible(conversation: Conversation) -> set[int]:
    """Accepted statements that at least ``suppression_threshold`` people other than their
    author have voted on: the only ones that may be called consensus (results.py)."""
    others = (Vote.objects.filter(statement__conversation=conversation,
                                  statement__state=Statement.State.ACCEPTED)
              .exclude(Q(statement__author_participant__isnull=False)
                       & Q(participant=F("statement__author_participant")))
              .values("statement__number").annotate(n=Count("pk")))
    threshold = config.load().suppression_threshold
    return {int(row["statement__number"]) for row in others if row["n"] >= threshold}


def accepted_texts(conversation: Conversation) -> dict[int, str]:
    """Statement number -> text, accepted statements only: the only texts results show."""
    return dict(conversation.statements.filter(state=Statement.State.ACCEPTED)
                .values_list("number", "text"))


@dataclass(frozen=True)
class AnalysisOutcome:
    analysis: OpinionAnalysis | None
    problem: str = ""


#: cached analyses are dropped after a day only to free memory; a changed conversation is
#: never served a stale one, because its data version (the key) changes
ANALYSIS_CACHE_SECONDS = 24 * 60 * 60


def analysis_cache_key(conversation: Conversation, *, seed: int = 0,
                       accepted: tuple[int, ...] | None = None) -> str:
    """The cache key of a conversation's analysis: it changes whenever the outcome could.

    The analysis reads only the votes (latest per pair) on accepted statements, so the key is
    built from the vote count, the latest vote time and the highest vote id (a new, replaced
    or deleted vote moves at least one), the accepted statement numbers, the seed and the
    code version, under the conversation's random slug (a reused primary key never meets
    another conversation's entry).
    """
    stats = Vote.objects.filter(statement__conversation=conversation).aggregate(
        n=Count("pk"), last=Max("at"), top=Max("pk"))
    accepted = accepted_numbers(conversation) if accepted is None else accepted
    version = repr((conversation.slug, stats["n"],
                    stats["last"].isoformat() if stats["last"] else None, stats["top"],
                    accepted, seed, alliance.__version__))
    digest = hashlib.sha256(version.encode()).hexdigest()[:32]
    return f"conversations:analysis:{conversation.pk}:{digest}"


def run_analysis(conversation: Conversation, *, seed: int = 0) -> AnalysisOutcome:
    """The Pol.is analysis of the conversation, computed once per version of its data."""
    key = analysis_cache_key(conversation, seed=seed)
    cached = cache.get(key)
    if isinstance(cached, AnalysisOutcome):
        return cached
    outcome = _analyse(conversation, key, seed)
    # stored only if nothing changed while the votes were read: otherwise this outcome may
    # hold a vote the key does not count (the next page view computes it afresh)
    if analysis_cache_key(conversation, seed=seed) == key:
        cache.set(key, outcome, ANALYSIS_CACHE_SECONDS)
    return outcome


def _smoother_input(conversation: Conversation, version: str) -> KSmoother | None:
    """Polis's k-smoother state to start this version's analysis from.

    Each new version of the votes is one Polis "update". Recomputing a version already seen
    (the cache was emptied) starts from the state that version started from, so it does not
    count as another update.
    """
    stored = Conversation.objects.filter(pk=conversation.pk).values_list(
        "k_smoother", flat=True).first() or {}
    start = stored.get("before") if stored.get("version") == version else stored.get("after")
    return KSmoother.from_dict(start) if start else None


def _analyse(conversation: Conversation, version: str, seed: int) -> AnalysisOutcome:
    votes = votes_frame(conversation)
    if votes.empty:
        return AnalysisOutcome(None, "Nobody has voted on an accepted statement yet.")
    previous = _smoother_input(conversation, version)
    try:
        result = analyse(votes[["participant_id", "statement_id", "vote"]], seed=seed,
                         smoother=previous)
    except ValueError as error:
        return AnalysisOutcome(None, f"Not enough votes to find opinion groups yet ({error}).")
    if seed == 0 and result.k_smoother is not None:
        Conversation.objects.filter(pk=conversation.pk).update(k_smoother={
            "version": version, "before": previous.to_dict() if previous else None,
            "after": result.k_smoother.to_dict()})
    return AnalysisOutcome(result)
