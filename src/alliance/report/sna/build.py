"""Assemble the SNA from its chapters and write it: index.html, sna.docx, sna.pdf, data/.

In the reader's order (``shared/research/sna-practice.md`` §6, the Home Office SNA guidance):
the executive summary, key findings and the partnership's recommendations first; then the
introduction and the chapters; then the annexes (methods, data quality and currency, the
definition, suppression, licences, batches, glossary). Section ids are stable, so narratives
keyed by them follow their sections. Everything is deterministic for the same inputs and
options (fixed permutation seed, sorted tables), so only the generation timestamp differs
between two runs on the same data.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from alliance.figures.hotspots import DEFAULT_SEED
from alliance.privacy.csv_output import write_frame
from alliance.report import docx as docx_renderer
from alliance.report import html as html_renderer
from alliance.report import pdf as pdf_renderer
from alliance.report.document import Figure, Finding, Notice, Report, Section, Table
from alliance.report.narrative import NarrativeResult, apply_narratives
from alliance.report.sna import context, front, overall, requests, when, where, who
from alliance.report.sna.common import DRAFT_NOTICE, TITLE, Context
from alliance.report.sna.cymraeg import sentence_table
from alliance.report.sna.headlines import year_words
from alliance.report.sna.inputs import SnaInputs
from alliance.report.sna.period import parse_period
from alliance.report.sna.public import (
    SUMMARY_JSON,
    SUMMARY_JSON_CY,
    SUMMARY_PDF,
    SUMMARY_PDF_CY,
    public_summary,
    write_summary,
)
from alliance.report.sna.recommend import recommendations
from alliance.report.sna.summary import executive_summary, key_findings, plain_findings
from alliance.report.sna.translate import welsh_report
from alliance.report.written import Checked, WrittenText, check

DEFAULT_THRESHOLD = 5
#: the SNA in Welsh, beside index.html, sna.docx and sna.pdf
WELSH_HTML, WELSH_DOCX, WELSH_PDF = "index.cy.html", "sna.cy.docx", "sna.cy.pdf"
#: the English the Welsh edition leaves, by section (for the translator and the reviewer)
WELSH_LEFT = "welsh_left.json"


@dataclass(frozen=True)
class SnaOutput:
    report: Report
    narratives: NarrativeResult
    files: dict[str, Path]
    #: the partnership's summary, findings and recommendations, each current or flagged
    written: tuple[Checked, ...] = ()


def _built(inputs: SnaInputs, *, period: str, threshold: int, published: str, draft: bool,
           seed: int) -> tuple[Report, Context]:
    """:func:`build_report`, and the context it was built in (its figures, read once)."""
    if threshold < 1:
        raise ValueError("the suppression threshold must be at least 1")
    ctx = Context(inputs=inputs, period=parse_period(period), threshold=threshold, draft=draft,
                  seed=seed)
    if not ctx.months_in_period_held:
        held = inputs.months_held
        raise ValueError(f"no police.uk months of {ctx.period.span()} are held for "
                         f"{inputs.area.name} (held: {held[0]} to {held[-1]})")
    chapters = [context.chapter(ctx), overall.chapter(ctx), requests.core_measures(ctx),
                where.chapter(ctx), when.chapter(ctx), who.chapter(ctx),
                requests.youth_justice(ctx), requests.health(ctx), requests.risk_factors(ctx),
                *requests.voice_services_strategy(ctx)]
    plain = plain_findings(ctx)
    chapters = [dataclasses.replace(s, blocks=tuple(
        dataclasses.replace(b, plain=plain[b.id]) if isinstance(b, Finding) and b.id in plain
        else b for b in s.blocks)) for s in chapters]
    annexes = front.annexes(ctx)
    summary = executive_summary(ctx)
    entries = _entries((summary, *chapters, *annexes))
    checked = check(inputs.written, entries)
    mine = [c for c in checked if c.text.kind == "summary"]
    if mine:  # the partnership's own summary (its headline table is the drafted one's)
        summary = executive_summary(ctx, written=mine[-1])
    sections = [summary,
                key_findings(ctx, chapters, [c for c in checked if c.text.kind == "finding"]),
                recommendations([c for c in checked if c.text.kind == "recommendation"],
                                entries),
                front.about(ctx), *chapters, *annexes]
    unsaid = [b.id for s in sections for b in s.blocks
              if isinstance(b, Figure) and not b.message.strip()]
    if unsaid:  # every chart says what it shows (issue: charts that say something)
        raise ValueError(f"figures without a sentence saying what they show: {unsaid}")
    if draft:
        sections[0] = Section(id=sections[0].id, title=sections[0].title, blocks=(
            Notice(text=DRAFT_NOTICE),
            *sections[0].blocks))
    return Report(title=TITLE + (" (draft)" if draft else ""),
                  subtitle=f"{inputs.area.name}: {year_words(ctx)}",
                  area=inputs.area.name, period=ctx.period.span(),
                  sections=tuple(sections), published=published), ctx


def build_report(inputs: SnaInputs, *, period: str, threshold: int = DEFAULT_THRESHOLD,
                 published: str = "", draft: bool = False, seed: int = DEFAULT_SEED) -> Report:
    """The SNA as a :class:`Report` (narratives not yet applied).

    ``period`` must be a whole reporting year held, unless ``draft`` (then any months, and the
    report says on its first page that it must not be published). ``seed`` drives the hot spot
    permutations: anyone can rebuild with another seed and check that the labels hold."""
    return _built(inputs, period=period, threshold=threshold, published=published,
                  draft=draft, seed=seed)[0]


def _entries(sections: tuple[Section, ...]) -> dict[str, dict[str, object]]:
    """The ``figures.json`` items of some sections, by id."""
    report = Report(title="entries", area="", period="", sections=sections)
    return {str(e["id"]): e for e in report.figures()}


def check_written(texts: tuple[WrittenText, ...],
                  sections: tuple[Section, ...]) -> list[Checked]:
    """The partnership's texts, each with the state of what it rests on in ``sections``."""
    return check(texts, _entries(sections))


def write_sna(inputs: SnaInputs, out: Path, *, period: str,
              threshold: int = DEFAULT_THRESHOLD, docx_template: Path | None = None,
              generated: datetime | None = None, pdf: bool = True, draft: bool = False,
              seed: int = DEFAULT_SEED) -> SnaOutput:
    """Build the SNA and write it into ``out`` (created if needed).

    Analyst narratives are read from ``out/narrative/<section-id>.md`` (or
    ``inputs.narrative_dir``); a narrative whose numbers have changed is flagged in the report.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = (generated or datetime.now()).strftime("%-d %B %Y %H:%M")
    report, ctx = _built(inputs, period=period, threshold=threshold, published=stamp,
                         draft=draft, seed=seed)
    narrative_dir = inputs.narrative_dir or out / "narrative"
    result = apply_narratives(report, narrative_dir)
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
    written = check_written(inputs.written, report.sections)
    status = {"applied": list(result.applied), "stale": list(result.stale),
              "orphans": list(result.orphans),
              "written": [{"key": c.text.key, "kind": c.text.kind, "cites": c.text.cites,
                           "status": c.status} for c in written]}
    (data / "narrative_status.json").write_text(json.dumps(status, indent=1), encoding="utf-8")
    html = html_renderer.render(report)
    (out / "index.html").write_text(html, encoding="utf-8")
    files["index.html"] = out / "index.html"
    files["sna.docx"] = docx_renderer.render(report, out / "sna.docx", template=docx_template)
    if pdf:
        files["sna.pdf"] = pdf_renderer.render(html, out / "sna.pdf")
    # the public summary: the report's own first sections, for the public site
    summary = public_summary(report)
    files[f"data/{SUMMARY_JSON}"] = write_summary(summary, data)
    if pdf:
        files[SUMMARY_PDF] = pdf_renderer.render(html_renderer.render(summary),
                                                 out / SUMMARY_PDF)
    # the whole SNA in Welsh, from the same figures and the same built report: what it
    # cannot put into Welsh (the partnership's and analysts' own words, names, sentences with
    # no Welsh yet) stays English, marked so in each file and listed in data/
    table = sentence_table(ctx)
    welsh_sna, left = welsh_report(report, table)
    welsh_html = html_renderer.render(welsh_sna, english=left)
    (out / WELSH_HTML).write_text(welsh_html, encoding="utf-8")
    files[WELSH_HTML] = out / WELSH_HTML
    files[WELSH_DOCX] = docx_renderer.render(welsh_sna, out / WELSH_DOCX,
                                             template=docx_template, english=left)
    if pdf:
        files[WELSH_PDF] = pdf_renderer.render(welsh_html, out / WELSH_PDF)
    files[f"data/{WELSH_LEFT}"] = _write_left(welsh_sna, left, data / WELSH_LEFT)
    # and the public summary in Welsh (the English it cannot put into Welsh is marked)
    welsh, english = welsh_report(summary, table)
    files[f"data/{SUMMARY_JSON_CY}"] = write_summary(welsh, data, english=english,
                                                     name=SUMMARY_JSON_CY)
    if pdf:
        files[SUMMARY_PDF_CY] = pdf_renderer.render(html_renderer.render(welsh),
                                                    out / SUMMARY_PDF_CY)
    return SnaOutput(report=report, narratives=result, files=files, written=tuple(written))


def _write_left(welsh: Report, left: frozenset[str], path: Path) -> Path:
    """Where the Welsh edition leaves English: per section, the pieces and their words."""
    sections: list[dict[str, object]] = []
    total = 0
    for s in welsh.sections:
        texts = [s.title, *(str(t) for b in s.blocks for t in _texts(b))]
        pieces = sorted({t for t in texts if t in left} | {
            part for t in texts for part in t.split("\n\n") if part in left})
        words = sum(len(p.split()) for p in pieces)
        total += words
        sections.append({"id": s.id, "title": s.title, "english": pieces, "words": words})
    payload = {"words_left": total, "sections": sections}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def _texts(block: object) -> list[object]:
    """The text of a block as the translator saw it (for :func:`_write_left`)."""
    out: list[object] = [getattr(block, k, "") for k in ("text", "plain", "caption",
                                                          "message", "alt_text")]
    data = getattr(block, "data", None)
    if isinstance(data, pd.DataFrame):
        out += [*data.columns, *data.index, *data.to_numpy().ravel()]
    out += [v for i in getattr(block, "items", ()) for v in dataclasses.astuple(i)]
    return [t for t in out if isinstance(t, str) and t]


def section(report: Report, section_id: str) -> Section:
    """One section of a built report by id (for writing a narrative against it)."""
    for s in report.sections:
        if s.id == section_id:
            return s
    raise KeyError(f"no section {section_id!r}; sections: {[s.id for s in report.sections]}")


__all__ = ["SnaOutput", "build_report", "section", "write_sna"]
