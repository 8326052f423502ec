"""Check an uploaded agreement document: PDF, DOCX or ODT by *content*, under a size limit.

The extension alone proves nothing (an executable renamed ``isa.pdf`` keeps its ``MZ``
header), so the first bytes must match the type the extension claims:

- PDF starts with ``%PDF-`` and ends with the ``%%EOF`` marker (a truncated PDF does not);
- DOCX is a ZIP (``PK\\x03\\x04``) holding ``[Content_Types].xml`` and ``word/document.xml``;
- ODT is a ZIP whose ``mimetype`` member reads ``application/vnd.oasis.opendocument.text``.

A ZIP is first judged by its directory (no member expanding more than 100 times, at most
:data:`MAX_UNZIPPED_BYTES` in all: a ZIP bomb is refused before anything is decompressed),
then every member's CRC is checked, so a damaged document is refused when it is uploaded,
not when someone tries to open it years later.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import check_archive

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: a real agreement document unzips to a few MB; this is far more than any needs
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
DOCUMENT_TYPES = {".pdf": "application/pdf",
                  ".docx": ("application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document"),
                  ".odt": "application/vnd.oasis.opendocument.text"}
_LABELS = {".pdf": "a PDF", ".docx": "a Word (DOCX)", ".odt": "an OpenDocument text (ODT)"}
_SAFE_NAME = re.compile(r"[^\w.\- ()]+")


class DocumentRejected(ValueError):
    """The upload is not an acceptable agreement document; the message says why."""


@dataclass(frozen=True)
class CheckedDocument:
    name: str
    content_type: str
    content: bytes
    sha256: str


def safe_name(name: str) -> str:
    """The file name without any path, with only plain characters, at most 200 long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("_", base).strip(" .") or "document"
    if len(cleaned) > 200:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (stem[: 199 - len(suffix)] + dot + suffix) if dot else cleaned[:200]
    return cleaned


def suffix_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_names(content: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentRejected("The file is damaged or is not really a document "
                               "of the type its name says.") from None


def _check_zip(archive: zipfile.ZipFile, suffix: str) -> None:
    try:
        check_archive(archive, file="document", max_total=MAX_UNZIPPED_BYTES)
        damaged = archive.testzip()
    except SourceFileError:
        raise DocumentRejected(f"The {suffix.lstrip('.').upper()} document unzips to far more "
                               "than any real document: refused as a possible zip bomb."
                               ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError):  # ValueError: a member's offset points before the file
        damaged = "?"
    if damaged is not None:
        raise DocumentRejected("The document is damaged (a part of it fails its check). Save "
                               "it again from the original and upload the new copy.")


def _content_matches(suffix: str, content: bytes) -> bool:
    if suffix == ".pdf":
        if content.startswith(b"%PDF-") and b"%%EOF" not in content[-2048:]:
            raise DocumentRejected("The PDF is incomplete (it has no end-of-file marker): it "
                                   "was probably cut short. Upload the whole file.")
        return content.startswith(b"%PDF-")
    if not content.startswith(b"PK\x03\x04"):
        return False
    archive = _zip_names(content)
    names = set(archive.namelist())
    if ({"[Content_Types].xml", "word/document.xml"} <= names if suffix == ".docx"
            else "mimetype" in names):
        _check_zip(archive, suffix)
    if suffix == ".docx":
        return "[Content_Types].xml" in names and "word/document.xml" in names
    if "mimetype" not in names:
        return False
    info = archive.getinfo("mimetype")
    if info.file_size > 100:  # the real member is 39 bytes; anything big is not ODT
        return False
    with archive.open(info) as member:
        return member.read(100) == DOCUMENT_TYPES[".odt"].encode()


def check_document(name: str, content: bytes) -> CheckedDocument:
    """Accept ``content`` as the document ``name`` or raise :class:`DocumentRejected`."""
    suffix = suffix_of(name)
    if suffix not in DOCUMENT_TYPES:
        raise DocumentRejected("The document must be a PDF, DOCX or ODT file.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentRejected(f"The document must be smaller than "
                               f"{MAX_DOCUMENT_BYTES // 2**20} MB.")
    if not content:
        raise DocumentRejected("The document is empty.")
    if not _content_matches(suffix, content):
        raise DocumentRejected(f"The file is named {suffix} but its content is not "
                               f"{_LABELS[suffix]} document.")
    return CheckedDocument(name=safe_name(name), content_type=DOCUMENT_TYPES[suffix],
                           content=content, sha256=hashlib.sha256(content).hexdigest())
