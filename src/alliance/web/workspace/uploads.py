"""Check an uploaded police.uk file before it reaches the pool, with messages a partner can act on.

Refused, with nothing changed in the store: files over the size limit, names that are not a
police.uk monthly file, archives (a .zip could be a zip bomb: not accepted here), gzip files that
expand past the limit, text that is not UTF-8, a header that is not police.uk's, and fields that
contain HTML mark-up. Messages name the line and field.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass

from alliance.sources.police_uk_files import FILE_NAME
from alliance.sources.police_uk_validate import STREET_COLUMNS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")


class UploadRejected(Exception):
    """The file cannot be loaded; ``str(exc)`` is the message for the person uploading it."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content: bytes  # the CSV text, decompressed
    rows: int


def _gunzip(data: bytes, name: str) -> bytes:
    out = io.BytesIO()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        chunk = d.decompress(data, MAX_EXPANDED_BYTES + 1)
        out.write(chunk)
        if out.tell() > MAX_EXPANDED_BYTES or d.unconsumed_tail:
            raise UploadRejected(
                f"{name} expands to more than {MAX_EXPANDED_BYTES // 2**20} MB when "
                "decompressed, which is more than a month of police.uk data: refused as a "
                "possible zip bomb.")
    except zlib.error as exc:
        raise UploadRejected(f"{name} is not a valid gzip file ({exc}).") from exc
    return out.getvalue()


def check_upload(name: str, data: bytes) -> CheckedUpload:
    """Validate one uploaded file; raise :class:`UploadRejected` with a clear message."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(f"{base} is {len(data) / 2**20:.0f} MB; the limit is "
                             f"{MAX_UPLOAD_BYTES // 2**20} MB. Upload one month at a time.")
    if base.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
        raise UploadRejected(f"{base} is a zip archive. Upload the monthly CSV files "
                             "themselves (for example 2024-01-northamptonshire-street.csv).")
    match = FILE_NAME.match(base)
    if match is None or match.group("kind") != "street":
        raise UploadRejected(
            f"{base} is not named like a police.uk street-crime file: expected a name such as "
            "2024-01-northamptonshire-street.csv (or .csv.gz), as downloaded from data.police.uk.")
    if match.group("gz") or data[:2] == b"\x1f\x8b":
        data = _gunzip(data, base)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UploadRejected(f"{base} is not UTF-8 text (line {line}, byte {exc.start}). "
                             "Save it as CSV UTF-8 and upload it again.") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise UploadRejected(f"{base} is empty.")
    if tuple(h.strip() for h in header) != STREET_COLUMNS:
        missing = [c for c in STREET_COLUMNS if c not in header]
        extra = [c for c in header if c not in STREET_COLUMNS]
        raise UploadRejected(
            f"{base} does not have the police.uk street-crime columns"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unexpected: {', '.join(extra)}" if extra else "")
            + (". The columns are right but in a different order" if not missing and not extra
               else "") + ".")
    rows = 0
    for rows, record in enumerate(reader, start=1):
        for column, value in zip(header, record, strict=False):
            if HTML.search(value):
                raise UploadRejected(f"{base} line {rows + 1}, field \u201c{column}\u201d "
                                     "contains HTML mark-up; police.uk files never do. "
                                     "Check where the file came from.")
    if rows == 0:
        raise UploadRejected(f"{base} has a header but no rows.")
    return CheckedUpload(name=base.removesuffix(".gz"), content=text.encode("utf-8"), rows=rows)


def gzip_bytes(text: bytes) -> bytes:
    return gzip.compress(text)
