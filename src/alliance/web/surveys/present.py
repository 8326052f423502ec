"""What a question page and the check page show: each question's options, what is already
chosen, errors, and the map and place list of a pin question."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from alliance.voice.surveys import Question, SurveyDefinition
from alliance.web.surveys import flow
from alliance.web.surveys.places import AreaPlaces


def _first(raw: dict[str, list[str]], key: str, default: str = "") -> str:
    values = raw.get(key)
    return values[-1] if values else default


def language_of(definition: SurveyDefinition, requested: str | None) -> str:
    """The language to show the survey in: ``requested`` (the page's active language, e.g.
    ``cy`` or ``en-gb``) when the survey is written in it, else '' (English)."""
    code = (requested or "").split("-")[0].lower()
    return code if code in definition.languages else ""


def format_answer(q: Question, value: Any, *, youth: bool = False, language: str = "") -> str:
    """An answer in words (the check page, paper entry, exports)."""
    if value in (None, "", []):
        return ""
    labels = {c.value: c.text(youth, language) for c in q.choices}
    if q.type in ("single", "likert"):
        return labels.get(value, str(value))
    if q.type == "multiple":
        return "; ".join(labels.get(v, v) for v in value)
    if q.type == "ranking":
        return "; ".join(f"{k}. {labels.get(v, v)}" for k, v in enumerate(value, start=1))
    if q.type in ("pin", "place"):
        where = value.get("name") or value.get("typed") or (
            "the place marked on the map" if value.get("how") == "map" else "")
        if q.type == "pin":
            times = {c.value: c.text(youth, language) for c in q.times}
            reasons = {c.value: c.text(youth, language) for c in q.reasons}
            extra = [times.get(value.get("time", ""), "")] + [
                reasons.get(r, r) for r in value.get("reasons", [])]
            extra = [e for e in extra if e]
            if extra:
                where += " (" + "; ".join(extra) + ")"
        return where
    if q.type == "number":
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(value)


def question_context(q: Question, survey: Any, state: flow.State, area: AreaPlaces | None,
                     errors: dict[str, str], raw: dict[str, list[str]], *,
                     youth: bool, language: str = "") -> dict[str, Any]:
    answer = state.answers.get(q.id)
    posted = bool(raw) and q.id in errors  # show what was typed when it was refused
    context: dict[str, Any] = {"q": q, "label": q.text(youth, language),
                               "hint": q.hint_text(youth, language),
                               "error": errors.get(q.id, ""), "type": q.type}
    if q.type in ("single", "likert", "multiple"):
        chosen = set(raw.get(q.id, [])) if posted else (
            set(answer) if isinstance(answer, list) else {answer})
        context["options"] = [{"value": c.value, "label": c.text(youth, language),
                               "checked": c.value in chosen} for c in q.choices]
    elif q.type in ("text", "number"):
        context["value"] = _first(raw, q.id) if posted else ("" if answer is None
                                                             else str(answer))
    elif q.type == "date":
        parts = (answer or "--").split("-") if isinstance(answer, str) else ["", "", ""]
        context["day"] = _first(raw, f"{q.id}-day") if posted else parts[2].lstrip("0")
        context["month"] = _first(raw, f"{q.id}-month") if posted else parts[1].lstrip("0")
        context["year"] = _first(raw, f"{q.id}-year") if posted else parts[0]
    elif q.type == "ranking":
        order = answer if isinstance(answer, list) else []
        context["positions"] = list(range(1, len(q.choices) + 1))
        context["ranks"] = [{"value": c.value, "label": c.text(youth, language),
                             "rank": _first(raw, f"{q.id}-{c.value}") if posted else (
                                 str(order.index(c.value) + 1) if c.value in order else "")}
                            for c in q.choices]
    if q.type in ("pin", "place"):
        current = answer if isinstance(answer, dict) else {}
        context["areas"] = sorted(((code, name) for code, (name, _x, _y) in (
            area.places.areas.items() if area else [])), key=lambda item: item[1])
        context["area"] = _first(raw, f"{q.id}-area") if posted else current.get("area", "")
        context["typed"] = _first(raw, f"{q.id}-typed") if posted else current.get("typed", "")
        if q.type == "pin":
            base = reverse("surveys-public:map", args=[survey.slug])
            on_map = current.get("how") == "map" and current.get("lat") is not None
            context["map_src"] = (f"{base}?at={current['lon']},{current['lat']}" if on_map
                                  else base)
            context["on_map"] = on_map
            if area is not None:
                from alliance.web.surveys.places import county_frame, zoom_frame

                frame = (zoom_frame(current["lon"], current["lat"]) if on_map
                         else county_frame(area))
                context["map_width"], context["map_height"] = frame.width, frame.height
            time = _first(raw, f"{q.id}-time") if posted else current.get("time", "")
            reasons = set(raw.get(f"{q.id}-reason", [])) if posted else set(
                current.get("reasons", []))
            context["times"] = [{"value": c.value, "label": c.text(youth, language),
                                 "checked": c.value == time} for c in q.times]
            context["reasons"] = [{"value": c.value, "label": c.text(youth, language),
                                   "checked": c.value in reasons} for c in q.reasons]
    return context


def answer_rows(definition: SurveyDefinition, answers: dict[str, Any], pages: list[int], *,
                youth: bool, age: str = "", language: str = "") -> list[dict[str, Any]]:
    rows = []
    all_pages = definition.pages()
    for index in pages:
        for q in all_pages[index]:
            if not q.answers or not flow.page_shows((q,), answers, age):
                continue
            rows.append({"page": index, "label": q.text(youth, language),
                         "answer": format_answer(q, answers.get(q.id), youth=youth,
                                                  language=language)
                         or "Not answered"})
    return rows


def describe_condition(definition: SurveyDefinition, cond: Any) -> str:
    """A show-if condition in words, for the paper form ("you answered 'Very unsafe' to …")."""
    if "all" in cond:
        return " and ".join(describe_condition(definition, c) for c in cond["all"])
    if "any" in cond:
        return " or ".join(describe_condition(definition, c) for c in cond["any"])
    if "not" in cond:
        return f"it is not true that {describe_condition(definition, cond['not'])}"
    q = definition.question(cond["question"])
    if "answered" in cond:
        return (f"you answered “{q.label}”" if cond["answered"]
                else f"you did not answer “{q.label}”")
    if "includes" in cond:
        return f"you ticked “{q.choice_label(cond['includes'])}” at “{q.label}”"
    if "equals" in cond:
        return f"you answered “{q.choice_label(cond['equals'])}” to “{q.label}”"
    return f"you did not answer “{q.choice_label(cond['not_equals'])}” to “{q.label}”"
