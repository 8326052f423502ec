"""The partnership's venues file: kept in the workspace, loaded from and saved to CSV.

A venue is placed by its postcode or by its easting and northing; its LSOA comes from the
postcode (ONS) or the point. A CSV is checked whole first: one bad row refuses the file, naming
its line and field, and nothing changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from alliance.privacy.csv_output import rows_writer
from alliance.sources.errors import SourceFileError
from alliance.sources.partner_extract import read_csv_text
from alliance.sources.partner_values import number
from alliance.ukpostcode import canonical_postcode
from alliance.web.places.models import Venue
from alliance.web.places.services import PlaceError, gazetteer
from alliance.web.pool import geography as geo_store

CSV_COLUMNS = ("name", "aliases", "kind", "postcode", "easting", "northing")
#: (value, label) of each kind of venue
KINDS: tuple[tuple[str, str], ...] = tuple((str(v), str(label)) for v, label in
                                           Venue.Kind.choices)


@dataclass(frozen=True)
class Where:
    easting: float
    northing: float
    lsoa21_code: str


def locate(*, postcode: str = "", easting: str = "", northing: str = "") -> Where:
    """Where a venue is, from its postcode or its point."""
    if postcode.strip():
        code = canonical_postcode(postcode)
        found = gazetteer()
        if code is None:
            raise PlaceError(f"{postcode!r} is not a postcode (e.g. NN1 1AA).")
        if found is None or code not in found.postcodes:
            raise PlaceError(f"{code} is not a postcode the store knows.")
        place = found.postcodes[code]
        return Where(place.easting, place.northing, place.lsoa21_code)
    east, north = number(easting, 0, 700_000), number(northing, 0, 1_300_000)
    if isinstance(east, str) or isinstance(north, str):
        raise PlaceError("Give a postcode, or an easting and a northing in metres.")
    context = geo_store.placement_context_cache().for_partition(None)
    if context is None:
        raise PlaceError("No geography is loaded yet, so a point cannot be placed.")
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(
        east, north)
    lsoa = context.place(np.array([lon]), np.array([lat]))[0]
    if lsoa is None:
        raise PlaceError("That point is in no LSOA of the loaded geography.")
    return Where(east, north, str(lsoa))


def _kind(value: str) -> str:
    text = value.strip().casefold()
    for kind, label in KINDS:
        if text in (kind, label.casefold()):
            return kind
    return "other" if not text else ""


def import_csv(data: bytes, *, file: str, by: str) -> int:
    """Add (or update, by name) every venue of a CSV of :data:`CSV_COLUMNS`; all or nothing."""
    text = read_csv_text(data, file=file, windows_1252=True)
    header = [h.strip().casefold() for h in text.header]
    missing = [c for c in ("name",) if c not in header]
    if missing or not ({"postcode"} <= set(header) or {"easting", "northing"} <= set(header)):
        raise SourceFileError(file=file, line=1, message=(
            "needs the columns name, and postcode or easting and northing (optional: aliases, "
            "kind)"))
    rows = []
    for record, line in zip(text.records, text.lines, strict=True):
        values = dict(zip(header, record, strict=True))
        name = values.get("name", "").strip()
        if not name:
            raise SourceFileError(file=file, line=line, field="name", message="is empty")
        kind = _kind(values.get("kind", ""))
        if not kind:
            raise SourceFileError(file=file, line=line, field="kind", message=(
                f"{values.get('kind')!r} is not one of {', '.join(lab for _, lab in KINDS)}"))
        try:
            where = locate(postcode=values.get("postcode", ""),
                           easting=values.get("easting", ""), northing=values.get("northing", ""))
        except PlaceError as exc:
            raise SourceFileError(file=file, line=line, field="postcode" if values.get(
                "postcode", "").strip() else "easting", message=str(exc)) from exc
        rows.append((name[:120], values.get("aliases", "").strip()[:500], kind, where))
    with transaction.atomic():
        for name, aliases, kind, where in rows:
            Venue.objects.update_or_create(name=name, defaults={
                "aliases": aliases, "kind": kind, "easting": where.easting,
                "northing": where.northing, "lsoa21_code": where.lsoa21_code,
                "updated_by": by})
    return len(rows)


def export_csv() -> str:
    """Every venue as CSV (cells that a spreadsheet would run as a formula are quoted
    harmless)."""
    buffer = io.StringIO()
    writer = rows_writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, "lsoa21_code"])
    for v in Venue.objects.order_by("name"):
        writer.writerow([v.name, v.aliases, v.kind, "", f"{v.easting:.0f}",
                         f"{v.northing:.0f}", v.lsoa21_code])
    return buffer.getvalue()

