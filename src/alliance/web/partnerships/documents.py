"""Check an uploaded agreement document: PDF, DOCX or ODT by *content*, under a size limit.

The extension alone proves nothing (an executable renamed ``isa.pdf`` keeps its ``MZ``
header), so the first bytes must match the type the extension claims:

- PDF starts with ``%PDF-``;
- DOCX is a ZIP (``PK\\x03\\x04``) holding ``[Content_Types].xml`` and ``word/document.xml``;
- ODT is a ZIP whose ``mimetype`` member reads ``application/vnd.oasis.opendocument.text``.

Only the ZIP's directory and the few-byte ``mimetype`` member are read, never the whole
archive, so a ZIP bomb costs nothing to check.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
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


def _content_matches(suffix: str, content: bytes) -> bool:
    if suffix == ".pdf":
        return content.startswith(b"%PDF-")
    if not content.startswith(b"PK\x03\x04"):
        return False
    archive = _zip_names(content)
    names = set(archive.namelist())
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
