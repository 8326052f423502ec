"""Theme fixtures: the demo partnership, a client per role, a real conversation and its themes.

The real statements are London's youth-and-policing conversation (36 accepted statements of 39:
small enough that MiniLM reads them in about a second), imported by the Polis import path.
"""

from __future__ import annotations

import pytest

# the workspace fixtures (demo partnership, a client per role) and its browser fixtures
from tests.web.workspace.conftest import (  # noqa: F401
    DEMO_PASSWORD,
    _fast_hashing,
    client_as,
    demo,
)
from tests.web.workspace.test_browser import browser_page, geography_snapshot  # noqa: F401


@pytest.fixture
def london(demo):  # noqa: F811 (the imported fixture, by pytest name)
    """The real london.youth.policing conversation, imported into the demo partnership."""
    from alliance.voice.opinion import read_polis_export
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.polis_transfer import import_conversation
    from tests.conftest import require_shared

    folder = require_shared("polis", "london.youth.policing")
    return import_conversation(read_polis_export(folder),
                               partnership=Partnership.objects.get(name=demo.partnership),
                               title="Youth and policing", user=None, source=folder.name)


@pytest.fixture
def analyst(demo):  # noqa: F811
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=demo.emails["analyst"])


@pytest.fixture
def theme_set(london, analyst, settings):
    """The conversation's themes, found by the task running inline."""
    from alliance.web.themes.services import create_from_conversation

    settings.ALLIANCE_TASKS_INLINE = True
    found = create_from_conversation(london, analyst)
    assert found.status == "ready", found.error
    return found
