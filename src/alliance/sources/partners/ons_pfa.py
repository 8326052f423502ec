"""ONS "Crime in England and Wales: Police Force Area data tables" workbooks (xlsx, openpyxl).

Each quarterly edition covers a rolling 12 months, read from the title on its ``Notes`` sheet
("... year ending December 2019 - PFA tables"). Tables read:

* ``Table P1`` police recorded crime by offence group, numbers -> ``prc_<offence>`` (count);
* ``Table P3`` the same as rates per 1,000 population -> ``prc_<offence>_rate``, with the P1
  count as numerator and the table's mid-year population (rounded to 100) as denominator
  (households for the residential-burglary-per-household column);
* ``Table P4`` knife or sharp instrument offences for selected offences -> ``knife_<offence>``
  (count) and ``knife_<offence>_percent`` (% of those offences involving a knife).

Not read: P2 (percentage change, derivable), P5 (back series repeated in every edition), and the
March-only P6-P10 (CSEW, anti-social behaviour, population). Header cells carry footnote digits
("Homicide5,6", "fraud3)"); they are removed. Rows are areas with a GSS code: England and Wales
(K04), England/Wales (E92/W92), regions (E12) and the 43 forces (E23/W15). British Transport
Police has no code and is recorded as a problem, not read. ``..`` is "not available" and ``-``
"base fewer than 50" (ONS footnotes).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliance.sources.partners._periods import (
    MONTHS,
    year_ending,
)
from alliance.sources.partners._table import (
    MARKERS,
    ColumnMeasure,
    IndicatorRead,
    PartnerFileError,
    ProblemLog,
    UnknownFormatError,
    finish,
    melt_measures,
    snake,
)

DATASET = "ons_pfa_tables"
DESCRIPTION = ("ONS police force area tables (xlsx): recorded crime by offence group incl. "
               "homicide, violence, robbery, weapons (P1/P3) and knife crime (P4)")
PFA_MARKERS = {**MARKERS, "-": "not shown: base number fewer than 50 (ONS)",
               "+": "rate not shown: included in the London rate (ONS)",
               "..": "not available (ONS)", "N/A": "not applicable", "NA": "not applicable"}
_CODE = re.compile(r"^[EWK]\d{8}$")
_TITLE = re.compile(r"year ending\s+([A-Za-z]+)\s+(\d{4})", re.IGNORECASE)
_MONTH_NAMES = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
SYNONYMS = {"all other theft offences": "other theft offences",
            "miscellaneous crimes": "miscellaneous crimes against society",
            "residental burglary": "residential burglary"}


def clean_header(text: Any) -> str:
    """'Homicide5,6' -> 'Homicide'; 'Total recorded crime (excluding fraud3)' -> '... fraud)'."""
    if text is None:
        return ""
    s = re.sub(r"\s+", " ", str(text)).strip()
    s = re.sub(r"(?<=[A-Za-z])\d+(,\d+)*(?=\))", "", s)
    s = re.sub(r"(?<=[A-Za-z)])\s*\d+(,\s*\d+)*$", "", s).strip()
    return SYNONYMS.get(s.lower(), s)


def clean_name(text: Any) -> str:
    return re.sub(r"(?<=[A-Za-z)])\s*\d+(,\s*\d+)*$", "", str(text).strip()).strip()


def recognise(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        wb = _open(path)
    except PartnerFileError:
        return False
    try:
        names = [n.strip() for n in wb.sheetnames]
        return "Table P1" in names and "Notes" in names
    finally:
        wb.close()


def _open(path: Path) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise PartnerFileError(path.name, f"not a readable xlsx workbook ({exc})") from exc


def _period(path: Path, wb: Any) -> tuple[int, int]:
    for sheet in ("Notes", "Table P1"):
        name = next((n for n in wb.sheetnames if n.strip() == sheet), None)
        if name is None:
            continue
        for row in wb[name].iter_rows(min_row=1, max_row=3, values_only=True):
            m = _TITLE.search(str(row[0] or ""))
            if m and m[1][:3].lower() in _MONTH_NAMES:
                return _MONTH_NAMES[m[1][:3].lower()], int(m[2])
    raise PartnerFileError(path.name, "no 'year ending <Month> <Year>' title on the Notes sheet",
                           line=1, field="Notes!A1")


def _rows(ws: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _table(path: Path, sheet: str, rows: list[tuple[Any, ...]], log: ProblemLog,
           ) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Area rows as text with ``_line``; the header row's and the group row's column names."""
    hdr = next((i for i, r in enumerate(rows) if r and str(r[0] or "").strip()
                in ("Area Code", "Area Codes")), None)
    if hdr is None:
        raise PartnerFileError(f"{path.name}[{sheet}]", "no 'Area Code' header row",
                               field="Area Code")
    width = max(len(r) for r in rows)
    header = [clean_header(c) for c in rows[hdr]] + [""] * (width - len(rows[hdr]))
    group = [clean_header(c) for c in rows[hdr - 1]] + [""] * (width - len(rows[hdr - 1]))
    records, lines = [], []
    for i in range(hdr + 1, len(rows)):
        r = list(rows[i]) + [None] * (width - len(rows[i]))
        code = str(r[0] or "").strip()
        if _CODE.match(code):
            records.append(["" if c is None else str(c) for c in r])
            lines.append(i + 1)
        elif any(isinstance(c, int | float) for c in r[2:]):
            log.add(i + 1, "Area Code", str(r[1] or "").strip(),
                    f"[{sheet}] row without a GSS area code; left out")
    frame = pd.DataFrame(records, columns=[f"c{j}" for j in range(width)], dtype=object)
    frame["_line"] = np.asarray(lines, dtype="int64")
    frame["area_code"] = frame["c0"].str.strip()
    frame["area_name"] = frame["c1"].map(clean_name)
    prefix = frame["area_code"].str[:3]
    frame["area_level"] = np.where(prefix.isin(["K04", "E92", "W92"]), "country",
                                   np.where(prefix.eq("E12"), "region", "pfa"))
    frame["breakdown"] = ""
    frame["notes"] = ""
    return frame, header, group


def read(path: Path) -> IndicatorRead:
    if not recognise(path):
        raise UnknownFormatError(path.name, "not an ONS police force area tables workbook")
    wb = _open(path)
    log = ProblemLog(path.name)
    try:
        month, year = _period(path, wb)
        period = year_ending(month, year)
        sheets = {n.strip(): n for n in wb.sheetnames}
        parts: list[pd.DataFrame] = []
        counts: pd.DataFrame | None = None
        for key in ("Table P1", "Table P3", "Table P4"):
            if key not in sheets:
                log.add(None, key, "", "sheet not in this edition; not read")
                continue
            name = sheets[key]
            frame, header, group = _table(path, key, _rows(wb[name]), log)
            frame["period"] = period.label
            frame["period_start"] = pd.Timestamp(period.start)
            frame["period_end"] = pd.Timestamp(period.end)
            source_file = f"{path.name}[{name}]"
            if key == "Table P1":
                specs = _p1_specs(header, group)
                part = melt_measures(frame, specs, source=DATASET, source_file=source_file,
                                     log=log, markers=PFA_MARKERS)
                counts = part[["area_code", "measure", "value"]]
            elif key == "Table P3":
                part = _p3(frame, header, counts, source_file, log)
            else:
                specs = _p4_specs(header, group)
                part = melt_measures(frame, specs, source=DATASET, source_file=source_file,
                                     log=log, markers=PFA_MARKERS)
            parts.append(part)
    finally:
        wb.close()
    table = finish(pd.concat(parts, ignore_index=True))
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=DATASET, path=path,
                         reader=__name__.rsplit(".", 1)[-1])


def _field(name: str, j: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{name} (column {get_column_letter(j + 1)})"


def _p1_specs(header: list[str], group: list[str]) -> list[ColumnMeasure]:
    specs = []
    for j in range(2, len(header)):
        name = header[j] or (group[j] if group[j].lower().startswith("total") else "")
        if not name:
            continue
        specs.append(ColumnMeasure(column=f"c{j}", measure=f"prc_{snake(name)}",
                                   label=f"Police recorded crime: {name} (offences)",
                                   unit="count", field_name=_field(name, j)))
    return specs


def _p3(frame: pd.DataFrame, header: list[str], counts: pd.DataFrame | None,
        source_file: str, log: ProblemLog) -> pd.DataFrame:
    pop = next((j for j, h in enumerate(header) if h.lower().startswith("population")), None)
    hh = next((j for j, h in enumerate(header) if h.lower().startswith("household")), None)
    if pop is None:
        raise PartnerFileError(source_file, "no population column in the rates table",
                               field="Population figures")
    parts = []
    for j in range(2, len(header)):
        name = header[j]
        if not name or j in (pop, hh):
            continue
        per_household = "household" in name.lower()
        base = re.sub(r"\s*\(households\)", "", name, flags=re.IGNORECASE)
        den = hh if per_household else pop
        measure = f"prc_{snake(base)}" + ("_households_rate" if per_household else "_rate")
        work = frame.copy()
        work["_num"] = ""
        if counts is not None:
            lookup = counts[counts["measure"] == f"prc_{snake(base)}"].drop_duplicates(
                "area_code").set_index("area_code")["value"]
            work["_num"] = work["area_code"].map(lookup).map(
                lambda v: "" if pd.isna(v) else repr(float(v)))
        spec = ColumnMeasure(column=f"c{j}", measure=measure,
                             label=f"Police recorded crime: {base} per 1,000 "
                                   f"{'households' if per_household else 'population'}",
                             unit="rate per 1,000 households" if per_household
                             else "rate per 1,000",
                             numerator="_num", denominator=f"c{den}" if den is not None
                             else None, field_name=_field(name, j))
        part = melt_measures(work, (spec,), source=DATASET, source_file=source_file,
                             log=log, markers=PFA_MARKERS)
        part["notes"] = part["notes"].str.replace("numerator blank in source (no figure "
                                                  "published)", "no Table P1 count",
                                                  regex=False)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _p4_specs(header: list[str], group: list[str]) -> list[ColumnMeasure]:
    specs = []
    current = ""
    for j in range(2, len(header)):
        current = group[j] or current
        h = header[j].lower()
        if not current or not h:
            continue
        offence = current
        if h.startswith("number"):
            specs.append(ColumnMeasure(column=f"c{j}", measure=f"knife_{snake(offence)}",
                                       label=f"Knife or sharp instrument offences: {offence}",
                                       unit="count", field_name=_field(offence, j)))
        elif h.startswith("%"):
            specs.append(ColumnMeasure(
                column=f"c{j}", measure=f"knife_{snake(offence)}_percent",
                label=f"{offence}: % involving a knife or sharp instrument", unit="percentage",
                numerator=specs[-1].column if specs else None,
                field_name=_field(f"{offence} %", j)))
    return specs
