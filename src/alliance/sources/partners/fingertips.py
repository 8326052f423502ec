"""OHID Fingertips data export (the standard "download data" CSV of one or more indicators).

Format: ``Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code, Area Name, Area Type,
Sex, Age, Category Type, Category, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit,
... Count, Denominator, Value note, Recent Trend, Compared to England value or percentiles ...``.
The 95% interval and the comparison with England are kept in ``notes``
(:mod:`alliance.sources.partners.notes`).
Rows with a ``Category Type`` (e.g. deprivation deciles) are kept with the category as breakdown.
The export has no unit column: when every published value equals count / denominator times one
power of ten the unit is set to that crude rate (e.g. ``rate per 10,000``) and the notes say so;
otherwise the unit is ``indicator value`` and the numerator/denominator are still given.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.partners._periods import (
    Period,
    apply_periods,
    calendar_year,
    financial_year,
)
from alliance.sources.partners._table import (
    ColumnMeasure,
    IndicatorRead,
    ProblemLog,
    UnknownFormatError,
    header_fields,
    melt_measures,
    parse_cells,
    read_csv_strings,
)
from alliance.sources.partners.notes import add_notes, comparison_notes, interval_notes

DATASET = "ohid_fingertips"
DESCRIPTION = "OHID Fingertips data export (e.g. 90284 injury admissions aged 0-14)"
REQUIRED = ("Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Sex",
            "Age", "Category Type", "Category", "Time period", "Value", "Count", "Denominator",
            "Value note")
KNOWN = {"90284": "hospital_admissions_injuries_0_14"}

_FY = re.compile(r"^(\d{4})/(\d{2})$")
_POOLED_FY = re.compile(r"^(\d{4})/(\d{2})\s*-\s*(\d{2})/(\d{2})$")
_POOLED_CY = re.compile(r"^(\d{4})\s*-\s*(\d{2,4})$")


def parse_period(text: str) -> Period | None:
    """Fingertips period labels: ``2010/11`` (financial), ``2017``, ``2019/20 - 21/22``,
    ``2015 - 17`` (pooled years)."""
    t = text.strip()
    if t.isdigit() and len(t) == 4:
        return calendar_year(int(t))
    if m := _FY.match(t):
        return financial_year(int(m[1]))
    if m := _POOLED_FY.match(t):
        first = int(m[1])
        last_end = 2000 + int(m[4]) if int(m[4]) < 50 else 1900 + int(m[4])
        return Period(f"{m[1]}/{m[2]}-{m[3]}/{m[4]}", date(first, 4, 1), date(last_end, 3, 31))
    if m := _POOLED_CY.match(t):
        first = int(m[1])
        last = int(m[2]) if len(m[2]) == 4 else (first // 100) * 100 + int(m[2])
        return Period(f"{first}-{last}", date(first, 1, 1), date(last, 12, 31))
    return None


def area_level(area_type: str) -> str | None:
    t = area_type.strip().lower()
    for key, level in (("district", "la"), ("count", "utla"), ("region", "region"),
                       ("england", "country"), ("combined", "combined"), ("icb", "icb")):
        if key in t:
            return level
    return None


def recognise(path: Path) -> bool:
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return False
    return set(REQUIRED) <= set(header_fields(path))


def crude_scale(frame: pd.DataFrame) -> float | None:
    """The power of ten with value == count / denominator x scale on every row that has all
    three (to 0.5% relative), else None."""
    value, _, _ = parse_cells(frame["Value"])
    count, _, _ = parse_cells(frame["Count"])
    den, _, _ = parse_cells(frame["Denominator"])
    ok = value.notna() & count.notna() & den.notna() & (den > 0) & (count > 0)
    if not ok.any():
        return None
    ratio = value[ok] / (count[ok] / den[ok])
    scale = float(10 ** np.round(np.log10(ratio.median())))
    return scale if bool((abs(ratio / scale - 1) < 0.005).all()) else None


def known_rows(frame: pd.DataFrame, log: ProblemLog, *, levels: pd.Series, level_field: str,
               level_values: pd.Series, level_problem: str,
               period_field: str) -> tuple[np.ndarray, dict[str, Period | None]]:
    """Which rows have a recognised area level and period, and the periods parsed.

    Every other row is logged (line, field, value, why) and is to be left out; a row with
    both faults is logged once, for its area. Shared by both Fingertips layouts.
    """
    periods = {p: parse_period(p) for p in frame[period_field].unique()}
    bad_level = levels.isna().to_numpy()
    bad_period = frame[period_field].map(lambda p: periods[p] is None).to_numpy(dtype=bool)
    for i in np.flatnonzero(bad_level):
        log.add(int(frame["_line"].iloc[i]), level_field, str(level_values.iloc[i]),
                level_problem)
    for i in np.flatnonzero(bad_period & ~bad_level):
        log.add(int(frame["_line"].iloc[i]), period_field, str(frame[period_field].iloc[i]),
                "unrecognised period; row left out")
    return ~bad_level & ~bad_period, periods


def read(path: Path) -> IndicatorRead:
    if not recognise(path):
        raise UnknownFormatError(path.name, "not an OHID Fingertips data export", line=1)
    log = ProblemLog(path.name)
    frame = read_csv_strings(path, log, required=REQUIRED)
    levels = frame["Area Type"].map(area_level)
    keep, periods = known_rows(frame, log, levels=levels, level_field="Area Type",
                               level_values=frame["Area Type"],
                               level_problem="unknown area type; row left out",
                               period_field="Time period")
    frame = frame.loc[keep].reset_index(drop=True)
    frame["area_level"] = levels[keep].to_numpy()
    frame["area_code"] = frame["Area Code"].str.strip()
    frame["area_name"] = frame["Area Name"].str.strip()
    apply_periods(frame, "Time period", periods)
    sex = frame["Sex"].str.strip()
    brk = np.where(sex.eq("Persons"), "", "sex=" + sex)
    cat = frame["Category Type"].str.strip().ne("")
    cat_text = frame["Category Type"].str.strip() + "=" + frame["Category"].str.strip()
    brk = np.where(cat & (brk != ""), brk + "; " + cat_text, np.where(cat, cat_text, brk))
    frame["breakdown"] = brk
    # The published 95% interval and the publisher's comparison with England ride in the
    # notes (see alliance.sources.partners.notes), so the SNA can show Fingertips' own verdict.
    blank = pd.Series("", index=frame.index)
    frame["notes"] = add_notes(
        frame["Value note"].fillna("").str.strip(),
        interval_notes(frame.get("Lower CI 95.0 limit", blank),
                       frame.get("Upper CI 95.0 limit", blank)),
        comparison_notes(frame.get("Compared to England value or percentiles", blank)))
    parts = []
    for ind, sub in frame.groupby("Indicator ID", sort=False):
        scale = crude_scale(sub)
        if scale is None:
            unit = "indicator value"
        elif scale == 100:
            unit = "percentage"
        else:
            unit = f"rate per {int(scale):,}"
        sub = sub.copy()
        if scale is not None:
            sub["notes"] = sub["notes"].where(sub["notes"].eq(""), sub["notes"] + "; ") + \
                f"unit checked: value = count / denominator x {int(scale):,}"
        name = sub["Indicator Name"].iloc[0].strip()
        age = sub["Age"].iloc[0].strip()
        spec = ColumnMeasure(column="Value", measure=KNOWN.get(str(ind).strip(),
                                                               f"fingertips_{ind}"),
                             label=f"{name} [{age}]", unit=unit, numerator="Count",
                             denominator="Denominator")
        parts.append(melt_measures(sub, (spec,), source=DATASET, source_file=path.name,
                                   log=log))
    table = pd.concat(parts, ignore_index=True) if parts else melt_measures(
        frame, (), source=DATASET, source_file=path.name, log=log)
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=DATASET, path=path,
                         reader=__name__.rsplit(".", 1)[-1])
