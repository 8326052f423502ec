"""The SNA's public summary: its first pages for residents, cut from the built report itself.

The summary is a :class:`~alliance.report.document.Report` made of the built SNA's own
sections (the executive summary with its headline table, the key findings, the partnership's
recommendations, the core outcome measures and what the community told us), so it holds no
number of its own: every figure is the block the full report shows. It is written beside the
report as ``summary.json`` (read by the public page) and ``summary.pdf``. Links into chapters
the summary leaves out are dropped, and so are the data requests (they are for partners).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from alliance.report.document import (
    Block,
    Figure,
    Finding,
    Notice,
    Paragraph,
    Report,
    Table,
)
from alliance.report.narrative import markdown_html
from alliance.report.wording import format_cell

#: the sections of the full report the summary keeps, in the reader's order
SECTIONS = ("summary", "key-findings", "recommendations", "core-measures", "community-voice")
SUMMARY_JSON = "summary.json"
SUMMARY_PDF = "summary.pdf"
_CHAPTER_LINK = re.compile(r"\s*\(\[[^\]]*\]\(#([a-z0-9_-]+)\)\)")


def _kept(block: Block) -> bool:
    return not (isinstance(block, Table) and "request" in block.id)


def _unlinked(block: Block, kept_ids: set[str]) -> Block:
    if isinstance(block, Paragraph):
        text = _CHAPTER_LINK.sub(
            lambda m: m.group(0) if m.group(1) in kept_ids else "", block.text)
        return dataclasses.replace(block, text=text)
    return block


def public_summary(report: Report) -> Report:
    """The summary for residents: the built report's own sections, nothing recomputed."""
    chosen = [s for s in report.sections if s.id in SECTIONS]
    kept_ids = {s.id for s in chosen} | {b.id for s in chosen for b in s.blocks
                                         if hasattr(b, "id")}
    sections = tuple(dataclasses.replace(s, blocks=tuple(
        _unlinked(b, kept_ids) for b in s.blocks if _kept(b))) for s in chosen)
    return Report(title=f"{report.title}: summary", subtitle=report.subtitle,
                  area=report.area, period=report.period, sections=sections,
                  published=report.published, lang=report.lang)


def _table(data: pd.DataFrame, formats: dict[str, str]) -> dict[str, Any]:
    flat = data.reset_index() if not isinstance(data.index, pd.RangeIndex) else data
    return {"columns": [str(c) for c in flat.columns],
            "rows": [[format_cell(v, formats.get(str(c))) for c, v in row.items()]
                     for _, row in flat.iterrows()]}


def _block(block: Block) -> dict[str, Any] | None:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "html": markdown_html(block.text)}
    if isinstance(block, Notice):
        return {"kind": "notice", "text": block.text}
    if isinstance(block, Finding):
        return {"kind": "finding", "id": block.id, "text": block.plain or block.text}
    if isinstance(block, Table):
        return {"kind": "table", "id": block.id, "caption": block.caption,
                **_table(block.data, dict(block.column_formats))}
    if isinstance(block, Figure):
        return {"kind": "figure", "id": block.id, "caption": block.caption,
                "message": block.message, "svg": block.svg, "alt_text": block.alt_text,
                **_table(block.data, dict(block.column_formats))}
    return None


def summary_document(summary: Report) -> dict[str, Any]:
    """The summary as plain data (what the public page renders)."""
    sections = []
    for s in summary.sections:
        blocks = [b for b in (_block(x) for x in s.blocks) if b is not None]
        sections.append({"id": s.id, "title": s.title, "blocks": blocks})
    return {"title": summary.title, "subtitle": summary.subtitle, "area": summary.area,
            "period": summary.period, "published": summary.published, "sections": sections}


def write_summary(summary: Report, folder: Path) -> Path:
    path = Path(folder) / SUMMARY_JSON
    path.write_text(json.dumps(summary_document(summary), ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path
