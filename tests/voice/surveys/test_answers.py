"""Answers: show-if, cleaning per type, hidden answers dropped, messages for people."""

from __future__ import annotations

import pytest

from alliance.voice.surveys import (
    AnswerError,
    Places,
    check_response,
    clean_answer,
    clean_text,
    load_definition,
    visible,
)
from tests.voice.surveys.test_definition import example

D = load_definition(example())
PLACES = Places(areas={"E05000001": ("Abington", -0.87, 52.24)},
                bounds=(-1.4, 51.9, -0.3, 52.7),
                find=lambda text: "E05000001" if "abington" in text.lower() else None)


def ask(qid: str, **raw: object) -> object:
    fields = {k.replace("__", "-"): v if isinstance(v, list) else [str(v)]
              for k, v in raw.items()}
    return clean_answer(D.question(qid), fields, places=PLACES)


def test_pin_shows_only_when_unsafe() -> None:
    ids = [q.id for q in visible(D, {"feel_safe_day": "very_safe"})]
    assert "unsafe_place" not in ids
    ids = [q.id for q in visible(D, {"feel_safe_day": "very_safe",
                                     "feel_safe_night": "very_unsafe"})]
    assert "unsafe_place" in ids


def test_hidden_answers_are_dropped_from_a_response() -> None:
    kept = check_response(D, {"feel_safe_day": "very_safe",
                               "unsafe_place": {"how": "map", "lat": 52.2, "lon": -0.9}})
    assert kept == {"feel_safe_day": "very_safe"}


def test_required_and_unknown() -> None:
    with pytest.raises(AnswerError, match="feel_safe_day: Choose an answer"):
        check_response(D, {})
    with pytest.raises(AnswerError, match="'secret' is not a question"):
        check_response(D, {"feel_safe_day": "very_safe", "secret": 1})


def test_choices() -> None:
    assert ask("feel_safe_day", feel_safe_day="very_safe") == "very_safe"
    with pytest.raises(AnswerError, match="Choose one of the options"):
        ask("feel_safe_day", feel_safe_day="<script>")
    assert ask("worries", worries=["drugs", "knives"]) == ["knives", "drugs"]
    assert ask("worries", worries="drugs;knives") == ["knives", "drugs"]
    with pytest.raises(AnswerError):
        ask("worries", worries=["drugs", "aliens"])


def test_ranking_from_numbers_or_an_ordered_list() -> None:
    assert ask("priorities", priorities__lighting="1", priorities__police="2") == [
        "lighting", "police"]
    assert ask("priorities", priorities="mentors lighting") == ["mentors", "lighting"]
    with pytest.raises(AnswerError, match="Use each number once"):
        ask("priorities", priorities__lighting="1", priorities__police="1")
    with pytest.raises(AnswerError, match="without gaps"):
        ask("priorities", priorities__lighting="1", priorities__police="3")


def test_text_is_plain_and_capped() -> None:
    assert ask("what_would_help", what_would_help="  More\u202e lights\x00 <b>please</b> ") == (
        "More lights <b>please</b>")
    with pytest.raises(AnswerError, match="2,000 characters or fewer"):
        ask("what_would_help", what_would_help="x" * 1_000_000)


def test_pin_from_map_list_or_typed_text() -> None:
    on_map = ask("unsafe_place", unsafe_place__lat="52.25", unsafe_place__lon="-0.88",
                 unsafe_place__time="night", unsafe_place__reason=["drugs", "poor_lighting"])
    assert on_map == {"how": "map", "lat": 52.25, "lon": -0.88, "time": "night",
                      "reasons": ["drugs", "poor_lighting"]}
    listed = ask("unsafe_place", unsafe_place__area="E05000001")
    assert listed["how"] == "list" and listed["lat"] == 52.24
    typed = ask("unsafe_place", unsafe_place__typed="the park in Abington")
    assert typed["area"] == "E05000001"
    unknown = ask("unsafe_place", unsafe_place__typed="behind the chippy")
    assert unknown["lat"] is None and unknown["typed"] == "behind the chippy"
    with pytest.raises(AnswerError, match="inside the area"):
        ask("unsafe_place", unsafe_place__lat="10", unsafe_place__lon="10")
    with pytest.raises(AnswerError, match="from the list"):
        ask("unsafe_place", unsafe_place__area="E05999999")
    with pytest.raises(AnswerError, match="time of day"):
        ask("unsafe_place", unsafe_place__area="E05000001", unsafe_place__time="teatime")


def test_numbers_and_dates() -> None:
    d = load_definition({"format": "alliance-survey/1", "title": "T", "questions": [
        {"id": "n", "type": "number", "label": "N", "integer": True, "min": 0, "max": 10},
        {"id": "d", "type": "date", "label": "D"}]})
    assert clean_answer(d.question("n"), {"n": ["7"]}) == 7
    for bad, words in (("7.5", "whole number"), ("11", "10 or less"), ("nan", "Enter a number"),
                       ("x", "Enter a number")):
        with pytest.raises(AnswerError, match=words):
            clean_answer(d.question("n"), {"n": [bad]})
    assert clean_answer(d.question("d"), {"d-day": ["27"], "d-month": ["3"],
                                          "d-year": ["2026"]}) == "2026-03-27"
    with pytest.raises(AnswerError, match="real date"):
        clean_answer(d.question("d"), {"d-day": ["31"], "d-month": ["2"], "d-year": ["2026"]})


def test_clean_text_keeps_line_breaks() -> None:
    assert clean_text("a\r\n\n b\u200b c") == "a\nb c"
