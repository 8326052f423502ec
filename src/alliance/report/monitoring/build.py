"""Assemble the quarterly monitoring report and write it: index.html, monitoring.docx,
monitoring.pdf, data/ (every table as CSV, figures.json with provenance) and narrative/.

The same rules as the SNA: every number about violence is computed from the published lattice
(:mod:`alliance.figures`), so the report agrees with the dashboard and the SNA and reveals no
small number; every table and chart carries its provenance; an analyst's narrative
(``narrative/<section>.md``) replaces the drafted text of its section and survives
regeneration, flagged when the numbers under it have changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from alliance.figures.measures import QUARTER, period_of
from alliance.privacy.csv_output import write_frame
from alliance.report import docx as docx_renderer
from alliance.report import html as html_renderer
from alliance.report import pdf as pdf_renderer
from alliance.report.document import Block, Notice, Paragraph, Provenance, Report, Section, Table
from alliance.report.monitoring.inputs import MonitoringInputs
from alliance.report.monitoring.plain import GLOSSARY, RAG_WORDS
from alliance.report.monitoring.scorecard import Score, score
from alliance.report.monitoring.sections import (
    NO_COUNTS,
    OGL,
    _overdue,
    actions_table,
    priority_section,
    scorecard,
)
from alliance.report.narrative import NarrativeResult, apply_narratives

PLAN = "the partnership's action plan"
MAIN = {"html": "index.html", "docx": "monitoring.docx", "pdf": "monitoring.pdf"}


@dataclass(frozen=True)
class MonitoringOutput:
    report: Report
    narratives: NarrativeResult
    files: dict[str, Path]
    scores: tuple[Score, ...]


def check_period(inputs: MonitoringInputs, period: str) -> str:
    """The period in words; a quarter, a reporting year or a month the pool holds."""
    if not (QUARTER.match(period) or period.isdigit() or "/" in period
            or len(period) == 7):
        raise ValueError(f"{period!r} is not a quarter (2025-Q3), a reporting year or a month")
    try:
        return period_of(inputs.publication, period).label
    except KeyError as exc:
        held = inputs.publication.cube.months
        raise ValueError(f"{period}: not every month of it is held (held: {held[0]} to "
                         f"{held[-1]})") from exc


def _by_partner(inputs: MonitoringInputs) -> pd.DataFrame:
    rows: dict[str, dict[str, int]] = {}
    for a in inputs.actions:
        r = rows.setdefault(a.organisation, {"Actions": 0, "Done": 0, "In progress": 0,
                                             "Not started": 0, "Overdue": 0})
        r["Actions"] += 1
        r["Done"] += a.done
        r["In progress"] += a.status == "In progress"
        r["Not started"] += a.status == "Not started"
        r["Overdue"] += _overdue(a, inputs.today)
    frame = pd.DataFrame.from_dict(rows, orient="index").sort_index()
    frame.index.name = "Partner"
    return frame.reset_index()


def _you_said(inputs: MonitoringInputs) -> pd.DataFrame:
    rows = [{"You said": y.said, "Where": y.where, "Who": ", ".join(y.who),
             "We did": y.did, "Status": y.status} for y in inputs.you_said]
    return pd.DataFrame(rows, columns=["You said", "Where", "Who", "We did", "Status"])


def _core(scores: tuple[Score, ...]) -> pd.DataFrame:
    rows = [{"Measure": s.measure.title, "Data status": s.status,
             "This period": ("" if s.value is None or not s.value.shown
                             else f"{s.value.rate.value:.2f}"),
             "Against target": RAG_WORDS[s.rag]} for s in scores if s.measure.core]
    return pd.DataFrame(rows, columns=["Measure", "Data status", "This period",
                                       "Against target"])


def build_report(inputs: MonitoringInputs, *, period: str, published: str = "") -> tuple[
        Report, tuple[Score, ...]]:
    """The monitoring report for ``period`` (narratives not yet applied) and its scores."""
    label = check_period(inputs, period)
    scores = tuple(score(inputs.publication, m, period=period, start=inputs.strategy_start)
                   for m in inputs.measures)
    as_at = f"as at {inputs.today:%-d %B %Y}"
    front = Section(id="about", title="About this report", blocks=(
        Paragraph(text=(f"The quarterly monitoring report of {inputs.partnership} for "
                        f"{label}, on the {inputs.strategy_title} ({inputs.strategy_version})."
                        " Every figure about violence is computed from the pooled data with "
                        "the same functions as the dashboard and the Strategic Needs "
                        "Assessment; small numbers are hidden as [c]. Actions are " + as_at
                        + "."), drafted=False),
        Paragraph(text="**Words used.**\n\n" + "\n".join(
            f"- **{k.capitalize()}**: {v}" for k, v in GLOSSARY.items()), drafted=False),
        Paragraph(text=OGL, drafted=False)))
    overview = [{"Priority": p.title, "Measures better than target": sum(
        s.rag == "green" for s in scores if s.measure.priority == p.title),
        "Too close to call": sum(s.rag == "amber" for s in scores
                                 if s.measure.priority == p.title),
        "Worse than target": sum(s.rag == "red" for s in scores
                                 if s.measure.priority == p.title),
        "Actions done": sum(a.done for a in inputs.actions if a.priority == p.title),
        "Actions overdue": sum(_overdue(a, inputs.today) for a in inputs.actions
                               if a.priority == p.title)} for p in inputs.priorities]
    summary = Section(id="summary", title="Summary", blocks=(
        Paragraph(text=("Summary drafted from the figures: for each priority, how many of its "
                        "measures are better than, close to or worse than target, and how "
                        "many of its actions are done or overdue. Replace this text with the "
                        "partnership's own summary."), drafted=True),
        Table(id="summary-table", caption=f"Priorities at a glance, {label}",
              data=pd.DataFrame(overview, columns=["Priority", "Measures better than target",
                                                   "Too close to call", "Worse than target",
                                                   "Actions done", "Actions overdue"]),
              provenance=Provenance(source="the scorecard and " + PLAN, period=label,
                                    suppression=NO_COUNTS),
              row_header=False)))
    sections = [front, summary, scorecard(inputs, scores, label)]
    for p in inputs.priorities:
        sections.append(priority_section(inputs, p, [s for s in scores
                                                     if s.measure.priority == p.title], label))
    plan = Provenance(source=PLAN, period=as_at, suppression=NO_COUNTS)
    overdue = [a for a in inputs.actions if _overdue(a, inputs.today)]
    action_blocks: list[Block] = []
    if inputs.actions:
        action_blocks.append(Table(id="actions-by-partner", caption="Actions by partner",
                                   data=_by_partner(inputs), provenance=plan, row_header=False))
    else:
        action_blocks.append(Paragraph(text="No actions have been assigned yet.",
                                       drafted=False))
    sections.append(Section(id="actions", title="Action status by partner",
                            blocks=tuple(action_blocks)))
    sections.append(Section(id="overdue", title="Overdue actions", blocks=(
        (Table(id="overdue-table", caption=f"Actions past their due date, {as_at}",
               data=actions_table(overdue, today=inputs.today), provenance=plan,
               row_header=False),) if overdue else
        (Paragraph(text="No action is overdue.", drafted=False),))))
    sections.append(Section(id="you-said-we-did", title="You said, we did", blocks=(
        (Table(id="you-said-table", caption="What partners and residents said, and what the "
               "partnership did", data=_you_said(inputs), row_header=False,
               provenance=Provenance(source="workshop notes and consultations (accepted, "
                                     "screened text only); " + PLAN, period=as_at,
                                     suppression=NO_COUNTS)),)
        if inputs.you_said else
        (Paragraph(text="Nothing has been linked from a workshop or consultation yet.",
                   drafted=False),))))
    core = _core(scores)
    if len(core):
        sections.append(Section(id="core-measures", title="Home Office core measures", blocks=(
            Paragraph(text=("The Serious Violence Duty's core measures: hospital admissions for "
                            "assault with a sharp object, knife-enabled serious violence and "
                            "homicide, especially of under-25s. Where the data are not pooled "
                            "the table says what is needed."), drafted=False),
            Table(id="core-table", caption="Core measures and their data", data=core,
                  provenance=Provenance(source="the strategy's measures", period=label,
                                        suppression=NO_COUNTS),
                  row_header=False))))
    methods = sorted({s.forecast.method for s in scores if s.forecast is not None})
    sections.append(Section(id="methods", title="How the figures were worked out", blocks=(
        Paragraph(text=("Counts and rates come from the partnership's published figures: "
                        "whole reporting years, quarters (the sum of three published months, "
                        "hidden if any month is) and months. Rates have 95% intervals (exact "
                        "Poisson below 10 offences, Byar's from 10). A change against the "
                        "baseline is a quasi-Poisson model of the monthly counts (or the exact "
                        "rate ratio of two totals), called a rise or fall only when its "
                        "interval excludes no change. A measure is green or red against its "
                        "target only when its interval lies wholly on one side of the target "
                        "(the Fingertips rule, with the measure's polarity)."), drafted=False),
        Paragraph(text="Baseline forecasts: " + ("; ".join(methods) if methods else
                                                 "none in this period") + ".", drafted=False),
        Paragraph(text=("Did it work: a segmented quasi-Poisson regression of the monthly "
                        "counts of the places, with a comparison area where one is chosen "
                        "(Bernal, Cummins and Gasparrini 2017), and the exact rate ratio of "
                        "the same number of months after the start against before."),
                  drafted=False))))
    report = Report(title="Serious Violence Strategy: monitoring report",
                    subtitle=f"{inputs.partnership}: {label}", area=inputs.area_name,
                    period=label, sections=tuple(sections), published=published)
    return report, scores


def write_monitoring(inputs: MonitoringInputs, out: Path, *, period: str, pdf: bool = True,
                     generated: datetime | None = None) -> MonitoringOutput:
    """Build the report and write it into ``out`` (narratives from ``out/narrative``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = (generated or datetime.now()).strftime("%-d %B %Y %H:%M")
    report, scores = build_report(inputs, period=period, published=stamp)
    if inputs.publication.record_level:
        first = report.sections[0]
        report = Report(**{**report.__dict__, "sections": (Section(
            id=first.id, title=first.title, blocks=(Notice(text=(
                "Record-level figures, not for publication: nothing in this report is "
                "suppressed.")), *first.blocks)), *report.sections[1:])})
    result = apply_narratives(report, inputs.narrative_dir or out / "narrative")
    report = result.report
    data = out / "data"
    data.mkdir(exist_ok=True)
    files: dict[str, Path] = {}
    for _, block in report.blocks():
        if isinstance(block, Table) or hasattr(block, "svg"):
            path = data / f"{block.id}.csv"  # type: ignore[union-attr]
            frame = block.data  # type: ignore[union-attr]
            write_frame(frame, path, index=not isinstance(frame.index, pd.RangeIndex),
                        lineterminator="\n")
            files[f"data/{path.name}"] = path
    files["data/figures.json"] = report.write_figures_json(data / "figures.json")
    (data / "narrative_status.json").write_text(json.dumps(
        {"applied": list(result.applied), "stale": list(result.stale),
         "orphans": list(result.orphans)}, indent=1), encoding="utf-8")
    html = html_renderer.render(report)
    (out / MAIN["html"]).write_text(html, encoding="utf-8")
    files[MAIN["html"]] = out / MAIN["html"]
    files[MAIN["docx"]] = docx_renderer.render(report, out / MAIN["docx"])
    if pdf:
        files[MAIN["pdf"]] = pdf_renderer.render(html, out / MAIN["pdf"])
    return MonitoringOutput(report=report, narratives=result, files=files, scores=scores)
