"""Read LSOA population: ONS mid-year estimates (LSOA 2011) and Census 2021 residents (LSOA 2021).

Vintages held (see the data folder's SOURCES.md):

* ``ons_sape_mid2020`` / ``ons_sape_mid2019``: ONS small area population estimates for
  30 June 2020 / 2019 (SAPE23DT2 / SAPE22DT2), LSOA 2011, persons by single year of age 0-89
  and 90+. The age bands of :data:`alliance.geo.tables.AGE_BANDS` are summed here from the
  single years.
* ``census2021_usual_residents``: Census 2021 (21 March 2021) usual residents, LSOA 2021, total
  only (TS021 total column). No LSOA 2021 mid-year estimates and no Census age table are held,
  so for LSOA 2021 age bands use :func:`alliance.geo.lsoa_convert.apportion_to_lsoa21`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliance.geo.layout import read_table
from alliance.geo.tables import AGE_BANDS, SINGLE_YEAR_COLUMNS, TABLE_COLUMNS, GeographyInputError

MYE_SOURCES: dict[str, tuple[str, str]] = {
    "mye2020": ("ons_sape_mid2020", "2020-06-30"),
    "mye2019": ("ons_sape_mid2019", "2019-06-30"),
}
_PUBLISHED_AGES = [*(str(a) for a in range(90)), "90+"]


def _counts(frame: pd.DataFrame, columns: list[str], path: Path) -> pd.DataFrame:
    values = frame[columns].apply(pd.to_numeric, errors="coerce")
    bad = values.isna() | (values < 0) | (values % 1 != 0)
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise GeographyInputError(
            f"{path}: line {row + 2}, column {columns[col]}: "
            f"{frame[columns[col]].iloc[row]!r} is not a non-negative whole count")
    return values.astype("Int64")


def age_bands(single_years: pd.DataFrame) -> pd.DataFrame:
    """Sum ``age_0`` … ``age_90_plus`` into the bands of :data:`AGE_BANDS`."""
    out = {}
    for band, (low, high) in AGE_BANDS.items():
        last = 89 if high is None else high
        columns = [f"age_{a}" for a in range(low, last + 1)]
        if high is None:
            columns.append("age_90_plus")
        out[band] = single_years[columns].sum(axis=1, min_count=len(columns))
    return pd.DataFrame(out, index=single_years.index)


def read_population(folder: Path, lsoa11_known: set[str], lsoa21_known: set[str],
                    issues: list[dict[str, str]]) -> pd.DataFrame:
    """The ``population`` table: one row per LSOA and source (see the module docstring)."""
    parts = []
    for key, (source, date) in MYE_SOURCES.items():
        frame, path = read_table(folder, key, ["lsoa11_code", "total_population", *_PUBLISHED_AGES])
        counts = _counts(frame, ["total_population", *_PUBLISHED_AGES], path)
        counts.columns = ["total", *SINGLE_YEAR_COLUMNS]
        mismatch = counts[list(SINGLE_YEAR_COLUMNS)].sum(axis=1) != counts["total"]
        for code in frame.loc[mismatch, "lsoa11_code"]:
            issues.append({"file": str(path), "column": "total_population", "code": code,
                           "problem": "single years of age do not sum to the total"})
        part = pd.concat([frame[["lsoa11_code"]], counts, age_bands(counts)], axis=1)
        part = part.rename(columns={"lsoa11_code": "lsoa_code"})
        parts.append(_known(part, lsoa11_known, path, issues).assign(
            lsoa_vintage="2011", source=source, reference_date=date))
    census, cpath = read_table(folder, "census2021_residents", ["lsoa21_code", "total_residents"])
    total = _counts(census, ["total_residents"], cpath)["total_residents"]
    part = pd.DataFrame({"lsoa_code": census["lsoa21_code"], "total": total})
    parts.append(_known(part, lsoa21_known, cpath, issues).assign(
        lsoa_vintage="2021", source="census2021_usual_residents", reference_date="2021-03-21"))
    population = pd.concat(parts, ignore_index=True)
    columns = list(TABLE_COLUMNS["population"])
    for column in columns[4:]:
        population[column] = population[column].astype("Int64")
    return population[columns]


def _known(part: pd.DataFrame, known: set[str], path: Path,
           issues: list[dict[str, str]]) -> pd.DataFrame:
    duplicated = part["lsoa_code"][part["lsoa_code"].duplicated()]
    if len(duplicated):
        raise GeographyInputError(f"{path}: duplicated LSOA code(s) {sorted(set(duplicated))[:10]}")
    unknown = ~part["lsoa_code"].isin(known)
    for code in part.loc[unknown, "lsoa_code"]:
        issues.append({"file": str(path), "column": "lsoa_code", "code": code,
                       "problem": "LSOA code not in the boundaries of its vintage; row left out"})
    return part.loc[~unknown]
