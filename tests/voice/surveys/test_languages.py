"""Surveys in Welsh (and other languages): translations in the definition, all or nothing, and
exchanged with ODK / Kobo through XLSForm's ``label::Cymraeg (cy)`` columns."""

from __future__ import annotations

import copy
import io
from typing import Any

import openpyxl
import pytest
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from alliance.voice.surveys import (
    DefinitionError,
    XLSFormError,
    load_definition,
    read_xlsform,
    write_xlsform,
)
from tests.voice.surveys.test_xlsform import workbook

BILINGUAL: dict[str, Any] = {
    "format": "alliance-survey/1", "title": "Feeling safe",
    "intro": "Tell us where you feel safe.",
    "translations": {"cy": {"title": "Teimlo'n ddiogel",
                            "intro": "Dywedwch wrthym ble rydych chi'n teimlo'n ddiogel."}},
    "questions": [
        {"id": "safe_night", "type": "single", "label": "How safe do you feel after dark?",
         "youth_label": "Do you feel safe when it is dark?",
         "translations": {"cy": {"label": "Pa mor ddiogel ydych chi'n teimlo ar ôl iddi nosi?",
                                 "youth_label": "Ydych chi'n teimlo'n ddiogel pan mae'n dywyll?"}},
         "choices": [
             {"value": "safe", "label": "Safe", "translations": {"cy": {"label": "Diogel"}}},
             {"value": "unsafe", "label": "Unsafe",
              "translations": {"cy": {"label": "Anniogel"}}}]},
        {"id": "parks", "type": "likert", "label": "Parks feel safe",
         "translations": {"cy": {"label": "Mae parciau'n teimlo'n ddiogel"}}},
        {"id": "where", "type": "pin", "label": "Where do you feel unsafe?",
         "hint": "Do not type a home address.",
         "translations": {"cy": {"label": "Ble rydych chi'n teimlo'n anniogel?",
                                 "hint": "Peidiwch â theipio cyfeiriad cartref."}}},
    ]}


def test_a_welsh_version_is_read_and_shown() -> None:
    d = load_definition(BILINGUAL)
    assert d.languages == ("cy",)
    night, parks, where = d.questions
    assert night.text(False, "cy").startswith("Pa mor ddiogel")
    assert night.text(True, "cy").startswith("Ydych chi'n teimlo")  # youth wording in Welsh
    assert night.text(False) == "How safe do you feel after dark?"  # English by default
    assert night.text(False, "fr") == "How safe do you feel after dark?"  # not translated
    assert [c.text(False, "cy") for c in night.choices] == ["Diogel", "Anniogel"]
    assert parks.choices[0].text(False, "cy") == "Cytuno'n gryf"  # the built-in scale
    assert where.hint_text(False, "cy") == "Peidiwch â theipio cyfeiriad cartref."
    assert [c.text(False, "cy") for c in where.times[:2]] == ["Bore", "Prynhawn"]
    assert d.title_in("cy") == "Teimlo'n ddiogel" and d.title_in() == "Feeling safe"
    assert d.intro_text(False, "cy").startswith("Dywedwch")
    assert night.choice_label("safe") == "Safe"  # results stay in English


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["questions"][2]["translations"]["cy"].pop("hint"),
     "questions[2] (where): no 'cy' wording for its hint"),
    (lambda d: d["questions"][0]["translations"]["cy"].pop("youth_label"),
     "questions[0] (safe_night): no 'cy' wording for its youth_label"),
    (lambda d: d["questions"][0]["choices"][1].pop("translations"),
     "questions[0] (safe_night): no 'cy' wording for the label of choices value 'unsafe'"),
    (lambda d: d["questions"][1].pop("translations"),
     "questions[1] (parks): no 'cy' wording for its label"),
    (lambda d: d["translations"]["cy"].pop("intro"), "the survey's intro"),
])
def test_a_language_is_all_or_nothing(change: Any, words: str) -> None:
    broken = copy.deepcopy(BILINGUAL)
    change(broken)
    with pytest.raises(DefinitionError, match=r"all or nothing|translations") as caught:
        load_definition(broken)
    assert words in str(caught.value)


def test_default_lists_need_wording_in_a_language_without_built_in_words() -> None:
    polish = {"format": "alliance-survey/1", "title": "T", "questions": [
        {"id": "parks", "type": "likert", "label": "Parks feel safe",
         "translations": {"pl": {"label": "Parki są bezpieczne"}}}]}
    with pytest.raises(DefinitionError, match="list the choices with their translations"):
        load_definition(polish)


def test_bad_language_codes_are_refused_by_the_schema() -> None:
    broken = copy.deepcopy(BILINGUAL)
    broken["questions"][0]["translations"]["Cymraeg"] = {"label": "x"}
    with pytest.raises(DefinitionError, match=r"questions\[0\]"):
        load_definition(broken)


def test_xlsform_round_trip_keeps_every_language() -> None:
    original = load_definition(BILINGUAL)
    content = write_xlsform(original)
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(content))["survey"][1]]
    assert "label::English (en)" in header and "label::Cymraeg (cy)" in header
    again = read_xlsform(content, filename="bilingual.xlsx")
    assert again.languages == ("cy",)
    assert [(q.id, q.label, q.translations) for q in again.questions] == [
        (q.id, q.label, q.translations) for q in original.questions]
    assert again.questions[0].choices == original.questions[0].choices
    assert again.title_in("cy") == "Teimlo'n ddiogel"
    # and ODK's own reader sees both languages
    form = workbook_to_json(get_xlsform(io.BytesIO(content)), form_name="f", warnings=[])
    assert form["children"][0]["label"] == {
        "English (en)": "How safe do you feel after dark?",
        "Cymraeg (cy)": "Pa mor ddiogel ydych chi'n teimlo ar ôl iddi nosi?"}


def _book(header: list[str], rows: list[list[str]], choices: list[list[str]]) -> bytes:
    return workbook([header, *rows], choices)


def test_a_kobo_form_in_english_and_welsh_reads() -> None:
    content = _book(["type", "name", "label", "label::Welsh", "hint", "hint::Cymraeg (cy)"],
                    [["select_one yn", "ok", "All right?", "Iawn?", "Be honest",
                      "Byddwch yn onest"]],
                    [["list_name", "name", "label", "label::Welsh"],
                     ["yn", "yes", "Yes", "Ie"], ["yn", "no", "No", "Na"]])
    d = read_xlsform(content, filename="kobo.xlsx")
    q = d.questions[0]
    assert (q.label, q.text(False, "cy"), q.hint_text(False, "cy")) == (
        "All right?", "Iawn?", "Byddwch yn onest")
    assert [c.text(False, "cy") for c in q.choices] == ["Ie", "Na"]


def test_a_language_column_without_a_code_is_refused_by_name() -> None:
    content = _book(["type", "name", "label", "label::Français"],
                    [["text", "a", "A", "Un"]], [["list_name", "name", "label"]])
    with pytest.raises(XLSFormError, match=r"label::Français.*label::Français \(xx\)"):
        read_xlsform(content, filename="fr.xlsx")


def test_a_form_with_a_missing_welsh_label_is_refused_naming_the_question() -> None:
    content = _book(["type", "name", "label", "label::Cymraeg (cy)"],
                    [["text", "a", "A", "Un"], ["text", "b", "B", ""]],
                    [["list_name", "name", "label"]])
    with pytest.raises(XLSFormError, match=r"questions\[1\] \(b\): no 'cy' wording"):
        read_xlsform(content, filename="half.xlsx")
