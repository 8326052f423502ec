"""The indicator table every partner reader returns, and the pieces the readers share.

One row is one published figure: an area, a period, a measure (and optional breakdown) and a
value, with the numerator and denominator when the publisher gives them. Publishers' suppression
markers (``c``, ``x``, ``z``, ``:``, ``..``, ``low``, ``~`` ...) are kept as rows whose ``value`` is
empty and whose ``notes`` say ``suppressed 'c': confidential`` - never turned into 0. A cell that
is neither a number nor a known marker is a *problem*: the row is left out of the table and
recorded, with file, line and field, in :attr:`IndicatorRead.problems`.

Columns of the table (:data:`COLUMNS`):

``area_code``     GSS code (E06000061, E23000022, E92000001 ...)
``area_name``     name as published
``area_level``    ``country`` / ``region`` / ``utla`` / ``la`` (lower tier) / ``pfa`` / ``combined``
``period``        label such as ``2023/24``, ``2024``, ``YE Mar 2019``, ``2020/21-22/23``
``period_start``  first day covered (``datetime64``); a snapshot has start == end
``period_end``    last day covered
``measure``       stable snake_case indicator id, e.g. ``fte_youth_justice_rate``
``measure_label`` the publisher's wording
``numerator``     count behind the value, when published (else empty)
``denominator``   base behind the value, when published (else empty)
``value``         the published figure (empty when suppressed or not published)
``unit``          ``count``, ``percentage``, ``rate per 100,000``, ``directly standardised rate
                  per 100,000`` ...
``breakdown``     ``''`` for the total, else ``key=value; key=value`` (sex, age, reason ...)
``source``        dataset id of the reader
``source_file``   file name (``file.xlsx[sheet]`` for workbooks)
``source_line``   line of the figure in that file (spreadsheet row; parquet row + 2, as if
                  the header were line 1)
``notes``         suppression marker, reliability flags, how dates were inferred
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import ExpansionGuard, RepeatGuard, capped_lines, check_fields

COLUMNS: tuple[str, ...] = (
    "area_code", "area_name", "area_level", "period", "period_start", "period_end",
    "measure", "measure_label", "numerator", "denominator", "value", "unit", "breakdown",
    "source", "source_file", "source_line", "notes",
)

# Publishers' symbols for "no figure here" (GSS / DfE / ONS / Fingertips conventions). Readers
# may override the meaning of a symbol where their publisher documents a different one.
MARKERS: dict[str, str] = {
    "c": "confidential (suppressed to protect individuals)",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability (figure withheld)",
    "low": "rounds to zero but is not zero",
    "k": "rounds to zero but is not zero",
    ":": "not available",
    "..": "not available",
    ".": "not available",
    "~": "fewer than 5 / rounds to zero",
    "-": "not available",
    "*": "suppressed",
    "!": "suppressed",
    "na": "not available",
    "n/a": "not available",
    "[c]": "confidential (suppressed to protect individuals)",
    "[x]": "not available",
    "[z]": "not applicable",
    "[u]": "low reliability (figure withheld)",
    "[low]": "rounds to zero but is not zero",
}

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class PartnerFileError(ValueError):
    """A partner file that cannot be read: names the file, and the line and field when known."""

    def __init__(self, file: str | Path, message: str, *, line: int | None = None,
                 field: str | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.field = field
        where = self.file + (f", line {line}" if line is not None else "")
        where += f", field '{field}'" if field is not None else ""
        super().__init__(f"{where}: {message}")


class UnknownFormatError(PartnerFileError):
    """No reader recognises the file."""


@dataclass(frozen=True, kw_only=True)
class Problem:
    """A row that could not be read and was left out of the table (recoverable)."""

    file: str
    line: int | None
    field: str | None
    value: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        where += f", field '{self.field}'" if self.field else ""
        return f"{where}: {self.message}" + (f" (value {self.value!r})" if self.value else "")


@dataclass(frozen=True, kw_only=True)
class IndicatorRead:
    """What a reader returns: the indicator table, the rows it could not read, the dataset id."""

    table: pd.DataFrame
    problems: tuple[Problem, ...]
    dataset: str
    path: Path
    reader: str

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def problems_frame(self) -> pd.DataFrame:
        return pd.DataFrame([p.__dict__ for p in self.problems],
                            columns=["file", "line", "field", "value", "message"])


@dataclass(frozen=True, kw_only=True)
class ColumnMeasure:
    """How one published column becomes one measure."""

    column: str
    measure: str
    label: str
    unit: str
    numerator: str | None = None
    denominator: str | None = None
    breakdown: str = ""
    field_name: str | None = None  # how problems name the field, when ``column`` is internal


@dataclass
class ProblemLog:
    """Collects problems while a reader works (mutable helper; frozen into the result)."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, field_name: str | None, value: str, message: str) -> None:
        self.items.append(Problem(file=self.file, line=line, field=field_name, value=value,
                                  message=message))


# ---------------------------------------------------------------------------------- reading bytes

def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip; a truncated gzip is an error naming the file,
    and so is one that expands more than :data:`alliance.sources.limits.MAX_EXPANSION` times
    (refused before it is held whole)."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
                return ExpansionGuard(stream, compressed=len(raw), file=path.name).read()
        except (EOFError, OSError, zlib.error) as exc:
            raise PartnerFileError(path.name, f"gzip stream is damaged or truncated ({exc})") \
                from exc
        except SourceFileError as exc:
            raise PartnerFileError(path.name, exc.message) from None
    return raw


def decode(path: Path, raw: bytes) -> str:
    """UTF-8 text (BOM dropped); mis-encoded bytes are an error naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PartnerFileError(path.name, f"not UTF-8 text: byte {raw[exc.start]:#04x} at "
                               f"offset {exc.start} ({exc.reason})", line=line) from exc


def head_line(path: Path, max_bytes: int = 65536) -> str:
    """First line of a (possibly gzipped) text file, for recognising its format; '' if binary.

    A gzip stream is decompressed incrementally so that a truncated file is still recognised
    (and then reported as truncated by the reader) rather than called an unknown format.
    """
    with path.open("rb") as fh:
        chunk = fh.read(max_bytes)
    if chunk[:2] == b"\x1f\x8b":
        try:
            chunk = zlib.decompressobj(wbits=31).decompress(chunk, max_bytes)
        except zlib.error:
            return ""
    text = chunk.decode("utf-8-sig", errors="replace")
    return text.splitlines()[0] if text else ""


def header_fields(path: Path) -> list[str]:
    line = head_line(path)
    return next(csv.reader([line])) if line else []


def read_csv_strings(path: Path, log: ProblemLog, *,
                     required: Sequence[str] = ()) -> pd.DataFrame:
    """Every record as text, with its physical line number in ``_line``.

    Missing required columns are an error naming the field; a record with the wrong number of
    fields (e.g. a truncated last line) is recorded as a problem and left out.
    """
    text = decode(path, read_bytes(path))
    try:
        return _read_records(path, log, text, required)
    except SourceFileError as exc:  # a limit of alliance.sources.limits
        raise PartnerFileError(path.name, exc.message, line=exc.line, field=exc.field) from None


def _read_records(path: Path, log: ProblemLog, text: str,
                  required: Sequence[str]) -> pd.DataFrame:
    # lines and fields capped, runs and shares of copied rows refused (alliance.sources.limits)
    reader = csv.reader(capped_lines(io.StringIO(text, newline=""), file=path.name))
    repeats = RepeatGuard(path.name)
    try:
        header = next(reader)
    except StopIteration:
        raise PartnerFileError(path.name, "file is empty", line=1) from None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise PartnerFileError(path.name, f"required column(s) missing from the header: "
                               f"{', '.join(missing)}", line=1, field=missing[0])
    seen: dict[str, int] = {}
    names = []
    for h in header:  # duplicated names (ONS 'notes','notes') keep their order: notes, notes.1
        n = seen.get(h, 0)
        names.append(h if n == 0 else f"{h}.{n}")
        seen[h] = n + 1
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for rec in reader:
            if not rec or all(not c.strip() for c in rec):
                continue
            if len(rec) != len(names):
                log.add(reader.line_num, None, ",".join(rec)[:80],
                        f"record has {len(rec)} fields, header has {len(names)} "
                        "(truncated or malformed line); left out")
                continue
            check_fields(rec, names, file=path.name, line=reader.line_num)
            repeats.see(rec, reader.line_num)
            rows.append(rec)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise PartnerFileError(path.name, f"malformed CSV ({exc})", line=reader.line_num) from exc
    if not rows:
        raise PartnerFileError(path.name, "the file has a header but no data rows", line=1)
    repeats.finish()
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    frame["_line"] = np.asarray(lines, dtype="int64")
    return frame


# ------------------------------------------------------------------------------- parsing values

def parse_cells(raw: pd.Series, markers: Mapping[str, str] = MARKERS
                ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers, marker notes and a bad-cell mask for a column of published text.

    Returns ``(values, notes, bad)``: ``values`` float (NaN where no number), ``notes`` text
    (``suppressed 'c': confidential ...`` for markers, ``blank in source`` for empty cells) and
    ``bad`` True where the cell is neither a number nor a known marker.
    """
    text = raw.astype("string").fillna("").str.strip()
    numeric_text = text.where(~text.str.match(_THOUSANDS.pattern), text.str.replace(",", ""))
    is_number = numeric_text.str.match(_NUMBER.pattern)
    values = pd.to_numeric(numeric_text.where(is_number), errors="coerce").astype("float64")
    lower = text.str.lower()
    known = {k.lower(): v for k, v in markers.items()}
    is_marker = ~is_number & lower.isin(list(known))
    blank = text.eq("")
    notes = pd.Series("", index=raw.index, dtype="object")
    notes[is_marker] = text[is_marker].map(lambda t: f"suppressed '{t}': {known[t.lower()]}")
    notes[blank] = "blank in source (no figure published)"
    bad = ~(is_number | is_marker | blank)
    return values, notes, bad.astype(bool)


def join_notes(*parts: pd.Series | str) -> pd.Series:
    """Join note columns element-wise with '; ', skipping empty pieces."""
    series = [p for p in parts if isinstance(p, pd.Series)]
    if not series:
        raise ValueError("join_notes needs at least one Series")
    index = series[0].index
    result = np.full(len(index), "", dtype=object)
    for part in parts:
        nxt = (part.astype("object").fillna("").to_numpy(dtype=object)
               if isinstance(part, pd.Series) else np.full(len(index), part, dtype=object))
        both = (result != "") & (nxt != "")
        result = np.where(result == "", nxt, np.where(both, result + "; " + nxt, result))
    return pd.Series(result, index=index, dtype="object")


def melt_measures(frame: pd.DataFrame, specs: Sequence[ColumnMeasure], *, source: str,
                  source_file: str, log: ProblemLog,
                  markers: Mapping[str, str] = MARKERS) -> pd.DataFrame:
    """Turn wide measure columns into indicator rows.

    ``frame`` must already hold the geography/period columns of :data:`COLUMNS` plus
    ``breakdown``, ``notes`` and ``_line``. Each spec adds one row per input row.
    """
    parts = []
    for spec in specs:
        if spec.column not in frame.columns:
            raise PartnerFileError(source_file, "expected measure column is missing",
                                   line=1, field=spec.column)
        value, vnote, bad = parse_cells(frame[spec.column], markers)
        for idx in np.flatnonzero(bad.to_numpy()):
            log.add(int(frame["_line"].iloc[idx]), spec.field_name or spec.column,
                    str(frame[spec.column].iloc[idx]),
                    "not a number nor a known suppression marker; row left out")
        out = frame.loc[~bad.to_numpy(), [c for c in frame.columns if c in COLUMNS or
                                          c == "_line"]].copy()
        out["value"] = value[~bad]
        notes = [out.get("notes", ""), vnote[~bad]]
        for role in ("numerator", "denominator"):
            col = getattr(spec, role)
            if col is None:
                out[role] = np.nan
                continue
            if col not in frame.columns:
                raise PartnerFileError(source_file, f"expected {role} column is missing",
                                       line=1, field=col)
            nval, nnote, nbad = parse_cells(frame[col], markers)
            nval[nbad] = np.nan
            out[role] = nval[~bad]
            nnote = nnote.where(~nbad, f"{role} unreadable")
            notes.append(nnote[~bad].map(lambda s, r=role: f"{r} {s}" if s and
                                         not s.startswith(r) else s))
        out["notes"] = join_notes(*notes)
        # an empty spec field means "per row": the frame already holds it
        if spec.measure:
            out["measure"] = spec.measure
        if spec.label:
            out["measure_label"] = spec.label
        if spec.unit:
            out["unit"] = spec.unit
        base = out["breakdown"] if "breakdown" in out else pd.Series("", index=out.index)
        out["breakdown"] = base.map(lambda b, s=spec.breakdown: "; ".join(x for x in (b, s) if x))
        out["source"] = source
        out["source_file"] = source_file
        out["source_line"] = out.pop("_line")
        parts.append(out)
    return finish(pd.concat(parts, ignore_index=True) if parts else empty_table())


def empty_table() -> pd.DataFrame:
    return finish(pd.DataFrame({c: [] for c in COLUMNS}))


def finish(table: pd.DataFrame) -> pd.DataFrame:
    """Columns in the documented order and types."""
    for c in COLUMNS:
        if c not in table:
            table[c] = np.nan if c in ("numerator", "denominator", "value") else ""
    out = table.loc[:, list(COLUMNS)].reset_index(drop=True)
    for c in ("numerator", "denominator", "value"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    for c in ("period_start", "period_end"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    out["source_line"] = pd.to_numeric(out["source_line"]).astype("int64")
    for c in COLUMNS:
        if c not in ("numerator", "denominator", "value", "period_start", "period_end",
                     "source_line"):
            out[c] = out[c].fillna("").astype("object")
    return out


def snake(text: str) -> str:
    """A stable snake_case id from a publisher's label."""
    s = re.sub(r"[^0-9a-zA-Z]+", "_", text.strip().lower()).strip("_")
    return re.sub(r"_+", "_", s)
