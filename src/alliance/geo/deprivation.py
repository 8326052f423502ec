"""Read the English Indices of Deprivation 2019 (LSOA 2011) and 2025 (LSOA 2021).

Ranks run from 1 = most deprived LSOA in England; deciles from 1 = most deprived 10 %.
Scores exist for IMD 2019 (IMD score, income and employment rates x 100) and for every IoD2025
domain and sub-domain. Values are read as published; nothing is recomputed.
Source: MHCLG, English Indices of Deprivation 2019 / 2025, OGL v3.0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliance.geo.layout import read_table
from alliance.geo.tables import GeographyInputError

_DOMAINS_2019 = ("imd", "income", "employment", "education", "health", "crime", "barriers",
                 "living_env")
_SUBDOMAINS = ("children_and_young_people", "adult_skills", "geographical_barriers",
               "wider_barriers", "indoors", "outdoors")

#: Measures of the ``imd2019`` table (after ``lsoa11_code``).
IMD2019_COLUMNS: tuple[str, ...] = (
    *(f"{d}_{m}" for d in _DOMAINS_2019 for m in ("rank", "decile")),
    "imd_score", "income_score_pct", "employment_score_pct",
    "idaci_rank", "idaci_decile", "idaopi_rank", "idaopi_decile",
    "pop_total_mid2015", "pop_children_0_15_mid2015", "pop_16_59_mid2015",
    "pop_60plus_mid2015", "pop_working_age_mid2015",
    *(f"sub_{s}_{m}" for s in _SUBDOMAINS for m in ("rank", "decile")),
)

_DOMAINS_2025 = ("IMD", "Income", "Employment", "Education", "Health", "Crime",
                 "Housing_and_Services", "Environment")
#: Measures of the ``imd2025`` table (after ``lsoa21_code``): lower-cased published names.
IMD2025_COLUMNS: tuple[str, ...] = (
    *(f"{d.lower()}_{m}" for d in _DOMAINS_2025 for m in ("score", "rank", "decile")),
    *(f"sub_{s}_{m}" for s in _SUBDOMAINS for m in ("score", "rank", "decile")),
)


def _numeric(frame: pd.DataFrame, columns: tuple[str, ...], path: Path) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = values.isna() & out[column].notna()
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0]) + 2
            value = out[column][bad].iloc[0]
            raise GeographyInputError(
                f"{path}: line {line}, column {column}: {value!r} is not a number")
        out[column] = values
    return out


def _unique_known(frame: pd.DataFrame, key: str, known: set[str], path: Path,
                  issues: list[dict[str, str]]) -> pd.DataFrame:
    duplicated = frame[key][frame[key].duplicated()]
    if len(duplicated):
        raise GeographyInputError(f"{path}: duplicated {key} {sorted(set(duplicated))[:10]}")
    unknown = ~frame[key].isin(known)
    for code in frame.loc[unknown, key]:
        issues.append({"file": str(path), "column": key, "code": code,
                       "problem": "LSOA code not in the boundaries of its vintage; row left out"})
    return frame.loc[~unknown].reset_index(drop=True)


def read_imd2019(folder: Path, known: set[str], issues: list[dict[str, str]]) -> pd.DataFrame:
    """IoD2019 by LSOA 2011: ``lsoa11_code`` + :data:`IMD2019_COLUMNS`."""
    frame, path = read_table(folder, "imd2019", ["lsoa11_code", *IMD2019_COLUMNS])
    frame = _numeric(frame[["lsoa11_code", *IMD2019_COLUMNS]], IMD2019_COLUMNS, path)
    return _unique_known(frame, "lsoa11_code", known, path, issues)


def read_imd2025(folder: Path, known: set[str], issues: list[dict[str, str]]) -> pd.DataFrame:
    """IoD2025 by LSOA 2021: ``lsoa21_code`` + :data:`IMD2025_COLUMNS`."""
    published = [f"{d}_{m}" for d in _DOMAINS_2025 for m in ("score", "rank", "decile")]
    main, path = read_table(folder, "imd2025", ["lsoa21_code", *published])
    main = main[["lsoa21_code", *published]].rename(columns=str.lower)
    sub_cols = [f"{s}_{m}" for s in _SUBDOMAINS for m in ("score", "rank", "decile")]
    sub, sub_path = read_table(folder, "imd2025_subdomains", ["lsoa21_code", *sub_cols])
    sub = sub[["lsoa21_code", *sub_cols]].rename(columns={c: f"sub_{c}" for c in sub_cols})
    missing = sorted(set(main["lsoa21_code"]) ^ set(sub["lsoa21_code"]))
    if missing:
        raise GeographyInputError(
            f"{path} and {sub_path} cover different LSOAs, e.g. {missing[:5]}")
    frame = main.merge(sub, on="lsoa21_code", validate="one_to_one")
    frame = _numeric(frame[["lsoa21_code", *IMD2025_COLUMNS]], IMD2025_COLUMNS, path)
    return _unique_known(frame, "lsoa21_code", known, path, issues)
