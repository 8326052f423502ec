"""What pages say instead of plumbing: every setting has advice naming whom to ask, the
technical message goes to the log, quality codes become their words."""

from __future__ import annotations

import logging

import pytest

from alliance.config import SETTINGS
from alliance.pool.quality import REASONS
from alliance.web.workspace.wording import (
    ASK,
    SETTING_ADVICE,
    SETTING_NAME,
    for_people,
    unexpected,
)


def test_every_setting_has_advice_that_says_whom_to_ask() -> None:
    assert set(SETTING_ADVICE) == {s.name for s in SETTINGS}
    for name, advice in SETTING_ADVICE.items():
        assert ASK in advice and advice.endswith("."), name
        assert not SETTING_NAME.search(advice), name


@pytest.mark.parametrize(("message", "advice"), [
    ("ALLIANCE_PSEUDONYM_KEY is not set: refusing to pseudonymise person identifiers",
     SETTING_ADVICE["ALLIANCE_PSEUDONYM_KEY"]),
    ("field person_id (column “Nominal ID”): a pseudonym key of at least 16 characters is "
     "required; set ALLIANCE_PSEUDONYM_KEY", SETTING_ADVICE["ALLIANCE_PSEUDONYM_KEY"]),
    ("DATABASE_URL: only postgresql:// URLs are supported", SETTING_ADVICE["DATABASE_URL"]),
    ("set ALLIANCE_SOMETHING_NEW", "check how Alliance is set up on the server"),
])
def test_a_message_naming_a_setting_becomes_advice_and_is_logged(
        message: str, advice: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="alliance.web.workspace.wording"):
        shown = for_people(message, where="task 7")
    assert advice in shown and not SETTING_NAME.search(shown)
    assert message in caplog.text and "task 7" in caplog.text


def test_quality_codes_become_their_words_and_plain_text_is_left_alone(
        caplog: pytest.LogCaptureFixture) -> None:
    shown = for_people("12,397 rows flagged LSOA_MISMATCH; 882 NO_LOCATION")
    assert shown == (f"12,397 rows flagged “{REASONS['LSOA_MISMATCH'].label}”; "
                     f"882 “{REASONS['NO_LOCATION'].label}”")
    plain = "Line 3, date: “31/02/2024” is not a date"
    assert for_people(plain) == plain
    assert caplog.text == ""


def test_an_unexpected_error_is_logged_with_its_traceback_and_a_reference(
        caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise KeyError("lsoa21_code")
    except KeyError:
        shown = unexpected("The SNA build", ref="SNA build 12")
    assert shown.startswith("The SNA build stopped because of an unexpected problem.")
    assert "“SNA build 12”" in shown and "KeyError" not in shown and "lsoa21" not in shown
    assert "Traceback" in caplog.text and "lsoa21_code" in caplog.text
