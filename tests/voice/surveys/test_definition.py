"""Survey definitions: the schema and the meaning checks, each refusal naming the question."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from alliance.voice.surveys import DefinitionError, load_definition


def example() -> dict:
    text = resources.files("alliance.voice.surveys").joinpath(
        "examples/feeling_safe.json").read_text()
    return json.loads(text)


def question(**extra: object) -> dict:
    return {"id": "q", "type": "text", "label": "Q?", **extra}


def survey(*questions: dict) -> dict:
    return {"format": "alliance-survey/1", "title": "T", "questions": list(questions)}


def test_the_example_loads_with_pages_and_defaults() -> None:
    d = load_definition(example())
    assert d.title == "Feeling safe where you live"
    assert [len(p) for p in d.pages()] == [1, 1, 1, 1, 1, 1, 3]
    pin = d.question("unsafe_place")
    assert [c.value for c in pin.times][:2] == ["morning", "afternoon"]
    assert d.estimated_minutes() == 5
    assert load_definition(json.dumps(example())) == d


@pytest.mark.parametrize(("data", "words"), [
    ("{not json", "not valid JSON"),
    ([], "JSON object"),
    ({"format": "alliance-survey/1", "title": "T"}, "'questions' is a required property"),
    (survey(question(type="telepathy")), "questions[0] (q).type"),
    (survey(question(id="Bad Id")), "does not match"),
    (survey(question(type="single")), "needs choices"),
    (survey(question(choices=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}])),
     "takes no choices"),
    (survey(question(), question()), "used by an earlier question"),
    (survey(question(type="single", choices=[{"value": "a", "label": "A"},
                                            {"value": "a", "label": "B"}])), "appears twice"),
    (survey(question(type="number", min=5, max=1)), "min (5) is above max (1)"),
    (survey(question(show_if={"question": "later", "equals": "x"})), "not an earlier question"),
    (survey(question(id="a", type="single", choices=[{"value": "y", "label": "Y"},
                                                     {"value": "n", "label": "N"}]),
            question(id="b", show_if={"question": "a", "equals": "maybe"})),
     "'maybe' is not a choice of 'a'"),
    (survey(question(id="a", type="single", choices=[{"value": "y", "label": "Y"},
                                                     {"value": "n", "label": "N"}]),
            question(id="b", show_if={"question": "a", "includes": "y"})), "'includes' needs"),
    (survey(question(demographic="sex")), "single choice"),
    (survey(question(type="text", min=1)), "number questions only"),
    (survey(question(label="x" * 1001)), "is too long"),
])
def test_refusals_name_the_place(data: object, words: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(data)  # type: ignore[arg-type]
    assert words in str(caught.value)


def test_likert_gets_a_five_point_scale() -> None:
    d = load_definition(survey(question(type="likert")))
    assert len(d.question("q").choices) == 5
