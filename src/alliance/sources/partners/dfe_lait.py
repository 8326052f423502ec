"""DfE Local Authority Interactive Tool (LAIT) "big data set", long form (parquet).

Format: ``Short Desc`` (measure code), ``Data item`` (label, given on the first row of a measure
only), ``Years`` (label: ``2016``, ``2015/16``, ``2016-17 (OT)``, ``2014-16``,
``2013/14-15/16`` ...), ``LA and Regions``, ``Values`` (text; ``-`` = not available), ``LA Number``
(DfE number; 970-990 are England and the regions), ``Region``. 434 measures, 2006/07 onwards:
youth justice first-time entrants and re-offending, exclusions, absence, CIN/CLA/CP, NEET, health.

The LAIT data dictionary (``lait_data_dictionary.csv.gz`` beside the parquet, optional) gives each
measure's ``Year_Type`` and axis wording; period dates for a bare year label are inferred from it
(``2023`` of an academic-year measure = September 2022 to August 2023; of a financial-year
measure = April 2022 to March 2023) and the notes say so. Without the dictionary a bare year is
read as a calendar year, also noted. The 16-17 NEET measures are Dec-Feb averages whatever the
dictionary says (as in the NCCIS files). LA numbers become GSS codes through
:mod:`._dfe_la_codes` (latest code of the number).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.partners._checks import national_within_regions
from alliance.sources.partners._dfe_la_codes import DFE_LA_TO_GSS, LAIT_REGION_TO_GSS
from alliance.sources.partners._periods import (
    Period,
    academic_year,
    calendar_year,
    financial_year,
)
from alliance.sources.partners._table import (
    MARKERS,
    ColumnMeasure,
    IndicatorRead,
    PartnerFileError,
    ProblemLog,
    UnknownFormatError,
    melt_measures,
    snake,
)

DATASET = "dfe_lait"
DESCRIPTION = ("DfE LAIT big data set (long parquet): youth justice FTE and re-offending, "
               "exclusions, absence, CIN/CLA/CP, NEET, health, 434 measures")
REQUIRED = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number")
DICTIONARY = "lait_data_dictionary.csv.gz"
LAIT_MARKERS = {**MARKERS, "-": "not available in LAIT (no figure for this area and year)"}

KNOWN = {
    "FirstYJS": "fte_youth_justice_rate",
    "ReoffYO": "youth_reoffending_rate",
    "ReoffYO15-17": "youth_reoffending_rate_15_17",
    "YJS_Caution-Sentence10-17_YO": "youth_cautioned_or_sentenced_rate",
    "LAC_Convictions": "cla_convicted_or_cautioned_10_17_percent",
    "TotPermEx": "permanent_exclusion_rate",
    "TotFixedEx": "suspension_rate",
    "TotPerAbNew": "persistent_absence_rate",
    "TotSevPerAbNew": "severe_absence_rate",
    "16-17 NEET": "neet_16_17",
    "16-17_not known": "activity_not_known_16_17",
    "16-17_not known_NEET": "neet_or_not_known_16_17",
    "CareLeaversNEET": "care_leavers_neet",
    "CIN": "cin_rate",
    "LAC": "cla_at_31_march_rate",
    "CPP_rate": "cpp_rate",
    "Hosp_Adm_Alc_<18yrs": "alcohol_specific_admissions_under_18_rate",
    "HospAd0-14": "hospital_admissions_injuries_0_14",
    "ChildPov": "children_low_income",
}
DEC_FEB = {"16-17 NEET", "16-17_not known", "16-17_not known_NEET"}

_ONE = re.compile(r"^(\d{4})(?:\s*\((\w+)\))?$")
_SPAN = re.compile(r"^(\d{4})[/-](\d{2})(?:\s*\((\w+)\))?$")
_POOL = re.compile(r"^(\d{4})/(\d{2})-(\d{2})/(\d{2})$")


def recognise(path: Path) -> bool:
    if path.suffix.lower() != ".parquet":
        return False
    try:
        import pyarrow.parquet as pq

        names = set(pq.read_schema(path).names)
    except Exception:  # not a parquet file at all: not ours
        return False
    return {"Short Desc", "Years", "LA and Regions", "Values"} <= names


def _unit(axis: str) -> str:
    a = axis.strip().lower()
    for key, unit in (("per 100,000", "rate per 100,000"), ("per 10,000", "rate per 10,000"),
                      ("per 1000", "rate per 1,000"), ("per 1,000", "rate per 1,000")):
        if key in a:
            return unit
    if a.startswith("%") or "percent" in a:
        return "percentage"
    if a.startswith("number"):
        return "count"
    return a or "value"


def period_for(label: str, year_type: str, code: str) -> tuple[Period, str] | None:
    """(period, note) for a LAIT year label, using the dictionary's Year_Type."""
    text, yt = label.strip(), year_type.strip().lower()
    note = f"LAIT year '{text}'"
    if code in DEC_FEB and (m := _ONE.match(text)):
        y = int(m[1])
        end = date(y, 2, 29) if y % 4 == 0 else date(y, 2, 28)
        return Period(m[1], date(y - 1, 12, 1), end), note + "; average of Dec, Jan and Feb"
    if m := _ONE.match(text):
        y = int(m[1])
        if yt.startswith("academic"):
            p = academic_year(y - 1)
        elif yt.startswith("financial") or yt == "annual":
            p = financial_year(y - 1)
        elif "sept" in yt:
            p = Period(m[1], date(y - 1, 10, 1), date(y, 9, 30))
        elif "january" in yt:
            p = Period(f"Jan {y}", date(y, 1, 1), date(y, 1, 31))
        else:
            p = calendar_year(y)
        how = f"dates inferred from Year_Type '{year_type or 'none: calendar assumed'}'"
        return Period(m[1], p.start, p.end), f"{note}; {how}"
    if m := _SPAN.match(text):
        first, second = int(m[1]), int(m[2])
        span = (second - first % 100) % 100
        if span == 1:
            p = financial_year(first) if yt.startswith("financial") else academic_year(first)
            return p, f"{note}; {'financial' if yt.startswith('financial') else 'academic'} year"
        if span == 2:
            last = first + 2
            return (Period(f"{first}-{last}", date(first, 1, 1), date(last, 12, 31)),
                    f"{note}; three calendar years pooled")
        return None
    if m := _POOL.match(text):
        first, last = int(m[1]), int(m[1]) + ((int(m[3]) - int(m[1]) % 100) % 100)
        p = Period(f"{first}/{m[2]}-{m[3]}/{m[4]}", date(first, 4, 1), date(last + 1, 3, 31))
        return p, f"{note}; financial years pooled"
    return None


def _dictionary(path: Path, log: ProblemLog) -> pd.DataFrame:
    side = path.with_name(DICTIONARY)
    if not side.exists():
        log.add(None, None, side.name, "LAIT data dictionary not found beside the parquet; "
                "labels from 'Data item' and bare years read as calendar years")
        return pd.DataFrame(columns=["Measure_short", "Measure", "y_axis_name", "Year_Type"])
    try:
        d = pd.read_csv(side, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError, EOFError) as exc:
        raise PartnerFileError(side.name, f"LAIT data dictionary unreadable ({exc})") from exc
    need = {"Measure_short", "Measure", "y_axis_name", "Year_Type"}
    if not need <= set(d.columns):
        missing = sorted(need - set(d.columns))
        raise PartnerFileError(side.name, "required column(s) missing", line=1, field=missing[0])
    return d.drop_duplicates("Measure_short")


def read(path: Path) -> IndicatorRead:
    if not recognise(path):
        raise UnknownFormatError(path.name, "not the LAIT big data set parquet")
    log = ProblemLog(path.name)
    try:
        raw = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise PartnerFileError(path.name, f"parquet unreadable or truncated ({exc})") from exc
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise PartnerFileError(path.name, "required column(s) missing", field=missing[0])
    raw = raw.reset_index(drop=True)
    raw["_line"] = np.arange(len(raw), dtype="int64") + 2
    dic = _dictionary(path, log).set_index("Measure_short")
    code = raw["Short Desc"].astype("string").fillna("").str.strip()
    number = pd.to_numeric(raw["LA Number"], errors="coerce")
    lookup = {**{k: v for k, v in DFE_LA_TO_GSS.items()}, **LAIT_REGION_TO_GSS}
    known = number.isin(list(lookup)).to_numpy()
    for i in np.flatnonzero(~known):
        log.add(int(raw["_line"].iloc[i]), "LA Number", str(raw["LA Number"].iloc[i]),
                "LA number not in the DfE-to-GSS lookup; row left out")
    # period per (measure, label) pair
    pairs = pd.DataFrame({"code": code, "years": raw["Years"].astype("string").fillna("")})
    uniq = pairs.drop_duplicates()
    per: dict[tuple[str, str], tuple[Period, str] | None] = {}
    for c, y in uniq.itertuples(index=False):
        yt = str(dic["Year_Type"].get(c, "")) if c in dic.index else ""
        per[(c, y)] = period_for(str(y), yt, str(c))
    got = [per[(c, y)] for c, y in zip(code, pairs["years"], strict=True)]
    ok_period = np.array([g is not None for g in got])
    for i in np.flatnonzero(known & ~ok_period):
        log.add(int(raw["_line"].iloc[i]), "Years", str(raw["Years"].iloc[i]),
                "unrecognised LAIT year label; row left out")
    keep = known & ok_period
    frame = raw.loc[keep].reset_index(drop=True)
    got = [g for g, k in zip(got, keep, strict=True) if k]
    nums = number[keep].astype(int).to_numpy()
    frame["area_code"] = [lookup[n][0] for n in nums]
    frame["area_name"] = frame["LA and Regions"].astype(str).str.strip()
    frame["area_level"] = np.where(nums == 970, "country", np.where(nums >= 980, "region",
                                                                     "utla"))
    frame["period"] = [g[0].label for g in got if g]
    frame["period_start"] = pd.to_datetime([g[0].start for g in got if g])
    frame["period_end"] = pd.to_datetime([g[0].end for g in got if g])
    frame["notes"] = [g[1] for g in got if g]
    frame["breakdown"] = ""
    frame["Values"] = frame["Values"].astype("string")
    frame["_code"] = code[keep].to_numpy()
    items = raw.groupby(code, sort=False)["Data item"].agg(
        lambda s: next((str(x) for x in s if isinstance(x, str) and x.strip()), ""))
    labels, units, ids = {}, {}, {}
    for c in frame["_code"].unique():
        entry = dic.loc[c] if c in dic.index else None
        label = items.get(c, "") or (str(entry["Measure"]) if entry is not None else str(c))
        labels[c] = f"{label} [LAIT {c}]"
        units[c] = _unit(str(entry["y_axis_name"])) if entry is not None else "value"
        ids[c] = KNOWN.get(str(c), f"lait_{snake(str(c))}")
    frame["measure"] = frame["_code"].map(ids)
    frame["measure_label"] = frame["_code"].map(labels)
    frame["unit"] = frame["_code"].map(units)
    spec = ColumnMeasure(column="Values", measure="", label="", unit="")  # per row
    table = melt_measures(frame, (spec,), source=DATASET, source_file=path.name, log=log,
                          markers=LAIT_MARKERS)
    table = national_within_regions(table, log, field="Values")
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=DATASET, path=path,
                         reader=__name__.rsplit(".", 1)[-1])
