"""Put a built report into Welsh from a sentence table, and say what English is left.

The SNA and its public summary are built once, in English, from the figures. The Welsh
edition is the same :class:`Report` with each piece of text the table knows (a title, a
caption, a column heading, a cell, one paragraph of a section, one item of a list) replaced by
its Welsh. The table is made per build from the same figures and the same formatting functions
as the English (:func:`alliance.report.sna.cymraeg.sentence_table`), so no number is computed
twice and a change to the English drops its Welsh rather than leaving an out-of-date
translation. What the table does not know (the partnership's own words, names from
publishers, sentences with no Welsh yet) stays English and is returned, so that every page
and file marks it ``lang="en"`` for screen readers and the reader can tell.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd

from alliance.report.document import (
    DataRequest,
    Figure,
    Finding,
    Notice,
    Paragraph,
    Report,
    Table,
)
from alliance.report.welsh import MONTHS, dates_cy, soft, with_cy

_ITEM = re.compile(r"^(\d+\.|-|\*) (.*)$")
_RANGE = re.compile(r"[\d,.]+ \([\d,.]+ to [\d,.]+\)")
_LETTERS = re.compile(r"[A-Za-z]")
_ISO_SPAN = re.compile(r"^(\d{4}-\d{2}) to (\d{4}-\d{2})$")
_MONTHS_CY = re.compile(r"\b(?:" + "|".join(
    {*MONTHS, *(soft(m) for m in MONTHS)}) + r"|i)\b")


@dataclasses.dataclass
class Translator:
    """Looks text up in ``table``; remembers the English it could not put into Welsh."""

    table: dict[str, str]
    english: set[str] = dataclasses.field(default_factory=set)

    def __call__(self, text: str) -> str:
        if text in self.table:
            return self.table[text]
        if _RANGE.fullmatch(text):  # a figure with its interval: '35.10 (34.70 to 35.50)'
            return text.replace(" to ", " i ")
        if _LETTERS.search(text):
            self.english.add(text)
        return text

    def dates(self, text: str) -> str:
        """A period or date ('January 2025 to December 2025', '2024-01 to 2025-12', '2 Jan
        2026 09:00'): the table's Welsh if it has it, else its months and 'to' put into Welsh;
        words that are neither stay English and are remembered."""
        if text in self.table:
            return self.table[text]
        if " against " in text:  # a period and the one it is compared with
            now, _, then = text.partition(" against ")
            left = len(self.english)
            welsh_now, welsh_then = self.dates(now), self.dates(then)
            if len(self.english) > left:
                self.english.add(text)
                return text
            return f"{welsh_now} o gymharu {with_cy(welsh_then)} {welsh_then}"
        welsh = _ISO_SPAN.sub(r"\1 i \2", dates_cy(text))
        if _LETTERS.search(_MONTHS_CY.sub("", welsh.replace("(mewnforiwyd i Alliance)", ""))):
            self.english.add(text)
            return text
        return welsh

    def paragraph(self, text: str) -> str:
        """Markdown text, part by part: a paragraph (between blank lines) whole if the table
        knows it, else a list item by item; so a section's fixed parts are Welsh even where
        one generated sentence beside them is not."""
        if text in self.table:
            return self.table[text]
        return "\n\n".join(self._part(part) for part in text.split("\n\n"))

    def _part(self, part: str) -> str:
        if part in self.table:
            return self.table[part]
        lines = part.split("\n")
        items = [_ITEM.match(line) for line in lines]
        if lines and all(items):  # a list, item by item
            return "\n".join(f"{m[1]} {self(m[2])}" for m in items if m)
        return self(part)


def _block(b: object, cy: Translator) -> object:
    if isinstance(b, Paragraph):
        return dataclasses.replace(b, text=cy.paragraph(b.text))
    if isinstance(b, Notice):
        return dataclasses.replace(b, text=cy.paragraph(b.text))
    if isinstance(b, Finding):
        b = dataclasses.replace(b, text=cy(b.text), plain=cy(b.plain) if b.plain else "")
    if isinstance(b, Table | Figure | Finding):  # the source line under it
        p = b.provenance
        b = dataclasses.replace(b, provenance=dataclasses.replace(
            p, source=cy(p.source), period=cy.dates(p.period),
            definition=cy(p.definition) if p.definition else "",
            filters={cy(k): cy(v) for k, v in p.filters.items()},
            suppression=cy(p.suppression), extracted=cy.dates(p.extracted)))
    if isinstance(b, Table | Figure):
        data = b.data.rename(columns=lambda c: cy(str(c))).map(
            lambda v: cy(v) if isinstance(v, str) else v)
        if not isinstance(data.index, pd.RangeIndex):  # row labels (a category, a place)
            data.index = data.index.map(lambda v: cy(v) if isinstance(v, str) else v)
            data.index.names = [cy(n) if isinstance(n, str) else n
                                for n in b.data.index.names]
        formats = {cy(k): v for k, v in b.column_formats.items()}
        b = dataclasses.replace(b, caption=cy(b.caption), data=data, column_formats=formats)
        if isinstance(b, Figure):  # the drawing's own labels stay as drawn (marked English)
            b = dataclasses.replace(b, message=cy(b.message), alt_text=cy(b.alt_text))
    if isinstance(b, DataRequest):
        b = dataclasses.replace(b, caption=cy(b.caption), items=tuple(
            dataclasses.replace(i, partner=cy(i.partner), dataset=cy(i.dataset),
                                fields=cy(i.fields), period=cy.dates(i.period),
                                purpose=cy(i.purpose), status=cy(i.status))
            for i in b.items))
    return b


def welsh_report(report: Report, table: dict[str, str]) -> tuple[Report, frozenset[str]]:
    """``report`` with every piece of text ``table`` knows in Welsh, and the English left."""
    cy = Translator(table)
    sections = tuple(dataclasses.replace(
        s, title=cy(s.title), blocks=tuple(_block(b, cy) for b in s.blocks))  # type: ignore[misc]
        for s in report.sections)
    welsh = Report(title=cy(report.title), subtitle=cy(report.subtitle), area=report.area,
                   period=cy(report.period), sections=sections,
                   published=cy.dates(report.published), lang="cy")
    return welsh, frozenset(cy.english)


__all__ = ["Translator", "welsh_report"]
