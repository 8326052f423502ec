"""Strategy fixtures: the demo partnership (with its event, strategy, actions, communications
plan and directory), a signed-in client per role, and the geography the places come from."""

from __future__ import annotations

import pytest

from tests.web.workspace.conftest import (  # noqa: F401  (fixtures, by pytest name)
    DEMO_PASSWORD,
    _fast_hashing,
    client_as,
    demo,
    one_month,
)


@pytest.fixture
def partnership(demo):  # noqa: F811
    from alliance.web.accounts.models import Partnership

    return Partnership.objects.get(name=demo.partnership)


@pytest.fixture
def user_of(demo):  # noqa: F811
    from django.contrib.auth import get_user_model

    def get(role: str):  # type: ignore[no-untyped-def]
        return get_user_model().objects.get(email=demo.emails[role])

    return get
