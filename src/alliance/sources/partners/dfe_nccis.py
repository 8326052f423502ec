"""DfE / NCCIS 16-17 NEET and activity-not-known dashboard files, one per year.

Format: the EES geography columns, ``Age`` and then wide percentages (NEET, not known,
participation, September Guarantee, SEND splits, vulnerable groups) plus context columns and
quintiles. The yearly files differ: 2021 adds vulnerable-group quintiles; 2024 and 2025 rename
the persistent-absence context column (``sess_overall_percent_pa_10_exact`` ->
``enrolments_pa_10_exact_percent``) and drop ``Age1617_ONS_population``. Only the NEET and
participation measures are read (present in every year); optional ones are read when present.
The context columns (Level 3 at 19, Attainment 8, absence) are left out on purpose: they belong to
earlier academic years than the file's ``time_period`` and are read from their own sources.

``time_period`` 2021 means the average of end-December 2020, January and February 2021; the
period runs 1 December to the end of February and is labelled ``2021`` as DfE and LAIT do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from alliance.sources.partners._table import (
    ColumnMeasure,
    IndicatorRead,
    ProblemLog,
    UnknownFormatError,
    header_fields,
    melt_measures,
    read_csv_strings,
)
from alliance.sources.partners.dfe_ees import GEO_COLUMNS, geography_and_period

DATASET = "dfe_nccis_neet"
DESCRIPTION = "DfE/NCCIS 16-17 NEET and not known by LA (Dec-Feb average), each yearly layout"
REQUIRED = ("Age", "Cohort_DJFavg", "NEET_not_known_percent", "NEET_percent",
            "Notknown_percent")


def _pct(column: str, measure: str, label: str, breakdown: str = "",
         denominator: str | None = "Cohort_DJFavg") -> ColumnMeasure:
    return ColumnMeasure(column=column, measure=measure, label=label, unit="percentage",
                         denominator=denominator, breakdown=breakdown)


MEASURES: tuple[ColumnMeasure, ...] = (
    ColumnMeasure(column="Cohort_DJFavg", measure="neet_cohort_16_17",
                  label="16-17 year olds known to the LA (Dec-Feb average)", unit="count"),
    _pct("NEET_not_known_percent", "neet_or_not_known_16_17",
         "16-17 year olds NEET or activity not known (%)"),
    _pct("NEET_percent", "neet_16_17", "16-17 year olds NEET (%)"),
    _pct("Notknown_percent", "activity_not_known_16_17",
         "16-17 year olds whose activity is not known (%)"),
    _pct("TOTAL_participating_in_education_and_training_percent", "participation_16_17",
         "16-17 year olds participating in education and training (%)", denominator=None),
    _pct("September_guarantee_Offer_made_percent", "september_guarantee_offer",
         "September Guarantee: offer of a place made (%)", denominator=None),
    _pct("NEET_NK_noSEN_percent", "neet_or_not_known_16_17",
         "16-17 NEET or not known, no SEN (%)", "send=no SEN", denominator=None),
    _pct("NEET_NK_EHCP_percent", "neet_or_not_known_16_17",
         "16-17 NEET or not known, with an EHC plan (%)", "send=EHC plan", denominator=None),
    _pct("NEET_NK_SENDsupport_percent", "neet_or_not_known_16_17",
         "16-17 NEET or not known, SEN support (%)", "send=SEN support", denominator=None),
    _pct("VG_NEET_NK_percentage", "neet_or_not_known_16_17",
         "16-17 NEET or not known, vulnerable groups (%)", "group=vulnerable groups",
         denominator="VG_cohort_DJF_avg"),
)


def recognise(path: Path) -> bool:
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return False
    header = set(header_fields(path))
    return {"time_period", "geographic_level", "NEET_percent", "Cohort_DJFavg"} <= header


def read(path: Path) -> IndicatorRead:
    if not recognise(path):
        raise UnknownFormatError(path.name, "not a DfE NCCIS NEET dashboard file", line=1)
    log = ProblemLog(path.name)
    frame = read_csv_strings(path, log, required=GEO_COLUMNS + REQUIRED)
    frame = geography_and_period(frame, log)
    year = pd.to_numeric(frame["time_period"], errors="coerce").astype("int64")
    frame["period"] = year.astype(str)
    frame["period_start"] = pd.to_datetime([date(y - 1, 12, 1) for y in year])
    frame["period_end"] = pd.to_datetime([date(y, 2, 28) if y % 4 else date(y, 2, 29)
                                          for y in year])
    frame["notes"] = "average of end-December, January and February"
    age = frame["Age"].str.strip()
    frame["breakdown"] = ""
    frame.loc[age.ne("16-17"), "breakdown"] = "age=" + age[age.ne("16-17")]
    specs = [m for m in MEASURES if m.column in frame.columns and
             (m.denominator is None or m.denominator in frame.columns)]
    for m in MEASURES:
        if m not in specs:
            log.add(None, m.column, "", "optional column not in this year's layout; "
                    "measure not read")
    table = melt_measures(frame, specs, source=DATASET, source_file=path.name, log=log)
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=DATASET, path=path,
                         reader=__name__.rsplit(".", 1)[-1])
