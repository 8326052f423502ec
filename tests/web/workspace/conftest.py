"""Workspace fixtures: the demo partnership, signed-in clients per role, one month of data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

DEMO_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Real hashers are slow on purpose; tests only need hashing to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def demo(db):
    from alliance.web.accounts.demo import seed_demo

    return seed_demo(password=DEMO_PASSWORD)


@pytest.fixture
def client_as(demo) -> Callable[[str], Client]:
    """A client signed in (through the sign-in form) as the demo member with ``role``."""

    def make(role: str) -> Client:
        c = Client()
        r = c.post("/accounts/sign-in/", {"email": demo.emails[role], "password": DEMO_PASSWORD})
        assert r.status_code == 302, r.content[:500]
        return c

    return make


@pytest.fixture
def one_month(db, northants_files: list[Path], reference: Path):
    """Two months of Northamptonshire street crime loaded as one batch."""
    from alliance.web.pool.services import load_police_uk

    return load_police_uk(northants_files[:2], reference_dir=reference, created_by="tests")


@pytest.fixture
def client_for(demo) -> Callable[[str, str], Client]:
    """A client signed in as a new member of the demo organisation ``organisation`` with
    ``role`` (for data-ownership tests: the police's own partner lead, say)."""
    from django.contrib.auth import get_user_model

    from alliance.web.accounts.models import Membership, Organisation

    def make(organisation: str, role: str) -> Client:
        org = Organisation.objects.get(name=organisation)
        email = f"{role}.{org.pk}@members.test"
        user = get_user_model().objects.create_user(email, email, DEMO_PASSWORD)
        Membership.objects.create(user=user, partnership=org.partnership, organisation=org,
                                  role=role)
        c = Client()
        r = c.post("/accounts/sign-in/", {"email": email, "password": DEMO_PASSWORD})
        assert r.status_code == 302, r.content[:500]
        return c

    return make
