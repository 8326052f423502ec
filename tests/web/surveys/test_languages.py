"""The public pages show a survey in Welsh when the page's language is Welsh (issue 16 turns
the site's language switch on; until then every page is English)."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from alliance.voice.surveys import load_definition
from alliance.web.surveys import flow
from alliance.web.surveys.present import format_answer, language_of, question_context
from tests.voice.surveys.test_languages import BILINGUAL


def test_a_welsh_page_shows_the_welsh_wording() -> None:
    definition = load_definition(BILINGUAL)
    night = definition.questions[0]
    state = flow.State(survey=1, version=1, key="k", age="adult")
    language = language_of(definition, "cy")
    shown = question_context(night, SimpleNamespace(slug="s"), state, None, {}, {},
                             youth=False, language=language)
    assert language == "cy"
    assert shown["label"].startswith("Pa mor ddiogel")
    assert [o["label"] for o in shown["options"]] == ["Diogel", "Anniogel"]
    assert format_answer(night, "unsafe", language="cy") == "Anniogel"
    assert language_of(definition, "CY") == "cy"
    assert language_of(definition, "en-gb") == ""
    assert language_of(definition, "fr") == ""  # not written in French: English
    assert language_of(definition, None) == ""


def test_english_while_the_site_has_one_language() -> None:
    """USE_I18N is off until issue 16: the active language is the site's English."""
    assert language_of(load_definition(BILINGUAL), translation.get_language()) == ""
