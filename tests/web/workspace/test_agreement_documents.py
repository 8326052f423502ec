"""Agreement documents: checked by content, versioned, downloaded only as attachments and only
by administrators and members of the parties."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.web.partnerships.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentRejected,
    check_document,
    safe_name,
)
from alliance.web.partnerships.models import Agreement, AgreementChange, AgreementDocument

CORE = "Serious Violence Duty core data-sharing agreement"
ISTV = "A&E assault data (ISTV) sharing agreement"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>"})
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("isa.pdf", PDF, "application/pdf"),
    ("dpia.DOCX", DOCX, "wordprocessingml"),
    ("isa.odt", ODT, "opendocument.text")])
def test_real_documents_are_accepted(name: str, content: bytes, kind: str) -> None:
    checked = check_document(name, content)
    assert kind in checked.content_type and checked.content == content
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(("name", "content", "message"), [
    ("isa.exe", b"MZ\x90\x00", "must be a PDF, DOCX or ODT"),
    ("isa", PDF, "must be a PDF, DOCX or ODT"),
    ("isa.pdf", b"MZ\x90\x00 renamed executable", "is not a PDF document"),
    ("isa.pdf", b"<html><script>alert(1)</script>", "is not a PDF document"),
    ("isa.docx", PDF, "is not a Word (DOCX) document"),
    ("isa.docx", _zip({"evil.sh": b"rm -rf /"}), "is not a Word (DOCX) document"),
    ("isa.odt", DOCX, "is not an OpenDocument text (ODT) document"),
    ("isa.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
     "is not an OpenDocument text (ODT) document"),
    ("isa.docx", b"PK\x03\x04 truncated", "damaged"),
    ("isa.pdf", b"", "is empty"),
    ("isa.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "smaller than 10 MB")])
def test_documents_are_judged_by_content_not_name(name: str, content: bytes,
                                                  message: str) -> None:
    with pytest.raises(DocumentRejected, match=re.escape(message)):
        check_document(name, content)


def test_zip_bomb_is_refused_without_inflating_it() -> None:
    """A 'mimetype' member that inflates to 100 MB is refused from its declared size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"\0" * (100 * 2**20))
    assert len(buffer.getvalue()) < 2**20
    with pytest.raises(DocumentRejected, match="ODT"):
        check_document("bomb.odt", buffer.getvalue())


def _flip(content: bytes, at: int) -> bytes:
    out = bytearray(content)
    out[at] ^= 0x01
    return bytes(out)


def _stored_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document>the agreement</w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("isa.pdf", PDF[: len(PDF) // 2], "The PDF is incomplete"),
    ("isa.docx", _flip(_stored_docx(), 100), "The document is damaged"),
])
def test_truncated_and_damaged_documents_are_refused(name: str, content: bytes,
                                                     message: str) -> None:
    with pytest.raises(DocumentRejected, match=message):
        check_document(name, content)


def test_a_docx_that_is_a_zip_bomb_is_refused_before_it_inflates() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:t>" + b"a" * (200 * 2**20) + b"</w:t>")
    with pytest.raises(DocumentRejected, match="DOCX document unzips to far more"):
        check_document("isa.docx", buffer.getvalue())


def test_file_names_lose_paths_and_odd_characters() -> None:
    assert safe_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_name("C:\\Users\\x\\ISA 2026 (signed).pdf") == "ISA 2026 (signed).pdf"
    assert safe_name('a"b<script>.pdf') == "a_b_script_.pdf"
    long = safe_name("x" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")


@pytest.mark.django_db
def test_uploads_keep_earlier_versions(client_as) -> None:
    admin = client_as("administrator")
    core = Agreement.objects.get(title=CORE)
    for n, name in enumerate(("dpia-v1.pdf", "dpia-v2.docx"), start=1):
        content = PDF if name.endswith(".pdf") else DOCX
        r = admin.post(f"/agreements/{core.pk}/documents/add/",
                       {"document_kind": "dpia", "document": SimpleUploadedFile(name, content)})
        assert r.status_code == 302, r.content.decode()[:2000]
        assert AgreementDocument.objects.filter(agreement=core, kind="dpia").count() == n
    docs = list(AgreementDocument.objects.filter(agreement=core).order_by("version"))
    assert [(d.name, d.version) for d in docs] == [("dpia-v1.pdf", 1), ("dpia-v2.docx", 2)]
    assert docs[1].uploaded_by is not None and docs[1].size == len(DOCX)
    assert AgreementChange.objects.filter(agreement=core, kind="document").count() == 2
    page = " ".join(admin.get(f"/agreements/{core.pk}/").content.decode().split())
    assert "dpia-v2.docx</a></td> <td class=\"govuk-table__cell\">2 <strong " \
           "class=\"govuk-tag govuk-tag--green\">Current" in page
    assert "Earlier version" in page and "dpia-v1.pdf" in page
    # the earlier version still downloads, byte for byte
    assert admin.get(f"/agreements/documents/{docs[0].pk}/").content == PDF


@pytest.mark.django_db
def test_bad_uploads_are_refused_with_an_error_summary_and_change_nothing(client_as) -> None:
    admin = client_as("administrator")
    core = Agreement.objects.get(title=CORE)
    url = f"/agreements/{core.pk}/documents/add/"
    cases = [
        ({"document_kind": "isa", "document": SimpleUploadedFile("isa.pdf", b"MZ\x90")},
         b"is not a PDF document"),
        ({"document_kind": "isa", "document": SimpleUploadedFile("isa.html", b"<p>")},
         b"must be a PDF, DOCX or ODT"),
        ({"document_kind": "isa"}, b"Choose a document to upload"),
        ({"document_kind": "nonsense", "document": SimpleUploadedFile("isa.pdf", PDF)},
         b"Select a valid choice"),
        ({"document_kind": "isa",
          "document": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)},
         b"smaller than 10 MB")]
    for form, message in cases:
        r = admin.post(url, form)
        assert r.status_code == 400, message
        assert b"govuk-error-summary" in r.content and message in r.content, message
    assert not AgreementDocument.objects.exists()
    assert not AgreementChange.objects.filter(kind="document").exists()


@pytest.mark.django_db
def test_a_huge_upload_is_refused_before_it_is_read(client_as) -> None:
    """The declared size alone refuses it: Django never spools the body to disk."""
    admin = client_as("administrator")
    core = Agreement.objects.get(title=CORE)
    for url in (f"/agreements/{core.pk}/documents/add/", f"/agreements/{core.pk}/renew/",
                "/agreements/add/"):
        r = admin.post(url, {"document_kind": "isa",
                             "document": SimpleUploadedFile("isa.pdf", PDF)},
                       CONTENT_LENGTH=str(500 * 2**20))
        assert r.status_code == 400, url
        assert b"larger than the 10 MB limit" in r.content and b"govuk-error-summary" in r.content
    assert not AgreementDocument.objects.exists()
    assert Agreement.objects.count() == 2


@pytest.mark.django_db
def test_download_is_an_attachment_for_parties_and_administrators_only(client_as) -> None:
    from alliance.web.audit.models import AuditEvent

    istv = Agreement.objects.get(title=ISTV)  # parties: the ICB and the police
    doc = AgreementDocument.objects.create(
        agreement=istv, kind="isa", name='ISA "2024".pdf', content_type="application/pdf",
        content=PDF, size=len(PDF))
    url = f"/agreements/documents/{doc.pk}/"
    for role in ("administrator", "analyst", "board_viewer"):  # police, police, ICB
        r = client_as(role).get(url)
        assert r.status_code == 200, role
        assert r.content == PDF and r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"] == 'attachment; filename="ISA \\"2024\\".pdf"'
        assert r["X-Content-Type-Options"] == "nosniff" and "no-store" in r["Cache-Control"]
    for role in ("partner_lead", "moderator"):  # the council and the charity are not parties
        assert client_as(role).get(url).status_code == 403, role
    page = client_as("moderator").get(f"/agreements/{istv.pk}/").content.decode()
    assert url not in page and "members of the parties" in page
    assert AuditEvent.objects.filter(action="export", target__contains=f"document {doc.pk}"
                                     ).count() == 3


