"""The monitoring report from a synthetic area: computed figures, suppression, provenance,
narrative that survives regeneration, and what each file holds."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from alliance.figures.measures import MeasureSpec, measure_value
from alliance.figures.publication import publish
from alliance.report.monitoring import (
    ActionInput,
    InterventionInput,
    MeasureInput,
    MonitoringInputs,
    PriorityInput,
    YouSaidInput,
    build_report,
    write_monitoring,
)
from alliance.report.narrative import section_fingerprint, write_narrative
from alliance.sources.yef_toolkit import parse_yef_toolkit
from tests.figures.synthetic import synthetic_cube

YEF = parse_yef_toolkit("approach,impact_band,headline_pct_reduction,band_meaning,"
                        "evidence_quality_1to5,cost_1to3,prevention_type,setting,"
                        "summary_own_words,verification,source_urls\n"
                        "Mentoring,MODERATE,,10%-30% less violence,,,,,,,\n")


@pytest.fixture(scope="module")
def pub():  # type: ignore[no-untyped-def]
    return publish(synthetic_cube(42, n_lsoa=8, months=24, mean=4.0), threshold=5)


def inputs_for(pub, **changes) -> MonitoringInputs:  # type: ignore[no-untyped-def]
    geo = pub.cube.geography
    csps = list(geo.units("csp"))
    everything = MeasureInput(key="all", title="All violence counted", kind="pooled",
                              priority="Safer streets", spec=MeasureSpec(key="all", title="All"),
                              baseline_period="2025-Q1", target=30.0, target_period="2025/26",
                              core=False)
    homicide = MeasureInput(
        key="homicide", title="Homicide per million", kind="published", priority="Safer streets",
        target=5.0, core=True, unit="per million",
        published=pd.DataFrame({"period": ["2021/22", "2022/23"],
                                "period_end": ["2022-03-31", "2023-03-31"],
                                "value": [8.8, 7.4], "lower": [None, None],
                                "upper": [None, None], "numerator": [None, None],
                                "denominator": [None, None], "unit": ["per million"] * 2,
                                "england": [9.5, 9.1], "source": ["ONS"] * 2}))
    knife = MeasureInput(key="c2", title="Knife-enabled serious violence", kind="not held",
                         priority="Safer streets", core=True,
                         status="Not pooled: needs the police's own records with the knife "
                                "flag")
    base = dict(
        partnership="Testshire Alliance", area_name="Testshire",
        strategy_title="Serious Violence Reduction Strategy", strategy_version="2025/26 v1",
        strategy_start="2025-07", publication=pub,
        unit_names={("csp", csps[0]): "CSP 1", ("csp", csps[1]): "CSP 2",
                    ("area", geo.code): "Testshire"},
        priorities=(PriorityInput(number=1, title="Safer streets", description="Less violence.",
                                  objectives=("Fewer assaults in town centres",),
                                  decisions=("Agree the mentoring budget",)),),
        measures=(everything, homicide, knife),
        interventions=(InterventionInput(
            title="Mentoring for 10-17s", priority="Safer streets", approach="Mentoring",
            rating=YEF.get("Mentoring"), partner="Youth Justice", reach=120, cost=40_000,
            start="2025-01", unit=("area", geo.code)),
            InterventionInput(title="Street lighting", priority="Safer streets",
                              start="2025-01", unit=("csp", csps[0]),
                              comparison=("csp", csps[1]), comparison_name="CSP 2")),
        actions=(ActionInput(title="=HYPERLINK(\"x\")", priority="Safer streets",
                             organisation="Police", due=date(2025, 8, 1), status="In progress",
                             done=False, latest_note="Started", came_from=("Workshop 1",)),
                 ActionInput(title="Open a youth hub", priority="Safer streets",
                             organisation="Council", due=date(2025, 12, 1), status="Done",
                             done=True)),
        you_said=(YouSaidInput(said="Safe spaces after school", where="Workshop 1",
                               who=("Council", "Youth club"), did="Open a youth hub",
                               status="Done"),),
        today=date(2025, 10, 15), batches=(3, 4))
    return MonitoringInputs(**{**base, **changes})


def test_scorecard_is_computed_from_the_lattice(pub) -> None:  # type: ignore[no-untyped-def]
    report, scores = build_report(inputs_for(pub), period="2025-Q3")
    pooled = scores[0]
    direct = measure_value(pub, MeasureSpec(key="all", title="All"), "2025-Q3")
    assert pooled.value == direct
    assert pooled.forecast is not None and pooled.forecast.words
    assert pooled.change is not None and pooled.change.before_label.startswith("January")
    published = scores[1]
    assert published.published_value == 7.4 and "England 9.10" in published.england
    assert published.rag == "not rated"  # no interval published: never judged by eye
    assert scores[2].status.startswith("Not pooled")
    ids = [s.id for s in report.sections]
    assert ids == ["about", "summary", "scorecard", "priority-1", "actions", "overdue",
                   "you-said-we-did", "core-measures", "methods"]


def test_files_provenance_suppression_and_escaping(pub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = write_monitoring(inputs_for(pub), tmp_path, period="2025-Q3", pdf=False)
    assert {"index.html", "monitoring.docx", "data/figures.json",
            "data/scorecard-table.csv"} <= set(out.files)
    figures = json.loads((tmp_path / "data" / "figures.json").read_text())["figures"]
    score = next(f for f in figures if f["id"] == "scorecard-table")
    assert score["provenance"]["import_batches"] == ["3", "4"]
    assert "hidden" in score["provenance"]["suppression"] or "no figures hidden" in \
        score["provenance"]["suppression"]
    overdue = pd.read_csv(tmp_path / "data" / "overdue-table.csv")
    assert overdue["Action"].iloc[0].startswith("'=")  # no formula runs in a spreadsheet
    html = (tmp_path / "index.html").read_text()
    assert "Did it work? Mentoring for 10-17s" in html
    assert "cannot prove" in html
    assert "published by whole year only" in html  # the sparse district is not analysed
    assert "Evidence quality not recorded in the Toolkit table held" in html
    assert "Turning the curve" in html and "<svg" in html


def test_a_hidden_quarter_shows_as_c(pub) -> None:  # type: ignore[no-untyped-def]
    geo = pub.cube.geography
    hidden = next(
        (code, cat) for code in geo.units("csp") for cat in pub.cube.categories
        if measure_value(pub, MeasureSpec(key="x", title="x", level="csp", code=code,
                                          categories=(cat,)), pub.years[-1].label).state
        == "hidden")
    m = MeasureInput(key="h", title="Sparse", kind="pooled", priority="Safer streets",
                     spec=MeasureSpec(key="h", title="h", level="csp", code=hidden[0],
                                      categories=(hidden[1],)))
    report, scores = build_report(inputs_for(pub, measures=(m,)), period=pub.years[-1].label)
    assert math.isnan(scores[0].value.count)  # type: ignore[union-attr]
    table = next(b for s in report.sections for b in s.blocks
                 if getattr(b, "id", "") == "scorecard-table")
    assert table.data["Offences"].iloc[0] == "[c]"  # type: ignore[union-attr]


def test_narrative_survives_regeneration_and_is_flagged_when_numbers_move(
        pub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = write_monitoring(inputs_for(pub), tmp_path, period="2025-Q3", pdf=False)
    section = next(s for s in first.report.sections if s.id == "priority-1")
    write_narrative(tmp_path / "narrative", section, "Mentoring began in CSP 1 in January.")
    again = write_monitoring(inputs_for(pub), tmp_path, period="2025-Q3", pdf=False)
    assert "Mentoring began in CSP 1" in (tmp_path / "index.html").read_text()
    assert again.narratives.applied == ("priority-1",) and again.narratives.stale == ()
    moved = write_monitoring(inputs_for(pub), tmp_path, period="2025-Q2", pdf=False)
    assert moved.narratives.stale == ("priority-1",)
    assert section_fingerprint(section) != section_fingerprint(
        next(s for s in moved.report.sections if s.id == "priority-1"))


def test_pdf_and_bad_periods(pub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = write_monitoring(inputs_for(pub), tmp_path, period="2025", pdf=True)
    assert out.files["monitoring.pdf"].read_bytes()[:4] == b"%PDF"
    for bad in ("2030-Q1", "Q3", "summer"):
        with pytest.raises(ValueError):
            build_report(inputs_for(pub), period=bad)


def test_record_level_reports_say_not_for_publication(pub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = publish(pub.cube, threshold=None)
    write_monitoring(inputs_for(record), tmp_path, period="2025-Q3", pdf=False)
    assert "not for publication" in (tmp_path / "index.html").read_text()
