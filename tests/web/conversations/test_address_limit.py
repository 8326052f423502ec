"""The limit on new participants per network address per hour, and how addresses are kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alliance.web.conversations import services
from alliance.web.conversations.models import Conversation, Participant

pytestmark = pytest.mark.django_db


def _join(conversation, address: str, **extra: str):
    c = Client(REMOTE_ADDR=address, **extra)
    return c, c.post(f"/have-your-say/{conversation.slug}/", {"consent": "on"})


@pytest.fixture
def limit_of_three(settings):
    settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS = 3
    return 3


def test_one_address_is_refused_past_the_limit(conversation, limit_of_three) -> None:
    for _ in range(limit_of_three):
        assert _join(conversation, "203.0.113.7")[1].status_code == 302
    client, r = _join(conversation, "203.0.113.7")
    assert r.status_code == 429
    assert f"hys_{conversation.slug}" not in r.cookies
    text = r.content.decode()
    assert "Please try again later" in text and "mobile data" in text  # youth wording
    assert 'name="consent"' not in text  # no form to resubmit
    assert Participant.objects.count() == limit_of_three
    # the refused visitor is not a participant: the vote page sends them back to consent
    assert client.get(f"/have-your-say/{conversation.slug}/vote/").status_code == 302


def test_adult_wording_when_refused(conversation, limit_of_three) -> None:
    conversation.youth_mode = False
    conversation.save()
    for _ in range(limit_of_three):
        _join(conversation, "203.0.113.7")
    r = _join(conversation, "203.0.113.7")[1]
    assert r.status_code == 429
    assert b"We cannot add more people from your network just now" in r.content
    assert b"school, office or library" in r.content


def test_other_addresses_and_conversations_are_not_affected(conversation,
                                                            limit_of_three) -> None:
    for _ in range(limit_of_three):
        _join(conversation, "203.0.113.7")
    assert _join(conversation, "203.0.113.8")[1].status_code == 302
    other = Conversation.objects.create(partnership=conversation.partnership, title="Other",
                                        question="?", status="open")
    assert _join(other, "203.0.113.7")[1].status_code == 302


def test_the_allowance_comes_back_after_an_hour(conversation, limit_of_three) -> None:
    for _ in range(limit_of_three):
        _join(conversation, "203.0.113.7")
    assert _join(conversation, "203.0.113.7")[1].status_code == 429
    Participant.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert _join(conversation, "203.0.113.7")[1].status_code == 302
    # and the older participants' address keys were erased: no longer needed
    assert Participant.objects.exclude(address_key="").count() == 1


def test_the_address_itself_is_never_stored(conversation) -> None:
    _join(conversation, "203.0.113.7")
    participant = Participant.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", participant.address_key)
    stored = " ".join(str(v) for v in Participant.objects.values_list().get())
    assert "203.0.113.7" not in stored and "cb007107" not in stored  # nor its packed hex


def test_keys_are_per_conversation_and_keyed(conversation, monkeypatch) -> None:
    other = Conversation.objects.create(partnership=conversation.partnership, title="Other",
                                        question="?", status="open")
    key = services.address_key(conversation, "203.0.113.7")
    assert key != services.address_key(other, "203.0.113.7")  # no linking across them
    monkeypatch.setenv("ALLIANCE_PSEUDONYM_KEY", "a-partnership-secret-of-some-length")
    keyed = services.address_key(conversation, "203.0.113.7")
    assert keyed != key  # the partnership's pseudonym key is used when set
    monkeypatch.setenv("ALLIANCE_PSEUDONYM_KEY", "another-partnership-secret-entirely")
    assert services.address_key(conversation, "203.0.113.7") != keyed


@pytest.mark.parametrize(("a", "b", "same"), [
    ("1.23.4.5", "12.3.4.5", False),            # dots are not lost in the hash
    ("::ffff:198.51.100.4", "198.51.100.4", True),
    ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),  # one IPv6 /64 is one client
    ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
    ("", "not an address", True),
])
def test_address_forms(conversation, a, b, same) -> None:
    assert (services.address_key(conversation, a) == services.address_key(conversation, b)) \
        is same


def test_clients_behind_a_trusted_proxy_are_counted_apart(conversation, limit_of_three,
                                                          settings) -> None:
    settings.ALLIANCE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for i in range(limit_of_three + 2):
        r = _join(conversation, "10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")[1]
        assert r.status_code == 302
    for _ in range(limit_of_three):
        _join(conversation, "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert _join(conversation, "10.0.0.2",
                 HTTP_X_FORWARDED_FOR="198.51.100.200")[1].status_code == 429


def test_join_numbers_participants_in_order(conversation) -> None:
    numbers = [services.join(conversation, f"192.0.2.{i}").number for i in range(4)]
    assert numbers == [1, 2, 3, 4]
    first = Participant.objects.get(number=1)
    assert first.consented_at is not None and first.age_band == ""


def test_consent_answers_are_kept(conversation) -> None:
    Client(REMOTE_ADDR="192.0.2.9").post(f"/have-your-say/{conversation.slug}/", {
        "consent": "on", "age_band": "16-17", "area": "NN1"})
    participant = Participant.objects.get()
    assert (participant.age_band, participant.area) == ("16-17", "NN1")
