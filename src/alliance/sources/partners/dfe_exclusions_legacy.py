"""DfE permanent and fixed-period exclusions by reason (SFR underlying data, 2006/07-2016/17).

Format: ``year`` (``201617``), ``level`` (NATIONAL / REGIONAL / LOCAL AUTHORITY), the old EES-like
geography columns, ``school_type`` and one count column per reason, ``perm_<reason>`` and
``fixed_<reason>``. Each becomes a count row of ``permanent_exclusions`` or
``fixed_period_exclusions`` with breakdown ``reason=...; school_type=...``. ``x`` is DfE's
"fewer than 5 / suppressed", ``.`` "not applicable"; both stay suppressed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.partners._periods import (
    academic_year,
)
from alliance.sources.partners._table import (
    MARKERS,
    ColumnMeasure,
    IndicatorRead,
    ProblemLog,
    UnknownFormatError,
    header_fields,
    melt_measures,
    read_csv_strings,
)

DATASET = "dfe_exclusions_reasons"
DESCRIPTION = ("DfE permanent and fixed-period exclusions by reason and school type, "
               "2006/07-2016/17 (legacy SFR)")

REASONS = {
    "physical_pupils": "Physical assault against a pupil",
    "physical_adult": "Physical assault against an adult",
    "verbal_pupil": "Verbal abuse / threatening behaviour against a pupil",
    "verbal_adult": "Verbal abuse / threatening behaviour against an adult",
    "bullying": "Bullying",
    "racist_abuse": "Racist abuse",
    "sexual_misconduct": "Sexual misconduct",
    "drug_alcohol": "Drug and alcohol related",
    "damage": "Damage",
    "theft": "Theft",
    "persistent_disruptive": "Persistent disruptive behaviour",
    "other": "Other",
}
GEO = ("year", "level", "country_code", "country_name", "region_code", "region_name",
       "new_la_code", "la_name", "school_type")
LEVELS = {"NATIONAL": ("country", "country_code", "country_name"),
          "REGIONAL": ("region", "region_code", "region_name"),
          "LOCAL AUTHORITY": ("utla", "new_la_code", "la_name")}
LEGACY_MARKERS = {**MARKERS, "x": "suppressed (fewer than 5, DfE SFR convention)",
                  ".": "not applicable"}


def recognise(path: Path) -> bool:
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return False
    header = set(header_fields(path))
    return {"year", "level", "school_type", "perm_physical_pupils", "fixed_other"} <= header


def read(path: Path) -> IndicatorRead:
    if not recognise(path):
        raise UnknownFormatError(path.name, "not a DfE exclusions-by-reason file", line=1)
    log = ProblemLog(path.name)
    required = GEO + tuple(f"{k}_{r}" for k in ("perm", "fixed") for r in REASONS)
    frame = read_csv_strings(path, log, required=required)
    level = frame["level"].str.strip().str.upper()
    keep = level.isin(list(LEVELS)).to_numpy()
    year = frame["year"].str.strip()
    good_year = year.str.fullmatch(r"\d{6}").fillna(False).to_numpy()
    for i in np.flatnonzero(~keep):
        log.add(int(frame["_line"].iloc[i]), "level", str(frame["level"].iloc[i]),
                "unknown geographic level; row left out")
    for i in np.flatnonzero(keep & ~good_year):
        log.add(int(frame["_line"].iloc[i]), "year", str(year.iloc[i]),
                "year is not of the form 201617; row left out")
    frame = frame.loc[keep & good_year].reset_index(drop=True)
    level = level[keep & good_year].reset_index(drop=True)
    for key, (lvl, code, name) in LEVELS.items():
        sel = level.eq(key)
        frame.loc[sel, "area_level"] = lvl
        frame.loc[sel, "area_code"] = frame.loc[sel, code].str.strip()
        frame.loc[sel, "area_name"] = frame.loc[sel, name].str.strip()
    periods = {y: academic_year(int(y[:4])) for y in frame["year"].str.strip().unique()}
    frame["period"] = frame["year"].str.strip().map(lambda y: periods[y].label)
    frame["period_start"] = pd.to_datetime(frame["year"].str.strip().map(
        lambda y: periods[y].start))
    frame["period_end"] = pd.to_datetime(frame["year"].str.strip().map(
        lambda y: periods[y].end))
    frame["notes"] = ""
    school = frame["school_type"].str.strip()
    frame["breakdown"] = "school_type=" + school
    specs = []
    for kind, measure, words in (("perm", "permanent_exclusions", "Permanent exclusions"),
                                 ("fixed", "fixed_period_exclusions",
                                  "Fixed-period exclusions")):
        for key, reason in REASONS.items():
            specs.append(ColumnMeasure(column=f"{kind}_{key}", measure=measure,
                                       label=f"{words} by reason", unit="count",
                                       breakdown=f"reason={reason}"))
    table = melt_measures(frame, specs, source=DATASET, source_file=path.name, log=log,
                          markers=LEGACY_MARKERS)
    # reason first, then school type, reads better: 'reason=...; school_type=...'
    parts = table["breakdown"].str.split("; ", n=1, expand=True)
    table["breakdown"] = parts[1] + "; " + parts[0]
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=DATASET, path=path,
                         reader=__name__.rsplit(".", 1)[-1])
