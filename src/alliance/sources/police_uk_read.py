"""Row-level reading of police.uk CSVs into the canonical incident table.

See :mod:`alliance.sources.police_uk` for the record key and the validation rules. The read is
two streaming passes over the file: the first validates every line and counts Crime IDs (so a
REPEATED_ID flag is right even when the repeats are far apart, in different chunks), the second
builds the chunks. Nothing is yielded until the whole file has been validated, so a broken file
never half-loads; memory is bounded by the chunk size plus one small entry per distinct Crime ID
and per distinct record tuple of the file (police.uk files are one force-month each).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from alliance.sources.police_uk_files import PoliceUkFile
from alliance.sources.police_uk_validate import (
    LAYOUTS,
    OUTCOMES_COLUMNS,
    STOP_SEARCH_COLUMNS,
    STREET_COLUMNS,
    UK_LAT,
    UK_LON,
    Layout,
    ValidRow,
    key_digest,
    validate,
    validated_rows,
)
from alliance.sources.schema import INCIDENT_COLUMNS, RowFlag

__all__ = [
    "LAYOUTS",
    "OUTCOMES_COLUMNS",
    "STOP_SEARCH_COLUMNS",
    "STREET_COLUMNS",
    "TEXT_DTYPE",
    "UK_LAT",
    "UK_LON",
    "Layout",
    "canonical_frame",
    "key_digest",
    "read",
    "validate",
]

LONDON = ZoneInfo("Europe/London")


def read(file: PoliceUkFile, *, chunk_rows: int = 250_000) -> Iterator[pd.DataFrame]:
    """Chunks of canonical incident rows (columns exactly ``INCIDENT_COLUMN_NAMES``).

    The whole file is validated before the first chunk is yielded; a broken file raises
    :class:`SourceFileError` and yields nothing. See :mod:`alliance.sources.police_uk`.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    layout = LAYOUTS[file.kind]
    _, id_counts = validate(file)
    repeated = {crime_id for crime_id, n in id_counts.items() if n > 1}
    del id_counts
    ordinals: dict[str, int] = {}
    seen_rows: set[int] = set()
    builder = _ChunkBuilder(file, layout)
    id_at: int | None = None
    for index, row in validated_rows(file):
        if not builder.positions:
            builder.bind(index)
            id_at = index.get("Crime ID")
        values = row.fields
        digest = key_digest([values[index[c]] for c in layout.key_columns])
        ordinal = ordinals.get(digest, 0) + 1
        ordinals[digest] = ordinal
        flags = 0
        crime_id = values[id_at] if id_at is not None else ""
        if crime_id:
            # only rows with a reference: identical ASB rows (no ID) at one snap point are
            # separate incidents, not copies
            row_hash = hash(tuple(values))
            if row_hash in seen_rows:
                flags |= RowFlag.DUPLICATE_ROW
            else:
                seen_rows.add(row_hash)
            if crime_id in repeated:
                flags |= RowFlag.REPEATED_ID
        builder.add(row, f"{digest}-{ordinal}", crime_id, flags)
        if builder.rows >= chunk_rows:
            yield builder.flush()
    if builder.rows:
        yield builder.flush()


class _ChunkBuilder:
    def __init__(self, file: PoliceUkFile, layout: Layout) -> None:
        self.file = file
        self.layout = layout
        self.positions: dict[str, int] = {}
        self.extra_names: list[tuple[str, int]] = []
        self._reset()

    def bind(self, index: dict[str, int]) -> None:
        self.positions = index
        self.extra_names = [(n, i) for n, i in index.items() if n not in self.layout.mapped]

    def _reset(self) -> None:
        self.rows = 0
        self.cols: dict[str, list[Any]] = {
            n: [] for n in ("record_key", "source_ref", "occurred_date", "occurred_time",
                            "source_category", "longitude", "latitude", "lsoa_published",
                            "location", "outcome", "age", "sex", "flags", "line", "extra")
        }

    def add(self, row: ValidRow, key: str, crime_id: str, flags: int) -> None:
        get = self.positions
        values = row.fields
        lon, lat = row.longitude, row.latitude
        if math.isnan(lon) or math.isnan(lat):
            flags |= RowFlag.NO_LOCATION
            lon = lat = math.nan
        elif not (UK_LON[0] <= lon <= UK_LON[1] and UK_LAT[0] <= lat <= UK_LAT[1]):
            flags |= RowFlag.OUTSIDE_UK
            lon = lat = math.nan
        c = self.cols
        c["record_key"].append(key)
        c["source_ref"].append(crime_id or None)
        when_date: date | None = None
        when_time: time | None = None
        if row.when is not None:
            local = row.when.astimezone(LONDON)
            when_date, when_time = local.date(), local.time()
        c["occurred_date"].append(when_date)
        c["occurred_time"].append(when_time)
        c["source_category"].append(values[get[self.layout.category]] or None)
        c["longitude"].append(lon)
        c["latitude"].append(lat)
        c["lsoa_published"].append(values[get["LSOA code"]] or None if "LSOA code" in get
                                   else None)
        c["location"].append(values[get["Location"]] or None if "Location" in get else None)
        outcome = self.layout.outcome
        c["outcome"].append(values[get[outcome]] or None if outcome else None)
        c["age"].append(values[get["Age range"]] or None if "Age range" in get else None)
        c["sex"].append(values[get["Gender"]] or None if "Gender" in get else None)
        c["flags"].append(int(flags))
        c["line"].append(row.line)
        c["extra"].append(json.dumps({n: values[i] for n, i in self.extra_names},
                                     ensure_ascii=False))
        self.rows += 1

    def flush(self) -> pd.DataFrame:
        n = self.rows
        c = self.cols
        nothing = np.full(n, None, dtype=object)
        data: dict[str, Any] = {
            "source": np.full(n, self.layout.source, dtype=object),
            "partition": np.full(n, self.file.force, dtype=object),
            "month": np.full(n, self.file.month, dtype=object),
            "offence_code": nothing,
            "knife_flag": nothing,
            "easting": np.full(n, np.nan),
            "northing": np.full(n, np.nan),
            "lsoa21_code": nothing,
            "subject_role": nothing,
            "person_key": nothing,
            "longitude": np.asarray(c["longitude"], dtype=np.float64),
            "latitude": np.asarray(c["latitude"], dtype=np.float64),
            "flags": np.asarray(c["flags"], dtype=np.int64),
            "line": np.asarray(c["line"], dtype=np.int64),
        }
        for name in ("record_key", "source_ref", "occurred_date", "occurred_time",
                     "source_category", "lsoa_published", "location", "outcome", "age", "sex",
                     "extra"):
            data[name] = np.asarray(c[name], dtype=object)
        self._reset()
        return canonical_frame(data)


#: Text columns use pandas' string dtype (missing = NaN) in every chunk, even all-null ones,
#: so that chunks concatenate without dtype drift.
TEXT_DTYPE = pd.StringDtype(na_value=np.nan)


def canonical_frame(data: Mapping[str, Any]) -> pd.DataFrame:
    """A frame with exactly ``INCIDENT_COLUMN_NAMES``, typed by ``INCIDENT_COLUMNS`` kinds."""
    columns: dict[str, Any] = {}
    n = len(data["month"])
    for column in INCIDENT_COLUMNS:
        # columns police.uk never fills (weapon, home area ...) are null
        values = data[column.name] if column.name in data else [None] * n
        if column.kind in ("text", "json"):
            columns[column.name] = pd.Series(values, dtype=TEXT_DTYPE)
        elif column.kind == "float":
            columns[column.name] = pd.Series(values, dtype=np.float64)
        elif column.kind == "int":
            columns[column.name] = pd.Series(values, dtype=np.int64)
        else:  # date, time, bool: Python objects, None when unknown
            columns[column.name] = pd.Series(values, dtype=object)
    return pd.DataFrame(columns)
