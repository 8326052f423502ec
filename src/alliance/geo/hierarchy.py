"""Build the LSOA 2021 -> MSOA -> ward -> LAD -> CSP -> PFA chain from ONS lookups.

How each link is made (England & Wales, generally — nothing here is Northamptonshire-specific):

* **LSOA21 -> MSOA21**: the derived LSOA21/MSOA21 lookup (ONS naming rule). Nested.
* **LSOA21 -> LAD (2024)**: the LAD 2022 of the ONS LSOA11->LSOA21->LAD22 lookup (LSOAs 2021
  were built inside LAD 2022 boundaries, so this is exact), carried forward to LAD 2024 by the
  LAD 2024 that most of the LAD 2022's LSOAs fall in (the 2023 reorganisations only merged
  whole districts). Nested. The best-fit ward lookup's LAD is *not* used for this: it puts
  E01027305 in Cherwell (see :data:`BEST_FIT_CAVEATS`).
* **LSOA21 -> ward (2024)**: the ONS best-fit LSOA21->WD24->LAD24 lookup. Best fit.
* **LSOA21 -> CSP**: where a LAD 2024 has one Community Safety Partnership in the ONS
  LAD24->CSP24->PFA24 lookup, its LSOAs all belong to it. Where a LAD 2024 has several (the
  unitaries formed since 2019: Northamptonshire, Buckinghamshire, Bournemouth Christchurch &
  Poole, Cumbria, East Suffolk) the CSPs follow the *former districts*: each LSOA 2021 takes
  the former district of its LSOA 2011 parent(s) (LAD 2020, else 2019, else 2017 — the newest
  vintage in which the CSP names match district names), and each CSP is matched to districts by
  name ("Daventry and South Northamptonshire" = Daventry + South Northamptonshire). When one CSP
  and some districts are left unmatched they are paired (BCP: Christchurch -> "Dorset" CSP).
  Nested when every LSOA 2011 parent agrees on the district, else best fit (majority).
* **CSP -> PFA** and **LAD -> PFA**: the same ONS lookup. **LAD -> region**: ONS LAD24->RGN24.
  **LSOA21 -> ICB**: ONS LSOA21->SICBL24->ICB24 lookup (England only). Country from the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from alliance.geo.tables import TABLE_COLUMNS

#: Known places where a best-fit lookup disagrees with the nested one, by LSOA 2021 code.
BEST_FIT_CAVEATS: dict[str, str] = {
    "E01027305": (
        "E01027305 (West Northamptonshire 048E) is in West Northamptonshire by the ONS "
        "LSOA11->LSOA21->LAD22 lookup (used here), but the ONS best-fit LSOA21->WD24->LAD24 "
        "lookup puts it in ward E05010929 (Cropredy, Sibfords and Wroxton) in Cherwell "
        "E07000177; a cut by best-fit LAD24 gives 442 rather than 443 Northamptonshire LSOAs."
    ),
}

COUNTRIES: dict[str, tuple[str, str]] = {"E": ("E92000001", "England"), "W": ("W92000004", "Wales")}
FORMER_DISTRICT_VINTAGES: tuple[str, ...] = ("2020", "2019", "2017")


def _norm(name: str) -> str:
    name = name.lower().replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", name)).strip()


def _links(child: pd.Series, child_level: str, parent: pd.Series, parent_level: str,
           vintage: str, relationship: str | pd.Series, via: str) -> pd.DataFrame:
    frame = pd.DataFrame({
        "child_code": child.to_numpy(), "child_level": child_level,
        "parent_code": parent.to_numpy(), "parent_level": parent_level,
        "parent_vintage": vintage,
        "relationship": (relationship.to_numpy() if isinstance(relationship, pd.Series)
                         else relationship),
        "via": via,
    })
    return frame.dropna(subset=["child_code", "parent_code"]).drop_duplicates(
        ["child_code", "parent_code"])


def _split_csp_name(name: str, districts: set[str]) -> list[str] | None:
    """District names making up a CSP name, or None. Handles names containing 'and'."""
    norm = _norm(name)
    if norm in districts:
        return [norm]
    tokens = norm.split(" and ")
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            candidate = " and ".join(tokens[i:j])
            if candidate in districts:
                parts.append(candidate)
                i = j
                break
        else:
            return None
    return parts


def match_csps_to_districts(csps: dict[str, str],
                            districts: dict[str, str]) -> dict[str, str] | None:
    """Map former-district code -> CSP code by name, or None when no complete match exists.

    ``csps`` and ``districts`` map code -> name. Every district must get exactly one CSP and
    every CSP at least one district; a single CSP and the districts left unmatched are paired.
    """
    by_name = {_norm(n): c for c, n in districts.items()}
    assignment: dict[str, str] = {}
    unmatched_csps = []
    for csp_code, csp_name in sorted(csps.items()):
        parts = _split_csp_name(csp_name, set(by_name))
        if not parts:
            unmatched_csps.append(csp_code)
            continue
        for part in parts:
            assignment[by_name[part]] = csp_code
    left = [d for d in districts if d not in assignment]
    if len(unmatched_csps) == 1 and left:
        assignment.update({d: unmatched_csps[0] for d in left})
        unmatched_csps = []
    if unmatched_csps or len(assignment) != len(districts):
        return None
    return assignment


def former_districts(lsoa11_to_21: pd.DataFrame, lsoa11_district: pd.DataFrame) -> pd.DataFrame:
    """Former district of each LSOA 2021 via its LSOA 2011 parent(s).

    ``lsoa11_district`` has lsoa11_code, district_code. Returns lsoa21_code, district_code,
    unanimous (all parents agree; else the most common parent district, ties by code).
    """
    joined = lsoa11_to_21[["lsoa11_code", "lsoa21_code"]].merge(
        lsoa11_district, on="lsoa11_code", how="inner")
    counts = joined.groupby(["lsoa21_code", "district_code"]).size().rename("n").reset_index()
    counts = counts.sort_values(["lsoa21_code", "n", "district_code"],
                                ascending=[True, False, True])
    n_districts = counts.groupby("lsoa21_code")["district_code"].transform("size")
    counts["unanimous"] = n_districts == 1
    return counts.drop_duplicates("lsoa21_code")[["lsoa21_code", "district_code", "unanimous"]]


def assign_csps(lsoa_lad: pd.DataFrame, lad_csp: pd.DataFrame,
                districts_by_vintage: dict[str, tuple[pd.DataFrame, dict[str, str]]],
                ) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]]]:
    """CSP of each LSOA 2021 (see the module docstring).

    Returns (links lsoa21->csp, links lsoa21->former district used, problems as
    (lad24 code, message)).
    """
    csps_per_lad = lad_csp.groupby("lad24_code")
    single = lad_csp[csps_per_lad["csp24_code"].transform("nunique") == 1]
    simple = lsoa_lad.merge(single[["lad24_code", "csp24_code"]].drop_duplicates(), on="lad24_code")
    csp_links = [_links(simple["lsoa21_code"], "lsoa21", simple["csp24_code"], "csp", "2024",
                        "nested", "LSOA21->LAD22->LAD24->CSP24 (ONS lookups)")]
    district_links = []
    problems: list[tuple[str, str]] = []
    multi = lad_csp[~lad_csp["lad24_code"].isin(single["lad24_code"])]
    for lad_code, rows in multi.groupby("lad24_code"):
        lsoas = lsoa_lad.loc[lsoa_lad["lad24_code"] == lad_code, ["lsoa21_code"]]
        csps = dict(zip(rows["csp24_code"], rows["csp24_name"], strict=True))
        for vintage, (lsoa_district, names) in districts_by_vintage.items():
            here = lsoas.merge(lsoa_district, on="lsoa21_code", how="left")
            if here["district_code"].isna().any():
                continue
            mapping = match_csps_to_districts(
                csps, {c: names[c] for c in here["district_code"].unique()})
            if mapping is None:
                continue
            relationship = here["unanimous"].map({True: "nested", False: "best_fit"})
            csp_links.append(_links(
                here["lsoa21_code"], "lsoa21", here["district_code"].map(mapping), "csp", "2024",
                relationship, f"LSOA21->LSOA11->former district LAD{vintage[2:]}->CSP24 by name"))
            district_links.append(_links(
                here["lsoa21_code"], "lsoa21", here["district_code"], "lad", vintage,
                relationship, f"LSOA21->LSOA11->LAD{vintage[2:]} (former district)"))
            break
        else:
            problems.append((str(lad_code), f"LAD {lad_code} has CSPs {sorted(csps.values())} that "
                             "match no set of former district names; its LSOAs get no CSP"))
    empty = pd.DataFrame(columns=list(TABLE_COLUMNS["area_parents"]))
    return (pd.concat(csp_links, ignore_index=True),
            pd.concat(district_links, ignore_index=True) if district_links else empty, problems)


def areas_frame(rows: Iterable[tuple[pd.Series, pd.Series, str, str]]) -> pd.DataFrame:
    """Concatenate (codes, names, level, vintage) into ``areas``; first (code, level) wins."""
    parts = [pd.DataFrame({"code": c.to_numpy(), "name": n.to_numpy(), "level": level,
                           "vintage": vintage}) for c, n, level, vintage in rows]
    frame = pd.concat(parts, ignore_index=True).dropna(subset=["code"])
    return frame.drop_duplicates(["code", "level"], keep="first").reset_index(drop=True)


def country_links(codes: pd.Series, level: str) -> pd.DataFrame:
    prefix = codes.str[0]
    country = prefix.map({k: v[0] for k, v in COUNTRIES.items()})
    return _links(codes, level, country, "country", "2021", "nested", "code prefix")


link = _links
