"""The SNA's public summary: its first pages for residents, cut from the built report itself.

The summary is a :class:`~alliance.report.document.Report` made of the built SNA's own
sections (the executive summary with its headline table, the key findings, the partnership's
recommendations, the core outcome measures and what the community told us), so it holds no
number of its own: every figure is the block the full report shows. It is written beside the
report as ``summary.json`` (read by the public page) and ``summary.pdf``, and in Welsh as
``summary.cy.json`` and ``summary.cy.pdf`` (:mod:`alliance.report.sna.cymraeg`: the same blocks,
each sentence it knows in Welsh; the English it does not know is marked ``"lang": "en"``).
Links into chapters the summary leaves out are dropped, and so are the data requests (they are
for partners).
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
SUMMARY_JSON_CY = "summary.cy.json"
SUMMARY_PDF_CY = "summary.cy.pdf"
_ITEM = re.compile(r"^\d+\. (.*)$")
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


def _table(data: pd.DataFrame, formats: dict[str, str],
           english: frozenset[str]) -> dict[str, Any]:
    flat = data.reset_index() if not isinstance(data.index, pd.RangeIndex) else data
    out: dict[str, Any] = {
        "columns": [str(c) for c in flat.columns],
        "rows": [[format_cell(v, formats.get(str(c))) for c, v in row.items()]
                 for _, row in flat.iterrows()]}
    if english:  # each cell's language where it is not the document's
        out["cell_lang"] = [["en" if cell in english else "" for cell in row]
                            for row in out["rows"]]
        out["column_lang"] = ["en" if c in english else "" for c in out["columns"]]
    return out


def _lang(text: str, english: frozenset[str]) -> dict[str, str]:
    return {"lang": "en"} if text in english else {}


def _paragraph_html(text: str, english: frozenset[str]) -> str:
    """A paragraph as HTML; a numbered list has each item it holds in English marked so."""
    lines = text.split("\n")
    items = [_ITEM.match(line) for line in lines]
    if not english or not all(items):
        return markdown_html(text)
    html = []
    for m in items:
        assert m is not None
        inner = markdown_html(m[1]).removeprefix("<p>").removesuffix("</p>")
        lang = ' lang="en"' if m[1] in english else ""
        html.append(f"<li{lang}>{inner}</li>")
    return "<ol>\n" + "\n".join(html) + "\n</ol>"


def _block(block: Block, english: frozenset[str]) -> dict[str, Any] | None:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "html": _paragraph_html(block.text, english),
                **_lang(block.text, english)}
    if isinstance(block, Notice):
        return {"kind": "notice", "text": block.text, **_lang(block.text, english)}
    if isinstance(block, Finding):
        text = block.plain or block.text
        return {"kind": "finding", "id": block.id, "text": text, **_lang(text, english)}
    if isinstance(block, Table):
        return {"kind": "table", "id": block.id, "caption": block.caption,
                **_table(block.data, dict(block.column_formats), english),
                **({"caption_lang": "en"} if block.caption in english else {})}
    if isinstance(block, Figure):  # a figure's drawing is labelled in the report's English
        return {"kind": "figure", "id": block.id, "caption": block.caption,
                "message": block.message, "svg": block.svg, "alt_text": block.alt_text,
                **({"lang": "en"} if english else {}),
                **_table(block.data, dict(block.column_formats), english)}
    return None


def summary_document(summary: Report, *, english: frozenset[str] = frozenset()
                     ) -> dict[str, Any]:
    """The summary as plain data (what the public page renders); ``english`` holds the text
    left in English in a summary in another language (marked ``"lang": "en"``)."""
    sections = []
    for s in summary.sections:
        blocks = [b for b in (_block(x, english) for x in s.blocks) if b is not None]
        sections.append({"id": s.id, "title": s.title, "blocks": blocks,
                         **_lang(s.title, english)})
    return {"title": summary.title, "subtitle": summary.subtitle, "area": summary.area,
            "period": summary.period, "published": summary.published, "sections": sections,
            "lang": summary.lang}


def write_summary(summary: Report, folder: Path, *, english: frozenset[str] = frozenset(),
                  name: str = SUMMARY_JSON) -> Path:
    path = Path(folder) / name
    path.write_text(json.dumps(summary_document(summary, english=english), ensure_ascii=False,
                               indent=1),
                    encoding="utf-8")
    return path
