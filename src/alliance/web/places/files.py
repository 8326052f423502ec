"""Geocode a CSV file's column of written places: the work of ``alliance geocode``.

Every input row is written out with its own columns, followed by :data:`OUT_COLUMNS`. Cells
that a spreadsheet would run as a formula are written harmless (``alliance.privacy.csv_output``).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from alliance.geo.geocode import RESULT_COLUMNS
from alliance.privacy.csv_output import rows_writer
from alliance.sources.errors import SourceFileError
from alliance.sources.partner_extract import read_csv_text
from alliance.web.places.services import PlaceError, geocoder

OUT_COLUMNS = RESULT_COLUMNS  # lsoa21_code, easting, northing, confidence, matched, method
MAX_INPUT_BYTES = 500 * 2**20


@dataclass(frozen=True)
class GeocodedFile:
    rows: int
    by_method: dict[str, int]
    placed: int


def geocode_file(path: Path, *, column: str, out: Path) -> GeocodedFile:
    """Read ``path``, place the words of ``column`` on every row, write ``out``."""
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise SourceFileError(file=path.name, message=(
            f"is {size / 2**20:.0f} MB; split it into files under {MAX_INPUT_BYTES // 2**20} MB"))
    text = read_csv_text(path.read_bytes(), file=path.name, windows_1252=True)
    if column not in text.header:
        raise SourceFileError(file=path.name, line=1, field=column, message=(
            f"has no column {column!r}; its columns are {', '.join(text.header)}"))
    clash = [c for c in OUT_COLUMNS if c in text.header]
    if clash:
        raise SourceFileError(file=path.name, line=1, field=clash[0], message=(
            f"already has a column {clash[0]!r}, which the output adds; rename it first"))
    coder = geocoder()
    if coder is None:
        raise PlaceError("no geography is loaded, so nothing can be placed: run `alliance "
                         "load geography --from DIR` (and load police.uk months for streets)")
    at = text.header.index(column)
    buffer = io.StringIO()
    writer = rows_writer(buffer, lineterminator="\n")  # no cell runs as a spreadsheet formula
    writer.writerow([*text.header, *OUT_COLUMNS])
    methods: Counter[str] = Counter()
    placed = 0
    for record in text.records:
        found = coder(record[at])
        methods[found.method] += 1
        placed += found.placed
        writer.writerow([*record,
                         found.lsoa21_code or "",
                         "" if found.easting is None else f"{found.easting:.0f}",
                         "" if found.northing is None else f"{found.northing:.0f}",
                         f"{found.confidence:.3f}", found.matched, found.method])
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return GeocodedFile(rows=len(text.records), by_method=dict(methods.most_common()),
                        placed=placed)
