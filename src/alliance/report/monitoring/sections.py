"""The monitoring report's sections: scorecard, one per priority, actions, you said we did."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd

from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import MARKER
from alliance.report.charts import line_chart
from alliance.report.document import Block, Figure, Paragraph, Provenance, Section, Table
from alliance.report.monitoring.evaluation import evaluate
from alliance.report.monitoring.inputs import (
    ActionInput,
    InterventionInput,
    MonitoringInputs,
    PriorityInput,
)
from alliance.report.monitoring.plain import GLOSSARY, RAG_WORDS, measure_decisions
from alliance.report.monitoring.scorecard import Score, curve
from alliance.report.wording import format_number

POLICE_UK = "police.uk street-level crime (data.police.uk)"
#: the suppression line of tables that count no offences or people (plans, actions)
NO_COUNTS = "none needed: no counts of offences or people"
OGL = ("Contains public sector information licensed under the Open Government Licence v3.0. "
       "Source: data.police.uk.")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def provenance(inputs: MonitoringInputs, period: str, *, measures: Sequence[Score] = ()
               ) -> Provenance:
    pub = inputs.publication
    keys = []
    for s in measures:
        spec = s.measure.spec
        if spec is None or s.value is None or s.measure.publication is not None:
            continue  # a partner source's cells are in its own lattice
        level, code = spec.unit(pub)
        for cat in spec.category_keys(pub):
            for m in s.value.months:
                key = CellKey(level, code, m, cat)
                if key in pub.lattice.keys:
                    keys.append(key)
    if not keys:
        keys = [CellKey("area", pub.cube.geography.code, m, ALL) for m in pub.cube.months
                if CellKey("area", pub.cube.geography.code, m, ALL) in pub.lattice.keys]
    return Provenance(source=POLICE_UK, import_batches=tuple(str(b) for b in inputs.batches),
                      period=period, definition="the partnership's local definition of "
                      "serious violence (police.uk proxy)",
                      filters={"counted": "offences placed in the area's neighbourhoods"},
                      suppression=pub.status(keys))


def _shown(value: float, dp: int = 1) -> object:
    return MARKER if value is None or (isinstance(value, float) and math.isnan(value)) \
        else round(float(value), dp)


def scorecard(inputs: MonitoringInputs, scores: Sequence[Score], period: str) -> Section:
    rows = []
    for s in scores:
        m = s.measure
        if s.value is not None:
            v = s.value
            this = (f"{v.rate.value:.2f} ({v.rate.lower:.2f} to {v.rate.upper:.2f})"
                    if v.shown else MARKER if v.state == "hidden" else v.state)
            count: object = int(v.count) if v.shown else MARKER if v.state == "hidden" else ""
            base = (f"{s.baseline.rate.value:.2f}" if s.baseline is not None
                    and s.baseline.shown else "")
        elif s.published_value is not None:
            this, count, base = f"{s.published_value:,.2f} ({s.published_period})", "", ""
        else:
            this, count, base = "not pooled", "", ""
        rows.append({"Priority": m.priority or "(none)", "Measure": m.title,
                     "Offences": count, "This period": this, "Baseline": base,
                     "Target": "" if m.target is None else f"{m.target:g}",
                     "Against target": RAG_WORDS[s.rag], "Compared with England": s.england,
                     "Compared with similar areas": s.similar, "Data": s.status})
    frame = pd.DataFrame(rows, columns=["Priority", "Measure", "Offences", "This period",
                                        "Baseline", "Target", "Against target",
                                        "Compared with England", "Compared with similar areas",
                                        "Data"])
    tests = sum(s.comparisons.tests for s in scores if s.comparisons is not None) + sum(
        s.target is not None and s.target.rag != "not rated" for s in scores)
    blocks: list[Block] = [
        Paragraph(text=("Each outcome measure for " + period + ". Rates are "
                        + GLOSSARY["rate"][0].lower() + GLOSSARY["rate"][1:] + " Figures in "
                        "brackets are the range the true rate probably lies in. "
                        + GLOSSARY["target status"] + " "
                        + GLOSSARY["compared with England"] + " " + chance_note(tests)),
                  drafted=False),
        Table(id="scorecard-table", caption=f"Outcome measures, {period}", data=frame,
              provenance=provenance(inputs, period, measures=scores), row_header=False)]
    return Section(id="scorecard", title="Scorecard", blocks=tuple(blocks))


def _interventions_table(items: Sequence[InterventionInput]) -> pd.DataFrame:
    rows = [{"Intervention": i.title, "YEF Toolkit approach": i.approach or "none chosen",
             "Impact": i.rating.impact_words if i.rating else "no Toolkit approach",
             "Evidence": i.rating.evidence_words if i.rating else "",
             "Cost rating": i.rating.cost_words if i.rating else "",
             "Delivered by": i.partner, "Places": ", ".join(i.places) or "whole area",
             "Cohort": i.cohort,
             "Reach (planned)": "" if i.reach is None else f"{i.reach:,}",
             "Cost (£)": "" if i.cost is None else f"{i.cost:,.0f}",
             "Started": i.start or "not yet"} for i in items]
    return pd.DataFrame(rows, columns=["Intervention", "YEF Toolkit approach", "Impact",
                                       "Evidence", "Cost rating", "Delivered by", "Places",
                                       "Cohort", "Reach (planned)", "Cost (£)", "Started"])


def chance_note(tests: int) -> str:
    """How many of the scorecard's judgements chance alone would colour (ADR 0013: no
    correction across measures, each a question of its own; the reader is told instead)."""
    if tests == 0:
        return "No measure is rated or compared for this period."
    expected = tests * 0.05
    return (f"This scorecard makes {tests} judgement{'s' if tests != 1 else ''} against "
            "targets and comparators, each at the 95% level, with no allowance for making "
            "several: even if nothing differed, about "
            f"{'1 in 20 of them' if expected < 1 else format_number(expected, dp=0)} would "
            "show a difference by chance. Read a colour as a prompt to look closer, "
            "not as proof.")


def _comparison(s: Score) -> tuple[object, str]:
    c = s.comparisons.england if s.comparisons is not None else None
    if c is None or c.comparator_value is None:
        return "", "not compared"
    return round(c.comparator_value, 2), c.result


def _measures_table(scores: Sequence[Score]) -> pd.DataFrame:
    rows = []
    for s in scores:
        v, c = s.value, s.change
        shown = v is not None and v.shown
        rows.append({
            "Measure": s.measure.title,
            "Rate": _shown(v.rate.value, 2) if shown and v else (
                s.published_value if s.published_value is not None else ""),
            "Lower": _shown(v.rate.lower, 2) if shown and v else "",
            "Upper": _shown(v.rate.upper, 2) if shown and v else "",
            "Change since baseline (%)": (round((c.ratio - 1) * 100, 1)
                                          if c is not None and c.shown else ""),
            "Against target": RAG_WORDS[s.rag],
            "Judged over": s.judged.label if s.judged is not None and s.target is not None
            else "",
            "England": _comparison(s)[0], "Versus England": _comparison(s)[1],
            "Baseline forecast": (f"{s.forecast.lower:,.0f} to {s.forecast.upper:,.0f}"
                                  if s.forecast is not None else "")})
    return pd.DataFrame(rows, columns=["Measure", "Rate", "Lower", "Upper",
                                       "Change since baseline (%)", "Against target",
                                       "Judged over", "England", "Versus England",
                                       "Baseline forecast"])


def actions_table(actions: Sequence[ActionInput], *, today: object) -> pd.DataFrame:
    rows = [{"Action": a.title, "Partner": a.organisation,
             "Due": a.due.strftime("%-d %b %Y") if a.due else "",
             "Status": a.status + (" (overdue)" if _overdue(a, today) else ""),
             "Latest progress": a.latest_note, "Came from": "; ".join(a.came_from)}
            for a in actions]
    return pd.DataFrame(rows, columns=["Action", "Partner", "Due", "Status", "Latest progress",
                                       "Came from"])


def _overdue(a: ActionInput, today: object) -> bool:
    return a.due is not None and not a.done and a.status != "Cancelled" and a.due < today  # type: ignore[operator]


def priority_section(inputs: MonitoringInputs, p: PriorityInput, scores: Sequence[Score],
                     period: str) -> Section:
    pub = inputs.publication
    sid = f"priority-{p.number}"
    blocks: list[Block] = []
    promised = "; ".join(p.objectives) if p.objectives else "no objectives recorded yet"
    blocks.append(Paragraph(text=f"**What was promised.** {p.description} Objectives: "
                                 f"{promised}.".replace("  ", " "), drafted=False))
    items = [i for i in inputs.interventions if i.priority == p.title]
    if items:
        missing = [i.title for i in items if i.rating is None or i.rating.missing]
        blocks.append(Table(id=f"{sid}-interventions", caption=f"Interventions: {p.title}",
                            data=_interventions_table(items), row_header=False,
                            provenance=Provenance(source="the strategy; YEF Toolkit ratings "
                                                  "(reference/yef_toolkit.csv)",
                                                  period=inputs.strategy_version,
                                                  suppression=NO_COUNTS)))
        if missing:
            blocks.append(Paragraph(text="Toolkit ratings not recorded in the table held for: "
                                         + ", ".join(missing) + ".", drafted=False))
    if scores:
        blocks.append(Table(id=f"{sid}-measures", caption=f"Measures of {p.title}, {period}",
                            data=_measures_table(scores), row_header=False,
                            provenance=provenance(inputs, period, measures=scores)))
    for s in scores:
        m = s.measure
        words = [f"**{m.title}.** {s.moved} {s.against_target}"]
        if s.forecast is not None:
            words.append(s.forecast.words)
        if m.kind == "pooled":
            words += [w for w in (s.england, s.similar) if w]
        blocks.append(Paragraph(text=" ".join(words), drafted=False))
        if m.kind == "pooled" and m.spec is not None and pub.cube.months:
            frame = curve(pub, m, start=inputs.strategy_start, through=pub.cube.months[-1])
            if frame["actual"].notna().sum() >= 2:
                extra = {"Baseline forecast": frame["expected"].tolist()}
                if m.target is not None:
                    extra["Target"] = frame["target"].tolist()
                band = frame["lower"].notna().any()
                chart = line_chart(
                    [f"{x}-01" for x in frame["month"]], frame["actual"].tolist(),
                    chart_id=f"{sid}-{slug(m.key)}-curve",
                    title=f"Turning the curve: {m.title}",
                    desc=(f"Monthly rate of {m.title} per 1,000 residents a year, the "
                          "baseline forecast from the months before the strategy began with "
                          "its 95% prediction interval" + (", and the target" if m.target
                                                           is not None else "")),
                    y_label="per 1,000 residents a year", series_label="Actual",
                    lower=frame["lower"].tolist() if band else None,
                    upper=frame["upper"].tolist() if band else None,
                    ci_label="Forecast range (95%)", extra=extra)
                data = chart.data
                blocks.append(Figure(
                    id=f"{sid}-{slug(m.key)}-curve", caption=f"Turning the curve: {m.title}",
                    svg=chart.svg, alt_text=(f"Line chart of {m.title} by month with the "
                                             "baseline forecast; the data are in the table."),
                    data=data, provenance=provenance(inputs, "every month held",
                                                     measures=[s])))
    blocks.append(Paragraph(text=("**The story behind the curve.** Write here what the "
                                  "partnership knows about why the figures look as they do, "
                                  "which partners have a role, and what works (the Toolkit "
                                  "ratings above)."), drafted=True))
    for item in items:
        if item.unit is None or not item.start:
            continue
        ev = evaluate(pub, unit=item.unit, start=item.start, comparison=item.comparison)
        place = inputs.unit_names.get(item.unit, item.unit[1])
        title = f"**Did it work? {item.title}** ({place}, from {item.start}"
        title += f", compared with {item.comparison_name})" if item.comparison else ")"
        if ev.its is None:
            blocks.append(Paragraph(text=f"{title}: not analysed yet: {ev.refusal}.",
                                    drafted=False))
            continue
        blocks.append(Paragraph(text=f"{title}: {ev.verdict}", drafted=False))
        blocks.append(Paragraph(text="What this analysis can and cannot show:\n\n"
                                + "\n".join(f"- {line}" for line in ev.limits), drafted=False))
    mine = [a for a in inputs.actions if a.priority == p.title]
    if mine:
        blocks.append(Table(id=f"{sid}-actions", caption=f"Action plan: {p.title}",
                            data=actions_table(mine, today=inputs.today), row_header=False,
                            provenance=Provenance(source="the partnership's action plan",
                                                  period=f"as at {inputs.today:%-d %B %Y}",
                                                  suppression=NO_COUNTS)))
    decisions = (*p.decisions, *measure_decisions(scores))
    if decisions:
        blocks.append(Paragraph(text="**Needs a decision.**\n\n" + "\n".join(
            f"- {d}" for d in decisions), drafted=False))
    return Section(id=sid, title=f"Priority {p.number}: {p.title}", blocks=tuple(blocks))
