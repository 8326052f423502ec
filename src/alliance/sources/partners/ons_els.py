"""ONS "Explore local statistics" indicator files (tidy CSV + JSON metadata beside it).

Format: ``areacd, areanm, geography, indicator, period, observation, measure, unit, lci_95,
uci_95, status, notes``. ``period`` is an ISO 8601 interval (``2022-04-01/P3Y`` = April 2022 to
March 2025). ``status`` carries DfE/ONS markers: ``x``/``c``/``z`` when no observation is given
(kept as suppressed rows) and ``u`` (low reliability) beside a published observation (value kept,
flag in notes). The JSON sidecar (``<name>.json``, optional) supplies the label and subtitle.
Unitary authorities appear twice in some files, as ``County or Unitary Authority`` (utla) and as
``Local Authority District`` (la); both rows are kept and ``area_level`` tells them apart.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.partners._periods import (
    MONTHS,
    Period,
    apply_periods,
)
from alliance.sources.partners._table import (
    ColumnMeasure,
    IndicatorRead,
    PartnerFileError,
    ProblemLog,
    UnknownFormatError,
    empty_table,
    finish,
    header_fields,
    melt_measures,
    read_csv_strings,
    snake,
)
from alliance.sources.partners.notes import add_notes, interval_notes

REQUIRED = ("areacd", "areanm", "geography", "indicator", "period", "observation", "unit")
LEVELS = {"country": "country", "nation": "country", "region": "region",
          "police force area": "pfa", "county or unitary authority": "utla",
          "local authority district": "la", "combined authority or city region": "combined"}

# file stem -> (measure id, breakdown); other indicators get snake(indicator)
KNOWN = {
    "homicide-offences": ("homicide_rate_per_million", ""),
    "children-in-relative-poverty": ("children_relative_poverty_bhc", ""),
    "persistent-absences-for-all-pupils": ("persistent_absence_rate", ""),
    "persistent-absences-for-pupils-eligible-for-free-school-meals":
        ("persistent_absence_rate", "group=eligible for free school meals"),
    "persistent-absences-for-pupils-looked-after-by-local-authorities":
        ("persistent_absence_rate", "group=looked after by the local authority"),
}
KNOWN_INDICATORS = {
    "children in relative poverty before housing costs": ("children_relative_poverty_bhc", ""),
    "children in relative poverty after housing costs": ("children_relative_poverty_ahc", ""),
}
STATUS = {"u": "low reliability", "x": "not available", "c": "confidential", "z":
          "not applicable", "low": "rounds to zero"}
_INTERVAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d+)([YM])$")

DESCRIPTION = ("ONS Explore local statistics indicator (homicide per million by PFA, "
               "persistent absence, children in relative poverty ...)")


def stem(path: Path) -> str:
    name = path.name
    return name[: -len(".csv.gz")] if name.endswith(".csv.gz") else path.stem


def dataset_id(path: Path) -> str:
    return "ons_els_" + snake(stem(path))


def _data_file(path: Path) -> Path:
    """The CSV for ``path``: itself, or the CSV beside a JSON metadata file."""
    return path.with_suffix(".csv") if path.suffix.lower() == ".json" else path


def recognise(path: Path) -> bool:
    """An ELS CSV, or an ELS JSON metadata file with its CSV beside it."""
    data = _data_file(path)
    if not data.name.lower().endswith((".csv", ".csv.gz")) or not data.is_file():
        return False
    return set(REQUIRED) <= set(header_fields(data))


def parse_interval(text: str) -> Period | None:
    m = _INTERVAL.match(text.strip())
    if not m:
        return None
    y, mo, d, n, kind = int(m[1]), int(m[2]), int(m[3]), int(m[4]), m[5]
    start = date(y, mo, d)
    offset = pd.DateOffset(years=n) if kind == "Y" else pd.DateOffset(months=n)
    end = (pd.Timestamp(start) + offset - pd.Timedelta(days=1)).date()
    if kind == "Y" and n == 1 and (mo, d) == (1, 1):
        label = str(y)
    elif kind == "Y" and n == 1 and d == 1 and mo in (4, 8, 9):
        label = f"{y}/{(y + 1) % 100:02d}"
    else:
        label = f"{MONTHS[start.month - 1]} {start.year}-{MONTHS[end.month - 1]} {end.year}"
    return Period(label, start, end)


def _metadata(path: Path, log: ProblemLog) -> dict[str, str]:
    side = path.with_name(stem(path) + ".json")
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
        inner = meta.get("ess-beta-metadata", {})
        return {k: str(v) for k, v in inner.items() if isinstance(v, str | int | float)}
    except (ValueError, UnicodeDecodeError, AttributeError) as exc:
        log.add(None, None, side.name, f"JSON metadata unreadable ({exc}); labels taken from "
                "the CSV")
        return {}


def read(path: Path) -> IndicatorRead:
    """Read an ELS indicator; given the JSON metadata file, the CSV beside it is read."""
    if not recognise(path):
        raise UnknownFormatError(path.name, "not an ONS Explore local statistics CSV", line=1)
    path = _data_file(path)
    log = ProblemLog(path.name)
    frame = read_csv_strings(path, log, required=REQUIRED)
    meta = _metadata(path, log)
    level = frame["geography"].str.strip().str.lower()
    keep = level.isin(list(LEVELS)).to_numpy()
    for i in np.flatnonzero(~keep):
        log.add(int(frame["_line"].iloc[i]), "geography", str(frame["geography"].iloc[i]),
                "unknown geography; row left out")
    periods = {p: parse_interval(p) for p in frame["period"].unique()}
    bad_period = frame["period"].map(lambda p: periods[p] is None).to_numpy(dtype=bool)
    for i in np.flatnonzero(keep & bad_period):
        log.add(int(frame["_line"].iloc[i]), "period", str(frame["period"].iloc[i]),
                "not an ISO interval such as 2022-04-01/P3Y; row left out")
    frame = frame.loc[keep & ~bad_period].reset_index(drop=True)
    frame["area_code"] = frame["areacd"].str.strip()
    frame["area_name"] = frame["areanm"].str.strip()
    frame["area_level"] = frame["geography"].str.strip().str.lower().map(LEVELS)
    apply_periods(frame, "period", periods)
    status = (frame["status"] if "status" in frame else pd.Series("", index=frame.index))
    status = status.fillna("").str.strip()
    # a status marker replaces an empty observation (City of London homicide: u): carry it
    # into the cell so that the suppressed row keeps its marker
    empty_obs = frame["observation"].str.strip().eq("") & status.ne("")
    frame.loc[empty_obs, "observation"] = status[empty_obs]
    notes = [c for c in frame.columns if c == "notes" or c.startswith("notes.")]
    pieces = pd.Series("", index=frame.index, dtype="object")
    flag = ~empty_obs & status.ne("")
    pieces[flag] = status[flag].map(
        lambda s: f"status '{s}': {STATUS.get(s.lower(), 'publisher flag')}")
    blank = pd.Series("", index=frame.index)
    pieces = add_notes(pieces, interval_notes(frame.get("lci_95", blank),
                                              frame.get("uci_95", blank)))
    for c in notes:
        txt = frame[c].fillna("").str.strip()
        has = txt.ne("")
        pieces[has] = pieces[has].where(pieces[has].eq(""), pieces[has] + "; ") + txt[has]
    frame["notes"] = pieces
    unit_text = frame["unit"].iloc[0].strip() if len(frame) else ""
    unit = {"%": "percentage", "Rate per 1,000,000 population": "rate per 1,000,000"}.get(
        unit_text, unit_text.lower())
    if frame["unit"].str.strip().nunique() > 1:
        raise PartnerFileError(path.name, "more than one unit in one indicator file: "
                               + ", ".join(sorted(frame["unit"].unique())), field="unit")
    indicators = list(dict.fromkeys(frame["indicator"].str.strip()))
    parts = []
    for ind in indicators:
        sub = frame[frame["indicator"].str.strip() == ind].copy()
        if ind.lower() in KNOWN_INDICATORS:
            measure, breakdown = KNOWN_INDICATORS[ind.lower()]
        elif len(indicators) == 1 and stem(path) in KNOWN:
            measure, breakdown = KNOWN[stem(path)]
        else:
            measure, breakdown = snake(ind), ""
        sub["breakdown"] = breakdown
        label = ind if len(indicators) > 1 else meta.get("label", ind)
        if meta.get("subText"):
            label = f"{label} ({meta['subText']})"
        spec = ColumnMeasure(column="observation", measure=measure, label=label, unit=unit)
        parts.append(melt_measures(sub, (spec,), source=dataset_id(path),
                                   source_file=path.name, log=log))
    table = finish(pd.concat(parts, ignore_index=True)) if parts else empty_table()
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=dataset_id(path),
                         path=path, reader=__name__.rsplit(".", 1)[-1])
