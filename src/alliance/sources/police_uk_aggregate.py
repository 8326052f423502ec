"""Fast columnar counts of police.uk street crime by LSOA, month and local category.

For national-size work (about six million rows a year) the row-level reader is the wrong tool:
it builds a Python record per row. Here pyarrow's streaming CSV reader parses each file block
by block in C++ (several files at once, each with its own threads) and only the three columns
needed are kept; each block is counted with a hash aggregation, so memory stays at a few blocks
per file however large the input.

Validation is the structural part of :func:`alliance.sources.police_uk_read.validate`: the
header (missing/renamed columns), empty or header-only files, the number of fields on every
line, UTF-8 in the columns read, the Month of every row against the file name, truncated gzip
or zip streams. Whenever pyarrow reports a fault, the file is re-read by the row-level validator
to name the exact line and field. Coordinates are not read here (the counts do not use them).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from alliance.sources.errors import SourceFileError
from alliance.sources.police_uk_files import PoliceUkFile, discover, open_bytes
from alliance.sources.police_uk_validate import LAYOUTS, bad_month, check_header, validate

UNKNOWN_CATEGORY = "unknown"
_KEEP = ("LSOA code", "Month", "Crime type")
_GROUP = ("LSOA code", "Crime type")
_BLOCK = 8 << 20


def aggregate_lsoa_month(
    files: Iterable[PoliceUkFile | Path],
    *,
    category_map: Mapping[str, str],
    max_workers: int | None = None,
) -> pd.DataFrame:
    """Count street-level crimes by LSOA, month and local category.

    Parameters
    ----------
    files
        police.uk street files (``PoliceUkFile`` from :func:`discover`, or paths to discover).
    category_map
        police.uk ``Crime type`` -> local category. Crime types not in the map are counted
        under ``'unknown'`` (never dropped), so the total always equals the number of rows.
    max_workers
        Files parsed at once (default: the number of CPUs).

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa_code`` (published LSOA code; null for "No Location" rows, which are
        kept so that force totals stay whole), ``month``, ``category``, ``count`` (int64),
        sorted by month, lsoa_code, category.

    Raises
    ------
    SourceFileError
        Any file fails validation; no partial result is returned.
    """
    chosen = _as_files(files)
    workers = max_workers or os.cpu_count() or 1
    if len(chosen) == 0:
        counts = pa.table({"LSOA code": pa.array([], pa.string()),
                           "Month": pa.array([], pa.string()),
                           "Crime type": pa.array([], pa.string()),
                           "count": pa.array([], pa.int64())})
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(chosen))) as pool:
            parts = list(pool.map(_count_file, chosen))
        counts = pa.concat_tables(parts).group_by(list(_KEEP)).aggregate([("count", "sum")])
    frame = counts.to_pandas()
    frame = frame.rename(columns={"LSOA code": "lsoa_code", "Month": "month",
                                  "count_sum": "count"})
    crime_type = frame.pop("Crime type").astype("category")
    local = np.asarray([category_map.get(t, UNKNOWN_CATEGORY)
                        for t in crime_type.cat.categories], dtype=object)
    frame["category"] = local[crime_type.cat.codes.to_numpy()] if len(frame) else []
    frame["lsoa_code"] = frame["lsoa_code"].where(frame["lsoa_code"] != "", None)
    out = (frame.groupby(["lsoa_code", "month", "category"], dropna=False, sort=False)["count"]
           .sum().reset_index())
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["month", "lsoa_code", "category"], na_position="last",
                           ignore_index=True)[["lsoa_code", "month", "category", "count"]]


def _as_files(files: Iterable[PoliceUkFile | Path]) -> list[PoliceUkFile]:
    items = list(files)
    paths = [Path(f) for f in items if not isinstance(f, PoliceUkFile)]
    chosen = [f for f in items if isinstance(f, PoliceUkFile)]
    if paths:
        chosen.extend(discover(paths))
    for f in chosen:
        if f.kind != "street":
            raise ValueError(f"{f.display_name}: aggregate_lsoa_month counts street-level "
                             f"crime only, got a {f.kind} file")
    return chosen


def _header(file: PoliceUkFile) -> list[str]:
    """The header line, checked (empty file, renamed columns) before pyarrow starts."""
    with open_bytes(file) as raw:
        first = raw.readline()
    if not first.strip():
        raise SourceFileError(file=file.display_name,
                              message="the file is empty (no header line, no data)")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        validate(file)  # names the line and field
        raise
    header = next(csv.reader([text]))
    check_header(file, LAYOUTS["street"], header)
    return [h.strip() for h in header]


def _count_file(file: PoliceUkFile) -> pa.Table:
    header = _header(file)
    try:
        return _count_arrow(file, header)
    except (pa.ArrowInvalid, OSError, EOFError, UnicodeDecodeError) as exc:
        validate(file)  # raises the precise SourceFileError (line, field) if it finds one
        raise SourceFileError(file=file.display_name,
                              message=f"could not be parsed ({exc})") from exc


def _count_arrow(file: PoliceUkFile, header: Sequence[str]) -> pa.Table:
    read_options = pacsv.ReadOptions(use_threads=True, block_size=_BLOCK, skip_rows=1,
                                     column_names=list(header))
    # the counted columns are parsed as strings (UTF-8 checked by the parser); the others as
    # raw bytes, checked below by a cast to string (a validating, zero-copy cast), so every
    # column is checked without building strings nobody uses
    other = [c for c in header if c not in _KEEP]
    convert = pacsv.ConvertOptions(
        column_types={c: (pa.string() if c in _KEEP else pa.binary()) for c in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    parts: list[pa.Table] = []
    rows = 0
    month = pa.scalar(file.month, pa.string())
    with _arrow_stream(file) as stream:
        reader = pacsv.open_csv(stream, read_options=read_options, convert_options=convert)
        for batch in reader:
            if batch.num_rows == 0:
                continue
            months = batch.column("Month")
            if not pc.all(pc.equal(months, month)).as_py():
                bad = pc.index(pc.not_equal(months, month), True).as_py()
                value = months[bad].as_py()
                # a quoted field could span lines; the row validator names the exact line
                validate(file)
                raise bad_month(file, rows + bad + 2, value)
            for name in other:
                batch.column(name).cast(pa.string())  # raises ArrowInvalid if not UTF-8
            rows += batch.num_rows
            # Month is now known to be the file month: group on the other two keys only
            table = pa.Table.from_batches([batch]).select(list(_GROUP))
            parts.append(table.group_by(list(_GROUP)).aggregate([([], "count_all")])
                         .rename_columns([*_GROUP, "count"]))
    if rows == 0:
        raise SourceFileError(file=file.display_name, line=1,
                              message="header only: the file has no data rows")
    merged = pa.concat_tables(parts)
    counts = merged.group_by(list(_GROUP)).aggregate([("count", "sum")]).rename_columns(
        [*_GROUP, "count"])
    months = pa.array([file.month] * counts.num_rows, pa.string())
    return pa.table({"LSOA code": counts["LSOA code"], "Month": months,
                     "Crime type": counts["Crime type"], "count": counts["count"]})


@contextmanager
def _arrow_stream(file: PoliceUkFile) -> Iterator[object]:
    """A pyarrow input stream: native (C++ gzip) for files on disk, Python for zip members."""
    if file.member is None:
        compression = "gzip" if file.path.name.endswith(".gz") else None
        with pa.input_stream(str(file.path), compression=compression) as native:
            yield native
    else:
        with open_bytes(file) as stream:
            yield stream
