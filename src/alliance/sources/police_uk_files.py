"""Finding police.uk CSV files and opening them as byte streams.

police.uk publishes one CSV per force, month and data set, named
``YYYY-MM-<force>-street.csv``, ``-outcomes.csv`` or ``-stop-and-search.csv``; the monthly
archive zips hold them as ``YYYY-MM/YYYY-MM-<force>-<kind>.csv``. The force slug and the month
are taken from the *file name* (the stop-and-search files carry no Month column, and for the
others the name is checked against the data).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, Literal

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import ExpansionGuard, check_archive
from alliance.sources.months import MonthError, check_month

Kind = Literal["street", "outcomes", "stop-and-search"]
KINDS: tuple[Kind, ...] = ("street", "outcomes", "stop-and-search")
#: An uncompressed byte stream (a plain file, a gzip stream or a zip member).
ByteStream = IO[bytes] | io.BufferedIOBase

#: ``2025-01-northamptonshire-street.csv`` (optionally ``.gz``); the force slug may contain '-'.
FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9][a-z0-9-]*?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv(?P<gz>\.gz)?$"
)

_STREAM_CHUNK = 1 << 20


@dataclass(frozen=True)
class PoliceUkFile:
    """One police.uk CSV: a file on disk (.csv / .csv.gz) or a member of a zip archive."""

    path: Path
    member: str | None
    kind: Kind
    force: str
    month: str

    @property
    def display_name(self) -> str:
        """Name used in messages: ``archive.zip!2025-01/2025-01-x-street.csv`` or the file name."""
        if self.member is not None:
            return f"{self.path.name}!{self.member}"
        return self.path.name

    @property
    def file_name(self) -> str:
        """The CSV's own name (without folders or archive)."""
        return (self.member or self.path.name).rsplit("/", 1)[-1]

    def sha256(self) -> str:
        """SHA-256 of the uncompressed bytes (streamed), as in the shared-data manifest."""
        return self._digest()[0]

    def size(self) -> int:
        """Number of uncompressed bytes."""
        return self._digest()[1]

    def _digest(self) -> tuple[str, int]:
        digest = hashlib.sha256()
        total = 0
        with open_bytes(self) as stream:
            while block := _read_checked(self, stream, _STREAM_CHUNK):
                digest.update(block)
                total += len(block)
        return digest.hexdigest(), total


def _read_checked(file: PoliceUkFile, stream: ByteStream, size: int) -> bytes:
    try:
        return stream.read(size)
    except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as exc:
        raise damaged(file, exc) from exc


def damaged(file: PoliceUkFile, exc: BaseException) -> SourceFileError:
    """The error for a truncated or corrupt gzip/zip stream."""
    container = "zip archive" if file.member is not None else "gzip file"
    if file.member is None and not file.path.name.endswith(".gz"):
        container = "file"
    return SourceFileError(
        file=file.display_name,
        message=f"truncated or damaged {container} ({type(exc).__name__}: {exc}); "
        "download it again",
    )


def parse_name(name: str) -> tuple[Kind, str, str] | None:
    """(kind, force, month) from a police.uk file name, or None if it is not one."""
    match = FILE_NAME.match(name.rsplit("/", 1)[-1])
    if match is None:
        return None
    kind: Kind = match["kind"]  # type: ignore[assignment]
    return kind, match["force"], match["month"]


def _month_of_name(display_name: str, month: str) -> str:
    """The file name's month, refused when it is impossible, in the future or before police.uk."""
    try:
        return check_month(month)
    except MonthError as exc:
        raise SourceFileError(file=display_name, field="Month",
                              message=f"the month in the file name: {exc}") from None


def discover(paths: Sequence[Path]) -> list[PoliceUkFile]:
    """Every police.uk CSV under ``paths``.

    A path may be a CSV (``.csv``/``.csv.gz``), a monthly archive ``.zip`` or a folder, searched
    recursively for both. Inside folders and archives, files whose names are not police.uk
    names (READMEs, manifests) are passed over; a file named explicitly must be one.

    Raises
    ------
    SourceFileError
        A named file that is missing or not a police.uk CSV/zip, an unreadable zip, two
        files for the same data set, force and month, or a file whose name gives a month
        that cannot be (``2025-13``), is in the future or is before police.uk began
        (:func:`alliance.sources.months.check_month`).
    """
    found: list[PoliceUkFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    found.extend(_from_file(child, explicit=False))
        elif path.is_file():
            found.extend(_from_file(path, explicit=True))
        else:
            raise SourceFileError(file=str(path), message="no such file or folder")
    unique = {(f.path, f.member): f for f in found}
    chosen = sorted(unique.values(), key=lambda f: (f.kind, f.force, f.month, f.display_name))
    for before, after in pairwise(chosen):
        if (before.kind, before.force, before.month) == (after.kind, after.force, after.month):
            # loading both would count the month twice (or let one silently replace the other)
            raise SourceFileError(
                file=after.display_name,
                message=f"second {after.kind} file for {after.force} {after.month} (also "
                f"{before.display_name} in {before.path.parent}); keep one copy",
            )
    return chosen


def _from_file(path: Path, *, explicit: bool) -> list[PoliceUkFile]:
    if path.suffix.lower() == ".zip":
        return _from_zip(path)
    parsed = parse_name(path.name)
    if parsed is None:
        if explicit:
            raise SourceFileError(
                file=path.name,
                message="not a police.uk file name (expected YYYY-MM-<force>-street.csv, "
                "-outcomes.csv or -stop-and-search.csv, optionally .gz, or a .zip archive)",
            )
        return []
    kind, force, month = parsed
    month = _month_of_name(path.name, month)
    return [PoliceUkFile(path=path, member=None, kind=kind, force=force, month=month)]


def _from_zip(path: Path) -> list[PoliceUkFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist()
                     if not i.is_dir() and parse_name(i.filename) is not None]
            # judged by the directory before anything is extracted: ratio and total size
            check_archive(archive, file=path.name, members=infos)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SourceFileError(
            file=path.name,
            message=f"truncated or damaged zip archive ({exc}); download it again",
        ) from exc
    out: list[PoliceUkFile] = []
    for info in infos:
        name = info.filename
        kind, force, month = parse_name(name)  # type: ignore[misc]
        month = _month_of_name(f"{path.name}!{name}", month)
        out.append(PoliceUkFile(path=path, member=name, kind=kind, force=force, month=month))
    return out


@contextmanager
def open_bytes(file: PoliceUkFile) -> Iterator[ByteStream]:
    """The uncompressed bytes of ``file`` as a stream (never read whole)."""
    if file.member is None:
        if file.path.name.endswith(".gz"):
            with gzip.open(file.path, "rb") as stream:
                # a gzip bomb is stopped while it streams (limits.MAX_EXPANSION)
                yield ExpansionGuard(stream, compressed=file.path.stat().st_size,
                                     file=file.display_name)
        else:
            with open(file.path, "rb") as stream:
                yield stream
        return
    try:
        archive = zipfile.ZipFile(file.path)
        info = archive.getinfo(file.member)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise damaged(file, exc) from exc
    check_archive(archive, file=file.path.name, members=[info])
    try:
        opened = archive.open(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # ValueError: bad offset
        archive.close()
        raise damaged(file, exc) from exc
    with archive, opened as member:
        if file.member.endswith(".gz"):
            with gzip.GzipFile(fileobj=member, mode="rb") as inner:
                yield ExpansionGuard(inner, compressed=info.file_size, file=file.display_name)
        else:
            yield member
