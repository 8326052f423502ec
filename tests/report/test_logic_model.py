"""The logic model: an SVG a screen reader can name, and a text equivalent that says it all."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from alliance.report.logic_model import (
    LogicIntervention,
    LogicPriority,
    logic_model_svg,
    logic_model_text,
)

MODEL = (LogicPriority(title="Fewer young people harmed by knives", interventions=(
    LogicIntervention(title="A&E navigators at Northampton General",
                      evidence="YEF Toolkit: A&E navigators, high impact",
                      outputs=("300 young people seen a year",),
                      outcomes=("Fewer repeat admissions for assault", "Fewer knife offences")),
    LogicIntervention(title="Mentoring <10-17s> & families"))),
         LogicPriority(title="Safer town centres at night"))


def test_the_svg_is_well_formed_and_named() -> None:
    svg = logic_model_svg(MODEL, chart_id="lm")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "lm-title lm-desc"
    assert root.find(f"{ns}title").text == "Logic model"  # type: ignore[union-attr]
    desc = root.find(f"{ns}desc").text  # type: ignore[union-attr]
    assert "2 priorities and 2 interventions" in desc  # type: ignore[operator]
    words = " ".join(t.text or "" for t in root.iter(f"{ns}text"))
    for column in ("Priority", "Intervention", "Outputs", "Outcomes"):
        assert column in words
    assert "Mentoring <10-17s> & families" in words  # escaped in the file, read back whole
    assert "No interventions yet" in words


def test_the_text_equivalent_holds_everything() -> None:
    text = logic_model_text(MODEL)
    for phrase in ("Priority: Fewer young people harmed by knives",
                   "Intervention: A&E navigators at Northampton General (YEF Toolkit: A&E "
                   "navigators, high impact)", "Outputs: 300 young people seen a year",
                   "Outcomes: Fewer repeat admissions for assault; Fewer knife offences",
                   "Outputs: none recorded", "Priority: Safer town centres at night",
                   "No interventions yet"):
        assert phrase in text


def test_an_empty_model_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one priority"):
        logic_model_svg(())
