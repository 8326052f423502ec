"""Look up areas and resolve a partnership's area to its LSOAs 2021.

A partnership names its area by GSS code (``E23000022`` police force area, ``E06``/``E07``
LAD, ``E22`` Community Safety Partnership, ``E05`` ward, ``E02`` MSOA, ...), by name, or as a
list of LSOA 2021 codes. :meth:`Geography.resolve` turns any of these into a
:class:`PartnershipArea` holding the LSOA 2021 codes every later step works on, with a note
whenever a best-fit lookup would give a different set (see
:data:`alliance.geo.hierarchy.BEST_FIT_CAVEATS`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.geo.hierarchy import BEST_FIT_CAVEATS
from alliance.geo.tables import LEVELS, GeographyTables

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
#: When a code or name is found at several levels, the first of these wins.
LEVEL_PREFERENCE: tuple[str, ...] = (
    "pfa", "csp", "lad", "ward", "msoa21", "lsoa21", "region", "icb", "country", "msoa11",
    "lsoa11",
)


class UnknownAreaError(LookupError):
    """A code, name or LSOA list that does not identify one area; the message lists matches."""


@dataclass(frozen=True, kw_only=True)
class Area:
    """One area in the ``areas`` table."""

    code: str
    name: str
    level: str
    vintage: str


@dataclass(frozen=True, kw_only=True)
class ParentLink:
    """An area an LSOA lies in, and how that was established (``nested`` or ``best_fit``)."""

    code: str
    name: str
    level: str
    vintage: str
    relationship: str
    via: str


@dataclass(frozen=True, kw_only=True)
class PartnershipArea:
    """The LSOAs 2021 making up a partnership's area.

    ``code`` is ``None`` for an area given as a list of LSOA codes (level ``"lsoa21_list"``).
    ``note`` explains any best-fit caveat or name ambiguity; empty when there is none.
    """

    code: str | None
    name: str
    level: str
    lsoa21: tuple[str, ...]
    note: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per LSOA 2021: ``lsoa21_code``, ``area_code``, ``area_name``."""
        return pd.DataFrame({"lsoa21_code": list(self.lsoa21), "area_code": self.code,
                             "area_name": self.name})


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("&", "and")).strip().casefold()


class Geography:
    """Areas and their LSOA 2021 membership, built from :class:`GeographyTables`."""

    def __init__(self, tables: GeographyTables) -> None:
        self.tables = tables
        areas = tables.areas
        rank = {level: i for i, level in enumerate(LEVEL_PREFERENCE)}
        order = areas["level"].map(rank).fillna(len(rank)).to_numpy()
        self._areas = areas.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
        self._by_code = self._areas.groupby("code").indices
        self._by_name = self._areas.groupby(self._areas["name"].map(_norm)).indices
        links = tables.area_parents
        self._lsoa_links = links[links["child_level"] == "lsoa21"]
        self._members = {
            code: tuple(sorted(group)) for code, group in
            self._lsoa_links.groupby("parent_code")["child_code"]
        }
        self._lsoa21 = frozenset(areas.loc[areas["level"] == "lsoa21", "code"])
        self._best_fit_outliers = self._find_best_fit_outliers()

    @classmethod
    def from_tables(cls, tables: GeographyTables) -> Geography:
        return cls(tables)

    # -- looking up -------------------------------------------------------------------------
    def area(self, code: str, *, level: str | None = None) -> Area:
        """The area with this GSS code (at ``level`` when a code exists at several levels)."""
        rows = self._by_code.get(code)
        if rows is not None and level is not None:
            rows = [r for r in rows if self._areas.at[r, "level"] == level]
        if rows is None or len(rows) == 0:
            raise UnknownAreaError(self._unknown_code_message(code, level))
        row = self._areas.iloc[rows[0]]
        return Area(code=row["code"], name=row["name"], level=row["level"],
                    vintage=row["vintage"])

    def lsoa21_of(self, code: str) -> tuple[str, ...]:
        """LSOA 2021 codes in an area (the LSOA itself for an LSOA 2021 code)."""
        if code in self._lsoa21:
            return (code,)
        if code not in self._members:
            self.area(code)  # raises with close matches when the code is unknown
        return self._members.get(code, ())

    def parents(self, lsoa21_code: str) -> tuple[ParentLink, ...]:
        """Every area an LSOA 2021 lies in, current and former (see ``vintage``)."""
        if lsoa21_code not in self._lsoa21:
            raise UnknownAreaError(self._unknown_code_message(lsoa21_code, "lsoa21"))
        rows = self._lsoa_links[self._lsoa_links["child_code"] == lsoa21_code]
        return tuple(
            ParentLink(code=str(code), name=self.area(str(code), level=str(level)).name,
                       level=str(level), vintage=str(vintage), relationship=str(relationship),
                       via=str(via))
            for code, level, vintage, relationship, via in zip(
                rows["parent_code"], rows["parent_level"], rows["parent_vintage"],
                rows["relationship"], rows["via"], strict=True)
        )

    def children(self, code: str, level: str) -> tuple[str, ...]:
        """Codes of the areas at ``level`` inside area ``code``.

        Direct links of the ``area_parents`` table are used when there are any; otherwise an
        area at ``level`` counts when all its LSOAs 2021 lie in ``code`` (e.g. the CSPs of a
        LAD). Best-fit links (wards) are included as the ONS best-fit lookup gives them.
        """
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
        parent = self.area(code)
        links = self.tables.area_parents
        direct = links[(links["parent_code"] == code) & (links["child_level"] == level)
                       & (links["parent_level"] == parent.level)]
        if len(direct):
            return tuple(sorted(direct["child_code"].unique()))
        inside = set(self.lsoa21_of(code))
        candidates = self._lsoa_links[(self._lsoa_links["parent_level"] == level)
                                      & self._lsoa_links["child_code"].isin(inside)]
        return tuple(sorted(
            c for c in candidates["parent_code"].unique()
            if c != code and set(self._members.get(c, ())) <= inside
        ))

    # -- resolving a partnership's area ----------------------------------------------------
    def resolve(self, spec: str | Sequence[str], *, level: str | None = None) -> PartnershipArea:
        """Resolve a GSS code, an area name or a list of LSOA 2021 codes to a partnership area.

        Names are matched case-insensitively ('&' = 'and'). A name shared by areas holding the
        same LSOAs (e.g. a LAD and its CSP) resolves to the first of :data:`LEVEL_PREFERENCE`;
        a name shared by different areas raises :class:`UnknownAreaError` listing them (pass
        the code, or ``level=``).
        """
        if not isinstance(spec, str):
            return self._resolve_list(list(spec))
        text = spec.strip()
        if GSS_CODE.match(text.upper()):
            area = self.area(text.upper(), level=level)
            return self._partnership(area, note="")
        return self._resolve_name(text, level)

    def _resolve_name(self, text: str, level: str | None) -> PartnershipArea:
        rows = list(self._by_name.get(_norm(text), []))
        if level is not None:
            rows = [r for r in rows if self._areas.at[r, "level"] == level]
        if not rows:
            names = [str(n) for n in self._by_name]
            close = difflib.get_close_matches(_norm(text), names, n=5, cutoff=0.6)
            hints = [self._describe(self._by_name[c][0]) for c in close]
            raise UnknownAreaError(
                f"no area named {text!r}" + (f"; close matches: {'; '.join(hints)}" if hints
                                             else ""))
        first = self._areas.iloc[rows[0]]
        members = {self.lsoa21_of(str(self._areas.at[r, "code"])) for r in rows}
        if len(members) > 1:
            raise UnknownAreaError(
                f"the name {text!r} is ambiguous: {'; '.join(self._describe(r) for r in rows)}; "
                "pass the code or level=")
        others = [self._describe(r) for r in rows[1:]]
        note = (f"'{text}' also names {'; '.join(others)} (same LSOAs)" if others else "")
        area = Area(code=first["code"], name=first["name"], level=first["level"],
                    vintage=first["vintage"])
        return self._partnership(area, note=note)

    def _resolve_list(self, codes: list[str]) -> PartnershipArea:
        if not codes:
            raise UnknownAreaError("an empty list of LSOA codes is not an area")
        duplicated = sorted({c for c in codes if codes.count(c) > 1})
        if duplicated:
            raise UnknownAreaError(f"duplicated LSOA code(s) in the list: {duplicated[:10]}")
        unknown = [c for c in codes if c not in self._lsoa21]
        if unknown:
            raise UnknownAreaError(
                f"{len(unknown)} code(s) are not LSOA 2021 codes: {unknown[:10]}"
                " (LSOA 2011 codes that changed in 2021 must be converted first: "
                "alliance.geo.lsoa_convert.convert_lsoa11)")
        lsoas = tuple(sorted(codes))
        return PartnershipArea(code=None, name=f"{len(lsoas)} LSOAs 2021", level="lsoa21_list",
                               lsoa21=lsoas, note=self._caveats(lsoas, None))

    def _partnership(self, area: Area, *, note: str) -> PartnershipArea:
        lsoas = self.lsoa21_of(area.code)
        if not lsoas:
            hint = (" — a 2011 code that changed in 2021; convert it with "
                    "alliance.geo.lsoa_convert" if area.level in ("lsoa11", "msoa11") else "")
            raise UnknownAreaError(
                f"{area.name} ({area.level} {area.code}, {area.vintage}) holds no LSOA 2021{hint}")
        notes = [n for n in (note, self._caveats(lsoas, area.code)) if n]
        if area.level == "ward":
            notes.append("ward membership is the ONS best-fit LSOA21->WD24 lookup")
        return PartnershipArea(code=area.code, name=area.name, level=area.level, lsoa21=lsoas,
                               note=" ".join(notes))

    # -- best-fit caveats --------------------------------------------------------------------
    def _find_best_fit_outliers(self) -> dict[str, set[str]]:
        """LSOA 2021 -> areas that would hold it by the best-fit ward->LAD route but do not."""
        links = self._lsoa_links
        lad = links[(links["parent_level"] == "lad") & (links["parent_vintage"] == "2024")]
        ward = links[links["parent_level"] == "ward"]
        all_links = self.tables.area_parents
        ward_lad = all_links[(all_links["child_level"] == "ward")
                             & (all_links["parent_level"] == "lad")]
        joined = ward[["child_code", "parent_code"]].merge(
            ward_lad[["child_code", "parent_code"]].rename(
                columns={"child_code": "parent_code", "parent_code": "best_fit_lad"}),
            on="parent_code").merge(
            lad[["child_code", "parent_code"]].rename(columns={"parent_code": "lad"}),
            on="child_code")
        outliers: dict[str, set[str]] = {}
        differ = joined[joined["best_fit_lad"] != joined["lad"]]
        for lsoa, ward_code, best_fit_lad in zip(differ["child_code"], differ["parent_code"],
                                                 differ["best_fit_lad"], strict=True):
            outside = {str(best_fit_lad), str(ward_code)}
            outside |= {str(c) for c in all_links.loc[all_links["child_code"] == best_fit_lad,
                                                      "parent_code"]}
            in_best_fit_lad = lad.loc[lad["parent_code"] == best_fit_lad, "child_code"]
            outside |= {str(c) for c in links.loc[(links["parent_level"] == "csp")
                                                  & links["child_code"].isin(in_best_fit_lad),
                                                  "parent_code"]}
            outliers[str(lsoa)] = outside
        return outliers

    def _caveats(self, lsoas: tuple[str, ...], code: str | None) -> str:
        notes = []
        inside = set(lsoas)
        for lsoa, best_fit_areas in self._best_fit_outliers.items():
            if lsoa in inside or (code is not None and code in best_fit_areas):
                notes.append(BEST_FIT_CAVEATS.get(lsoa, (
                    f"{lsoa}: the ONS best-fit ward lookup puts it in a different LAD "
                    f"({', '.join(sorted(best_fit_areas))}) from the LSOA11->21->LAD22 lookup "
                    "used here.")))
        return " ".join(notes)

    # -- messages ----------------------------------------------------------------------------
    def _describe(self, row: int) -> str:
        r = self._areas.iloc[row]
        return f"{r['name']} ({r['level']} {r['code']})"

    def _unknown_code_message(self, code: str, level: str | None) -> str:
        where = f" at level {level}" if level else ""
        close = difflib.get_close_matches(code, [str(c) for c in self._by_code], n=5,
                                          cutoff=0.7)
        hints = [self._describe(self._by_code[c][0]) for c in close]
        return (f"unknown area code {code!r}{where}"
                + (f"; close matches: {'; '.join(hints)}" if hints else ""))
