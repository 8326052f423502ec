"""Analyst narrative kept beside the data: ``narrative/<section-id>.md``.

The generator drafts text from the numbers; an analyst rewrites it in a Markdown file per
section, and that text survives next year's regeneration. Each file starts with front matter
recording a fingerprint of the numbers the narrative was written against::

    ---
    section: where
    fingerprint: 9c1f…(SHA-256 of the section's numbers)
    written: 2026-11-25
    ---
    Violence is concentrated in central Northampton …

When the report is rebuilt, the narrative replaces the drafted paragraphs of its section; if the
numbers under the section have changed since it was written, the section is flagged (a visible
notice in the report and in :class:`NarrativeResult`) so no stale sentence is published unseen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import math
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import markdown as md
import pandas as pd
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from alliance.report.document import (
    Block,
    Figure,
    Finding,
    Notice,
    Paragraph,
    Report,
    Section,
    Table,
    frame_records,
)

FRONT = "---"

#: link targets a narrative may use: the web, e-mail, and places in the same document (#id)
LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
#: browsers ignore these anywhere in a URL's scheme ("java\tscript:" runs as "javascript:")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u200b-\u200d\u2028\u2029\ufeff]")


def safe_link(url: str, *, schemes: tuple[str, ...] = LINK_SCHEMES,
              in_document: bool = True) -> bool:
    """True for an http(s) or mailto link, or an in-document ``#id`` link; nothing else.

    The URL is judged as a browser would read it: character references decoded (repeatedly,
    so ``&amp;#106;`` cannot hide a ``j``), control characters and spaces dropped, case
    ignored. Relative and scheme-relative (``//host``) links are refused: the report is a
    stand-alone file, where they would point nowhere.
    """
    text = url
    for _ in range(5):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = _IGNORED_IN_URL.sub("", text).lower()
    if text.startswith("#"):
        return in_document
    match = _SCHEME.match(text)
    return match is not None and match.group(1) in schemes


class _SafeLinks(Treeprocessor):
    """Turn every link and image whose target is not allowed into its plain text."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not safe_link(element.get("href", "")):
                element.tag = "span"
                element.attrib.clear()
            elif element.tag == "img" and not safe_link(element.get("src", ""),
                                                         schemes=("http", "https"),
                                                         in_document=False):
                element.tag = "span"
                alt = element.get("alt", "")
                element.attrib.clear()
                element.text = alt


class _SafeLinksExtension(Extension):
    def extendMarkdown(self, markdown: md.Markdown) -> None:
        # after "unescape" (priority 0), so backslash escapes cannot hide a scheme
        markdown.treeprocessors.register(_SafeLinks(markdown), "alliance_safe_links", -10)


def markdown_html(text: str) -> str:
    """Narrative Markdown as HTML: raw HTML escaped, only safe link targets kept live."""
    # Narrative is written by analysts in Markdown; raw HTML is escaped so that a pasted tag can
    # neither break the page nor inject content.
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return md.markdown(safe, extensions=["sane_lists", _SafeLinksExtension()],
                       output_format="html")


@dataclass(frozen=True)
class Narrative:
    section_id: str
    text: str
    fingerprint: str
    written: str
    path: Path


@dataclass(frozen=True)
class NarrativeResult:
    """The report with narratives applied, and what needs the analyst's attention."""

    report: Report
    applied: tuple[str, ...]
    stale: tuple[str, ...]
    orphans: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        rows = [{"section": s, "status": "stale" if s in self.stale else "current"}
                for s in self.applied]
        rows += [{"section": s, "status": "no such section"} for s in self.orphans]
        return pd.DataFrame(rows, columns=["section", "status"])


def _canonical(value: object) -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return float(f"{value:.10g}")  # ignore float noise below 10 significant digits
    return value


def section_fingerprint(section: Section) -> str:
    """SHA-256 of every number under the section (tables, figure data, finding values)."""
    payload: list[dict[str, object]] = []
    for block in section.blocks:
        if isinstance(block, Table | Figure):
            records = [{k: _canonical(v) for k, v in r.items()} for r in frame_records(block.data)]
            payload.append({"id": block.id, "data": records})
        elif isinstance(block, Finding):
            payload.append({"id": block.id, "value": _canonical(block.value)})
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _parse(path: Path) -> Narrative:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != FRONT:
        raise ValueError(f"{path}: line 1 must be '---' opening the front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT)
    except StopIteration:
        raise ValueError(f"{path}: front matter is not closed by a '---' line") from None
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{path}: line {number}: expected 'key: value', got {line!r}")
        meta[key.strip()] = value.strip()
    for key in ("section", "fingerprint"):
        if not meta.get(key):
            raise ValueError(f"{path}: front matter lacks the field {key!r}")
    if meta["section"] != path.stem:
        raise ValueError(f"{path}: front matter names section {meta['section']!r} but the file "
                         f"is for {path.stem!r}")
    return Narrative(section_id=meta["section"], text="\n".join(lines[end + 1:]).strip(),
                     fingerprint=meta["fingerprint"], written=meta.get("written", ""), path=path)


def load_narratives(folder: Path) -> dict[str, Narrative]:
    """Every ``<section-id>.md`` in ``folder`` (none if the folder does not exist yet)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {n.section_id: n for n in (_parse(p) for p in sorted(folder.glob("*.md")))}


def write_narrative(folder: Path, section: Section, text: str, *,
                    written: date | None = None) -> Path:
    """Save ``text`` as the narrative of ``section``, fingerprinting its current numbers."""
    if not text.strip():
        raise ValueError(f"narrative for section {section.id!r} is empty")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{section.id}.md"
    stamp = (written or date.today()).isoformat()
    path.write_text(f"{FRONT}\nsection: {section.id}\nfingerprint: "
                    f"{section_fingerprint(section)}\nwritten: {stamp}\n{FRONT}\n"
                    f"{text.strip()}\n", encoding="utf-8")
    return path


def draft_narratives(report: Report, folder: Path) -> list[Path]:
    """Start a narrative file from the drafted text of each section that has none yet."""
    existing = load_narratives(folder)
    made = []
    for section in report.sections:
        drafted = [b.text for b in section.blocks if isinstance(b, Paragraph) and b.drafted]
        if section.id not in existing and drafted:
            made.append(write_narrative(folder, section, "\n\n".join(drafted)))
    return made


def apply_narratives(report: Report, folder: Path) -> NarrativeResult:
    """Replace each section's drafted paragraphs by its narrative and flag stale narratives."""
    narratives = load_narratives(folder)
    ids = {s.id for s in report.sections}
    sections, applied, stale = [], [], []
    for section in report.sections:
        narrative = narratives.get(section.id)
        if narrative is None:
            sections.append(section)
            continue
        applied.append(section.id)
        new_blocks: list[Block] = []
        if narrative.fingerprint != section_fingerprint(section):
            stale.append(section.id)
            new_blocks.append(Notice(text=(
                f"The numbers in this section have changed since this text was written"
                f"{' on ' + narrative.written if narrative.written else ''}. Check the "
                f"narrative in {narrative.path.name} against the tables and figures, then "
                "save it again to clear this notice.")))
        placed = False
        for block in section.blocks:
            if isinstance(block, Paragraph) and block.drafted:
                if not placed:
                    new_blocks.append(Paragraph(text=narrative.text, drafted=False))
                    placed = True
                continue
            new_blocks.append(block)
        if not placed:
            # No drafted text to replace: the narrative opens the section (after any notice).
            at = 1 if section.id in stale else 0
            new_blocks.insert(at, Paragraph(text=narrative.text, drafted=False))
        sections.append(dataclasses.replace(section, blocks=tuple(new_blocks)))
    orphans = tuple(sorted(set(narratives) - ids))
    return NarrativeResult(report=dataclasses.replace(report, sections=tuple(sections)),
                           applied=tuple(applied), stale=tuple(stale), orphans=orphans)
