"""The vote path under load: few queries per vote and per page, whatever the conversation size.

The load benchmark (benchmarks/bench_votes_load.py) holds 200 votes a second; these tests pin
down what makes that possible (two queries for a vote POST, two for the next-statement page)
and that the faster path behaves exactly as before.
"""

from __future__ import annotations

import pytest
from django.test import Client

from alliance.web.conversations import services
from alliance.web.conversations.models import Participant, Statement, Vote

pytestmark = pytest.mark.django_db


def _url(conversation, page: str = "vote/") -> str:
    return f"/have-your-say/{conversation.slug}/{page}"


@pytest.fixture
def many(conversation):
    """The fixture conversation grown to 200 accepted statements (numbers must not matter)."""
    for i in range(197):
        services.seed_statement(conversation, f"Seeded statement number {i} about the area", None)
    return conversation


def test_vote_post_takes_two_queries(participant_client, many,
                                     django_assert_max_num_queries) -> None:
    statement = many.statements.last()
    with django_assert_max_num_queries(2):
        r = participant_client.post(_url(many), {"statement": statement.pk, "vote": "1"})
    assert r.status_code == 302 and r["Location"].endswith(_url(many))
    assert Vote.objects.get().statement == statement


def test_replacing_a_vote_takes_two_queries(participant_client, many,
                                            django_assert_max_num_queries) -> None:
    statement = many.statements.first()
    participant_client.post(_url(many), {"statement": statement.pk, "vote": "1"})
    with django_assert_max_num_queries(2):
        participant_client.post(_url(many), {"statement": statement.pk, "vote": "-1"})
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]


def test_next_statement_page_takes_two_queries(participant_client, many,
                                               django_assert_max_num_queries) -> None:
    for statement in many.statements.all()[:5]:
        participant_client.post(_url(many), {"statement": statement.pk, "vote": "0"})
    with django_assert_max_num_queries(2):
        r = participant_client.get(_url(many))
    assert r.status_code == 200 and r.context["statement"] is not None
    assert r.context["voted"] == 5 and b"You have voted 5 times" in r.content


def test_next_statement_is_one_query(participant_client, many,
                                     django_assert_num_queries) -> None:
    participant = Participant.objects.select_related("conversation").get()
    with django_assert_num_queries(1):
        statement = services.next_statement(participant)
    assert statement is not None and statement.conversation_id == many.pk


def test_next_statement_skips_voted_own_and_hidden(conversation) -> None:
    voter = services.join(conversation, "192.0.2.1")
    author = services.join(conversation, "192.0.2.2")
    conversation.mode = "open"
    conversation.save()
    own = services.submit_statement(author, "A statement by the author themself")
    flagged = services.submit_statement(author, "Ring me on 07700 900123 about it")
    rejected = Statement.objects.create(conversation=conversation, number=50, state="rejected",
                                        text="Rejected one", normalised="rejected one")
    first = conversation.statements.filter(author_participant__isnull=True).first()
    services.cast_vote(voter, first.pk, 1)
    offered_to_voter = {services.next_statement(voter).pk for _ in range(60)}
    assert first.pk not in offered_to_voter and own.pk in offered_to_voter
    assert flagged.pk not in offered_to_voter and rejected.pk not in offered_to_voter
    offered_to_author = {services.next_statement(author).pk for _ in range(60)}
    assert own.pk not in offered_to_author and flagged.pk not in offered_to_author
    assert len(offered_to_author) == 3  # the three seeded statements, picked at random


def test_cast_vote_replaces_and_moves_the_time(conversation) -> None:
    participant = services.join(conversation, "192.0.2.1")
    statement = conversation.statements.first()
    first = services.cast_vote(participant, statement.pk, 1)
    second = services.cast_vote(participant, statement.pk, 0)
    stored = Vote.objects.get()
    assert first.pk == second.pk == stored.pk and stored.value == 0
    assert stored.at >= first.at and stored.at == second.at


@pytest.mark.parametrize("statement_pk", [0, -3, 2**63, 10**30, 987654])
def test_cast_vote_refuses_statements_that_do_not_exist(conversation, statement_pk) -> None:
    participant = services.join(conversation, "192.0.2.1")
    with pytest.raises(Statement.DoesNotExist):
        services.cast_vote(participant, statement_pk, 1)
    assert not Vote.objects.exists()


def test_cast_vote_refuses_another_conversations_statement(conversation) -> None:
    from alliance.web.conversations.models import Conversation

    other = Conversation.objects.create(partnership=conversation.partnership, title="Other",
                                        question="?", status="open")
    elsewhere = services.seed_statement(other, "A statement somewhere else", None)
    participant = services.join(conversation, "192.0.2.1")
    with pytest.raises(Statement.DoesNotExist):
        services.cast_vote(participant, elsewhere.pk, 1)
    assert not Vote.objects.exists()


def test_an_enormous_statement_number_is_a_400_not_a_crash(participant_client,
                                                            conversation) -> None:
    r = participant_client.post(_url(conversation), {"statement": str(10**40), "vote": "1"})
    assert r.status_code == 400 and b"could not be recorded" in r.content
    assert not Vote.objects.exists()


def test_votes_need_the_csrf_token(conversation) -> None:
    c = Client(enforce_csrf_checks=True)
    page = c.get(_url(conversation, ""))
    token = page.context["csrf_token"]
    assert c.post(_url(conversation, ""), {"consent": "on", "csrfmiddlewaretoken": token}
                  ).status_code == 302
    statement = conversation.statements.first()
    assert c.post(_url(conversation), {"statement": statement.pk, "vote": "1"}
                  ).status_code == 403
    r = c.post(_url(conversation), {"statement": statement.pk, "vote": "1",
                                    "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and Vote.objects.count() == 1


def test_cookie_for_a_draft_conversation_is_not_found(participant_client,
                                                      conversation) -> None:
    conversation.status = "draft"
    conversation.save()
    assert participant_client.get(_url(conversation)).status_code == 404
    r = participant_client.post(_url(conversation),
                                {"statement": conversation.statements.first().pk, "vote": "1"})
    assert r.status_code == 404 and not Vote.objects.exists()
