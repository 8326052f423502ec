"""The data-sharing agreements register and what an expired agreement blocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.web.accounts.models import Organisation, Partnership
from alliance.web.partnerships.models import Agreement, AgreementDocument
from alliance.web.partnerships.services import blocked_datasets

pytestmark = pytest.mark.django_db


def test_register_lists_agreements_with_their_state(client_as) -> None:
    page = client_as("board_viewer").get("/agreements/").content.decode()
    assert "Serious Violence Duty core data-sharing agreement" in page
    assert "In force" in page or "Review due" in page
    assert "Expired" in page and "cannot be used in new outputs" in page


def test_expired_dataset_is_blocked_with_who_can_renew(demo) -> None:
    partnership = Partnership.objects.get()
    blocked = blocked_datasets(partnership, ["ae_assaults", "police_uk_street", "fire"])
    assert [b.dataset for b in blocked] == ["ae_assaults"]
    assert "NHS Northamptonshire Integrated Care Board can renew it" in blocked[0].message
    # a renewal (a later agreement for the same dataset) lifts the block
    icb = Organisation.objects.get(kind="health")
    Agreement.objects.create(
        partnership=partnership, title="A&E renewed", purpose="p", legal_basis="public_task",
        datasets=["ae_assaults"], start_date=date.today(), review_date=date.today(),
        expiry_date=date.today() + timedelta(days=365), owner=icb, renewal_contact="a@b.test")
    assert blocked_datasets(partnership, ["ae_assaults"]) == []


def test_administrator_adds_an_agreement_with_a_document(client_as) -> None:
    admin = client_as("administrator")
    orgs = list(Organisation.objects.values_list("pk", flat=True)[:2])
    form = {"title": "Youth justice ISA", "parties": orgs, "purpose": "Share YJS cases",
            "legal_basis": "public_task", "datasets": ["youth_justice"],
            "start_date": "2025-01-01", "review_date": "2025-12-01", "expiry_date": "2026-12-31",
            "owner": orgs[0], "renewal_contact": "yjs@x.test", "document_kind": "isa",
            "document": SimpleUploadedFile("isa.pdf", b"%PDF-1.4 test")}
    r = admin.post("/agreements/add/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    doc = AgreementDocument.objects.get()
    assert admin.get(f"/agreements/documents/{doc.pk}/").content == b"%PDF-1.4 test"
    bad = dict(form, expiry_date="2024-01-01", document=SimpleUploadedFile("x.exe", b"MZ"))
    r = admin.post("/agreements/add/", bad)
    assert r.status_code == 400
    assert b"The expiry date must be after the start date" in r.content
    assert b"must be a PDF, DOCX or ODT" in r.content
    assert client_as("analyst").post("/agreements/add/", form).status_code == 403
