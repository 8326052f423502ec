"""Any partner CSV to canonical incident rows, through a column mapping.

A partner (a local police extract, an A&E ISTV return, a youth justice list) sends a CSV whose
columns are named however its system names them. The analyst says once which of the file's
columns holds each canonical field (:data:`FIELDS`); :func:`map_extract` then reads EVERY row,
checks every mapped value and either returns the whole file as canonical rows
(:data:`alliance.sources.schema.INCIDENT_COLUMN_NAMES`) or raises :class:`ExtractInvalid` listing
the faults by line and field. A file is never loaded in part.

Unmapped columns are not carried: a partner file may hold names or addresses in columns nobody
mapped, and nothing the analyst did not choose enters the pool (``extra`` holds only mapped
values with no column of their own: the arrival time, the site code, a weapon as written when
no code list knows it). Postcodes are turned into places by the pool and never stored.
A mapped person identifier is replaced by its keyed pseudonym (:mod:`alliance.privacy.pseudonym`)
and the raw identifier is never kept; without ``ALLIANCE_PSEUDONYM_KEY`` the file is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from alliance.privacy.pseudonym import Pseudonymiser
from alliance.sources import codes
from alliance.sources.errors import SourceFileError
from alliance.sources.limits import RepeatGuard, capped_lines, check_fields
from alliance.sources.months import PARTNER_FIRST_MONTH, MonthError, check_day, check_month
from alliance.sources.partner_fields import FIELD_NAMES, FIELDS, Field, suggest_mapping
from alliance.sources.partner_values import (
    ValueProblem,
    age_problem,
    number,
    parse_date,
    parse_time,
)
from alliance.sources.schema import INCIDENT_COLUMN_NAMES, RowFlag
from alliance.ukpostcode import canonical_postcode

__all__ = ["FIELDS", "FIELD_NAMES", "CsvText", "ExtractInvalid", "Field", "PartnerExtract",
           "RowError", "check_mapping", "map_extract", "map_text", "read_csv_text",
           "suggest_mapping"]

MAX_ERRORS = 200  # stop collecting after this many: the first screenful is what gets fixed
MAX_FIELD_CHARS = 300
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
OFFENCE_CODE = re.compile(r"^\d{1,3}[A-Z]{0,2}(\.\d{1,2})?$", re.IGNORECASE)
_ROLES = {"victim": "victim", "suspect": "suspect", "offender": "suspect",
          "patient": "patient"}
#: columns of the extract frame that are not pool columns: postcodes, turned into places (and
#: then dropped) by the pool when it loads the rows
POSTCODE_COLUMNS = ("postcode", "home_postcode")


@dataclass(frozen=True)
class RowError:
    """One fault in the file: ``line`` is 1-based with the header on line 1."""

    line: int | None
    field: str
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        col = f" (column \u201c{self.column}\u201d)" if self.column else ""
        return f"{where}field {self.field}{col}: {self.message}"


class ExtractInvalid(Exception):
    """The mapped file failed validation; nothing may be loaded from it."""

    def __init__(self, file: str, errors: list[RowError], *, truncated: bool = False) -> None:
        self.file = file
        self.errors = tuple(errors)
        self.truncated = truncated
        more = " (and more)" if truncated else ""
        super().__init__(f"{file}: {len(errors)} problem(s){more}; first: {errors[0]}")


@dataclass(frozen=True)
class CsvText:
    """A partner CSV decoded and split: the header and the records (no checks on values)."""

    file: str
    header: tuple[str, ...]
    records: list[list[str]]
    lines: list[int]  # the file line each record starts on (header = 1)
    sha256: str
    encoding: str = "utf-8"

    def preview(self, n: int = 5) -> list[list[str]]:
        return self.records[:n]


@dataclass(frozen=True)
class PartnerExtract:
    """A validated partner file as canonical incident rows."""

    file: str
    source: str
    partition: str
    sha256: str
    frame: pd.DataFrame = field(repr=False)
    #: per row (same index as ``frame``): the place's and the home's postcodes, never stored
    postcodes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=list(POSTCODE_COLUMNS)), repr=False)
    encoding: str = "utf-8"

    @property
    def flagged(self) -> dict[str, int]:
        """Rows kept but flagged, by flag name (unknown codes, unreadable times ...)."""
        flags = self.frame["flags"].astype("int64")
        return {f.name: int(((flags & int(f)) != 0).sum()) for f in RowFlag
                if f.name and f is not RowFlag.NONE and ((flags & int(f)) != 0).any()}

    @property
    def months(self) -> list[str]:
        return sorted(self.frame["month"].unique())

    def month_frame(self, month: str) -> pd.DataFrame:
        return self.frame[self.frame["month"] == month].reset_index(drop=True)


def read_csv_text(data: bytes, *, file: str, windows_1252: bool = False) -> CsvText:
    """Decode and split a partner CSV; refuse ragged rows, empty or odd headers, and text that
    is not UTF-8 (or, with ``windows_1252``, not Windows-1252 either: Excel's plain "CSV")."""
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        decoded = _windows_1252(data) if windows_1252 else None
        if decoded is None:
            raise SourceFileError(file=file, line=line, message=(
                f"not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' and try "
                "again")) from exc
        text, encoding = decoded, "windows-1252"
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise SourceFileError(file=file, line=line, message=(
            "holds a NUL character: not a text CSV (a spreadsheet or UTF-16 file?); save it "
            "as 'CSV UTF-8'"))
    reader = csv.reader(capped_lines(io.StringIO(text, newline=""), file=file))
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise SourceFileError(file=file, line=1, message=f"not readable as CSV ({exc})") from exc
    if first is None or not any(c.strip() for c in first):
        raise SourceFileError(file=file, line=1, message="the file is empty (no header line)")
    header = tuple(c.strip() for c in first)
    for i, name in enumerate(header):
        if not name:
            raise SourceFileError(file=file, line=1, message=f"column {i + 1} has no name")
        if HTML.search(name):
            raise SourceFileError(file=file, line=1, field=name,
                                  message="the header contains HTML mark-up")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise SourceFileError(file=file, line=1, field=dupes[0],
                              message=f"column names repeat: {', '.join(dupes)}")
    records: list[list[str]] = []
    lines: list[int] = []
    line = 2
    repeats = RepeatGuard(file)
    try:
        for record in reader:
            if any(v.strip() for v in record):  # blank lines (Excel appends them) are skipped
                if len(record) != len(header):
                    raise SourceFileError(file=file, line=line, message=(
                        f"{len(record)} fields where the header has {len(header)}"))
                check_fields(record, header, file=file, line=line)
                repeats.see(record, line)
                records.append(record)
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceFileError(file=file, line=line, message=f"not readable as CSV ({exc})") from exc
    if not records:
        raise SourceFileError(file=file, message="the file has a header but no rows")
    repeats.finish()
    return CsvText(file=file, header=header, records=records, lines=lines,
                   sha256=hashlib.sha256(data).hexdigest(), encoding=encoding)


def _windows_1252(data: bytes) -> str | None:
    """The text if ``data`` is Windows-1252 (no byte it leaves undefined), else None."""
    try:
        return data.decode("cp1252").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def check_mapping(mapping: Mapping[str, str], header: tuple[str, ...]) -> list[RowError]:
    """Faults of the mapping itself (before any row is read)."""
    errors: list[RowError] = []
    for name, column in mapping.items():
        if name not in FIELD_NAMES:
            errors.append(RowError(None, name, column, "is not a field that can be mapped"))
        elif column not in header:
            errors.append(RowError(None, name, column, "the file has no such column"))
    if not (mapping.get("date") or mapping.get("month") or mapping.get("arrival")):
        errors.append(RowError(None, "date", None,
                               "map a date column (or a month column) so rows can be filed"))
    for a, b in (("longitude", "latitude"), ("easting", "northing")):
        if bool(mapping.get(a)) != bool(mapping.get(b)):
            missing = b if mapping.get(a) else a
            errors.append(RowError(None, missing, None, f"map both {a} and {b}, or neither"))
    return errors


class _Row:
    """Validation of one record; collects errors instead of stopping at the first."""

    def __init__(self, line: int, mapping: Mapping[str, str], index: Mapping[str, int],
                 record: list[str], errors: list[RowError]) -> None:
        self.line, self.mapping, self.index, self.record = line, mapping, index, record
        self.errors = errors
        self.failed: set[str] = set()

    def get(self, name: str) -> str:
        column = self.mapping.get(name)
        return self.record[self.index[column]].strip() if column else ""

    def fail(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.line, name, self.mapping.get(name), message))
        self.failed.add(name)


def map_extract(data: bytes, mapping: Mapping[str, str], *, file: str, source: str,
                partition: str, pseudonymiser: Pseudonymiser | None = None,
                max_errors: int = MAX_ERRORS, windows_1252: bool = False) -> PartnerExtract:
    """Validate every row of a partner CSV and return it as canonical incident rows.

    Parameters
    ----------
    data : the file's bytes (UTF-8 CSV, header on line 1; with ``windows_1252`` also Excel's
        plain "CSV").
    mapping : canonical field name (:data:`FIELD_NAMES`) -> the file's column name; fields
        left out (or mapped to "") stay null.
    source, partition : the canonical ``source`` (e.g. ``police_extract``) and ``partition``
        (the partner organisation) written on every row.
    pseudonymiser : required when ``person_id`` is mapped; ``None`` means
        :meth:`Pseudonymiser.from_config`, which refuses without ``ALLIANCE_PSEUDONYM_KEY``.

    A value that cannot be used refuses the file; a row that can be used in part is kept and
    flagged (:class:`~alliance.sources.schema.RowFlag`): a weapon or place type written in
    words no code list knows (``UNKNOWN_CODE``), a time that does not read (``BAD_TIME``), no
    incident date but an arrival date (``DATE_FROM_ARRIVAL``).

    Raises
    ------
    SourceFileError : the file cannot be read as CSV (not UTF-8, ragged, empty).
    ExtractInvalid : the mapping or any row is wrong; ``errors`` lists them by line and field.
    MissingPseudonymKey : a person identifier is mapped but no key is configured.
    """
    text = read_csv_text(data, file=file, windows_1252=windows_1252)
    return map_text(text, mapping, source=source, partition=partition,
                    pseudonymiser=pseudonymiser, max_errors=max_errors)


def map_text(text: CsvText, mapping: Mapping[str, str], *, source: str, partition: str,
             pseudonymiser: Pseudonymiser | None = None,
             max_errors: int = MAX_ERRORS) -> PartnerExtract:
    """:func:`map_extract` of a file already decoded and split (:func:`read_csv_text`)."""
    file = text.file
    mapping = {k: v for k, v in mapping.items() if v}
    errors = check_mapping(mapping, text.header)
    if errors:
        raise ExtractInvalid(file, errors)
    if mapping.get("person_id") and pseudonymiser is None:
        pseudonymiser = Pseudonymiser.from_config(domain=f"{source}-person")
    index = {h: i for i, h in enumerate(text.header)}
    mapped_columns = {index[c] for c in mapping.values()}
    out: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    truncated = False
    for offset, record in enumerate(text.records):
        if len(errors) >= max_errors:
            truncated = True
            break
        line = text.lines[offset]
        row = _Row(line, mapping, index, record, errors)
        for i in mapped_columns:
            if HTML.search(record[i]):
                name = next(k for k, v in mapping.items() if index[v] == i)
                row.fail(name, "contains HTML mark-up, which partner data never needs")
            elif len(record[i]) > MAX_FIELD_CHARS:
                name = next(k for k, v in mapping.items() if index[v] == i)
                row.fail(name, f"is longer than {MAX_FIELD_CHARS} characters")
        values = _canonical(row, pseudonymiser)
        if values is None:
            continue
        values.update(source=source, partition=partition, line=line)
        digest = hashlib.sha256("\x1f".join(
            f"{k}={values.get(k)}" for k in sorted(values) if k != "line").encode()).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        values["record_key"] = hashlib.sha256(f"{digest}:{seen[digest]}".encode()).hexdigest()
        if seen[digest] > 1:
            values["flags"] = int(values["flags"]) | int(RowFlag.DUPLICATE_ROW)  # type: ignore[call-overload]
        out.append(values)
    if errors:
        raise ExtractInvalid(file, errors, truncated=truncated)
    frame = pd.DataFrame.from_records(out)
    frame = _add_points(frame)
    postcodes = frame.reindex(columns=list(POSTCODE_COLUMNS))
    frame = frame.reindex(columns=list(INCIDENT_COLUMN_NAMES))
    # nullable yes/no: kept as objects (True/False/None) like every other source's knife_flag
    frame["knife_flag"] = frame["knife_flag"].astype(object)
    frame["domestic"] = frame["domestic"].astype(object)
    return PartnerExtract(file=file, source=source, partition=partition, sha256=text.sha256,
                          frame=frame, postcodes=postcodes, encoding=text.encoding)


def _dates(row: _Row, v: dict[str, object]) -> None:
    """Date, time and month of the row (``v`` filled in place); an arrival date stands in
    for a missing incident date, flagged."""
    for name in ("date", "arrival"):
        raw = row.get(name)
        if not row.mapping.get(name) or not raw:
            continue
        try:
            day, at = parse_date(raw)
            check_day(day, floor=PARTNER_FIRST_MONTH)
        except (ValueProblem, MonthError) as exc:
            row.fail(name, str(exc))
            continue
        if name == "date":
            v["occurred_date"], v["occurred_time"] = day, at
            v["month"] = day.strftime("%Y-%m")
        else:
            extra = dict(v.get("extra") or {})  # type: ignore[call-overload]
            extra["arrival"] = day.isoformat() + (f" {at:%H:%M}" if at else "")
            v["extra"] = extra
            if "month" not in v:
                v["occurred_date"] = day
                v["month"] = day.strftime("%Y-%m")
                v["flags"] = int(v["flags"]) | int(RowFlag.DATE_FROM_ARRIVAL)  # type: ignore[call-overload]
    if row.mapping.get("date") and not row.get("date") and "month" not in v \
            and not row.mapping.get("month"):
        row.fail("date", "is empty")
    raw_month = row.get("month")
    if row.mapping.get("month") and "month" not in v and "date" not in row.failed:
        if re.fullmatch(r"\d{6}", raw_month.strip()):  # 202403, as some systems export it
            raw_month = f"{raw_month.strip()[:4]}-{raw_month.strip()[4:]}"
        try:
            v["month"] = check_month(raw_month, floor=PARTNER_FIRST_MONTH)
        except MonthError as exc:
            row.fail("month", str(exc))
    if row.get("time"):
        t = parse_time(row.get("time"))
        if t is None:  # kept without its time, flagged: a time is never needed to count it
            v["flags"] = int(v["flags"]) | int(RowFlag.BAD_TIME)  # type: ignore[call-overload]
        else:
            v["occurred_time"] = t


def _coded(row: _Row, v: dict[str, object]) -> None:
    """Weapon, knife flag, place type and domestic abuse flag."""
    weapon = row.get("weapon")
    v["weapon"] = ""
    if row.mapping.get("weapon"):
        read = codes.weapon(weapon)
        v["weapon"] = read.category
        if not read.recognised:
            v["flags"] = int(v["flags"]) | int(RowFlag.UNKNOWN_CODE)  # type: ignore[call-overload]
            v["extra"] = {**dict(v.get("extra") or {}), "weapon_as_written": weapon[:60]}  # type: ignore[call-overload]
    knife = row.get("knife_flag")
    v["knife_flag"] = codes.yes_no(knife) if knife else None
    if knife and v["knife_flag"] is None:
        row.fail("knife_flag", f"{knife!r} is not yes/no")
    if v["knife_flag"] is None and row.mapping.get("weapon") and v["weapon"] not in (
            codes.UNKNOWN_WEAPON, codes.OTHER_WEAPON):
        v["knife_flag"] = v["weapon"] == codes.KNIFE
    place_type = row.get("location_type")
    v["location_type"] = ""
    if row.mapping.get("location_type"):
        read = codes.location_type(place_type)
        v["location_type"] = read.category
        if not read.recognised:
            v["flags"] = int(v["flags"]) | int(RowFlag.UNKNOWN_CODE)  # type: ignore[call-overload]
    domestic = row.get("domestic")
    v["domestic"] = codes.yes_no(domestic) if domestic else None
    if domestic and v["domestic"] is None:
        row.fail("domestic", f"{domestic!r} is not yes/no")


def _canonical(row: _Row, pseudonymiser: Pseudonymiser | None) -> dict[str, object] | None:
    before = len(row.errors)
    v: dict[str, object] = {"flags": 0, "occurred_date": None, "occurred_time": None,
                            "extra": None}
    _dates(row, v)
    code = row.get("offence_code").upper() or None
    if code is not None and not OFFENCE_CODE.match(code):
        row.fail("offence_code", f"{code!r} is not shaped like a Home Office offence code")
    v["offence_code"] = code
    v["source_ref"] = row.get("reference") or None
    v["source_category"] = row.get("source_category")
    _coded(row, v)
    for a, b, lows, highs in (("longitude", "latitude", (-9.0, 49.0), (2.5, 61.0)),
                              ("easting", "northing", (0.0, 0.0), (700000.0, 1300000.0))):
        ra, rb = row.get(a), row.get(b)
        v[a] = v[b] = None
        if bool(ra) != bool(rb):
            row.fail(a if not ra else b, f"is empty while {b if not ra else a} is not")
        elif ra:
            xa, xb = number(ra, lows[0], highs[0]), number(rb, lows[1], highs[1])
            for name, x in ((a, xa), (b, xb)):
                if isinstance(x, str):
                    row.fail(name, x)
                else:
                    v[name] = x
    for name, column in (("lsoa", "lsoa_published"), ("home_lsoa", "home_lsoa21_code")):
        lsoa = row.get(name).upper()
        if lsoa and not LSOA_CODE.match(lsoa):
            row.fail(name, f"{row.get(name)!r} is not an LSOA code (E01/W01 and six digits)")
        v[column] = lsoa or None
    for name in POSTCODE_COLUMNS:
        written = row.get(name)
        v[name] = canonical_postcode(written) if written else None
        if written and v[name] is None:
            row.fail(name, f"{written!r} is not a postcode (e.g. NN1 1AA)")
    site = row.get("site")
    if site:
        v["extra"] = {**dict(v.get("extra") or {}), "site": site.upper()[:12]}  # type: ignore[call-overload]
    v["location"] = row.get("location")
    v["outcome"] = row.get("outcome")
    age = row.get("age")
    problem = age_problem(age) if age else None
    if problem:
        row.fail("age", problem)
    v["age"] = age or None
    sex = row.get("sex")
    v["sex"] = codes.sex(sex) if sex else None
    if sex and v["sex"] is None:
        row.fail("sex", f"{sex!r} is not one of M, F, X, U (male, female, other, unknown)")
    role = row.get("subject_role")
    v["subject_role"] = _ROLES.get(role.casefold()) if role else None
    if role and v["subject_role"] is None:
        row.fail("subject_role", f"{role!r} is not victim, suspect, offender or patient")
    person = row.get("person_id")
    v["person_key"] = None
    if person and pseudonymiser is not None:
        try:
            v["person_key"] = pseudonymiser.pseudonym(person)
        except ValueError:
            row.fail("person_id", "is empty once spaces and punctuation are removed")
    if v["location"] == "" and v["longitude"] is None and v["easting"] is None and \
            not v["lsoa_published"] and not v["postcode"]:
        v["flags"] = int(v["flags"]) | int(RowFlag.NO_LOCATION)  # type: ignore[call-overload]
    if v["extra"] is not None:
        v["extra"] = json.dumps(v["extra"], sort_keys=True)
    return v if len(row.errors) == before else None


def _add_points(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows given in British National Grid get WGS84 points, which the pool places on LSOAs."""
    from pyproj import Transformer

    need = frame["longitude"].isna() & frame["easting"].notna()
    if need.any():
        to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
        lon, lat = to_wgs84.transform(frame.loc[need, "easting"].to_numpy(dtype=float),
                                      frame.loc[need, "northing"].to_numpy(dtype=float))
        frame.loc[need, "longitude"] = lon
        frame.loc[need, "latitude"] = lat
    return frame
