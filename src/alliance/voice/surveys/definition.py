"""Surveys defined as data: a small JSON form document, checked by a schema and by meaning.

A definition is ``{"format": "alliance-survey/1", "title": …, "questions": [...]}`` (the schema
is ``schema.json`` beside this module; ``docs/surveys.md`` documents every field). Question
types: ``single``, ``multiple``, ``likert``, ``number``, ``date``, ``ranking``, ``text``,
``pin`` (a place on the map, with time of day and reason), ``place`` (an area chosen from a
list or typed) and ``note`` (text only). ``show_if`` conditions read earlier answers:
``equals``, ``not_equals``, ``includes`` (a multiple-choice option ticked), ``answered``, and
``all`` / ``any`` / ``not`` of those.

The schema catches shape errors; :func:`load_definition` then checks meaning (unique ids and
choice values, conditions that point back to an earlier question and to one of its choices,
``min`` not above ``max``, demographics on the right types) so a survey that loads can always
be rendered, answered and analysed. Every refusal names where: ``questions[3] (feel_safe)``.

Other languages (Welsh first): the title, intros, questions and choices may carry
``"translations": {"cy": {"label": …, "hint": …, "youth_label": …, "youth_hint": …}}`` keyed
by a language code. A language is all or nothing: once any text is translated into it, every
label, hint, intro and youth wording that exists in English must exist in it too (the title
may stay as it is), or the definition is refused naming the question and the field, so no
resident sees a page half in one language. The default Likert scale and the default times and
reasons of a pin come with Welsh wording (:data:`DEFAULT_WORDING`); for another language list
them with translations.
English stays the language of the results, the analysis and the stored answers (choice
values do not change with the language).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

FORMAT = "alliance-survey/1"
CHOICE_TYPES = frozenset({"single", "multiple", "likert", "ranking"})
ANSWER_TYPES = frozenset({"single", "multiple", "likert", "number", "date", "ranking", "text",
                          "pin", "place"})
#: the five-point scale a Likert question gets when it names no choices of its own
LIKERT_DEFAULT = (("strongly_agree", "Strongly agree"), ("agree", "Agree"),
                  ("neither", "Neither agree nor disagree"), ("disagree", "Disagree"),
                  ("strongly_disagree", "Strongly disagree"))
TIMES_DEFAULT = (("morning", "Morning"), ("afternoon", "Afternoon"), ("evening", "Evening"),
                 ("night", "Night"), ("any_time", "At any time"))
REASONS_DEFAULT = (("poor_lighting", "Poor lighting"), ("groups", "Groups gathering"),
                   ("drugs", "Drug dealing or use"), ("past_incident", "Something happened here"),
                   ("isolated", "Quiet or isolated"), ("other", "Another reason"))
TEXT_MAX = 2000
#: the built-in lists' wording in other languages, by choice value. Welsh from the terms in
#: common use on Welsh public-sector surveys; a partnership's Welsh translator should check
#: them as the Welsh Language Standards expect (docs/surveys.md).
DEFAULT_WORDING: dict[str, dict[str, str]] = {"cy": {
    "strongly_agree": "Cytuno'n gryf", "agree": "Cytuno",
    "neither": "Ddim yn cytuno nac yn anghytuno", "disagree": "Anghytuno",
    "strongly_disagree": "Anghytuno'n gryf",
    "morning": "Bore", "afternoon": "Prynhawn", "evening": "Gyda'r nos", "night": "Nos",
    "any_time": "Unrhyw adeg",
    "poor_lighting": "Goleuadau gwael", "groups": "Grwpiau'n ymgynnull",
    "drugs": "Gwerthu neu ddefnyddio cyffuriau", "past_incident": "Digwyddodd rhywbeth yma",
    "isolated": "Tawel neu ddiarffordd", "other": "Rheswm arall"}}
#: (language, field, text) triples: hashable, so choices and questions stay frozen values
Wording = tuple[tuple[str, str, str], ...]


def _wording(raw: Mapping[str, Any] | None) -> Wording:
    return tuple((lang, name, text) for lang, fields in sorted((raw or {}).items())
                 for name, text in sorted(fields.items()) if text)


def wording_in(wording: Wording, language: str, name: str) -> str:
    return next((text for lang, field_, text in wording if lang == language and field_ == name),
                "")


class DefinitionError(ValueError):
    """The definition cannot be used; the message names the question and the problem."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    youth_label: str = ""
    translations: Wording = ()

    def text(self, youth: bool, language: str = "") -> str:
        """The wording shown: youth wording in youth mode, in ``language`` where translated."""
        if language and wording_in(self.translations, language, "label"):
            own = wording_in(self.translations, language, "youth_label")
            return own if youth and own else wording_in(self.translations, language, "label")
        return self.youth_label if youth and self.youth_label else self.label


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    youth_label: str = ""
    hint: str = ""
    youth_hint: str = ""
    required: bool = False
    page: str = ""
    choices: tuple[Choice, ...] = ()
    show_if: Mapping[str, Any] | None = None
    demographic: str = ""
    integer: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int = TEXT_MAX
    times: tuple[Choice, ...] = ()
    reasons: tuple[Choice, ...] = ()
    translations: Wording = ()

    def _pick(self, youth: bool, language: str, name: str, english: str,
              youth_english: str) -> str:
        if language and wording_in(self.translations, language, "label"):
            own = wording_in(self.translations, language, f"youth_{name}")
            return own if youth and own else wording_in(self.translations, language, name)
        return youth_english if youth and youth_english else english

    def text(self, youth: bool, language: str = "") -> str:
        """The question as shown: youth wording in youth mode, in ``language`` where
        translated (English otherwise)."""
        return self._pick(youth, language, "label", self.label, self.youth_label)

    def hint_text(self, youth: bool, language: str = "") -> str:
        return self._pick(youth, language, "hint", self.hint, self.youth_hint)

    def choice_label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)

    @property
    def answers(self) -> bool:
        return self.type in ANSWER_TYPES


@dataclass(frozen=True)
class SurveyDefinition:
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    youth_intro: str = ""
    minutes: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    translations: Wording = ()
    #: codes of the languages the survey is also written in (English aside), sorted; the
    #: built-in Welsh of the default lists does not make a survey Welsh
    languages: tuple[str, ...] = ()

    def title_in(self, language: str = "") -> str:
        return (wording_in(self.translations, language, "title") if language else "") or self.title

    def intro_text(self, youth: bool, language: str = "") -> str:
        if language and language in self.languages:
            own = wording_in(self.translations, language, "youth_intro")
            return own if youth and own else wording_in(self.translations, language, "intro")
        return self.youth_intro if youth and self.youth_intro else self.intro

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def answerable(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.answers)

    def pages(self) -> list[tuple[Question, ...]]:
        """Questions grouped into pages: one per page unless consecutive ones share ``page``."""
        pages: list[list[Question]] = []
        for q in self.questions:
            if pages and q.page and pages[-1][-1].page == q.page:
                pages[-1].append(q)
            else:
                pages.append([q])
        return [tuple(p) for p in pages]

    def estimated_minutes(self) -> int:
        if self.minutes:
            return self.minutes
        return max(1, round(sum(2.0 if q.type in ("text", "pin", "ranking") else 0.4
                                for q in self.questions)))

    def to_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False, indent=2)


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((Path(__file__).parent / "schema.json").read_text())
    return loaded


def example_definition() -> dict[str, Any]:
    """The example survey ("Feeling safe", ``examples/feeling_safe.json``) as raw data: what a
    new survey starts from when staff upload no definition of their own."""
    loaded: dict[str, Any] = json.loads(
        (Path(__file__).parent / "examples" / "feeling_safe.json").read_text(encoding="utf-8"))
    return loaded


def _where(path: Any, data: Mapping[str, Any]) -> str:
    parts = list(path)
    out = ""
    node: Any = data
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str) and out.count("[") == 1:
                out += f" ({node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "the definition"


def _choices(items: Any, default: tuple[tuple[str, str], ...] = ()) -> tuple[Choice, ...]:
    if not items:
        return tuple(Choice(v, label, translations=tuple(
            (lang, "label", words[v]) for lang, words in sorted(DEFAULT_WORDING.items())
            if v in words)) for v, label in default)
    return tuple(Choice(c["value"], c["label"], c.get("youth_label", ""),
                        _wording(c.get("translations"))) for c in items)


def load_definition(data: Mapping[str, Any] | str | bytes) -> SurveyDefinition:
    """Check a definition (a dict or JSON text) and return it, or raise :class:`DefinitionError`."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DefinitionError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, Mapping):
        raise DefinitionError("a definition is a JSON object with format, title and questions")
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise DefinitionError(f"{_where(best.absolute_path, data)}: {best.message}")
    questions: list[Question] = []
    for n, raw in enumerate(data["questions"]):
        where = f"questions[{n}] ({raw['id']})"
        kind = raw["type"]
        default = LIKERT_DEFAULT if kind == "likert" else ()
        if kind in CHOICE_TYPES and not raw.get("choices") and not default:
            raise DefinitionError(f"{where}: a {kind} question needs choices")
        if kind not in CHOICE_TYPES and raw.get("choices"):
            raise DefinitionError(f"{where}: a {kind} question takes no choices")
        q = Question(
            id=raw["id"], type=kind, label=raw["label"], youth_label=raw.get("youth_label", ""),
            hint=raw.get("hint", ""), youth_hint=raw.get("youth_hint", ""),
            required=bool(raw.get("required", False)), page=raw.get("page", ""),
            choices=_choices(raw.get("choices"), default), show_if=raw.get("show_if"),
            demographic=raw.get("demographic", ""), integer=bool(raw.get("integer", False)),
            min=raw.get("min"), max=raw.get("max"), max_length=raw.get("max_length", TEXT_MAX),
            times=_choices(raw.get("times"), TIMES_DEFAULT) if kind == "pin" else (),
            reasons=_choices(raw.get("reasons"), REASONS_DEFAULT) if kind == "pin" else (),
            translations=_wording(raw.get("translations")))
        _check_question(q, where, questions)
        questions.append(q)
    declared = set(data.get("translations") or {})
    for raw in data["questions"]:
        declared |= set(raw.get("translations") or {})
        for key in ("choices", "times", "reasons"):
            for item in raw.get(key) or ():
                declared |= set(item.get("translations") or {})
    definition = SurveyDefinition(
        title=data["title"], questions=tuple(questions), intro=data.get("intro", ""),
        youth_intro=data.get("youth_intro", ""), minutes=data.get("minutes"), raw=dict(data),
        translations=_wording(data.get("translations")), languages=tuple(sorted(declared)))
    for language in definition.languages:
        _check_language(definition, language)
    return definition


def _check_language(definition: SurveyDefinition, language: str) -> None:
    """Every text that exists in English exists in ``language`` too (all or nothing)."""
    def missing(wording: Wording, english: Mapping[str, str]) -> list[str]:
        return [name for name, text in english.items()
                if text and not wording_in(wording, language, name)]

    # the title may stay as it is (a name; XLSForm has no place for its translation)
    top = missing(definition.translations, {"intro": definition.intro,
                                            "youth_intro": definition.youth_intro})
    if top:
        raise DefinitionError(f"translations.{language}: no {language!r} wording for the "
                              f"survey's {', '.join(top)} (a language is all or nothing)")
    for n, q in enumerate(definition.questions):
        where = f"questions[{n}] ({q.id})"
        gaps = missing(q.translations, {"label": q.label, "youth_label": q.youth_label,
                                        "hint": q.hint, "youth_hint": q.youth_hint})
        if gaps:
            raise DefinitionError(f"{where}: no {language!r} wording for its "
                                  f"{', '.join(gaps)} (a language is all or nothing)")
        for name, items in (("choices", q.choices), ("times", q.times), ("reasons", q.reasons)):
            for c in items:
                gaps = missing(c.translations, {"label": c.label, "youth_label": c.youth_label})
                if gaps:
                    raise DefinitionError(
                        f"{where}: no {language!r} wording for the {', '.join(gaps)} of "
                        f"{name} value {c.value!r} (list the {name} with their translations)")


def _check_question(q: Question, where: str, before: list[Question]) -> None:
    if any(p.id == q.id for p in before):
        raise DefinitionError(f"{where}: the id {q.id!r} is used by an earlier question")
    for name, items in (("choices", q.choices), ("times", q.times), ("reasons", q.reasons)):
        values = [c.value for c in items]
        if len(values) != len(set(values)):
            dup = next(v for v in values if values.count(v) > 1)
            raise DefinitionError(f"{where}: {name} value {dup!r} appears twice")
    if q.min is not None and q.max is not None and q.min > q.max:
        raise DefinitionError(f"{where}: min ({q.min:g}) is above max ({q.max:g})")
    if (q.min is not None or q.max is not None or q.integer) and q.type != "number":
        raise DefinitionError(f"{where}: min, max and integer apply to number questions only")
    if q.demographic == "area" and q.type != "place":
        raise DefinitionError(f"{where}: the area demographic is a place question")
    if q.demographic and q.demographic != "area" and q.type != "single":
        raise DefinitionError(f"{where}: the {q.demographic} demographic is a single choice")
    if q.type == "note" and q.required:
        raise DefinitionError(f"{where}: a note cannot be required")
    if q.show_if is not None:
        _check_condition(q.show_if, where + ".show_if", {p.id: p for p in before})


def _check_condition(cond: Mapping[str, Any], where: str, earlier: Mapping[str, Question]) -> None:
    for key in ("all", "any"):
        if key in cond:
            for k, part in enumerate(cond[key]):
                _check_condition(part, f"{where}.{key}[{k}]", earlier)
            return
    if "not" in cond:
        _check_condition(cond["not"], f"{where}.not", earlier)
        return
    target = earlier.get(cond["question"])
    if target is None:
        raise DefinitionError(f"{where}: {cond['question']!r} is not an earlier question "
                              "(a condition can only read answers given before it)")
    if not target.answers:
        raise DefinitionError(f"{where}: {target.id!r} is a note and has no answer")
    for key in ("equals", "not_equals", "includes"):
        if key in cond:
            if key == "includes" and target.type != "multiple":
                raise DefinitionError(f"{where}: 'includes' needs a multiple-choice question, "
                                      f"and {target.id!r} is {target.type}")
            if target.choices and cond[key] not in {c.value for c in target.choices}:
                raise DefinitionError(f"{where}: {cond[key]!r} is not a choice of {target.id!r}")
