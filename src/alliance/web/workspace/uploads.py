"""Check an uploaded police.uk file before it reaches the pool, with messages a partner can act on.

Refused, with nothing changed in the store: files over the size limit, names that are not a
police.uk monthly file or give an impossible or future month, archives (a .zip could be a zip
bomb: not accepted here), gzip files that expand past the limit, text that is not UTF-8, a
header that is not police.uk's, lines or fields longer than any real one, padded files of
copied rows, and fields that contain HTML mark-up. Messages name the line and field.

Memory stays bounded whatever arrives: the upload is streamed (decompressed on the fly, with
the expansion checked as it goes) into the file the load task will read, then checked by the
same streaming reader the command line uses (:mod:`alliance.sources.police_uk`), one line at a
time.
"""

from __future__ import annotations

import gzip
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import ExpansionGuard
from alliance.sources.months import MonthError, check_month
from alliance.sources.police_uk import discover
from alliance.sources.police_uk_files import FILE_NAME
from alliance.sources.police_uk_validate import STREET_COLUMNS, csv_lines, validated_rows

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_COPY_CHUNK = 1 << 20


class UploadRejected(Exception):
    """The file cannot be loaded; ``str(exc)`` is the message for the person uploading it."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    path: Path  # the CSV text, decompressed, ready for the load task
    rows: int
    month: str
    force: str


def _copy(source: IO[bytes], target: Path, *, gz: bool, size: int, base: str) -> None:
    """``source`` (gunzipped when ``gz``) into ``target``, never more than the limit."""
    stream: IO[bytes] = source
    if gz:
        stream = ExpansionGuard(gzip.GzipFile(fileobj=source, mode="rb"),  # type: ignore[assignment]
                                compressed=size, file=base)
    written = 0
    try:
        with target.open("wb") as out:
            while block := stream.read(_COPY_CHUNK):
                written += len(block)
                if written > MAX_EXPANDED_BYTES:
                    raise UploadRejected(
                        f"{base} expands to more than {MAX_EXPANDED_BYTES // 2**20} MB when "
                        "decompressed, which is more than a month of police.uk data: refused "
                        "as a possible zip bomb.")
                out.write(block)
    except (OSError, EOFError, zlib.error) as exc:
        raise UploadRejected(f"{base} is not a valid gzip file ({exc}).") from exc
    except SourceFileError as exc:
        raise UploadRejected(f"{base} {exc.message}.") from exc


def _check_header(base: str, header: list[str]) -> None:
    if tuple(h.strip() for h in header) != STREET_COLUMNS:
        missing = [c for c in STREET_COLUMNS if c not in header]
        extra = [c for c in header if c not in STREET_COLUMNS]
        raise UploadRejected(
            f"{base} does not have the police.uk street-crime columns"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unexpected: {', '.join(extra)}" if extra else "")
            + (". The columns are right but in a different order" if not missing and not extra
               else "") + ".")


def _check_rows(path: Path, base: str) -> tuple[int, str, str]:
    (file,) = discover([path])
    with csv_lines(file) as lines:
        first = next(lines, None)
    if first is None:
        raise UploadRejected(f"{base} is empty.")
    _check_header(base, first[1])
    rows = 0
    for index, row in validated_rows(file):
        rows += 1
        for column, at in index.items():
            if HTML.search(row.fields[at]):
                raise UploadRejected(f"{base} line {row.line}, field \u201c{column}\u201d "
                                     "contains HTML mark-up; police.uk files never do. "
                                     "Check where the file came from.")
    return rows, file.month, file.force


def check_upload(name: str, source: IO[bytes], *, size: int, folder: Path) -> CheckedUpload:
    """Check one uploaded file, streaming it into ``folder``; raise :class:`UploadRejected`
    with a clear message (and leave nothing in ``folder``) when it cannot be loaded."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(f"{base} is {size / 2**20:.0f} MB; the limit is "
                             f"{MAX_UPLOAD_BYTES // 2**20} MB. Upload one month at a time.")
    magic = source.read(4)
    source.seek(0)
    if base.lower().endswith(".zip") or magic == b"PK\x03\x04":
        raise UploadRejected(f"{base} is a zip archive. Upload the monthly CSV files "
                             "themselves (for example 2024-01-northamptonshire-street.csv).")
    match = FILE_NAME.match(base)
    if match is None or match.group("kind") != "street":
        raise UploadRejected(
            f"{base} is not named like a police.uk street-crime file: expected a name such as "
            "2024-01-northamptonshire-street.csv (or .csv.gz), as downloaded from data.police.uk.")
    try:
        check_month(match.group("month"))
    except MonthError as exc:
        raise UploadRejected(f"{base}: the month in its name is wrong: {exc}.") from None
    target = folder / base.removesuffix(".gz")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _copy(source, target, gz=bool(match.group("gz")) or magic[:2] == b"\x1f\x8b",
              size=size, base=base)
        rows, month, force = _check_rows(target, base)
    except SourceFileError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        message = str(exc).replace(target.name, base, 1)
        if "header only" in message:
            message = f"{base} has a header but no rows."
        elif "not valid UTF-8" in message:
            message += " Save it as CSV UTF-8 and upload it again."
        raise UploadRejected(message) from None
    except UploadRejected:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return CheckedUpload(name=target.name, path=target, rows=rows, month=month, force=force)
