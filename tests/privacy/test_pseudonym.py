"""Tests for alliance.privacy.pseudonym.

Reference: RFC 4231 test case 2 (HMAC-SHA256 with key "Jefe") and Python's ``hmac`` module; the
normalisation rules are the module's own (NFKC, case-fold, separators removed).
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from alliance.privacy.pseudonym import (
    MissingPseudonymKey,
    Pseudonymiser,
    normalise_identifier,
)

KEY = "a-long-enough-secret-key"


def test_matches_hmac_sha256_of_the_normalised_identifier() -> None:
    """The pseudonym is HMAC-SHA256(key, domain \\x1f normalised id), as RFC 2104 defines."""
    expected = hmac.new(KEY.encode(), b"person\x1f9434765919", hashlib.sha256).hexdigest()
    assert Pseudonymiser(KEY).pseudonym("943 476 5919") == expected


def test_rfc4231_vector_through_the_same_primitive() -> None:
    """RFC 4231 §4.3: HMAC-SHA256("Jefe", "what do ya want for nothing?")."""
    digest = hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest()
    assert digest == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


@pytest.mark.parametrize("a, b", [
    ("943 476 5919", "943-476-5919"),
    ("AB12 3CD", "ab123cd"),
    ("Ｊｏｈｎ", "john"),  # full-width letters, as pasted from some systems
    (" x.y/z ", "xyz"),
])
def test_trivial_differences_give_the_same_pseudonym(a: str, b: str) -> None:
    p = Pseudonymiser(KEY)
    assert normalise_identifier(a) == normalise_identifier(b)
    assert p.pseudonym(a) == p.pseudonym(b)


def test_key_and_domain_change_the_pseudonym() -> None:
    base = Pseudonymiser(KEY).pseudonym("123")
    assert Pseudonymiser(KEY + "x").pseudonym("123") != base
    assert Pseudonymiser(KEY, domain="nhs-number").pseudonym("123") != base
    assert len(base) == 64


def test_refuses_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLIANCE_PSEUDONYM_KEY", raising=False)
    with pytest.raises(MissingPseudonymKey, match="ALLIANCE_PSEUDONYM_KEY"):
        Pseudonymiser.from_config()
    with pytest.raises(MissingPseudonymKey):
        Pseudonymiser("short")


def test_key_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_PSEUDONYM_KEY", KEY)
    assert Pseudonymiser.from_config().pseudonym("1") == Pseudonymiser(KEY).pseudonym("1")
    assert KEY not in repr(Pseudonymiser.from_config())


def test_column_with_missing_identifiers_names_the_rows() -> None:
    p = Pseudonymiser(KEY)
    ok = p.pseudonymise_column(pd.Series(["1", "2", "1"], name="person_id"))
    assert ok.iloc[0] == ok.iloc[2] != ok.iloc[1]
    with pytest.raises(ValueError, match=r"2 missing identifier\(s\) in victims.csv.*\[1, 3\]"):
        p.pseudonymise_column(pd.Series(["1", None, "3", "  "], name="person_id"),
                              source="victims.csv")
    with pytest.raises(ValueError, match="empty"):
        p.pseudonym("--")
