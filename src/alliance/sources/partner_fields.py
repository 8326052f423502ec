"""The canonical fields a partner CSV column can be mapped to, and matching columns by name.

Used by :mod:`alliance.sources.partner_extract` (which checks the values) and by the mapping form
of the workspace (one select per field, pre-filled by :func:`suggest_mapping` the first time a
dataset is seen).

Column names are matched the way people write them: case, spaces, underscores and punctuation
ignored, ``CamelCase`` split ("IncidentDate" is "incident date"), and a name that *contains* a
known name counts ("Victim Age" holds "age"; "Victim Home LSOA" holds "home lsoa", which wins
over "lsoa" because it says more).
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


def _a(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split("|") if a.strip())


#: The fields a partner column can be mapped to, in the order the mapping form shows them.
FIELDS: tuple[Field, ...] = (
    Field("date", "Date of the incident", "a date such as 2024-01-31, 31/01/2024 or "
          "31-Jan-2024, optionally followed by a time", _a(
              "date|incident date|offence date|committed date|assault date|date of incident|"
              "date of offence|date of assault|date committed|offence date from|"
              "incident date time|assault date time|date time|datetime|call date|"
              "fire date|exclusion date|start date|event date|occurrence date")),
    Field("month", "Month (when there is no date)", "YYYY-MM", _a(
        "month|period|reporting month|month of incident|year month|month year|period month|"
        "month yr|reporting period|yyyymm")),
    Field("time", "Time of day", "HH:MM (a time that cannot be read is left out and the row "
          "flagged)", _a("time|incident time|assault time|offence time|time of incident|"
                         "time of offence|time committed|committed time|offence time from|"
                         "call time|time of assault")),
    Field("arrival", "Arrival at A&E (date and time)", "used for the month when the incident "
          "date is missing", _a("arrival|arrival date|arrival date time|arrival datetime|"
                                "attendance date|date of attendance|ed arrival|date arrived|"
                                "ae arrival date|a e arrival date|arrival at a e")),
    Field("reference", "The partner's reference", "crime, call or attendance reference", _a(
        "reference|crime reference|crime ref|crime id|crn|urn|ref|attendance id|"
        "occurrence number|occurrence ref|incident id|incident number|record id|call id|"
        "incident ref|case id|case number")),
    Field("site", "Site (hospital or station) code", "the ODS code of the emergency "
          "department, checked against the return's site", _a(
              "site|site code|site code of treatment|ods code|hospital|trust site|"
              "provider site|ed site|organisation site code|treatment site")),
    Field("offence_code", "Home Office offence code", "e.g. 8N, 5D, 105A", _a(
        "offence code|ho code|home office code|ho offence code|hoc|hocr code|"
        "home office offence code|ho class|ho classification|offence ho code|"
        "home office classification")),
    Field("source_category", "Category as the partner records it",
          "offence description, crime type, call category or reason", _a(
              "category|crime type|offence|offence description|offence type|crime category|"
              "incident type|offence title|classification|call category|reason|"
              "exclusion reason|incident category|case type|outcome type of offence")),
    Field("knife_flag", "Knife or sharp object involved", "yes/no, Y/N, true/false or 1/0",
          _a("knife|knife flag|knife crime|sharp instrument|weapon knife|"
             "knife or sharp instrument|knife involved|bladed article|"
             "knife sharp instrument flag|adr160|knife or sharp object|sharp object")),
    Field("weapon", "Weapon or assault method", "as written or coded: knife, firearm, blunt "
          "object, fist or feet ...", _a(
              "weapon|weapon used|assault method|method of assault|weapon type|method|"
              "mechanism|weapon code|primary weapon|means of assault|assault weapon|"
              "method of injury")),
    Field("domestic", "Domestic abuse", "yes/no: the incident is domestic abuse", _a(
        "domestic|da flag|domestic abuse|domestic flag|domestic violence|dv|da|"
        "domestic related|domestic abuse flag|domestic incident")),
    Field("longitude", "Longitude", "WGS84 degrees", _a("longitude|lon|long|lng|x long|"
                                                        "wgs84 longitude")),
    Field("latitude", "Latitude", "WGS84 degrees", _a("latitude|lat|y lat|wgs84 latitude")),
    Field("easting", "Easting", "British National Grid metres", _a(
        "easting|eastings|x|grid x|x coord|x coordinate|map x|osgb x|grid ref x|xcoord")),
    Field("northing", "Northing", "British National Grid metres", _a(
        "northing|northings|y|grid y|y coord|y coordinate|map y|osgb y|grid ref y|ycoord")),
    Field("postcode", "Postcode of the place", "placed by its postcode (only its area and "
          "point are kept)", _a("postcode|post code|incident postcode|location postcode|"
                                "postcode of incident|pcode|scene postcode|postal code|"
                                "incident post code")),
    Field("lsoa", "LSOA code of the place", "e.g. E01027082", _a(
        "lsoa|lsoa code|lsoa21cd|lsoa11cd|lsoa 2021|lower super output area|lsoa of incident|"
        "incident lsoa|lsoa21|lsoa11|lsoa code 2021")),
    Field("location", "Location description", "street, venue or place as written: placed by "
          "the gazetteer", _a(
              "location|location description|assault location|place of assault|"
              "incident location|location of incident|free text location|where|"
              "assault location description|location of assault|place of incident|"
              "location details|scene")),
    Field("location_type", "Type of place", "street, pub or club, home, school ...", _a(
        "location type|assault location type|place type|type of location|location type code|"
        "premises type|venue type|setting|location category|type of place")),
    Field("home_lsoa", "Home area (LSOA code)", "where the person lives, as an LSOA code", _a(
        "home lsoa|lsoa of residence|patient lsoa|victim lsoa|residence lsoa|home area|"
        "home lsoa21cd|lsoa home|victim home lsoa|residential lsoa")),
    Field("home_postcode", "Home postcode (only its area is kept)",
          "where the person lives; turned into an LSOA and not stored", _a(
              "home postcode|patient postcode|residence postcode|victim postcode|"
              "postcode of residence|home post code|postcode home|address postcode|"
              "residential postcode")),
    Field("outcome", "Outcome", "as the partner records it", _a(
        "outcome|last outcome|disposal|outcome type|final outcome|result|outcome code|"
        "clearup|detection|disposal type")),
    Field("age", "Age or age band", "e.g. 17 or 18-24", _a(
        "age|age band|age group|victim age|patient age|age at incident|age at time|"
        "age years|age on arrival|age at offence|age range")),
    Field("sex", "Sex", "M/F/X/U or male/female/other/unknown", _a(
        "sex|gender|victim sex|patient gender|gender code|sex code|stated gender|"
        "person sex|sex at birth|gender identity|patient sex|victim gender")),
    Field("subject_role", "Role of the person", "victim, suspect (offender) or patient", _a(
        "role|subject role|person role|involvement|victim suspect|involvement type|"
        "person type|role type|nominal role|party role")),
    Field("person_id", "Person identifier (will be pseudonymised)",
          "e.g. NHS number or police person id; only a keyed pseudonym is kept", _a(
              "person id|nhs number|pnc id|person ref|nominal id|person urn|patient id|"
              "client id|cyp id|unique person id|nhs no|young person id|pupil id|upn")),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


#: words of a column that identifies a person: never suggested for any field (a date of birth
#: is not the incident's date; a name is not a place)
_IDENTIFYING = frozenset({"dob", "name", "forename", "surname", "firstname", "lastname"})


def _norm(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", " ", _CAMEL.sub(" ", name.strip()).casefold()).strip()
    return re.sub(r"\bpost code\b", "postcode", text)


def _identifying(norm: str) -> bool:
    words = set(norm.split())
    return bool(words & _IDENTIFYING) or {"date", "birth"} <= words


def _score(header: str, alias: str) -> int:
    """100 for the same name; 80 plus the alias's words when the name holds every word of it
    ("victim home lsoa" holds "home lsoa": 82); 0 otherwise."""
    if header == alias:
        return 100
    words = header.split()
    alias_words = alias.split()
    if set(alias_words) <= set(words):
        return 80 + len(alias_words)
    return 0


def suggest_mapping(header: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Guess field -> column by name (see the module notes); each column serves one field,
    the best-matching pairs first."""
    pairs = []
    for column in header:
        norm = _norm(column)
        if not norm or _identifying(norm):
            continue
        for order, f in enumerate(FIELDS):
            best = max((_score(norm, _norm(a)) for a in (f.name, f.label, *f.aliases)),
                       default=0)
            if best:
                pairs.append((-best, order, column, f.name))
    out: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, column, name in sorted(pairs):
        if name not in out and column not in taken:
            out[name] = column
            taken.add(column)
    return out
