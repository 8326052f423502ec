"""The personal-data and safeguarding screen: every attack from Issue 12 §2 is caught, more
of our own (written after the screen, held back while it was built), ordinary statements pass,
and the false-positive rate on real Pol.is statements is measured."""

from __future__ import annotations

import glob

import pandas as pd
import pytest

from alliance.voice.screening import (
    ACCUSED_KIND,
    ADDRESS_KIND,
    CHILD_KIND,
    EMAIL_KIND,
    HANDLE_KIND,
    NAME_KIND,
    PHONE_KIND,
    POSTCODE_KIND,
    SELF_HARM_KIND,
    THREAT_KIND,
    clean,
    normalise,
    screen,
)
from tests.conftest import require_shared

#: Issue 12 §1–2, verbatim
ISSUE_ATTACKS = [
    ("email me amber@example.org for info", EMAIL_KIND),
    ("call 07700 900123 if you see knives", PHONE_KIND),
    ("amber＠hotmail.co.uk", EMAIL_KIND),
    ("0 7 7 0 0 9 0 0 1 2 3", PHONE_KIND),
    ("O7700 900123", PHONE_KIND),
    ("＠amber_k2", HANDLE_KIND),
    ("14 Wellingborough Road NN1 4DX", POSTCODE_KIND),
    ("14 Wellingborough Road NN1 4DX", ADDRESS_KIND),
    ("Jordan Smith on Grafton Street deals drugs to kids", ACCUSED_KIND),
    ("call \u202e321009 00770\u202c if you see knives", PHONE_KIND),
]

#: our own, held back while the screen was written
MORE_ATTACKS = [
    ("text me on +44 7700 900 123", PHONE_KIND),
    ("my number is 07700-900-123", PHONE_KIND),
    ("077\u200b00 900\u200b123 (zero-width spaces)", PHONE_KIND),
    ("０７７００ ９００１２３", PHONE_KIND),
    ("\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663", PHONE_KIND),
    ("\u041e7700 900123 (Cyrillic O)", PHONE_KIND),
    ("07700 900 l23", PHONE_KIND),
    ("e-mail: sam(dot)jones(at)gmail(dot)com", EMAIL_KIND),
    ("sam dot jones at gmail dot com", EMAIL_KIND),
    ("dm me on insta @sam.j", HANDLE_KIND),
    ("snap: amberk2", HANDLE_KIND),
    ("nn14dx is where he lives", POSTCODE_KIND),
    ("lives at flat 3, 22 Mill Lane", ADDRESS_KIND),
    ("PCSO Davies lets them off", NAME_KIND),
    ("My name is Jordan and I live near the park", NAME_KIND),
    ("Kyle Brown stabbed a boy last week", ACCUSED_KIND),
    ("Kyle Brown sells weed outside the school", ACCUSED_KIND),
    ("everyone knows Jordan Smith is a dealer", ACCUSED_KIND),
    ("the shop lets kids in and Jordan deals to them", ACCUSED_KIND),
]

SAFEGUARDING = [
    ("my mum's boyfriend hits me when he's drunk", CHILD_KIND),
    ("I'm scared to go home most nights", CHILD_KIND),
    ("they make me carry food to Kettering", CHILD_KIND),
    ("I get sent on a line every weekend", CHILD_KIND),
    ("I'm going to stab him after school", THREAT_KIND),
    ("someone is going to get shot at the park", THREAT_KIND),
    ("bring a knife to the fields on friday", THREAT_KIND),
    ("I want to kill myself", SELF_HARM_KIND),
]

ORDINARY = [
    "More youth clubs open in the evening",
    "Buses after 10pm would help in 2024",
    "Knife crime went up 25% in the town centre",
    "Young people carry knives because they feel unsafe",
    "The police should stop and search fewer black boys",
    "We will cut the youth budget if nothing changes",
    "Street lights on Grafton Street are broken",
    "Dealers target kids outside schools",
    "The 24 hour drive-through attracts trouble",
    "3 busy roads near the school need crossings",
    "Open the youth club 7 days a week from 4 to 9",
    "Meet at NN1 library on Saturdays",
    "Drug dealing near the station must stop",
    "I saw 2 boys in the park last night",
    "Meet at 10 on the green on Saturdays",
    "We need 3 more police at the new estate",
]


@pytest.mark.parametrize(("text", "kind"), ISSUE_ATTACKS + MORE_ATTACKS)
def test_personal_data_is_found(text: str, kind: str) -> None:
    found = screen(text)
    assert kind in found.personal_data and found.held


@pytest.mark.parametrize(("text", "kind"), SAFEGUARDING)
def test_safeguarding_concerns_are_found(text: str, kind: str) -> None:
    found = screen(text)
    assert kind in found.safeguarding and found.held
    assert found.reason.startswith(found.safeguarding[0])


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_statements_pass(text: str) -> None:
    found = screen(text)
    assert not found.held and found.reason == ""


def test_cleaning_folds_lookalikes_and_strips_controls_and_bidi() -> None:
    assert clean("amber＠hotmail.co.uk") == "amber@hotmail.co.uk"
    assert clean("abc\u202edef\u202c\u200b ghi\t\n jkl\x00") == "abcdef ghi jkl"
    assert clean("\u2066isolate\u2069  me\ufeff") == "isolate me"
    assert screen(" spaced\u00a0 out ").text == "spaced out"


def test_normalise_ignores_case_punctuation_spacing_and_hidden_characters() -> None:
    assert normalise("More  youth clubs!") == normalise("more youth CLUBS")
    assert normalise("More\u200b youth clubs") == normalise("More youth clubs")


def test_false_positives_on_real_polis_statements() -> None:
    """Every statement of the six real conversations (English, German, Chinese; 2,041 with
    the moderated ones): held back at most 0.5%. Printed: the share and each one held."""
    require_shared("polis")
    held, total = [], 0
    for path in sorted(glob.glob(str(require_shared("polis") / "*" / "comments.csv"))):
        for body in pd.read_csv(path)["comment-body"].dropna().astype(str):
            total += 1
            found = screen(body)
            if found.held:
                held.append((found.reason, body))
    print(f"held {len(held)} of {total} ({len(held) / total:.2%}):")
    for reason, body in held:
        print(f"  {reason}: {body[:120]}")
    assert total > 2000
    assert len(held) / total <= 0.005
