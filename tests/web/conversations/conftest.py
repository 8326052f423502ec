"""Conversation fixtures: the demo partnership, signed-in clients per role, a conversation."""

from __future__ import annotations

import pytest
from django.test import Client

# the workspace fixtures (demo partnership, a client per role) and its browser fixtures
from tests.web.workspace.conftest import (  # noqa: F401
    DEMO_PASSWORD,
    _fast_hashing,
    client_as,
    demo,
)
from tests.web.workspace.test_browser import browser_page, geography_snapshot  # noqa: F401


@pytest.fixture
def conversation(demo):  # noqa: F811 (the imported fixture, by pytest name)
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
