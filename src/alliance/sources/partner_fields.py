"""The canonical fields a partner CSV column can be mapped to, and matching columns by name.

Used by :mod:`alliance.sources.partner_extract` (which checks the values) and by the mapping form
of the workspace (one select per field, pre-filled by :func:`suggest_mapping` the first time a
dataset is seen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One canonical field a partner column can be mapped to."""

    name: str
    label: str
    hint: str
    aliases: tuple[str, ...] = ()


#: The fields a partner column can be mapped to, in the order the mapping form shows them.
FIELDS: tuple[Field, ...] = (
    Field("date", "Date of the incident", "a date such as 2024-01-31 or 31/01/2024, "
          "optionally followed by a time", ("date", "incident date", "offence date",
                                            "committed date", "assault date", "date of incident",
                                            "arrival date", "attendance date")),
    Field("month", "Month (when there is no date)", "YYYY-MM", ("month", "period")),
    Field("time", "Time of day", "HH:MM", ("time", "incident time", "assault time")),
    Field("reference", "The partner's reference", "crime or attendance reference",
          ("reference", "crime reference", "crime ref", "crime id", "urn", "ref",
           "attendance id")),
    Field("offence_code", "Home Office offence code", "e.g. 8N, 5D, 105A",
          ("offence code", "ho code", "home office code", "ho offence code", "hoc")),
    Field("source_category", "Category as the partner records it",
          "offence description, crime type or assault method",
          ("category", "crime type", "offence", "offence description", "assault method")),
    Field("knife_flag", "Knife or sharp object involved", "yes/no, Y/N, true/false or 1/0",
          ("knife", "knife flag", "knife crime", "sharp instrument", "weapon knife")),
    Field("longitude", "Longitude", "WGS84 degrees", ("longitude", "lon", "long", "lng")),
    Field("latitude", "Latitude", "WGS84 degrees", ("latitude", "lat")),
    Field("easting", "Easting", "British National Grid metres", ("easting", "x", "grid x")),
    Field("northing", "Northing", "British National Grid metres", ("northing", "y", "grid y")),
    Field("lsoa", "LSOA code", "e.g. E01027082", ("lsoa", "lsoa code", "lsoa21cd", "lsoa11cd")),
    Field("location", "Location description", "street, venue or location type",
          ("location", "location description", "assault location", "address area")),
    Field("outcome", "Outcome", "as the partner records it", ("outcome", "last outcome",
                                                              "disposal")),
    Field("age", "Age or age band", "e.g. 17 or 18-24", ("age", "age band", "age group")),
    Field("sex", "Sex", "M/F/X/U or male/female/other/unknown", ("sex", "gender")),
    Field("subject_role", "Role of the person", "victim, suspect (offender) or patient",
          ("role", "subject role", "person role", "involvement")),
    Field("person_id", "Person identifier (will be pseudonymised)",
          "e.g. NHS number or police person id; only a keyed pseudonym is kept",
          ("person id", "nhs number", "pnc id", "person ref", "nominal id")),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def suggest_mapping(header: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Guess field -> column by name (exact field name, label or a known alias)."""
    by_norm = {_norm(h): h for h in header}
    out: dict[str, str] = {}
    for f in FIELDS:
        for candidate in (f.name, f.label, *f.aliases):
            column = by_norm.get(_norm(candidate))
            if column is not None and column not in out.values():
                out[f.name] = column
                break
    return out
