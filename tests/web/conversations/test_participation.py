"""The public pages: consent, voting one statement at a time, submitting statements."""

from __future__ import annotations

import pytest

from alliance.web.conversations.models import Participant, Statement, Vote
from alliance.web.conversations.services import STATEMENTS_PER_HOUR

pytestmark = pytest.mark.django_db


def _url(conversation, page: str = "") -> str:
    return f"/have-your-say/{conversation.slug}/{page}"


def test_consent_is_needed_before_voting(client, conversation) -> None:
    r = client.get(_url(conversation, "vote/"))
    assert r.status_code == 302 and r["Location"].endswith(_url(conversation))
    r = client.get(_url(conversation))
    assert b"Your privacy" in r.content  # youth-mode notice
    r = client.post(_url(conversation), {})
    assert r.status_code == 200 and b"Tick the box" in r.content
    assert not Participant.objects.exists()


def test_draft_conversations_are_not_public(client, conversation) -> None:
    conversation.status = "draft"
    conversation.save()
    assert client.get(_url(conversation)).status_code == 404


def test_participant_votes_on_every_statement_once(participant_client, conversation) -> None:
    participant = Participant.objects.get()
    assert participant.age_band == "16-17" and participant.consented_at is not None
    seen = set()
    for _ in range(3):
        r = participant_client.get(_url(conversation, "vote/"))
        statement = r.context["statement"]
        assert statement is not None and statement.pk not in seen
        assert b'value="1"' in r.content and b"Not sure" in r.content
        seen.add(statement.pk)
        r = participant_client.post(_url(conversation, "vote/"),
                                    {"statement": statement.pk, "vote": "-1"})
        assert r.status_code == 302
    r = participant_client.get(_url(conversation, "vote/"))
    assert r.context["statement"] is None
    assert Vote.objects.filter(participant=participant).count() == 3


def test_a_repeated_vote_replaces_the_first(participant_client, conversation) -> None:
    statement = conversation.statements.first()
    for value in ("1", "-1", "0"):
        participant_client.post(_url(conversation, "vote/"),
                                {"statement": statement.pk, "vote": value})
    assert list(Vote.objects.values_list("value", flat=True)) == [0]


@pytest.mark.parametrize("data", [{"statement": "x", "vote": "1"}, {"vote": "1"},
                                  {"statement": "STATEMENT", "vote": "7"}])
def test_bad_votes_are_refused(participant_client, conversation, data) -> None:
    if data.get("statement") == "STATEMENT":
        data = {**data, "statement": conversation.statements.first().pk}
    r = participant_client.post(_url(conversation, "vote/"), data)
    assert r.status_code == 400 and not Vote.objects.exists()


def test_votes_on_hidden_statements_are_refused(participant_client, conversation) -> None:
    hidden = Statement.objects.create(conversation=conversation, number=99, text="pending one",
                                      normalised="pending one")
    r = participant_client.post(_url(conversation, "vote/"), {"statement": hidden.pk, "vote": 1})
    assert r.status_code == 400 and not Vote.objects.exists()


def test_forged_cookie_is_not_a_participant(client, participant_client, conversation) -> None:
    client.cookies[f"hys_{conversation.slug}"] = Participant.objects.get().public_id  # unsigned
    assert client.get(_url(conversation, "vote/")).status_code == 302


def test_submitted_statement_waits_for_moderation_in_strict_mode(participant_client,
                                                                 conversation) -> None:
    r = participant_client.post(_url(conversation, "add/"),
                                {"text": "Free football sessions on Friday nights"})
    assert r.status_code == 200 and b"Someone will check it" in r.content
    statement = Statement.objects.get(text="Free football sessions on Friday nights")
    assert statement.state == "pending" and statement.author_participant is not None
    assert Vote.objects.get(statement=statement).value == 1  # authors agree with their own
    other = participant_client.__class__()
    other.post(_url(conversation), {"consent": "on"})
    for _ in range(3):
        r = other.get(_url(conversation, "vote/"))
        assert r.context["statement"] != statement
        other.post(_url(conversation, "vote/"), {"statement": r.context["statement"].pk,
                                                 "vote": "0"})
    assert other.get(_url(conversation, "vote/")).context["statement"] is None


def test_open_mode_shows_clean_statements_but_holds_personal_data(participant_client,
                                                                  conversation) -> None:
    conversation.mode = "open"
    conversation.save()
    participant_client.post(_url(conversation, "add/"), {"text": "Free football on Fridays"})
    r = participant_client.post(_url(conversation, "add/"),
                                {"text": "Text me on 07700 900123 for the football"})
    assert b"Someone will check it" in r.content
    clean = Statement.objects.get(text="Free football on Fridays")
    flagged = Statement.objects.get(text__startswith="Text me")
    assert flagged.flagged == "phone number" and clean.flagged == ""
    other = participant_client.__class__()
    other.post(_url(conversation), {"consent": "on"})
    shown = set()
    while (s := other.get(_url(conversation, "vote/")).context["statement"]) is not None:
        shown.add(s.pk)
        other.post(_url(conversation, "vote/"), {"statement": s.pk, "vote": "1"})
    assert clean.pk in shown and flagged.pk not in shown


@pytest.mark.parametrize(("text", "message"), [
    ("too short", b"at least 10"),
    ("x" * 281, b"280 characters or fewer"),
    ("more YOUTH clubs open in the evening!", b"already made this statement"),
])
def test_statement_guards(participant_client, conversation, text, message) -> None:
    r = participant_client.post(_url(conversation, "add/"), {"text": text})
    assert r.status_code == 400 and message in r.content
    assert conversation.statements.count() == 3


def test_honeypot_stores_nothing(participant_client, conversation) -> None:
    r = participant_client.post(_url(conversation, "add/"),
                                {"text": "Buy cheap watches at our shop", "website": "http://x"})
    assert r.status_code == 200
    assert conversation.statements.count() == 3


def test_rate_limit_per_participant(participant_client, conversation) -> None:
    for i in range(STATEMENTS_PER_HOUR):
        r = participant_client.post(_url(conversation, "add/"),
                                    {"text": f"Idea number {i} for the youth centre"})
        assert r.status_code == 200
    r = participant_client.post(_url(conversation, "add/"), {"text": "One idea too many here"})
    assert r.status_code == 400 and b"come back later" in r.content


def test_statement_text_is_never_rendered_as_html(client_as, participant_client,
                                                  conversation) -> None:
    participant_client.post(_url(conversation, "add/"),
                            {"text": "<script>alert(1)</script> more buses please"})
    r = client_as("moderator").get(f"/conversations/{conversation.pk}/")
    assert b"<script>alert(1)</script>" not in r.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in r.content


def test_closed_conversations_take_no_votes_or_statements(participant_client,
                                                          conversation) -> None:
    conversation.status = "closed"
    conversation.save()
    r = participant_client.get(_url(conversation, "vote/"))
    assert r.context["statement"] is None and b"has closed" in r.content
    participant_client.post(_url(conversation, "vote/"),
                            {"statement": conversation.statements.first().pk, "vote": "1"})
    r = participant_client.post(_url(conversation, "add/"), {"text": "A late idea for the club"})
    assert r.status_code == 400 and b"not taking new statements" in r.content
    assert not Vote.objects.exists()


def test_adult_wording_outside_youth_mode(client, conversation) -> None:
    conversation.youth_mode = False
    conversation.save()
    r = client.get(_url(conversation))
    assert b"Privacy notice" in r.content and b"Your privacy" not in r.content
