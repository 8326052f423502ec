"""Issue 17 item 10: passwords are stored with a strong hash (Argon2id, OWASP's first setting),
older hashes still sign in and are upgraded, and nothing locks the store to our class."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, ScryptPasswordHasher, get_hasher
from django.test import Client

from alliance.web import settings as alliance_settings
from tests.web.workspace.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashing(settings):
    """The project's own hashers (the test suite uses a fast one elsewhere)."""
    settings.PASSWORD_HASHERS = alliance_settings.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_at_owasp_strength(real_hashing) -> None:
    hasher = get_hasher("default")
    encoded = hasher.encode("a-member-password-2026", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    # OWASP Password Storage Cheat Sheet: Argon2id at least 19 MiB with 2 passes, or
    # 46 MiB with 1 pass (equal strength); both above the scrypt used before (16 MiB)
    assert hasher.memory_cost >= 46 * 1024 and hasher.time_cost >= 1
    # Django's stock hasher reads the parameters from the hash: no lock-in to our class
    assert Argon2PasswordHasher().verify("a-member-password-2026", encoded)
    assert not Argon2PasswordHasher().verify("another-password", encoded)


def test_a_password_stored_with_scrypt_signs_in_and_is_upgraded(real_hashing, demo) -> None:
    user = get_user_model().objects.get(email=demo.emails["analyst"])
    old = ScryptPasswordHasher()
    user.password = old.encode(DEMO_PASSWORD, old.salt())
    user.save()
    r = Client().post("/accounts/sign-in/", {"email": demo.emails["analyst"],
                                             "password": DEMO_PASSWORD})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")


def test_django_default_argon2_hashes_are_brought_to_ours(real_hashing, demo) -> None:
    user = get_user_model().objects.get(email=demo.emails["board_viewer"])
    stock = Argon2PasswordHasher()
    user.password = stock.encode(DEMO_PASSWORD, stock.salt())
    user.save()
    assert Client().post("/accounts/sign-in/", {"email": user.email,
                                                "password": DEMO_PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert "m=47104,t=1,p=1" in user.password
