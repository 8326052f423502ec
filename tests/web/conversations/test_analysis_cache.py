"""The opinion analysis is computed once per version of a conversation's data, then reused.

Reference conversation: london.youth.policing from shared/data/polis, imported as staff would.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from alliance.voice.opinion import analyse, read_polis_export
from alliance.web.accounts.models import Partnership
from alliance.web.conversations import polis_transfer, services
from alliance.web.conversations.models import Participant, Statement, Vote
from tests.conftest import require_shared

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def london(demo):
    polis = read_polis_export(require_shared("polis", "london.youth.policing"))
    return polis_transfer.import_conversation(
        polis, partnership=Partnership.objects.get(name=demo.partnership),
        title="London youth policing", user=None), polis


@pytest.fixture
def computed(monkeypatch):
    """How many times the analysis really ran."""
    calls: list[int] = []

    def counting(*args, **kwargs):
        calls.append(1)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(services, "analyse", counting)
    return calls


def test_hit_when_nothing_changed(london, computed) -> None:
    conversation, polis = london
    first = services.run_analysis(conversation)
    again = services.run_analysis(conversation)
    assert len(computed) == 1 and first.analysis is not None
    assert again.analysis.groups.equals(first.analysis.groups)
    assert again.analysis.repness.equals(first.analysis.repness)
    # and what is served is the analysis of the stored votes, nothing else
    direct = analyse(services.votes_frame(conversation)[["participant_id", "statement_id",
                                                         "vote"]],
                     moderated_out=polis.moderated_out, seed=0)
    assert again.analysis.consensus.equals(direct.consensus)


def _accepted_pair(conversation) -> tuple[Participant, Statement]:
    statement = conversation.statements.filter(state="accepted").first()
    voted = Vote.objects.filter(statement=statement).values("participant")
    return conversation.participants.exclude(pk__in=voted).first(), statement


def test_miss_after_a_new_vote(london, computed) -> None:
    conversation, _ = london
    services.run_analysis(conversation)
    participant, statement = _accepted_pair(conversation)
    participant.conversation = conversation
    services.cast_vote(participant, statement.pk, -1)
    services.run_analysis(conversation)
    services.run_analysis(conversation)
    assert len(computed) == 2


def test_miss_after_a_changed_vote(london, computed) -> None:
    conversation, _ = london
    services.run_analysis(conversation)
    vote = Vote.objects.filter(statement__conversation=conversation,
                               statement__state="accepted").first()
    participant = vote.participant
    participant.conversation = conversation
    services.cast_vote(participant, vote.statement_id, 1 if vote.value != 1 else -1)
    assert Vote.objects.filter(statement__conversation=conversation).count() == \
        len(services.votes_frame(conversation))  # replaced, not added
    services.run_analysis(conversation)
    assert len(computed) == 2


def test_miss_after_a_moderation_change(london, computed) -> None:
    conversation, _ = london
    before = services.run_analysis(conversation)
    statement = conversation.statements.filter(state="accepted").first()
    services.moderate(statement, state="rejected", reason="Off topic", user=None)
    after = services.run_analysis(conversation)
    assert len(computed) == 2
    # moderated-out statements leave the projection: the fresh analysis really differs
    assert not after.analysis.to_frame().equals(before.analysis.to_frame())
    services.run_analysis(conversation)
    assert len(computed) == 2
    # accepted again: the data are as they were at first, and so is the (cached) analysis
    services.moderate(statement, state="accepted", reason="", user=None)
    again = services.run_analysis(conversation)
    assert len(computed) == 2 and again.analysis.groups.equals(before.analysis.groups)


def test_hit_after_a_moderation_change_the_analysis_does_not_read(london, computed) -> None:
    conversation, _ = london
    services.run_analysis(conversation)
    statement = conversation.statements.filter(state="accepted").first()
    services.moderate(statement, state="accepted", reason="", user=None,
                      text=statement.text + " (edited)")  # text only: votes and exclusions same
    services.run_analysis(conversation)
    assert len(computed) == 1


def test_miss_for_another_seed_and_another_conversation(london, computed, conversation) -> None:
    london_conversation, _ = london
    services.run_analysis(london_conversation)
    services.run_analysis(london_conversation, seed=1)
    assert len(computed) == 2
    assert services.run_analysis(conversation).problem == (
        "Nobody has voted on an accepted statement yet.")
    assert services.run_analysis(conversation).problem == (
        "Nobody has voted on an accepted statement yet.")


def test_the_results_page_reuses_the_analysis(london, computed, client_as) -> None:
    conversation, _ = london
    analyst = client_as("analyst")
    for _ in range(3):
        r = analyst.get(f"/conversations/{conversation.pk}/results/")
        assert r.status_code == 200
    assert len(computed) == 1


def test_a_vote_during_the_analysis_is_not_cached_under_the_old_key(london,
                                                                    monkeypatch) -> None:
    conversation, _ = london
    participant, statement = _accepted_pair(conversation)
    participant.conversation = conversation
    old_key = services.analysis_cache_key(conversation)

    def vote_meanwhile(*args, **kwargs):
        services.cast_vote(participant, statement.pk, 1)  # arrives while votes are read
        return analyse(*args, **kwargs)

    monkeypatch.setattr(services, "analyse", vote_meanwhile)
    services.run_analysis(conversation)
    assert cache.get(old_key) is None
    assert services.analysis_cache_key(conversation) != old_key


def test_polis_k_smoother_counts_each_new_version_once(london) -> None:
    """Each new version of the votes is one Polis update for the k-smoother; the same version
    computed again (cache emptied) starts from the same state and does not count twice."""
    from alliance.web.conversations.models import Conversation

    conversation, _ = london
    first = services.run_analysis(conversation).analysis
    assert first is not None and first.k_smoother is not None
    stored = Conversation.objects.get(pk=conversation.pk).k_smoother
    assert stored["before"] is None and stored["after"]["last_k_count"] == 1
    cache.clear()
    again = services.run_analysis(conversation).analysis
    assert again.k_smoother == first.k_smoother  # the same update, not a second one
    participant = Participant.objects.filter(conversation=conversation).first()
    statement = conversation.statements.filter(state="accepted").first()
    Vote.objects.filter(participant=participant, statement=statement).delete()
    Vote.objects.create(participant=participant, statement=statement, value=1)
    newer = services.run_analysis(conversation).analysis
    if newer.k_smoother.last_k == first.k_smoother.last_k:
        assert newer.k_smoother.last_k_count == 2
    assert Conversation.objects.get(pk=conversation.pk).k_smoother["before"] == stored["after"]
