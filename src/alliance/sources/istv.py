"""The monthly A&E assault return (ISTV, NHS ISB 1594, now within ECDS), as departments send it.

Two shapes come in:

* **record-level** — one row per assault attendance with the ISB 1594 items (arrival date and
  time, assault date and time, assault method, its "other" description, location type and the
  free-text location) under their national names ("Assault date and time", "Site code (of
  treatment)") or a trust's own ("Incident Date", "Weapon", "Where"), often with an age band
  and sex the local agreement adds. :func:`read_return` maps the columns
  (:data:`NATIONAL_FIELDS` first, then :func:`alliance.sources.partner_fields.suggest_mapping`),
  reads every row through :func:`alliance.sources.partner_extract.map_extract` and checks the
  return as a whole: one site, the expected one if given, and every attendance inside the
  reporting period (the file's own period columns, or the month it was sent for).
* **aggregate** — counts by week or month, location type and weapon (a trust that shares no
  records). :func:`read_aggregate` returns them as rows of a partner statistic.

Decoding accepts UTF-8 and Excel's plain "CSV" (Windows-1252) and says which was read. A file
over :data:`MAX_RETURN_BYTES` is refused before it is read: a department's month is a few
thousand rows at most. Every refusal names the file, line and field, and nothing is loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from alliance.privacy.pseudonym import Pseudonymiser
from alliance.sources import codes
from alliance.sources.errors import SourceFileError
from alliance.sources.partner_extract import (
    CsvText,
    ExtractInvalid,
    PartnerExtract,
    RowError,
    map_text,
    read_csv_text,
)
from alliance.sources.partner_fields import _norm, suggest_mapping
from alliance.sources.partner_values import ValueProblem, parse_date

SOURCE = "istv_ae"
#: a monthly return from one department is well under this; a bigger file is not one
MAX_RETURN_BYTES = 50 * 2**20
#: ISB 1594 data item names (and the usual ways systems print them) -> canonical fields
NATIONAL_FIELDS: dict[str, str] = {
    "arrival date and time at a e": "arrival", "arrival date and time": "arrival",
    "arrival date time at a e": "arrival", "assault date and time": "date",
    "assault date time": "date", "assault date": "date", "assault time": "time",
    "assault method": "weapon", "assault location type": "location_type",
    "assault location description": "location", "site code of treatment": "site",
    "site code": "site",
}
#: the submission header items: the period a return covers
PERIOD_START = ("reporting period start date", "period start date", "period start")
PERIOD_END = ("reporting period end date", "period end date", "period end")
METHOD_OTHER = ("assault method other description", "other method description")
_SITE = re.compile(r"^[A-Z0-9]{3,12}$")


class ReturnRefused(SourceFileError):
    """The return as a whole is not what was expected (another site, another month)."""


@dataclass(frozen=True)
class IstvReturn:
    """A record-level return read and checked."""

    extract: PartnerExtract
    mapping: dict[str, str]
    site: str | None
    period: tuple[date, date] | None
    encoding: str

    @property
    def rows(self) -> int:
        return len(self.extract.frame)


def _check_size(data: bytes, file: str, *, size: int | None = None) -> None:
    size = len(data) if size is None else size
    if size > MAX_RETURN_BYTES:
        raise SourceFileError(file=file, message=(
            f"is {size / 2**20:.0f} MB; a department's monthly return is well under "
            f"{MAX_RETURN_BYTES // 2**20} MB, so this is not one return: send one site's "
            "month per file"))


def read_file(path: Path) -> bytes:
    """The bytes of a return on disk, refused by its size before anything is read."""
    size = path.stat().st_size
    if size > MAX_RETURN_BYTES:
        _check_size(b"", str(path.name), size=size)
    return path.read_bytes()


def istv_mapping(header: tuple[str, ...]) -> dict[str, str]:
    """Field -> column: ISB 1594 names first, then any other name the suggestions know."""
    out: dict[str, str] = {}
    for column in header:
        field = NATIONAL_FIELDS.get(_norm(column))
        if field is not None and field not in out:
            out[field] = column
    rest = [c for c in header if c not in out.values()
            and _norm(c) not in (*PERIOD_START, *PERIOD_END, *METHOD_OTHER)]
    for field, column in suggest_mapping(rest).items():
        out.setdefault(field, column)
    out.pop("month", None)  # an ISTV return is filed by its dates, never by a month column
    return out


def read_return(data: bytes, *, file: str, partition: str, site: str | None = None,
                month: str | None = None, mapping: Mapping[str, str] | None = None,
                pseudonymiser: Pseudonymiser | None = None) -> IstvReturn:
    """Read and check a record-level ISTV return.

    Parameters
    ----------
    site : the ODS site code this return must come from; a row of another site refuses it.
    month : ``YYYY-MM`` the return was sent for; an attendance outside it refuses the file
        (the file's own reporting period columns are checked the same way when present).
    mapping : the columns to use; :func:`istv_mapping` of the header when not given.
    """
    _check_size(data, file)
    text = read_csv_text(data, file=file, windows_1252=True)
    mapping = dict(mapping) if mapping is not None else istv_mapping(text.header)
    text = _with_other_method(text, mapping)
    extract = map_text(text, mapping, source=SOURCE, partition=partition,
                       pseudonymiser=pseudonymiser)
    found_site = _check_site(text, mapping, site, file)
    period = _period(text, file, month)
    if period is not None:
        _check_period(extract, mapping, period, file)
    return IstvReturn(extract=extract, mapping=mapping, site=found_site, period=period,
                      encoding=text.encoding)


def _with_other_method(text: CsvText, mapping: Mapping[str, str]) -> CsvText:
    """Where the coded method is "other", its free-text description says what it was."""
    weapon = mapping.get("weapon")
    other = next((c for c in text.header if _norm(c) in METHOD_OTHER), None)
    if weapon is None or other is None:
        return text
    w, o = text.header.index(weapon), text.header.index(other)
    records = []
    for record in text.records:
        record = list(record)
        if record[o].strip() and codes.weapon(record[w]).category in (
                codes.OTHER_WEAPON, codes.UNKNOWN_WEAPON):
            record[w] = f"{record[w]} {record[o]}".strip()
        records.append(record)
    return CsvText(file=text.file, header=text.header, records=records, lines=text.lines,
                   sha256=text.sha256, encoding=text.encoding)


def _check_site(text: CsvText, mapping: Mapping[str, str], site: str | None,
                file: str) -> str | None:
    column = mapping.get("site")
    if column is None:
        return site
    i = text.header.index(column)
    seen: dict[str, int] = {}
    for record, line in zip(text.records, text.lines, strict=True):
        value = record[i].strip().upper()
        if not _SITE.match(value):
            raise ReturnRefused(file=file, line=line, field=column, message=(
                f"{record[i]!r} is not a site code (3 to 12 letters and digits)"))
        if site is not None and value != site.upper():
            raise ReturnRefused(file=file, line=line, field=column, message=(
                f"site {value} is not {site.upper()}, the site this return is for: is it "
                "another trust's file?"))
        seen.setdefault(value, line)
    if len(seen) > 1:
        (first, _), (second, line) = list(seen.items())[:2]
        raise ReturnRefused(file=file, line=line, field=column, message=(
            f"site {second} after site {first}: one return holds one site; send each "
            "site's return separately"))
    return next(iter(seen), site)


def _period(text: CsvText, file: str, month: str | None) -> tuple[date, date] | None:
    norms = [_norm(c) for c in text.header]
    start_col = next((i for i, n in enumerate(norms) if n in PERIOD_START), None)
    end_col = next((i for i, n in enumerate(norms) if n in PERIOD_END), None)
    period: tuple[date, date] | None = None
    if start_col is not None and end_col is not None:
        for record, line in zip(text.records, text.lines, strict=True):
            try:
                here = (parse_date(record[start_col])[0], parse_date(record[end_col])[0])
            except ValueProblem as exc:
                raise ReturnRefused(file=file, line=line, field=text.header[start_col],
                                    message=str(exc)) from exc
            if period is not None and here != period:
                raise ReturnRefused(file=file, line=line, field=text.header[start_col],
                                    message=f"the reporting period changes to {here[0]} - "
                                            f"{here[1]} from {period[0]} - {period[1]}")
            period = here
    if month is not None:
        first = pd.Period(month, freq="M")
        wanted = (first.start_time.date(), first.end_time.date())
        if period is not None and period != wanted:
            raise ReturnRefused(file=file, line=2, field=text.header[start_col or 0], message=(
                f"the return says it covers {period[0]} to {period[1]}, not {month}: is it "
                "another month's file?"))
        period = wanted
    return period


def _check_period(extract: PartnerExtract, mapping: Mapping[str, str],
                  period: tuple[date, date], file: str) -> None:
    """Every attendance (its arrival; without one, its assault date) inside the period."""
    frame = extract.frame
    for extra, occurred, line in zip(frame["extra"], frame["occurred_date"], frame["line"],
                                     strict=True):
        arrival = json.loads(extra).get("arrival") if isinstance(extra, str) else None
        day = date.fromisoformat(arrival[:10]) if arrival else occurred
        if day is None or pd.isna(day):
            continue
        if not period[0] <= day <= period[1]:
            field = "arrival" if arrival else "date"
            raise ReturnRefused(file=file, line=int(line), field=mapping.get(field),
                                message=(f"{day} is outside the return's period {period[0]} "
                                         f"to {period[1]}: is it another month's file?"))


# --- aggregate returns ------------------------------------------------------------------------

COUNT_NAMES = ("count", "number", "attendances", "assaults", "total", "n")
WEEK_NAMES = ("week", "week commencing", "week starting", "week beginning", "w c")
AGGREGATE_COLUMNS = ("period_start", "period", "weapon", "location_type", "count", "line")


def is_aggregate(header: tuple[str, ...]) -> bool:
    """A return of counts, not records: a count column and no per-attendance dates."""
    norms = {_norm(c) for c in header}
    return bool(norms & set(COUNT_NAMES)) and not norms & {
        "assault date", "assault date and time", "arrival date", "incident date", "date"}


def read_aggregate(data: bytes, *, file: str) -> pd.DataFrame:
    """Counts by week (or month), weapon and location type: :data:`AGGREGATE_COLUMNS`.

    Weapon and location type are read like record-level values; an unrecognised one is
    kept as "other" (its words in ``weapon``/``location_type``'s category), counts must be
    whole numbers of zero or more."""
    _check_size(data, file)
    text = read_csv_text(data, file=file, windows_1252=True)
    norms = [_norm(c) for c in text.header]

    def column(names: tuple[str, ...], *, required: bool) -> int | None:
        found = next((i for i, n in enumerate(norms) if n in names), None)
        if found is None and required:
            raise SourceFileError(file=file, line=1, message=(
                f"no column for {names[0]} (looked for {', '.join(names)})"))
        return found

    count = column(COUNT_NAMES, required=True)
    week = column((*WEEK_NAMES, "month", "period", "date"), required=True)
    weapon = column(("weapon", "assault method", "method"), required=False)
    place = column(("location type", "assault location type", "place type"), required=False)
    rows, errors = [], []
    for record, line in zip(text.records, text.lines, strict=True):
        assert count is not None and week is not None
        raw = record[count].strip()
        if not raw.isdigit():
            errors.append(RowError(line, "count", text.header[count],
                                   f"{raw!r} is not a whole number"))
            continue
        when = record[week].strip()
        try:
            start = (pd.Period(when, freq="M").start_time.date() if re.fullmatch(
                r"\d{4}-\d{2}", when) else parse_date(when)[0])
        except (ValueProblem, ValueError) as exc:
            errors.append(RowError(line, "week", text.header[week], str(exc)))
            continue
        rows.append({"period_start": start,
                     "period": when if re.fullmatch(r"\d{4}-\d{2}", when)
                     else f"week from {start.isoformat()}",
                     "weapon": codes.weapon(record[weapon]).category if weapon is not None
                     else codes.UNKNOWN_WEAPON,
                     "location_type": codes.location_type(record[place]).category
                     if place is not None else codes.UNKNOWN_PLACE,
                     "count": int(raw), "line": line})
    if errors:
        raise ExtractInvalid(file, errors)
    return pd.DataFrame(rows, columns=list(AGGREGATE_COLUMNS))
