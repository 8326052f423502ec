"""``alliance geocode FILE --column NAME --out FILE``: place written locations in a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def geocode(
    file: Annotated[Path, typer.Argument(help="a CSV file with a column of written places")],
    column: Annotated[str, typer.Option(help="the column holding the places")],
    out: Annotated[Path, typer.Option(help="the CSV to write: every row and column of FILE, "
                                           "then lsoa21_code, easting, northing, confidence, "
                                           "matched, method")],
) -> None:
    """Place free-text locations (streets, venues, postcodes) on LSOA 2021 areas, offline."""
    from alliance.cli.main import _django, _refusals, console, fail

    if not file.is_file():
        fail(f"{file}: no such file")
    with _refusals():
        _django()
        from alliance.web.places.files import geocode_file
        from alliance.web.places.services import PlaceError

        try:
            result = geocode_file(file, column=column, out=out)
        except PlaceError as exc:
            fail(str(exc))
    share = result.placed / result.rows if result.rows else 0.0
    console.print(f"{result.rows:,} rows: {result.placed:,} placed ({share:.0%}); written to "
                  f"{out}", highlight=False, markup=False)
    for method, n in result.by_method.items():
        console.print(f"  {n:>8,}  {method}", highlight=False, markup=False)
