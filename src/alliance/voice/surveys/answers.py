"""Answers: which questions a respondent sees, and each raw answer checked and cleaned.

Raw answers arrive as a mapping of field name to list of strings (a web form's POST, a CSV row
or a data-entry screen): ``{qid}`` for most types, ``{qid}-day``/``-month``/``-year`` for a
date, ``{qid}-{choice}`` (a rank number) for a ranking, and ``{qid}-lat``, ``-lon``, ``-area``,
``-typed``, ``-time``, ``-reason`` for a pin. :func:`clean_answer` returns the stored value or
raises :class:`AnswerError` with a message fit to show the person answering.

Hidden questions never keep an answer (:func:`check_response` drops them), so a changed answer
upstream cannot leave a stale answer behind a condition that no longer holds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alliance.voice.surveys.definition import Question, SurveyDefinition

Raw = Mapping[str, Sequence[str]]
#: the bounding box of England and Wales, used when no area is given (WGS84)
ENGLAND_WALES = (-6.5, 49.8, 2.0, 55.9)


class AnswerError(ValueError):
    """An answer cannot be taken; the message says what to do."""


@dataclass(frozen=True)
class Places:
    """Where pins and places may be: named areas (code -> name, lon, lat) and a finder for
    typed text (returns an area code, or None)."""

    areas: Mapping[str, tuple[str, float, float]] = field(default_factory=dict)
    bounds: tuple[float, float, float, float] = ENGLAND_WALES
    find: Callable[[str], str | None] = field(default=lambda text: None)


def clean_text(text: str) -> str:
    """Plain text: NFKC, control and format characters (bidi overrides, zero-width) removed,
    whitespace runs collapsed. Markup is kept as typed; it is escaped wherever it is shown."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\t\r\f\v\u2028\u2029\x85]", " ", folded)
    kept = "".join(ch for ch in folded if ch == "\n" or unicodedata.category(ch)
                   not in {"Cc", "Cf", "Co", "Cs", "Cn"})
    lines = [" ".join(line.split()) for line in kept.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def shows(cond: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether a ``show_if`` condition holds for the answers given so far."""
    if cond is None:
        return True
    if "all" in cond:
        return all(shows(c, answers) for c in cond["all"])
    if "any" in cond:
        return any(shows(c, answers) for c in cond["any"])
    if "not" in cond:
        return not shows(cond["not"], answers)
    value = answers.get(cond["question"])
    if "answered" in cond:
        return (value not in (None, "", [])) == cond["answered"]
    if "equals" in cond:
        return value == cond["equals"]
    if "not_equals" in cond:
        return value != cond["not_equals"]
    return isinstance(value, list) and cond["includes"] in value


def visible(definition: SurveyDefinition, answers: Mapping[str, Any]) -> list[Question]:
    """The questions shown, in order, given the answers (each condition reads earlier ones)."""
    shown: list[Question] = []
    kept: dict[str, Any] = {}
    for q in definition.questions:
        if shows(q.show_if, kept):
            shown.append(q)
            if q.id in answers:
                kept[q.id] = answers[q.id]
    return shown


def _one(raw: Raw, key: str) -> str:
    values = [v for v in raw.get(key, []) if v is not None]
    return clean_text(str(values[-1])) if values else ""


def _number(text: str, q: Question) -> float | int:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise AnswerError("Enter a number, like 3 or 12.5") from None
    if not math.isfinite(value):
        raise AnswerError("Enter a number, like 3 or 12.5")
    if q.integer and value != int(value):
        raise AnswerError("Enter a whole number, like 3")
    if q.min is not None and value < q.min:
        raise AnswerError(f"Enter a number of {q.min:g} or more")
    if q.max is not None and value > q.max:
        raise AnswerError(f"Enter a number of {q.max:g} or less")
    return int(value) if q.integer else value


def _date(raw: Raw, q: Question) -> str | None:
    whole = _one(raw, q.id)
    parts = [_one(raw, f"{q.id}-{p}") for p in ("day", "month", "year")]
    if whole and not any(parts):
        try:
            return dt.date.fromisoformat(whole).isoformat()
        except ValueError:
            raise AnswerError("Enter a real date, like 27 3 2026") from None
    if not any(parts):
        return None
    if not all(p.isdigit() for p in parts):
        raise AnswerError("Enter the day, month and year as numbers, like 27 3 2026")
    day, month, year = (int(p) for p in parts)
    if year < 1900 or year > 2100:
        raise AnswerError("Enter a year with four numbers, like 2026")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise AnswerError("Enter a real date, like 27 3 2026") from None


def _ranking(raw: Raw, q: Question) -> list[str] | None:
    ranks: dict[str, int] = {}
    for c in q.choices:
        text = _one(raw, f"{q.id}-{c.value}")
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= len(q.choices):
            raise AnswerError(f"Give each thing you rank a number from 1 to {len(q.choices)}")
        ranks[c.value] = int(text)
    whole = [v for v in raw.get(q.id, []) if v]
    if not ranks and whole:  # an ordered list, as imports and the data-entry screen send it
        order = [clean_text(str(v)) for v in whole]
        if len(whole) == 1:
            order = [s for s in re.split(r"[\s;,>]+", order[0]) if s]
        ranks = {v: k + 1 for k, v in enumerate(order)}
        unknown = [v for v in ranks if v not in {c.value for c in q.choices}]
        if unknown:
            raise AnswerError(f"{unknown[0]!r} is not one of the things to rank")
    if not ranks:
        return None
    if len(set(ranks.values())) != len(ranks):
        raise AnswerError("Use each number once: two things cannot share a place")
    if sorted(ranks.values()) != list(range(1, len(ranks) + 1)):
        raise AnswerError("Number them 1, 2, 3 and so on without gaps")
    return sorted(ranks, key=ranks.__getitem__)


def _place(raw: Raw, q: Question, places: Places) -> dict[str, Any] | None:
    """A place: a point (map), an area from the list, or typed text found by the finder."""
    lat, lon = _one(raw, f"{q.id}-lat"), _one(raw, f"{q.id}-lon")
    area = _one(raw, f"{q.id}-area") or (_one(raw, q.id) if q.type == "place" else "")
    typed = _one(raw, f"{q.id}-typed")[:200]
    if lat or lon:
        try:
            y, x = float(lat), float(lon)
        except ValueError:
            raise AnswerError("That point could not be read. Choose it again") from None
        w, s, e, n = places.bounds
        if not (math.isfinite(x) and math.isfinite(y) and w <= x <= e and s <= y <= n):
            raise AnswerError("Choose a point inside the area on the map")
        return {"how": "map", "lat": round(y, 6), "lon": round(x, 6)}
    if area:
        if area not in places.areas:
            raise AnswerError("Choose a place from the list")
        name, x, y = places.areas[area]
        return {"how": "list", "area": area, "name": name, "lat": y, "lon": x}
    if typed:
        found = places.find(typed)
        if found is not None and found in places.areas:
            name, x, y = places.areas[found]
            return {"how": "typed", "typed": typed, "area": found, "name": name,
                    "lat": y, "lon": x}
        return {"how": "typed", "typed": typed, "area": "", "lat": None, "lon": None}
    return None


def clean_answer(q: Question, raw: Raw, *, places: Places | None = None) -> Any:
    """The stored value of ``q``'s answer in ``raw`` (None: not answered)."""
    places = places or Places()
    values = {c.value for c in q.choices}
    if q.type in ("single", "likert"):
        value = _one(raw, q.id)
        if value and value not in values:
            raise AnswerError("Choose one of the options")
        result: Any = value or None
    elif q.type == "multiple":
        picked = [clean_text(str(v)) for v in raw.get(q.id, []) if v]
        if len(picked) == 1 and picked[0] not in values:  # "a b" or "a;b" from a CSV cell
            picked = [p for p in re.split(r"[\s;,]+", picked[0]) if p]
        if any(p not in values for p in picked):
            raise AnswerError("Choose from the options given")
        result = [c.value for c in q.choices if c.value in picked] or None
    elif q.type == "number":
        text = _one(raw, q.id)
        result = _number(text, q) if text else None
    elif q.type == "date":
        result = _date(raw, q)
    elif q.type == "ranking":
        result = _ranking(raw, q)
    elif q.type == "text":
        values_raw = raw.get(q.id, [])
        text = clean_text(str(values_raw[-1])) if values_raw else ""
        if len(text) > q.max_length:
            raise AnswerError(f"Keep your answer to {q.max_length:,} characters or fewer "
                              f"(yours has {len(text):,})")
        result = text or None
    elif q.type in ("pin", "place"):
        result = _place(raw, q, places)
        if result is not None and q.type == "pin":
            time, reasons = _one(raw, f"{q.id}-time"), [
                clean_text(str(v)) for v in raw.get(f"{q.id}-reason", []) if v]
            if time and time not in {c.value for c in q.times}:
                raise AnswerError("Choose a time of day from the list")
            if any(r not in {c.value for c in q.reasons} for r in reasons):
                raise AnswerError("Choose reasons from the list")
            result |= {"time": time, "reasons": reasons}
    else:
        return None
    if result is None and q.required:
        raise AnswerError(_required_message(q))
    return result


def _required_message(q: Question) -> str:
    if q.type in ("single", "likert"):
        return "Choose an answer"
    if q.type == "multiple":
        return "Choose at least one option"
    if q.type in ("pin", "place"):
        return "Choose a place on the map or from the list, or type its name"
    if q.type == "ranking":
        return "Rank at least one option"
    return "Answer this question"


def check_response(definition: SurveyDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A whole response made consistent: unknown keys refused, hidden answers dropped, every
    shown required question answered. Returns the answers to store."""
    known = {q.id for q in definition.answerable}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise AnswerError(f"{unknown[0]!r} is not a question of this survey")
    kept = {}
    for q in visible(definition, answers):
        if not q.answers:
            continue
        value = answers.get(q.id)
        if value in (None, "", []):
            if q.required:
                raise AnswerError(f"{q.id}: {_required_message(q)}")
            continue
        kept[q.id] = value
    return kept
