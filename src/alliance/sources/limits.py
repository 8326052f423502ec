"""Limits every reader applies while it streams, so hostile input costs bounded memory and time.

A file is refused whole (:class:`~alliance.sources.errors.SourceFileError`, naming the file,
line and field) when it breaks one of these limits:

=========================  ===========  ==========================================================
limit                      value        why this value
=========================  ===========  ==========================================================
line length                64 KiB       a police.uk row is ~250 characters; a partner row a few
                                        hundred. Checked *while reading*, before a line is held
                                        whole: one 190 MB "line" never reaches memory.
field length               10,000 chars no field of police.uk or of a partner extract is near it
identical rows in a row    1,000        the real files here repeat a row at most 38 times running
                                        (anti-social behaviour at one snap point)
share of exact copies      50 %         of files of 1,000 rows or more; the real files: at most 7 %
expansion ratio            100 : 1      uncompressed to compressed size; police.uk CSVs compress
                                        about 5 : 1, a zip bomb of repeated rows 250 : 1 or more
uncompressed archive size  8 GiB        more than a whole monthly police.uk archive
=========================  ===========  ==========================================================

``csv.field_size_limit`` is process-wide, so it is left alone: the checks here are per reader.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from alliance.sources.errors import SourceFileError

__all__ = ["MAX_ARCHIVE_BYTES", "MAX_DUPLICATE_SHARE", "MAX_EXPANSION", "MAX_FIELD_CHARS",
           "MAX_IDENTICAL_RUN", "MAX_LINE_CHARS", "ExpansionGuard", "RepeatGuard",
           "capped_lines", "check_archive", "check_fields", "read_member"]

MAX_LINE_CHARS = 64 * 1024
MAX_FIELD_CHARS = 10_000
MAX_IDENTICAL_RUN = 1_000
MAX_DUPLICATE_SHARE = 0.5
#: the share of copies is judged only on files at least this long
DUPLICATE_SHARE_MIN_ROWS = 1_000
MAX_EXPANSION = 100
#: members (or streams) smaller than this are never refused for their ratio
EXPANSION_FLOOR_BYTES = 1 << 20
MAX_ARCHIVE_BYTES = 8 << 30


def capped_lines(text: IO[str], *, file: str, max_chars: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The physical lines of ``text`` (endings kept, for ``csv.reader``), refusing a line
    longer than ``max_chars`` before more than ``max_chars + 1`` characters are read."""
    number = 0
    while True:
        line = text.readline(max_chars + 1)
        if not line:
            return
        number += 1
        if len(line) > max_chars:
            raise SourceFileError(
                file=file, line=number,
                message=f"the line is longer than {max_chars:,} characters, which no real "
                        "row is; the file is damaged or is not the CSV it claims to be")
        yield line


def check_fields(fields: Sequence[str], header: Sequence[str], *, file: str, line: int,
                 max_chars: int = MAX_FIELD_CHARS) -> None:
    """Refuse a record with a field longer than ``max_chars``, naming the field."""
    for position, value in enumerate(fields):
        if len(value) > max_chars:
            name = header[position] if position < len(header) else f"column {position + 1}"
            raise SourceFileError(file=file, line=line, field=name,
                                  message=f"the value is {len(value):,} characters long; the "
                                          f"limit is {max_chars:,}")


class RepeatGuard:
    """Refuses a file made of copies of one row: a long run of identical rows, or (at the end)
    more than :data:`MAX_DUPLICATE_SHARE` exact copies. Memory: one hash per distinct row."""

    def __init__(self, file: str, *, max_run: int = MAX_IDENTICAL_RUN,
                 max_share: float = MAX_DUPLICATE_SHARE,
                 min_rows: int = DUPLICATE_SHARE_MIN_ROWS) -> None:
        self.file, self.max_run, self.max_share, self.min_rows = file, max_run, max_share, min_rows
        self._previous: int | None = None
        self._run = 0
        self._run_start = 0
        self._seen: set[int] = set()
        self.rows = 0
        self.copies = 0

    def see(self, fields: Iterable[str], line: int) -> None:
        digest = hash(tuple(fields))
        self.rows += 1
        if digest == self._previous:
            self._run += 1
            if self._run > self.max_run:
                raise SourceFileError(
                    file=self.file, line=line,
                    message=f"more than {self.max_run:,} identical rows one after another "
                            f"(from line {self._run_start}); a real extract never repeats a row "
                            "like this, so the file was refused as damaged or padded")
        else:
            self._previous, self._run, self._run_start = digest, 1, line
        if digest in self._seen:
            self.copies += 1
        else:
            self._seen.add(digest)

    def finish(self) -> None:
        if self.rows >= self.min_rows and self.copies > self.max_share * self.rows:
            raise SourceFileError(
                file=self.file,
                message=f"{self.copies:,} of its {self.rows:,} rows are exact copies of another "
                        f"row (more than {self.max_share:.0%}); refused as damaged or padded")


def _expansion_error(file: str, out: int, compressed: int) -> SourceFileError:
    return SourceFileError(
        file=file,
        message=f"expands from {compressed:,} bytes to more than {out:,} "
                f"(over {MAX_EXPANSION}:1); real data compresses far less, so it was refused "
                "as a possible zip bomb")


def check_archive(archive: zipfile.ZipFile, *, file: str,
                  members: Iterable[zipfile.ZipInfo] | None = None,
                  max_total: int = MAX_ARCHIVE_BYTES) -> None:
    """Refuse an archive by its directory, before anything is extracted: a member that expands
    more than :data:`MAX_EXPANSION` times, or more than ``max_total`` bytes in all."""
    total = 0
    for info in (archive.infolist() if members is None else members):
        if info.is_dir():
            continue
        total += info.file_size
        if (info.file_size > EXPANSION_FLOOR_BYTES
                and info.file_size > MAX_EXPANSION * max(info.compress_size, 1)):
            raise _expansion_error(f"{file}!{info.filename}", info.file_size, info.compress_size)
        if total > max_total:
            raise SourceFileError(file=file, message=f"holds more than {max_total:,} bytes "
                                                     "once unzipped; refused")


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo | str, *, file: str,
                max_bytes: int | None = None) -> bytes:
    """The bytes of one member, with damage (a bad CRC, a truncated stream) reported as a
    :class:`SourceFileError` naming the member."""
    name = info.filename if isinstance(info, zipfile.ZipInfo) else info
    try:
        member = archive.getinfo(name) if isinstance(info, str) else info
        if max_bytes is not None and member.file_size > max_bytes:
            raise SourceFileError(file=f"{file}!{name}",
                                  message=f"is {member.file_size:,} bytes unzipped; the limit "
                                          f"is {max_bytes:,}")
        with archive.open(member) as stream:
            return stream.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError,
            NotImplementedError, RuntimeError, ValueError) as exc:  # ValueError: bad offsets
        raise SourceFileError(file=f"{file}!{name}",
                              message=f"damaged inside the zip ({exc}); make the zip again "
                                      "from the original files") from exc


class ExpansionGuard(io.BufferedIOBase):
    """A decompressed byte stream that stops with :class:`SourceFileError` once it has given
    more than ``MAX_EXPANSION`` times its ``compressed`` size (and at least
    ``EXPANSION_FLOOR_BYTES``)."""

    def __init__(self, raw: IO[bytes] | io.BufferedIOBase, *, compressed: int, file: str,
                 limit: int | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._file = file
        self._compressed = compressed
        self._limit = limit if limit is not None else max(MAX_EXPANSION * compressed,
                                                          EXPANSION_FLOOR_BYTES)
        self.given = 0

    def readable(self) -> bool:
        return True

    def _count(self, data: bytes) -> bytes:
        self.given += len(data)
        if self.given > self._limit:
            raise _expansion_error(self._file, self._limit, self._compressed)
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._count(self._raw.read(-1 if size is None else size))

    def read1(self, size: int = -1) -> bytes:
        reader = getattr(self._raw, "read1", self._raw.read)
        return self._count(reader(size))

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read1(len(buffer))
        buffer[:len(data)] = data
        return len(data)
