"""Personal-data screening and the duplicate-guard normalisation."""

from __future__ import annotations

import pytest

from alliance.web.conversations.screening import find_personal_data, normalise


@pytest.mark.parametrize(("text", "kind"), [
    ("Email me at sam.jones@example.org about it", "e-mail address"),
    ("ring 07700 900123 if you see trouble", "phone number"),
    ("Call +44 (0)1604 496000 for the youth club", "phone number"),
    ("Follow @safer_nn for updates", "social-media handle"),
    ("My name is Jordan and I live near the park", "a person's name"),
    ("PC Smith is always rude to us", "a person's name"),
])
def test_personal_data_is_found(text: str, kind: str) -> None:
    assert kind in find_personal_data(text)


@pytest.mark.parametrize("text", [
    "More youth clubs open in the evening",
    "Buses after 10pm would help in 2024",
    "Knife crime went up 25% in the town centre",
])
def test_ordinary_statements_pass(text: str) -> None:
    assert find_personal_data(text) == []


def test_normalise_ignores_case_punctuation_and_spacing() -> None:
    assert normalise("More  youth clubs!") == normalise("more youth CLUBS")
