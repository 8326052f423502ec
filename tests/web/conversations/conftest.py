"""Conversation fixtures: the demo partnership, signed-in clients per role, a conversation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

# the browser fixtures of the workspace journeys (Chromium page, geography kept across flushes)
from tests.web.workspace.test_browser import browser_page, geography_snapshot  # noqa: F401

DEMO_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    from alliance.web.accounts.demo import seed_demo

    return seed_demo(password=DEMO_PASSWORD)


@pytest.fixture
def client_as(demo) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        c = Client()
        r = c.post("/accounts/sign-in/", {"email": demo.emails[role], "password": DEMO_PASSWORD})
        assert r.status_code == 302, r.content[:500]
        return c

    return make


@pytest.fixture
def conversation(demo):
    """An open, strict-mode youth conversation with three seeded statements."""
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import Conversation
    from alliance.web.conversations.services import seed_statement

    c = Conversation.objects.create(
        partnership=Partnership.objects.get(name=demo.partnership), title="Safer streets",
        question="What would make your area safer?", status=Conversation.Status.OPEN,
        youth_mode=True)
    for text in ("More youth clubs open in the evening",
                 "Police should walk the streets more often",
                 "Street lighting in parks needs fixing"):
        seed_statement(c, text, None)
    return c


@pytest.fixture
def participant_client(conversation) -> Client:
    """A public client that has consented (it holds the participant cookie)."""
    c = Client()
    r = c.post(f"/have-your-say/{conversation.slug}/", {"consent": "on", "age_band": "16-17"})
    assert r.status_code == 302
    return c
