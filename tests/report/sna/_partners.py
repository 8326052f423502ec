"""Real published partner statistics for Northamptonshire, as the SNA gathers them: the area's
own codes, the former districts and county, the East Midlands and the nations.

Files (shared/data/partners, see its SOURCES.md): ONS police force area tables year ending
December 2019, ONS Explore Local Statistics homicide and child poverty, OHID Fingertips 90284
(injury admissions aged 0-14, with Fingertips' own comparison with England), DfE children looked
after outcomes, and Fingertips alcohol-related admissions for the seven former districts.
Successors come from the ONS LSOA 2011 -> LAD 2020 -> LAD 2021 lookup.
"""

from __future__ import annotations

import pandas as pd

from alliance.sources import partners
from tests.conftest import require_shared

NORTH, WEST, COUNTY, PFA = "E06000061", "E06000062", "E10000021", "E23000022"
FILES = (("ons_pfa_tables", "pfatablesdec19.xlsx"),
         ("ons_explore_local_statistics", "homicide-offences.csv"),
         ("ons_explore_local_statistics", "children-in-relative-poverty.csv"),
         ("dfe_csc", "la_hospital_admissions_2324.csv.gz"),
         ("dfe_csc", "la_conviction_health_outcome_cla.csv.gz"),
         ("fingertips_trafforddatalab", "alcohol_related_admissions.csv"))


def successors() -> dict[str, tuple[str, ...]]:
    lookup = pd.read_csv(require_shared("geo", "lookups", "lsoa11_lad19_lad20_lad21_ew.csv.gz"),
                         usecols=["lad20_code", "lad21_code"])
    mine = lookup[lookup["lad21_code"].isin([NORTH, WEST])].drop_duplicates()
    assert not mine["lad20_code"].duplicated().any(), "each former district in one successor"
    out = {str(r.lad20_code): (str(r.lad21_code),) for r in mine.itertuples()}
    return {**out, COUNTY: (NORTH, WEST)}


def all_rows() -> pd.DataFrame:
    reads = [partners.read(require_shared("partners", folder, name)) for folder, name in FILES]
    frame = pd.concat([r.table for r in reads], ignore_index=True)
    return frame.assign(batch_id=9)


def northamptonshire(rows: pd.DataFrame) -> pd.DataFrame:
    codes = {NORTH, WEST, PFA, "E12000004", "E92000001", "K04000001", "K02000001",
             *successors()}
    return rows[rows["area_code"].isin(codes)].reset_index(drop=True)
