"""The report model: a report is sections of blocks, and every number keeps its provenance.

The SNA generator builds a :class:`Report`; the HTML, Word and PDF renderers read it; and
:meth:`Report.figures` lists every table, figure and finding with where its numbers came from
(source dataset, import batches, period, definition, filters, suppression status), written
beside the report as ``figures.json`` so any number in the document can be traced.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


def _check_id(value: str, what: str) -> None:
    if not _ID.match(value):
        raise ValueError(f"{what} id {value!r} must be lower-case letters, digits, '-' or '_', "
                         "starting with a letter (it becomes a link anchor and a file name)")


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Where a number came from."""

    source: str
    import_batches: tuple[str, ...] = ()
    period: str = ""
    definition: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    suppression: str = "not suppressed"
    extracted: str = ""

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError("provenance needs a source dataset")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "import_batches": list(self.import_batches),
                "period": self.period, "definition": self.definition,
                "filters": dict(self.filters), "suppression": self.suppression,
                "extracted": self.extracted}

    def line(self, *, lang: str = "en", words: Callable[[str], str] = str,
             value: Callable[[str], str] = str) -> str:
        """One line under a table or figure: 'Source: …; period …; …' (its words in Welsh
        for a report in Welsh, ``lang`` 'cy'). ``words`` and ``value`` format the line's own
        words and the values (a renderer escapes both, and marks a value left in English)."""
        w = [words(x) for x in _LINE_WORDS.get(lang[:2], _LINE_WORDS["en"])]
        parts = [f"{w[0]}: {value(self.source)}"]
        if self.extracted:
            parts.append(f"{w[1]} {value(self.extracted)}")
        if self.period:
            parts.append(f"{w[2]} {value(self.period)}")
        if self.definition:
            parts.append(f"{w[3]}: {value(self.definition)}")
        if self.filters:
            parts.append(f"{w[4]}: " + ", ".join(f"{value(k)} = {value(v)}"
                                                  for k, v in self.filters.items()))
        parts.append(f"{w[5]}: {value(self.suppression)}")
        return "; ".join(parts) + "."


#: the words of a provenance line, by language
_LINE_WORDS = {"en": ("Source", "extracted", "period", "definition", "filters", "suppression"),
               "cy": ("Ffynhonnell", "echdynnwyd", "cyfnod", "diffiniad", "hidlyddion",
                      "atal data")}


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """Markdown text; ``drafted`` text was written by the tool and a narrative may replace it."""

    text: str
    drafted: bool = True


@dataclass(frozen=True, kw_only=True)
class Notice:
    """An editorial warning shown prominently (for example a narrative that is out of date)."""

    text: str
    kind: str = "warning"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A key finding: a sentence and the number it rests on.

    ``plain`` words it for a reader without statistics (the key findings list, and the
    workspace where the partnership chooses what its own words rest on); ``text`` keeps the
    method's detail for the chapter."""

    id: str
    text: str
    provenance: Provenance
    value: float | None = None
    unit: str = ""
    plain: str = ""

    def __post_init__(self) -> None:
        _check_id(self.id, "finding")


@dataclass(frozen=True, kw_only=True)
class Table:
    """A table of numbers. Hidden cells hold the marker '[c]' (see alliance.privacy)."""

    id: str
    caption: str
    data: pd.DataFrame
    provenance: Provenance
    column_formats: Mapping[str, str] = field(default_factory=dict)
    row_header: bool = True

    def __post_init__(self) -> None:
        _check_id(self.id, "table")
        if self.data.columns.has_duplicates:
            raise ValueError(f"table {self.id!r} has duplicated columns")
        unknown = set(self.column_formats) - {str(c) for c in self.data.columns}
        if unknown:
            raise ValueError(f"table {self.id!r}: formats for unknown columns {sorted(unknown)}")


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A chart or map: SVG text, caption, alternative text and the data drawn.

    ``message`` is the sentence that says what the chart shows (its point, in plain words:
    "The highest rates are in central Northampton, Corby and Kettering"), printed above it;
    the caption names what is drawn and the alternative text describes it for a reader who
    cannot see it.
    """

    id: str
    caption: str
    svg: str
    alt_text: str
    data: pd.DataFrame
    provenance: Provenance
    column_formats: Mapping[str, str] = field(default_factory=dict)
    message: str = ""

    def __post_init__(self) -> None:
        _check_id(self.id, "figure")
        if not self.alt_text.strip():
            raise ValueError(f"figure {self.id!r} needs alternative text")
        if not self.svg.lstrip().startswith("<svg"):
            raise ValueError(f"figure {self.id!r}: svg must be an <svg> element")


@dataclass(frozen=True, kw_only=True)
class DataRequestItem:
    partner: str
    dataset: str
    fields: str
    period: str
    purpose: str
    status: str = "requested"


@dataclass(frozen=True, kw_only=True)
class DataRequest:
    """Data the partnership still needs from partners (a gap list, kept in the report)."""

    id: str
    caption: str
    items: tuple[DataRequestItem, ...]

    def __post_init__(self) -> None:
        _check_id(self.id, "data request")

    def to_frame(self, *, lang: str = "en") -> pd.DataFrame:
        """The items as a table, headed in the report's language (``lang`` 'cy': Welsh)."""
        columns = _REQUEST_COLUMNS.get(lang[:2], _REQUEST_COLUMNS["en"])
        return pd.DataFrame(
            [dict(zip(columns, (i.partner, i.dataset, i.fields, i.period, i.purpose, i.status),
                      strict=True)) for i in self.items], columns=list(columns))


#: a data request table's headings, by language
_REQUEST_COLUMNS = {"en": ("Partner", "Dataset", "Fields", "Period", "Purpose", "Status"),
                    "cy": ("Partner", "Set ddata", "Meysydd", "Cyfnod", "Diben", "Statws")}


Block = Paragraph | Notice | Finding | Table | Figure | DataRequest


@dataclass(frozen=True, kw_only=True)
class Section:
    id: str
    title: str
    level: int = 1
    blocks: tuple[Block, ...] = ()

    def __post_init__(self) -> None:
        _check_id(self.id, "section")
        if self.level not in (1, 2, 3):
            raise ValueError(f"section {self.id!r}: level must be 1, 2 or 3")


@dataclass(frozen=True, kw_only=True)
class Report:
    title: str
    area: str
    period: str
    sections: tuple[Section, ...]
    subtitle: str = ""
    published: str = ""
    lang: str = "en-GB"

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for section in self.sections:
            ids = [section.id] + [b.id for b in section.blocks if hasattr(b, "id")]
            for ident in ids:
                if ident in seen:
                    raise ValueError(f"id {ident!r} is used twice in the report")
                seen.add(ident)

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        for section in self.sections:
            for block in section.blocks:
                yield section, block

    def numbers(self) -> dict[str, str]:
        """Display labels by id: 'Table 1', 'Figure 3' (tables and data requests share a count;
        'Tabl 1', 'Ffigur 3' in a report in Welsh)."""
        labels: dict[str, str] = {}
        n_table = n_figure = 0
        table, figure = ("Tabl", "Ffigur") if self.lang[:2] == "cy" else ("Table", "Figure")
        for _, block in self.blocks():
            if isinstance(block, Table | DataRequest):
                n_table += 1
                labels[block.id] = f"{table} {n_table}"
            elif isinstance(block, Figure):
                n_figure += 1
                labels[block.id] = f"{figure} {n_figure}"
        return labels

    def figures(self) -> list[dict[str, Any]]:
        """Every table, figure and finding with its provenance and data, for ``figures.json``."""
        labels = self.numbers()
        out: list[dict[str, Any]] = []
        for section, block in self.blocks():
            if isinstance(block, Table | Figure):
                out.append({"id": block.id, "kind": type(block).__name__.lower(),
                            "label": labels[block.id], "section": section.id,
                            "section_title": section.title, "caption": block.caption,
                            **({"message": block.message} if isinstance(block, Figure)
                               and block.message else {}),
                            "provenance": block.provenance.to_dict(),
                            "data": frame_records(block.data)})
            elif isinstance(block, Finding):
                out.append({"id": block.id, "kind": "finding", "section": section.id,
                            "section_title": section.title, "text": block.text,
                            **({"plain": block.plain} if block.plain else {}),
                            "value": _json_number(block.value),
                            "unit": block.unit, "provenance": block.provenance.to_dict()})
        return out

    def write_figures_json(self, path: Path) -> Path:
        payload = {"title": self.title, "area": self.area, "period": self.period,
                   "figures": self.figures()}
        path.write_text(json.dumps(payload, indent=1, ensure_ascii=False, allow_nan=False),
                        encoding="utf-8")
        return path


def _json_number(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, date):  # also datetime and pandas Timestamp
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None  # suppressed or missing; JSON has no NaN
    if hasattr(value, "item"):
        return value.item()
    return value


def frame_records(data: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-safe records, the index kept as the first field(s)."""
    flat = data.reset_index() if not isinstance(data.index, pd.RangeIndex) else data
    return [{str(k): _json_number(v) for k, v in row.items()}
            for row in flat.to_dict(orient="records")]
