"""Checking police.uk CSVs line by line: the layouts, the header, and every row.

Used by the row reader (:mod:`alliance.sources.police_uk_read`) as its first pass, and by the
columnar path (:mod:`alliance.sources.police_uk_aggregate`) to name the exact line and field
when pyarrow reports a fault. Rules: see :mod:`alliance.sources.police_uk`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, cast

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import RepeatGuard, capped_lines, check_fields
from alliance.sources.police_uk_files import Kind, PoliceUkFile, damaged, open_bytes

MONTH = re.compile(r"^\d{4}-\d{2}$")
#: A generous box around the UK (incl. Northern Ireland, Scilly, Shetland): points outside it
#: are not snap points of any UK force, so the point is set aside and the row flagged.
UK_LON = (-8.75, 1.90)
UK_LAT = (49.80, 60.95)

STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
OUTCOMES_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
)
STOP_SEARCH_COLUMNS = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
    "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
    "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)


@dataclass(frozen=True)
class Layout:
    """What a police.uk data set looks like and how its columns map to the canonical ones."""

    kind: Kind
    source: str
    columns: tuple[str, ...]
    category: str  # column giving source_category
    outcome: str | None
    key_columns: tuple[str, ...]  # the record tuple hashed into record_key
    mapped: tuple[str, ...]  # columns with a canonical home (the rest go to `extra`)


LAYOUTS: dict[str, Layout] = {
    "street": Layout(
        "street", "police_uk_street", STREET_COLUMNS, "Crime type", "Last outcome category",
        ("Crime ID", "Crime type", "Longitude", "Latitude", "Location", "LSOA code"),
        ("Crime ID", "Month", "Longitude", "Latitude", "Location", "LSOA code", "Crime type",
         "Last outcome category"),
    ),
    "outcomes": Layout(
        "outcomes", "police_uk_outcomes", OUTCOMES_COLUMNS, "Outcome type", "Outcome type",
        ("Crime ID", "Outcome type", "Longitude", "Latitude", "Location", "LSOA code"),
        ("Crime ID", "Month", "Longitude", "Latitude", "Location", "LSOA code", "Outcome type"),
    ),
    "stop-and-search": Layout(
        "stop-and-search", "police_uk_stop_search", STOP_SEARCH_COLUMNS, "Object of search",
        "Outcome",
        tuple(c for c in STOP_SEARCH_COLUMNS
              if c not in ("Outcome", "Outcome linked to object of search")),
        ("Latitude", "Longitude", "Gender", "Age range", "Object of search", "Outcome"),
    ),
}


@dataclass
class ValidRow:
    line: int
    fields: list[str]
    longitude: float
    latitude: float
    when: datetime | None


def check_header(file: PoliceUkFile, layout: Layout, header: list[str]) -> dict[str, int]:
    """Column name -> position; refuses missing, renamed or duplicated columns."""
    names = [h.strip() for h in header]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SourceFileError(file=file.display_name, line=1, field=name,
                                  message="column appears twice in the header")
        seen.add(name)
    missing = [c for c in layout.columns if c not in seen]
    if missing:
        unexpected = [n for n in names if n not in layout.columns]
        hint = f"; unexpected column(s) {unexpected}" if unexpected else ""
        raise SourceFileError(
            file=file.display_name, line=1, field=missing[0],
            message=f"missing column(s) {missing} for a police.uk {layout.kind} file{hint} "
            f"(header found: {names})",
        )
    return {name: i for i, name in enumerate(names)}


def _locate_bad_utf8(file: PoliceUkFile) -> SourceFileError:
    # a damaged archive also shows up as garbage bytes: check the checksums first
    file.sha256()
    with open_bytes(file) as raw:
        header: list[str] = []
        for number, line in enumerate(raw, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                prefix = line[: exc.start].decode("utf-8", "replace")
                position = len(next(csv.reader([prefix]), [""])) - 1
                field = header[position] if 0 <= position < len(header) else None
                return SourceFileError(
                    file=file.display_name, line=number, field=field,
                    message=f"not valid UTF-8 (byte 0x{line[exc.start]:02x}); police.uk files "
                    "are UTF-8 - was the file re-saved in another encoding, e.g. by Excel?",
                )
            if number == 1:
                header = [h.strip() for h in next(csv.reader([text]), [])]
    return SourceFileError(file=file.display_name, message="not valid UTF-8")


@contextmanager
def csv_lines(file: PoliceUkFile) -> Iterator[Iterator[tuple[int, list[str]]]]:
    """(first line number, fields) for every CSV record, header included.

    Accepts LF and CRLF, a UTF-8 byte-order mark and quoted fields; turns decoding and
    decompression failures into :class:`SourceFileError`.
    """
    with open_bytes(file) as raw:
        text = io.TextIOWrapper(cast(IO[bytes], raw), encoding="utf-8-sig", newline="")
        # lines are capped while read: a huge "line" is refused before it is held whole
        reader = csv.reader(capped_lines(text, file=file.display_name), strict=True)

        def lines() -> Iterator[tuple[int, list[str]]]:
            previous = 0
            try:
                for fields in reader:
                    yield previous + 1, fields
                    previous = reader.line_num
            except UnicodeDecodeError as exc:
                raise _locate_bad_utf8(file) from exc
            except csv.Error as exc:
                raise SourceFileError(file=file.display_name, line=reader.line_num,
                                      message=f"malformed CSV ({exc})") from exc
            except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as exc:
                raise damaged(file, exc) from exc

        yield lines()


def _coordinate(file: PoliceUkFile, line: int, field: str, value: str) -> float:
    if value == "":
        return math.nan
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise SourceFileError(file=file.display_name, line=line, field=field,
                              message=f"expected a decimal number or empty, got {value!r}")
    return number


def _timestamp(file: PoliceUkFile, line: int, value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise SourceFileError(
            file=file.display_name, line=line, field="Date",
            message=f"expected an ISO date-time like 2024-09-01T13:45:00+00:00, got {value!r}",
        ) from None
    # police.uk publishes UTC; a stamp without an offset is taken as UTC too
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def bad_month(file: PoliceUkFile, line: int, value: str) -> SourceFileError:
    if not MONTH.match(value):
        message = f"expected YYYY-MM, got {value!r}"
    else:
        message = (f"month {value!r} does not match the file name month {file.month!r} "
                   f"({file.file_name})")
    return SourceFileError(file=file.display_name, line=line, field="Month", message=message)


def validated_rows(file: PoliceUkFile) -> Iterator[tuple[dict[str, int], ValidRow]]:
    """Every data row of ``file``, checked; raises :class:`SourceFileError` at the first fault."""
    layout = LAYOUTS[file.kind]
    with csv_lines(file) as lines:
        first = next(lines, None)
        if first is None:
            raise SourceFileError(file=file.display_name,
                                  message="the file is empty (no header line, no data)")
        index = check_header(file, layout, first[1])
        width = len(first[1])
        month_at = index.get("Month")
        lon_at, lat_at = index["Longitude"], index["Latitude"]
        date_at = index.get("Date")
        rows = 0
        repeats = RepeatGuard(file.display_name)
        for line, fields in lines:
            if len(fields) != width:
                if not fields:
                    continue  # a blank line holds no record
                raise SourceFileError(
                    file=file.display_name, line=line,
                    message=f"expected {width} fields (as in the header), found {len(fields)}",
                )
            check_fields(fields, first[1], file=file.display_name, line=line)
            repeats.see(fields, line)
            if month_at is not None and fields[month_at] != file.month:
                raise bad_month(file, line, fields[month_at])
            lon = _coordinate(file, line, "Longitude", fields[lon_at])
            lat = _coordinate(file, line, "Latitude", fields[lat_at])
            when = _timestamp(file, line, fields[date_at]) if date_at is not None else None
            rows += 1
            yield index, ValidRow(line, fields, lon, lat, when)
        if rows == 0:
            raise SourceFileError(file=file.display_name, line=1,
                                  message="header only: the file has no data rows")
        repeats.finish()


def validate(file: PoliceUkFile) -> tuple[int, Counter[str]]:
    """Check the whole file; return its row count and the count of each Crime ID."""
    ids: Counter[str] = Counter()
    rows = 0
    for index, row in validated_rows(file):
        rows += 1
        at = index.get("Crime ID")
        if at is not None and row.fields[at]:
            ids[row.fields[at]] += 1
    return rows, ids


def key_digest(values: list[str]) -> str:
    """The hashed part of record_key: SHA-256 of the tuple, unit-separator joined, 32 hex."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:32]




def forces_named(file: PoliceUkFile) -> set[str]:
    """The force names in the file's ``Reported by`` and ``Falls within`` columns (street and
    outcomes files; stop-and-search files name no force). One streaming pass, no validation:
    call it on a file that :func:`validate` accepts."""
    layout = LAYOUTS[file.kind]
    if "Falls within" not in layout.columns:
        return set()
    names: set[str] = set()
    with csv_lines(file) as lines:
        first = next(lines, None)
        if first is None:
            return names
        index = check_header(file, layout, first[1])
        at = [index["Reported by"], index["Falls within"]]
        for _, fields in lines:
            if len(fields) > max(at):
                names.update(fields[i] for i in at)
    names.discard("")
    return names
