"""Fast bulk writes into the incident table: executemany on SQLite, COPY on PostgreSQL.

The ORM's ``bulk_create`` builds a model instance per row; at 100,000+ rows a second that is
the bottleneck, so rows go straight from the canonical DataFrame to the database driver, inside
the caller's transaction (an import is one transaction: all or nothing).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from django.db import connection

from alliance.web.pool.models import Incident

#: DataFrame columns written for every incident, in table order (batch_id added by the caller).
INCIDENT_DB_COLUMNS: tuple[str, ...] = (
    "batch_id", "source", "partition", "record_key", "source_ref", "month", "occurred_date",
    "occurred_time", "source_category", "offence_code", "sv_category", "sv_included",
    "sv_proxy", "definition_version", "knife_flag", "longitude", "latitude", "easting",
    "northing", "lsoa_published", "lsoa21_code", "location", "outcome", "subject_role", "age",
    "sex", "person_key", "weapon", "location_type", "home_lsoa21_code", "domestic",
    "place_method", "place_confidence", "flags", "line", "extra",
)
_NOT_NULL_TEXT = {"source", "partition", "record_key", "month", "source_category",
                  "sv_category", "location", "outcome", "weapon", "location_type",
                  "place_method"}


def _column_values(series: pd.Series, *, not_null_text: bool, iso: bool) -> list[Any]:
    if not_null_text:
        return series.astype(object).where(series.notna(), "").astype(str).tolist()
    if iso:  # sqlite3 has no adapter for time (and a deprecated one for date)
        return [v.isoformat() if hasattr(v, "isoformat") else None for v in series.tolist()]
    values = series.astype(object)
    # None for every missing value (NaN, NaT, pd.NA); .tolist() gives Python scalars
    return values.where(series.notna(), None).tolist()


def _rows(frame: pd.DataFrame, columns: Sequence[str], *,
          iso_dates: bool) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples of Python scalars, built column by column (vectorised), then zipped."""
    blank = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    lists = [
        _column_values(frame.get(col, blank),
                       not_null_text=col in _NOT_NULL_TEXT,
                       iso=iso_dates and col in ("occurred_date", "occurred_time"))
        for col in columns
    ]
    return zip(*lists, strict=True)


def write_incidents(frame: pd.DataFrame) -> int:
    """Insert the rows of ``frame`` (which carries every column of INCIDENT_DB_COLUMNS)."""
    if frame.empty:
        return 0
    table = Incident._meta.db_table
    # Columns that are null in every row of this frame are left to the database default
    # (NULL): a police.uk file fills 22 of the 30, and binding fewer values is faster.
    cols = tuple(c for c in INCIDENT_DB_COLUMNS
                 if c in _NOT_NULL_TEXT or (c in frame and bool(frame[c].notna().any())))
    if connection.vendor == "postgresql":
        raw = connection.connection  # psycopg 3 connection, same transaction
        with raw.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(cols)}) FROM STDIN"
        ) as copy:
            for row in _rows(frame, cols, iso_dates=False):
                copy.write_row(row)
    else:
        placeholders = ", ".join("?" for _ in cols)
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})"
        raw_sqlite = connection.connection
        raw_sqlite.executemany(sql, _rows(frame, cols, iso_dates=True))
    return len(frame)
