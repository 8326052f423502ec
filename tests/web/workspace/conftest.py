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


def current_code(email: str) -> str:
    """The code ``email``'s authenticator shows now (the demo's administrator and analyst have
    one). A code is accepted once, so the device forgets the last one it accepted: a test may
    sign the same member in twice within 30 seconds."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email__iexact=email, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def force_login_verified(c: Client, user) -> None:  # type: ignore[no-untyped-def]
    """``Client.force_login``, with the second step done when the member's role needs one
    (administrators and analysts): an authenticator is set up and the session verified by it,
    as django-otp's ``login`` leaves it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alliance.web.accounts import two_factor

    c.force_login(user)
    if two_factor.needed(user):
        device = two_factor.app_device(user) or TOTPDevice.objects.create(
            user=user, name=two_factor.APP_DEVICE, confirmed=True)
        session = c.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def sign_in_with_code(c: Client, email: str, password: str, *,  # type: ignore[no-untyped-def]
                      path: str = "/accounts/sign-in/", **extra):
    """Post the sign-in form, and the code when the member's role asks for one."""
    r = c.post(path, {"email": email, "password": password, **extra.pop("data", {})}, **extra)
    if r.status_code == 302 and r["Location"] == "/accounts/sign-in/code/":
        r = c.post("/accounts/sign-in/code/", {"code": current_code(email)}, **extra)
    return r


@pytest.fixture
def client_as(demo) -> Callable[[str], Client]:
    """A client signed in (through the sign-in form, and the code step when the role has one)
    as the demo member with ``role``."""

    def make(role: str) -> Client:
        c = Client()
        r = sign_in_with_code(c, demo.emails[role], DEMO_PASSWORD)
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
        # a new administrator or analyst has no authenticator yet: the second step is done as
        # if they had set one up (sign-in itself is tested in tests/web/accounts)
        force_login_verified(c, user)
        return c

    return make
