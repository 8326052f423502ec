"""A respondent's way through a survey: the state carried in the form, pages, back and change.

Nothing is stored until the respondent sends their answers: the answers so far travel in one
signed, compressed hidden field (:func:`pack` / :func:`unpack`), so a page costs the database
nothing and a half-finished survey leaves no trace. A changed field fails its signature and is
refused whole; a state older than :data:`STATE_AGE` has expired. The submission key in the
state makes sending the same form twice store one response.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core import signing

from alliance.voice.surveys import Question, SurveyDefinition, shows

SALT = "alliance.surveys.state"
#: a survey left open longer than this starts again (seconds)
STATE_AGE = 24 * 60 * 60
CHECK = -1  # the "check your answers" page


class StateRefused(ValueError):
    """The hidden state was changed, belongs to another survey or has expired."""


@dataclass
class State:
    survey: int
    version: int
    key: str
    age: str = ""
    page: int = 0
    answers: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.time)


def pack(state: State) -> str:
    return signing.dumps({"s": state.survey, "v": state.version, "k": state.key,
                          "g": state.age, "p": state.page, "a": state.answers,
                          "t": state.started}, salt=SALT, compress=True)


def unpack(token: str, *, survey: int) -> State:
    try:
        data = signing.loads(token, salt=SALT, max_age=STATE_AGE)
    except signing.SignatureExpired as exc:
        raise StateRefused("expired") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise StateRefused("changed") from exc
    if not isinstance(data, dict) or data.get("s") != survey:
        raise StateRefused("changed")
    return State(survey=data["s"], version=data["v"], key=data["k"], age=data.get("g", ""),
                 page=int(data.get("p", 0)), answers=dict(data.get("a") or {}),
                 started=float(data.get("t", 0)))


def skip_for_age(question: Question, age: str) -> bool:
    """Data minimisation for children: under-13s are not asked where they live."""
    return age == "under_13" and question.demographic == "area"


def page_shows(page: tuple[Question, ...], answers: Mapping[str, Any], age: str) -> bool:
    return any(shows(q.show_if, answers) and not skip_for_age(q, age) for q in page)


def visible_pages(definition: SurveyDefinition, answers: Mapping[str, Any],
                  age: str) -> list[int]:
    return [i for i, page in enumerate(definition.pages()) if page_shows(page, answers, age)]


def next_page(definition: SurveyDefinition, state: State) -> int:
    later = [i for i in visible_pages(definition, state.answers, state.age) if i > state.page]
    return later[0] if later else CHECK


def previous_page(definition: SurveyDefinition, state: State) -> int | None:
    pages = visible_pages(definition, state.answers, state.age)
    if state.page == CHECK:
        return pages[-1] if pages else None
    earlier = [i for i in pages if i < state.page]
    return earlier[-1] if earlier else None


def prune(definition: SurveyDefinition, answers: dict[str, Any], age: str) -> dict[str, Any]:
    """Answers of questions no longer shown are dropped (a changed answer upstream)."""
    kept: dict[str, Any] = {}
    for q in definition.questions:
        if q.id in answers and shows(q.show_if, kept) and not skip_for_age(q, age):
            kept[q.id] = answers[q.id]
    return kept
