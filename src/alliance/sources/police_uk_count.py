"""Counting one police.uk street file by (LSOA code, Crime type), checked on the way.

Used by :func:`alliance.sources.police_uk_aggregate.aggregate_lsoa_month`, which runs one file
per core and merges the counts. The row-level reader builds a Python record per row; here
pyarrow's CSV reader parses the file in C++ (without the GIL) and converts only the three
columns needed, ``LSOA code`` and ``Crime type`` dictionary-encoded, so that a file is counted
with one ``numpy.bincount`` over integer codes instead of hashing strings.

A police.uk file is one force-month (the largest, the Metropolitan Police's, is about 30 MB),
so it is read into memory whole - memory-mapped when it is a plain file on disk, so nothing is
copied on the way to the parser. A file larger than ``WHOLE_LIMIT`` (no real one is) is
streamed block by block instead, so memory stays bounded whatever arrives.

Checks (the structural part of :func:`alliance.sources.police_uk_validate.validate`): the header
(missing/renamed columns), empty or header-only files, the number of fields on every line
(pyarrow's tokenizer counts them on every line, whether the column is read or not), UTF-8 in
every column (a file is valid UTF-8 exactly when every field is, the separators being ASCII, so
the whole buffer is checked once, in place), the Month of every row against the file name, and
truncated gzip or zip streams. When a check fails the file is re-read by the row-level
validator, which names the exact line and field. Coordinates are not read (counts do not use
them).
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from alliance.sources.errors import SourceFileError
from alliance.sources.police_uk_files import PoliceUkFile, open_bytes
from alliance.sources.police_uk_validate import LAYOUTS, bad_month, check_header, validate

_CODES = pa.dictionary(pa.int32(), pa.string())
#: The columns converted, and how: the two counted ones as dictionary codes.
_KEEP = {"LSOA code": _CODES, "Month": pa.string(), "Crime type": _CODES}
_BLOCK = 8 << 20
#: Files up to this many (uncompressed) bytes are parsed from memory in one piece; larger ones
#: are streamed. The largest real police.uk file is about 30 MB.
WHOLE_LIMIT = 256 << 20
#: The longest header line looked for at the start of an in-memory file.
_HEADER_LIMIT = 64 << 10
_READ_FAULTS = (pa.ArrowInvalid, OSError, EOFError, UnicodeDecodeError, zlib.error,
                zipfile.BadZipFile)


@dataclass(frozen=True)
class FileCounts:
    """Rows of one file (or one block of it) by LSOA code and Crime type.

    ``lsoa[lsoa_index[i]]`` and ``crime_type[type_index[i]]`` were seen together on
    ``count[i]`` rows; every row is in ``month``. An empty LSOA code is a "No Location" row.
    """

    month: str
    lsoa: pa.StringArray
    crime_type: pa.StringArray
    lsoa_index: np.ndarray
    type_index: np.ndarray
    count: np.ndarray


def count_file(file: PoliceUkFile) -> list[FileCounts]:
    """Count one street file; raises :class:`SourceFileError` naming line and field."""
    try:
        with _whole_file(file) as data:
            if data is None:
                header = _header(file, _first_line_streamed(file))
                counts, rows = _count_streamed(file, header)
            else:
                header = _header(file, _first_line(file, data))
                counts, rows = _count_in_memory(file, header, data)
    except _READ_FAULTS as exc:
        validate(file)  # raises the precise SourceFileError (line, field) if it finds one
        raise SourceFileError(file=file.display_name,
                              message=f"could not be parsed ({exc})") from exc
    if rows == 0:
        raise SourceFileError(file=file.display_name, line=1,
                              message="header only: the file has no data rows")
    return counts


# ------------------------------------------------------------------ reading the bytes
@contextmanager
def _whole_file(file: PoliceUkFile) -> Iterator[pa.Buffer | None]:
    """The file's uncompressed bytes in one buffer, or None when it exceeds ``WHOLE_LIMIT``.

    A plain file on disk is memory-mapped (no copy); gzip is inflated by pyarrow (C++), a zip
    member by Python's zipfile.
    """
    if file.member is None and not file.path.name.endswith(".gz"):
        if file.path.stat().st_size > WHOLE_LIMIT:
            yield None
            return
        with pa.memory_map(str(file.path)) as mapped:
            yield mapped.read_buffer()
        return
    if file.member is None:
        with pa.input_stream(str(file.path), compression="gzip") as native:
            data = native.read_buffer(WHOLE_LIMIT + 1)
    else:
        with open_bytes(file) as stream:
            data = pa.py_buffer(stream.read(WHOLE_LIMIT + 1))
    yield None if data.size > WHOLE_LIMIT else data


def _first_line(file: PoliceUkFile, data: pa.Buffer) -> bytes:
    start = data.slice(0, min(data.size, _HEADER_LIMIT)).to_pybytes()
    line, newline, _ = start.partition(b"\n")
    return line + newline if newline or data.size <= _HEADER_LIMIT else (
        _first_line_streamed(file))


def _first_line_streamed(file: PoliceUkFile) -> bytes:
    with open_bytes(file) as raw:
        return raw.readline()


def _header(file: PoliceUkFile, first: bytes) -> list[str]:
    """The header line, checked (empty file, renamed columns) before pyarrow starts."""
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


def _check_utf8(data: pa.Buffer) -> None:
    """Raise ArrowInvalid unless ``data`` is valid UTF-8 (checked in place, not copied)."""
    offsets = pa.py_buffer(np.array([0, data.size], dtype=np.int32))
    pa.Array.from_buffers(pa.string(), 1, [None, offsets, data]).validate(full=True)


# ------------------------------------------------------------------ counting
def _options(header: Sequence[str], types: dict[str, pa.DataType],
             ) -> tuple[pacsv.ReadOptions, pacsv.ConvertOptions]:
    read = pacsv.ReadOptions(use_threads=True, block_size=_BLOCK, skip_rows=1,
                             column_names=list(header))
    convert = pacsv.ConvertOptions(include_columns=list(types), column_types=types,
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    return read, convert


def _count_in_memory(file: PoliceUkFile, header: Sequence[str],
                     data: pa.Buffer) -> tuple[list[FileCounts], int]:
    _check_utf8(data)
    read_options, convert = _options(header, _KEEP)
    table = pacsv.read_csv(pa.BufferReader(data), read_options=read_options,
                           convert_options=convert)
    _check_month(file, table.column("Month"), first_line=2)
    counts = [_count(file.month, lsoa, kind) for lsoa, kind in
              zip(table.column("LSOA code").chunks, table.column("Crime type").chunks,
                  strict=True)]
    return counts, table.num_rows


def _count_streamed(file: PoliceUkFile, header: Sequence[str]) -> tuple[list[FileCounts], int]:
    """The same for a file too large to hold: block by block, every column converted (the
    ones not counted as raw bytes, then cast to string: a validating, zero-copy cast), so
    UTF-8 is checked everywhere without building strings nobody uses."""
    other = [c for c in header if c not in _KEEP]
    read_options, convert = _options(header, {**_KEEP, **dict.fromkeys(other, pa.binary())})
    counts: list[FileCounts] = []
    rows = 0
    with _arrow_stream(file) as stream:
        for batch in pacsv.open_csv(stream, read_options=read_options, convert_options=convert):
            if batch.num_rows == 0:
                continue
            _check_month(file, batch.column("Month"), first_line=rows + 2)
            for name in other:
                batch.column(name).cast(pa.string())  # raises ArrowInvalid if not UTF-8
            rows += batch.num_rows
            counts.append(_count(file.month, batch.column("LSOA code"),
                                 batch.column("Crime type")))
    return counts, rows


def _check_month(file: PoliceUkFile, months: pa.ChunkedArray | pa.Array, *,
                 first_line: int) -> None:
    month = pa.scalar(file.month, pa.string())
    if len(months) == 0 or pc.all(pc.equal(months, month)).as_py():
        return
    bad = pc.index(pc.not_equal(months, month), True).as_py()
    value = months[bad].as_py()
    # a quoted field could span lines; the row validator names the exact line
    validate(file)
    raise bad_month(file, first_line + bad, value)


def _count(month: str, lsoa: pa.DictionaryArray, kind: pa.DictionaryArray) -> FileCounts:
    """One block's rows by (LSOA code, Crime type): a bincount over the pair of codes."""
    kinds = len(kind.dictionary)
    pair = lsoa.indices.to_numpy().astype(np.int64) * kinds + kind.indices.to_numpy()
    tally = np.bincount(pair, minlength=len(lsoa.dictionary) * kinds)
    seen = np.flatnonzero(tally)
    return FileCounts(month=month, lsoa=lsoa.dictionary, crime_type=kind.dictionary,
                      lsoa_index=seen // kinds,
                      type_index=seen % kinds, count=tally[seen])


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
