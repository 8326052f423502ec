"""Fingertips indicators reshaped to tidy CSV by Trafford Data Lab (every English LA).

Format: ``area_code, area_name, period, value, indicator, measure, unit, significance``, where
``measure`` is the Fingertips value type (e.g. ``Age standardised rate per 100,000``), ``unit`` is
in fact the sex (``Persons``) and ``significance`` the Fingertips comparison with England. R's
``NA`` marks a value Fingertips did not publish. Districts (E07) are lower-tier ``la``; counties
(E10) and single-tier authorities (E06, E08, E09) are ``utla``. A directly standardised rate
cannot be summed or averaged across areas, so these rows carry no numerator or denominator.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.partners._periods import (
    apply_periods,
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
    snake,
)
from alliance.sources.partners.fingertips import known_rows
from alliance.sources.partners.notes import comparison_notes

REQUIRED = ("area_code", "area_name", "period", "value", "indicator", "measure", "unit",
            "significance")
DESCRIPTION = ("Fingertips indicators as tidy CSV (Trafford Data Lab): self-harm admissions, "
               "alcohol-related admissions and mortality, districts and counties")
KNOWN = {
    "alcohol_related_admissions": "alcohol_related_admissions_narrow_dsr",
    "alcohol_related_mortality": "alcohol_related_mortality_dsr",
    "admissions_self_harm": "self_harm_admissions_dsr",
    "admissions_self_harm_young_people": "self_harm_admissions_10_24_dsr",
}
PREFIX_LEVEL = {"E92": "country", "E12": "region", "E47": "combined", "E10": "utla",
                "E06": "utla", "E08": "utla", "E09": "utla", "E07": "la", "E11": "county_met"}
TIDY_MARKERS = {**MARKERS, "NA": "not published by Fingertips (R NA in the tidy file)"}


def dataset_id(path: Path) -> str:
    return "fingertips_tdl_" + snake(path.name.split(".")[0])


def recognise(path: Path) -> bool:
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return False
    return set(REQUIRED) <= set(header_fields(path))


def _unit(measure_text: str) -> str:
    t = measure_text.strip().lower()
    if "standardised rate" in t:
        return "directly standardised rate per " + t.rsplit("per", 1)[-1].strip()
    return t


def read(path: Path) -> IndicatorRead:
    if not recognise(path):
        raise UnknownFormatError(path.name, "not a tidy Fingertips CSV (Trafford Data Lab)",
                                 line=1)
    log = ProblemLog(path.name)
    frame = read_csv_strings(path, log, required=REQUIRED)
    code = frame["area_code"].str.strip()
    levels = code.str[:3].map(PREFIX_LEVEL)
    keep, periods = known_rows(frame, log, levels=levels, level_field="area_code",
                               level_values=code,
                               level_problem="area code of an unknown kind; row left out",
                               period_field="period")
    frame = frame.loc[keep].reset_index(drop=True)
    frame["area_code"] = code[keep].to_numpy()
    frame["area_level"] = levels[keep].to_numpy()
    frame["area_name"] = frame["area_name"].str.strip()
    apply_periods(frame, "period", periods)
    sex = frame["unit"].str.strip()
    frame["breakdown"] = np.where(sex.eq("Persons"), "", "sex=" + sex)
    frame["notes"] = comparison_notes(frame["significance"])
    parts = []
    stem = path.name.split(".")[0]
    for (ind, meas), sub in frame.groupby(["indicator", "measure"], sort=False):
        measure = KNOWN.get(stem, snake(str(ind)))
        if frame[["indicator", "measure"]].drop_duplicates().shape[0] > 1:
            measure = f"{measure}_{snake(str(meas))}"
        spec = ColumnMeasure(column="value", measure=measure,
                             label=f"{ind} ({meas})", unit=_unit(str(meas)))
        parts.append(melt_measures(sub, (spec,), source=dataset_id(path),
                                   source_file=path.name, log=log, markers=TIDY_MARKERS))
    table = pd.concat(parts, ignore_index=True) if parts else melt_measures(
        frame, (), source=dataset_id(path), source_file=path.name, log=log)
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=dataset_id(path),
                         path=path, reader=__name__.rsplit(".", 1)[-1])
