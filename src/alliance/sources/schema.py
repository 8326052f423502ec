"""The canonical incident table: one shape for every source.

Every importer (police.uk street crime, outcomes and stop and search; later local police
extracts, A&E ISTV data, ambulance call-outs, youth justice) turns its rows into this table.
Columns a source does not carry stay null; nothing is invented. Source-specific fields that have
no canonical home go into ``extra`` (a JSON object per row) so that a new partner extract fits
without a schema change.

Record-level person fields (``subject_role``, ``age``, ``sex``, ``person_key``) are only filled by
sources that carry them; ``person_key`` is always a keyed pseudonym, never a raw identifier, and
victim and suspect records are told apart by ``subject_role`` and never counted together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag


class RowFlag(IntFlag):
    """Quality flags kept on each row: recoverable problems are flagged, never dropped."""

    NONE = 0
    NO_LOCATION = 1  # published without coordinates ("No Location" rows): kept and counted
    OUTSIDE_UK = 2  # coordinates outside the UK's bounding box: point set aside, row kept
    OUTSIDE_AREA = 4  # placed in an LSOA outside the force/partnership area (snap points)
    UNKNOWN_LSOA = 8  # the published LSOA code is not in the loaded geography
    LSOA_MISMATCH = 16  # the published LSOA differs from the one the point falls in
    UNKNOWN_CATEGORY = 32  # source category not in the local definition
    DUPLICATE_ROW = 64  # an exact copy of an earlier row in the same file (kept: police.uk
    # counts each row as one record)
    REPEATED_ID = 128  # the source reference occurs on more than one row in the month
    LSOA_CONVERTED = 256  # a 2011 LSOA code converted to 2021 through the ONS lookup
    LSOA_SPLIT = 512  # the 2011 LSOA split in 2021; the 2021 LSOA was taken from the point
    NO_POINT_IN_LSOA = 1024  # coordinates valid but in no loaded LSOA polygon
    NOT_GEOCODED = 2048  # a written location the geocoder could not place (or named no place)
    UNKNOWN_CODE = 4096  # a coded value (weapon, place type) not in the code list: kept as given
    BAD_TIME = 8192  # a time that could not be read: the row is kept without its time
    DATE_FROM_ARRIVAL = 16384  # no incident date: the month is the A&E arrival's


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "int", "float", "date", "time", "bool", "json"
    help: str


#: The canonical columns produced by every source reader, in order.
INCIDENT_COLUMNS: tuple[Column, ...] = (
    Column("source", "text", "source kind, e.g. police_uk_street, police_uk_outcomes, "
                             "police_uk_stop_search, istv_ae, ambulance, yjs, police_extract"),
    Column("partition", "text", "publisher partition inside the source, e.g. police force id "
                                "'northamptonshire'; a re-issue replaces (source, partition, "
                                "month)"),
    Column("record_key", "text", "deterministic key of the row inside (source, partition, "
                                 "month); see alliance.sources.police_uk for police.uk keys"),
    Column("source_ref", "text", "the publisher's own reference (Crime ID), null when "
                                 "absent (anti-social behaviour rows)"),
    Column("month", "text", "YYYY-MM the record is filed under by its publisher"),
    Column("occurred_date", "date", "date of the event where known (stop and search, A&E)"),
    Column("occurred_time", "time", "local time of day where known"),
    Column("source_category", "text", "the publisher's category (police.uk 'Crime type')"),
    Column("offence_code", "text", "Home Office offence code where the source has one"),
    Column("knife_flag", "bool", "knife or sharp object involved, where the source says"),
    Column("longitude", "float", "WGS84 longitude (police.uk: an anonymised snap point)"),
    Column("latitude", "float", "WGS84 latitude"),
    Column("easting", "float", "British National Grid (EPSG:27700) easting, metres"),
    Column("northing", "float", "British National Grid northing, metres"),
    Column("lsoa_published", "text", "LSOA code as published by the source"),
    Column("lsoa21_code", "text", "LSOA 2021 code: converted or placed by point; null if unknown"),
    Column("location", "text", "location description as published ('On or near ...')"),
    Column("outcome", "text", "last outcome as published (provisional for recent months)"),
    Column("subject_role", "text", "victim / suspect / patient / null: never mixed"),
    Column("age", "text", "age or age band where the source carries it"),
    Column("sex", "text", "sex or gender where the source carries it"),
    Column("person_key", "text", "keyed pseudonym of a person identifier (HMAC), never raw"),
    Column("weapon", "text", "weapon or assault method, as a category of "
                             "alliance.sources.codes.WEAPONS (knife or sharp object, firearm ...)"),
    Column("location_type", "text", "type of place (street, licensed premises, home ...)"),
    Column("home_lsoa21_code", "text", "LSOA 2021 where the person lives (never their address)"),
    Column("domestic", "bool", "a domestic abuse incident, where the source says"),
    Column("place_method", "text", "how the row was placed: its point, its LSOA code, or the "
                                   "geocoder's method for its written location"),
    Column("place_confidence", "float", "0-1: how sure the placing is (1 for a given point)"),
    Column("flags", "int", "RowFlag bits"),
    Column("line", "int", "line number in the source file (header is line 1)"),
    Column("extra", "json", "source-specific fields with no canonical column"),
)

INCIDENT_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in INCIDENT_COLUMNS)

#: Columns added by the pool when a row is classified under the local definition.
CLASSIFICATION_COLUMNS: tuple[Column, ...] = (
    Column("sv_category", "text", "the partnership's category under the definition in force"),
    Column("sv_included", "bool", "counted as serious violence (or its declared proxy)"),
    Column("sv_proxy", "bool", "the category is a proxy (e.g. police.uk 'Violence and sexual "
                               "offences'), not serious violence as defined"),
)
