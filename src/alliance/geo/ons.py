"""Read a folder of ONS / MHCLG geography files into :class:`GeographyTables`.

The folder is laid out like the shared data folder (``boundaries/``, ``lookups/``,
``deprivation/iod2019`` and ``iod2025``, ``population/``, ``census2021/``; see
:data:`alliance.geo.layout.FILES`). Of the ``northants/`` cuts only the postcode files are read
(anywhere below the folder: :mod:`alliance.geo.postcodes`); the others are not needed.
How the area chain is derived is described in :mod:`alliance.geo.hierarchy`.

Every file and column used is checked: a missing file or column raises
:class:`GeographyInputError` naming it; a blank or malformed code names file, line and column.
Rows whose codes are unknown (an LSOA not in the LSOA boundary layer, an LSOA 2021 no CSP
could be derived for, ...) are left out and listed in the ``input_issues`` table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.geo import hierarchy as h
from alliance.geo.deprivation import read_imd2019, read_imd2025
from alliance.geo.layout import (
    BOUNDARY_FIELDS,
    dissolve_duplicates,
    read_boundaries,
    read_table,
)
from alliance.geo.population import read_population
from alliance.geo.postcodes import read_postcodes
from alliance.geo.tables import TABLE_COLUMNS, GeographyInputError, GeographyTables

Issues = list[dict[str, str]]


def _keep_known(frame: pd.DataFrame, column: str, known: set[str], path: Path,
                issues: Issues, problem: str) -> pd.DataFrame:
    unknown = ~frame[column].isin(known)
    for code in sorted(set(frame.loc[unknown, column])):
        issues.append({"file": str(path), "column": column, "code": code, "problem": problem})
    return frame.loc[~unknown]


def read_geography_folder(folder: Path, *,
                          progress: Callable[[str], None] | None = None) -> GeographyTables:
    """Read every boundary, lookup, deprivation and population file in ``folder``.

    Parameters
    ----------
    folder
        A folder laid out like the shared ``data/geo`` folder.
    progress
        Called with one short line per step (for a progress display); optional.

    Returns
    -------
    GeographyTables
        Frozen tables with the documented columns; ``input_issues`` lists rows not used.
    """
    say = progress or (lambda _message: None)
    folder = Path(folder)
    if not folder.is_dir():
        raise GeographyInputError(f"geography folder {folder} does not exist")
    issues: Issues = []
    boundaries: dict[str, pd.DataFrame] = {}
    for key in BOUNDARY_FIELDS:
        say(f"reading {key}")
        frame, path = read_boundaries(folder, key)
        boundaries[key] = dissolve_duplicates(frame, path, issues)
    lsoa21 = boundaries["lsoa21_boundaries"]
    lsoa11 = boundaries["lsoa11_boundaries"]
    lsoa21_known, lsoa11_known = set(lsoa21["code"]), set(lsoa11["code"])

    say("reading lookups")
    l1121, p1121 = read_table(folder, "lsoa11_lsoa21_lad22", [
        "lsoa11_code", "change_code", "lsoa21_code", "lad22_code", "lad22_name"])
    bad_change = ~l1121["change_code"].isin(["U", "S", "M", "X"])
    if bad_change.any():
        first = int(np.flatnonzero(bad_change.to_numpy())[0])
        raise GeographyInputError(
            f"{p1121}: line {first + 2}, column change_code: "
            f"{l1121['change_code'].iloc[first]!r} is not one of U/S/M/X")
    l1121 = _keep_known(l1121, "lsoa21_code", lsoa21_known, p1121, issues,
                        "LSOA 2021 code not in the LSOA 2021 boundaries")
    l1121 = _keep_known(l1121, "lsoa11_code", lsoa11_known, p1121, issues,
                        "LSOA 2011 code not in the LSOA 2011 boundaries")
    l1121 = l1121.drop_duplicates(["lsoa11_code", "lsoa21_code"])
    wards, pward = read_table(folder, "lsoa21_ward24_lad24", [
        "lsoa21_code", "ward24_code", "ward24_name", "lad24_code", "lad24_name"])
    wards = _keep_known(wards, "lsoa21_code", lsoa21_known, pward, issues,
                        "LSOA 2021 code not in the LSOA 2021 boundaries")
    msoa, pmsoa = read_table(folder, "lsoa21_msoa21", ["lsoa21_code", "msoa21_code", "msoa21_name"])
    msoa = _keep_known(msoa, "lsoa21_code", lsoa21_known, pmsoa, issues,
                       "LSOA 2021 code not in the LSOA 2021 boundaries")
    lads, plads = read_table(folder, "lsoa11_lad19_lad20_lad21", [
        "lsoa11_code", "lad19_code", "lad19_name", "lad20_code", "lad20_name"])
    lads = _keep_known(lads, "lsoa11_code", lsoa11_known, plads, issues,
                       "LSOA 2011 code not in the LSOA 2011 boundaries")
    oa, poa = read_table(folder, "oa11_lsoa11_msoa11_lad17", [
        "LSOA11CD", "MSOA11CD", "MSOA11NM", "LAD17CD", "LAD17NM"])
    oa = oa.drop_duplicates("LSOA11CD")
    oa = oa[oa["LSOA11CD"].str[0].isin(["E", "W"])]  # the file is GB; Scotland is out of scope
    oa = _keep_known(oa, "LSOA11CD", lsoa11_known, poa, issues,
                     "LSOA 2011 code not in the LSOA 2011 boundaries")
    lad_csp, pcsp = read_table(folder, "lad24_csp24_pfa24", [
        "lad24_code", "lad24_name", "csp24_code", "csp24_name", "pfa24_code", "pfa24_name"])
    regions, _ = read_table(folder, "lad24_region24", [
        "lad24_code", "region24_code", "region24_name"])
    icb, picb = read_table(folder, "lsoa21_icb24", ["lsoa21_code", "icb24_code", "icb24_name"])
    icb = _keep_known(icb, "lsoa21_code", lsoa21_known, picb, issues,
                      "LSOA 2021 code not in the LSOA 2021 boundaries")

    say("deriving the LSOA -> MSOA -> ward -> LAD -> CSP -> PFA chain")
    # LAD 2022 (exact nesting) carried to LAD 2024 by where most of its LSOAs fall.
    lad22 = l1121.drop_duplicates("lsoa21_code")[["lsoa21_code", "lad22_code", "lad22_name"]]
    votes = lad22.merge(wards[["lsoa21_code", "lad24_code"]], on="lsoa21_code")
    lad22_to_24 = (votes.groupby(["lad22_code", "lad24_code"]).size().rename("n").reset_index()
                   .sort_values(["lad22_code", "n"], ascending=[True, False])
                   .drop_duplicates("lad22_code").set_index("lad22_code")["lad24_code"])
    lsoa_lad = lad22.assign(lad24_code=lad22["lad22_code"].map(lad22_to_24))
    for code in lsoa21_known - set(lsoa_lad["lsoa21_code"]):
        issues.append({"file": str(p1121), "column": "lsoa21_code", "code": code,
                       "problem": "LSOA 2021 in the boundaries but not in the LSOA11->21 lookup"})

    district_sources = {
        "2020": (lads, "lad20_code", "lad20_name"),
        "2019": (lads, "lad19_code", "lad19_name"),
        "2017": (oa.rename(columns={"LSOA11CD": "lsoa11_code"}), "LAD17CD", "LAD17NM"),
    }
    by_vintage: dict[str, tuple[pd.DataFrame, dict[str, str]]] = {}
    district_names: dict[str, tuple[str, str]] = {}
    for vintage, (table, code_col, name_col) in district_sources.items():
        pairs = table[["lsoa11_code", code_col]].rename(columns={code_col: "district_code"})
        names = dict(zip(table[code_col], table[name_col], strict=False))
        by_vintage[vintage] = (h.former_districts(l1121, pairs), names)
        for code, name in names.items():
            district_names.setdefault(code, (name, vintage))
    csp_links, district_links, problems = h.assign_csps(
        lsoa_lad[["lsoa21_code", "lad24_code"]], lad_csp, by_vintage)
    for lad_code, message in problems:
        issues.append({"file": str(pcsp), "column": "csp24_code", "code": lad_code,
                       "problem": message})
    for code in sorted(set(lsoa_lad["lsoa21_code"]) - set(csp_links["child_code"])):
        issues.append({"file": str(pcsp), "column": "lad24_code", "code": code,
                       "problem": "no Community Safety Partnership could be derived"})

    csp_pfa = lad_csp.drop_duplicates("csp24_code").set_index("csp24_code")["pfa24_code"]
    lad_region = regions.drop_duplicates("lad24_code").set_index("lad24_code")["region24_code"]
    changed22 = lsoa_lad[lsoa_lad["lad22_code"] != lsoa_lad["lad24_code"]]
    msoa_lad = msoa.merge(lsoa_lad, on="lsoa21_code").drop_duplicates(["msoa21_code", "lad24_code"])
    msoa_lad = msoa_lad[~msoa_lad["msoa21_code"].duplicated(keep=False)]
    ward_lad = wards.drop_duplicates("ward24_code")
    lsoa_region = lsoa_lad["lad24_code"].map(lad_region)
    link = h.link
    parents = pd.concat([
        link(msoa["lsoa21_code"], "lsoa21", msoa["msoa21_code"], "msoa21", "2021", "nested",
             "LSOA21->MSOA21 (ONS naming rule)"),
        link(wards["lsoa21_code"], "lsoa21", wards["ward24_code"], "ward", "2024", "best_fit",
             "ONS LSOA21->WD24->LAD24 best-fit lookup"),
        link(lsoa_lad["lsoa21_code"], "lsoa21", lsoa_lad["lad24_code"], "lad", "2024", "nested",
             "ONS LSOA11->LSOA21->LAD22 lookup, LAD22 carried to LAD24"),
        link(changed22["lsoa21_code"], "lsoa21", changed22["lad22_code"], "lad", "2022",
             "nested", "ONS LSOA11->LSOA21->LAD22 lookup (district before 2023)"),
        district_links,
        csp_links,
        link(csp_links["child_code"], "lsoa21", csp_links["parent_code"].map(csp_pfa), "pfa",
             "2024", csp_links["relationship"], "CSP24->PFA24 (ONS lookup)"),
        link(lsoa_lad["lsoa21_code"], "lsoa21", lsoa_region, "region", "2024", "nested",
             "LAD24->RGN24 (ONS lookup)"),
        link(icb["lsoa21_code"], "lsoa21", icb["icb24_code"], "icb", "2024", "nested",
             "ONS LSOA21->SICBL24->ICB24 lookup"),
        h.country_links(lsoa21["code"], "lsoa21"),
        link(oa["LSOA11CD"], "lsoa11", oa["MSOA11CD"], "msoa11", "2011", "nested",
             "ONS OA11->LSOA11->MSOA11 lookup"),
        link(lads["lsoa11_code"], "lsoa11", lads["lad20_code"], "lad", "2020", "nested",
             "ONS LSOA11->WD20->LAD20 lookup"),
        h.country_links(lsoa11["code"], "lsoa11"),
        link(msoa_lad["msoa21_code"], "msoa21", msoa_lad["lad24_code"], "lad", "2024", "nested",
             "all its LSOAs 2021 in one LAD"),
        link(ward_lad["ward24_code"], "ward", ward_lad["lad24_code"], "lad", "2024", "nested",
             "ONS LSOA21->WD24->LAD24 lookup (wards nest in LADs)"),
        link(lad_csp["lad24_code"], "lad", lad_csp["pfa24_code"], "pfa", "2024", "nested",
             "ONS LAD24->CSP24->PFA24 lookup"),
        link(lad_csp["csp24_code"], "csp", lad_csp["pfa24_code"], "pfa", "2024", "nested",
             "ONS LAD24->CSP24->PFA24 lookup"),
        link(regions["lad24_code"], "lad", regions["region24_code"], "region", "2024", "nested",
             "ONS LAD24->RGN24 lookup"),
    ], ignore_index=True)[list(TABLE_COLUMNS["area_parents"])]
    # A district kept its code across vintages (e.g. Allerdale in LAD 2020 and 2022): one row.
    parents = parents.drop_duplicates(["child_code", "child_level", "parent_code"])

    former = parents[(parents["parent_level"] == "lad") & (parents["parent_vintage"] != "2024")]
    former_codes = former.drop_duplicates("parent_code")
    areas = h.areas_frame([
        (lsoa21["code"], lsoa21["name"], "lsoa21", "2021"),
        (lsoa11["code"], lsoa11["name"], "lsoa11", "2011"),
        (msoa["msoa21_code"], msoa["msoa21_name"], "msoa21", "2021"),
        (oa["MSOA11CD"], oa["MSOA11NM"], "msoa11", "2011"),
        (wards["ward24_code"], wards["ward24_name"], "ward", "2024"),
        (lad_csp["lad24_code"], lad_csp["lad24_name"], "lad", "2024"),
        (wards["lad24_code"], wards["lad24_name"], "lad", "2024"),
        (lad22["lad22_code"], lad22["lad22_name"], "lad", "2022"),
        (former_codes["parent_code"],
         former_codes["parent_code"].map(lambda c: district_names.get(c, ("", ""))[0]),
         "lad", "2020"),
        (lad_csp["csp24_code"], lad_csp["csp24_name"], "csp", "2024"),
        (lad_csp["pfa24_code"], lad_csp["pfa24_name"], "pfa", "2024"),
        (regions["region24_code"], regions["region24_name"], "region", "2024"),
        (icb["icb24_code"], icb["icb24_name"], "icb", "2024"),
        (pd.Series([v[0] for v in h.COUNTRIES.values()]),
         pd.Series([v[1] for v in h.COUNTRIES.values()]), "country", "2021"),
    ])
    # A former district's vintage is the lookup it was read from, not the default above.
    vintages = former.drop_duplicates("parent_code").set_index("parent_code")["parent_vintage"]
    is_former = areas["code"].isin(vintages.index) & (areas["vintage"] == "2020")
    areas.loc[is_former, "vintage"] = areas.loc[is_former, "code"].map(vintages)

    say("reading deprivation and population")
    imd2019 = read_imd2019(folder, lsoa11_known, issues)
    imd2025 = read_imd2025(folder, lsoa21_known, issues)
    population = read_population(folder, lsoa11_known, lsoa21_known, issues)

    lad_bounds = pd.concat([boundaries["lad24_boundaries"], boundaries["lad20_boundaries"]],
                           ignore_index=True)
    say("reading postcodes")
    lsoa11_to_21 = l1121[["lsoa11_code", "lsoa21_code", "change_code"]].reset_index(drop=True)
    postcodes = read_postcodes(folder, lsoa11_to_21=lsoa11_to_21, lsoa21_boundaries=lsoa21)
    say(f"done: {len(areas)} areas, {len(issues)} input issue(s)")
    return GeographyTables(
        areas=areas,
        area_parents=parents.reset_index(drop=True),
        lsoa21_boundaries=lsoa21,
        lsoa11_boundaries=lsoa11,
        msoa21_boundaries=boundaries["msoa21_boundaries"],
        msoa11_boundaries=boundaries["msoa11_boundaries"],
        ward_boundaries=boundaries["ward_boundaries"],
        lad_boundaries=lad_bounds,
        pfa_boundaries=boundaries["pfa_boundaries"],
        lsoa11_to_21=lsoa11_to_21,
        imd2019=imd2019,
        imd2025=imd2025,
        population=population,
        input_issues=pd.DataFrame(issues, columns=list(TABLE_COLUMNS["input_issues"])),
        postcodes=postcodes,
    )
