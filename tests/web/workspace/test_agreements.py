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
            "document": SimpleUploadedFile("isa.pdf", b"%PDF-1.4 test\n%%EOF\n")}
    r = admin.post("/agreements/add/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    doc = AgreementDocument.objects.get()
    assert admin.get(f"/agreements/documents/{doc.pk}/").content == b"%PDF-1.4 test\n%%EOF\n"
    bad = dict(form, expiry_date="2024-01-01", document=SimpleUploadedFile("x.exe", b"MZ"))
    r = admin.post("/agreements/add/", bad)
    assert r.status_code == 400
    assert b"The expiry date must be after the start date" in r.content
    assert b"must be a PDF, DOCX or ODT" in r.content
    assert client_as("analyst").post("/agreements/add/", form).status_code == 403


# --- editing, history and renewal (also run on PostgreSQL) -------------------------------

CORE = "Serious Violence Duty core data-sharing agreement"
ISTV = "A&E assault data (ISTV) sharing agreement"


def _form_of(agreement: Agreement, **changes: object) -> dict[str, object]:
    """The edit form as the page would post it back unchanged, with ``changes`` applied."""
    form: dict[str, object] = {
        "title": agreement.title, "parties": [p.pk for p in agreement.parties.all()],
        "purpose": agreement.purpose, "legal_basis": agreement.legal_basis,
        "datasets": list(agreement.datasets), "start_date": agreement.start_date.isoformat(),
        "review_date": agreement.review_date.isoformat(),
        "expiry_date": agreement.expiry_date.isoformat(), "owner": agreement.owner_id,
        "renewal_contact": agreement.renewal_contact}
    form.update(changes)
    return form


def test_an_edit_is_recorded_field_by_field_and_audited(client_as) -> None:
    from alliance.web.audit.models import AuditEvent
    from alliance.web.partnerships.models import AgreementChange

    admin = client_as("administrator")
    core = Agreement.objects.get(title=CORE)
    new_review = core.review_date + timedelta(days=10)
    r = admin.post(f"/agreements/{core.pk}/edit/", _form_of(
        core, purpose="Pool partner data for the SNA.", review_date=new_review.isoformat(),
        datasets=["police_uk_street", "police_local"]))
    assert r.status_code == 302 and r["Location"] == f"/agreements/{core.pk}/"
    core.refresh_from_db()
    assert core.purpose == "Pool partner data for the SNA." and core.review_date == new_review
    changes = {c.field: c for c in AgreementChange.objects.filter(agreement=core, kind="edit")}
    assert set(changes) == {"Purpose", "Review date", "Datasets covered"}
    assert changes["Review date"].new == f"{new_review.day} {new_review:%B %Y}"
    assert "Youth justice cases" in changes["Datasets covered"].old
    assert "Youth justice cases" not in changes["Datasets covered"].new
    assert all(c.changed_by_email == "admin@demo.alliance.test" for c in changes.values())
    event = AuditEvent.objects.filter(action="agreement_change").first()
    assert event is not None and event.detail["agreement"] == core.pk
    assert {c["field"] for c in event.detail["changes"]} == set(changes)
    # the history is on the agreement's page, for everyone who may read the register
    page = client_as("board_viewer").get(f"/agreements/{core.pk}/").content.decode()
    assert "Pool partner data for the SNA." in page and "Review date" in page
    assert "admin@demo.alliance.test" in page
    # posting the same form again changes nothing and records nothing
    count = AgreementChange.objects.count()
    admin.post(f"/agreements/{core.pk}/edit/", _form_of(core))
    assert AgreementChange.objects.count() == count


def test_edit_is_for_administrators_only(client_as) -> None:
    core = Agreement.objects.get(title=CORE)
    for role in ("analyst", "partner_lead", "board_viewer", "moderator"):
        r = client_as(role).post(f"/agreements/{core.pk}/edit/", _form_of(core, title="Mine"))
        assert r.status_code == 403, role
    core.refresh_from_db()
    assert core.title == CORE


def test_an_expired_agreement_cannot_be_edited_back_into_force(client_as) -> None:
    istv = Agreement.objects.get(title=ISTV)
    later = (date.today() + timedelta(days=200)).isoformat()
    r = client_as("administrator").post(f"/agreements/{istv.pk}/edit/",
                                        _form_of(istv, expiry_date=later, datasets=["fire"]))
    assert r.status_code == 400
    assert b"renew it instead" in r.content and b"govuk-error-summary" in r.content
    istv.refresh_from_db()
    assert istv.is_expired() and istv.datasets == ["ae_assaults"]
    partnership = Partnership.objects.get()
    assert [b.dataset for b in blocked_datasets(partnership, ["ae_assaults"])] == ["ae_assaults"]


def _renew_form(**changes: object) -> dict[str, object]:
    today = date.today()
    form: dict[str, object] = {
        "start_date": today.isoformat(),
        "review_date": (today + timedelta(days=300)).isoformat(),
        "expiry_date": (today + timedelta(days=365)).isoformat(), "document_kind": "isa"}
    form.update(changes)
    return form


def test_renewal_adds_a_version_keeps_the_old_one_and_lifts_the_block(client_as) -> None:
    from alliance.web.audit.models import AuditEvent

    partnership = Partnership.objects.get()
    old = Agreement.objects.get(title=ISTV)
    assert blocked_datasets(partnership, ["ae_assaults"])
    admin = client_as("administrator")
    signed = SimpleUploadedFile("istv-isa-2026.pdf", b"%PDF-1.7 signed\n%%EOF\n")
    r = admin.post(f"/agreements/{old.pk}/renew/", _renew_form(document=signed))
    assert r.status_code == 302, r.content.decode()[:2000]
    new = Agreement.objects.get(title=ISTV, superseded_at=None)
    assert r["Location"] == f"/agreements/{new.pk}/"
    assert (new.version, new.series, new.datasets) == (2, old.series, ["ae_assaults"])
    assert set(new.parties.all()) == set(old.parties.all()) and new.owner_id == old.owner_id
    old.refresh_from_db()
    assert old.superseded_at is not None and old.expiry_date < date.today()
    assert blocked_datasets(partnership, ["ae_assaults"]) == []
    assert AgreementDocument.objects.get(agreement=new).name == "istv-isa-2026.pdf"
    event = AuditEvent.objects.filter(action="agreement_change").first()
    assert event is not None and event.detail["renewed"] is True
    assert (event.detail["previous"], event.detail["version"]) == (old.pk, 2)
    # the register lists the current version only; both pages show both versions
    register = admin.get("/agreements/").content.decode()
    assert register.count(f'href="/agreements/{new.pk}/"') == 1
    assert f'href="/agreements/{old.pk}/"' not in register
    page = admin.get(f"/agreements/{old.pk}/").content.decode()
    assert "This is an earlier version" in page and "Renew this agreement" not in page
    history = admin.get(f"/agreements/{new.pk}/").content.decode()
    assert "Renewed (version 2)" in history and "Version 1" in history
    # the old version is read-only: no edit, no second renewal, no documents
    before = (old.title, old.expiry_date)
    assert admin.post(f"/agreements/{old.pk}/edit/",
                      _form_of(old, title="Rewritten")).status_code == 302
    assert admin.post(f"/agreements/{old.pk}/renew/", _renew_form()).status_code == 302
    old.refresh_from_db()
    assert (old.title, old.expiry_date) == before
    assert Agreement.objects.filter(series=old.series).count() == 2


def test_renewal_rejects_dates_that_do_not_make_sense(client_as) -> None:
    old = Agreement.objects.get(title=ISTV)
    admin = client_as("administrator")
    today = date.today()
    cases = {
        "The expiry date must be after the start date": _renew_form(
            expiry_date=(today - timedelta(days=400)).isoformat()),
        "The review date must be on or before the expiry date": _renew_form(
            review_date=(today + timedelta(days=500)).isoformat()),
        "The new expiry date must be in the future": _renew_form(
            start_date=(today - timedelta(days=20)).isoformat(),
            review_date=(today - timedelta(days=10)).isoformat(),
            expiry_date=(today - timedelta(days=1)).isoformat()),
        "cannot be before the current version": _renew_form(
            start_date=(old.start_date - timedelta(days=1)).isoformat()),
        "Enter the new expiry date": _renew_form(expiry_date=""),
        "Enter the new start date as a real date": _renew_form(start_date="2025-02-30"),
    }
    for message, form in cases.items():
        r = admin.post(f"/agreements/{old.pk}/renew/", form)
        assert r.status_code == 400, message
        assert b"govuk-error-summary" in r.content and message.encode() in r.content, message
    assert Agreement.objects.filter(series=old.series).count() == 1
    old.refresh_from_db()
    assert old.superseded_at is None


def test_partner_leads_renew_only_what_their_organisation_owns(client_as) -> None:
    lead = client_as("partner_lead")
    istv = Agreement.objects.get(title=ISTV)  # owned by the ICB, not the lead's council
    assert lead.get(f"/agreements/{istv.pk}/renew/").status_code == 403
    assert lead.post(f"/agreements/{istv.pk}/renew/", _renew_form()).status_code == 403
    assert Agreement.objects.filter(series=istv.series).count() == 1
    council = Organisation.objects.get(name="West Northamptonshire Council")
    ours = Agreement.objects.create(
        partnership=istv.partnership, title="Council ASB data", purpose="p",
        legal_basis="public_task", datasets=["education"],
        start_date=date.today() - timedelta(days=400), review_date=date.today(),
        expiry_date=date.today() - timedelta(days=2), owner=council,
        renewal_contact="asb@council.test")
    ours.parties.set([council, istv.owner])
    assert lead.get(f"/agreements/{ours.pk}/renew/").status_code == 200
    assert lead.post(f"/agreements/{ours.pk}/renew/", _renew_form()).status_code == 302
    assert Agreement.objects.get(series=ours.series, superseded_at=None).version == 2
    for role in ("analyst", "board_viewer", "moderator"):
        assert client_as(role).get(f"/agreements/{ours.pk}/renew/").status_code == 403


def test_register_flags_review_due_within_60_days_and_expired(client_as) -> None:
    core = Agreement.objects.get(title=CORE)
    admin = client_as("administrator")
    page = admin.get("/agreements/").content.decode()
    # demo: the core agreement's review is 65 days away, the ISTV one has expired
    assert "govuk-tag--green\">In force" in page and "govuk-tag--red\">Expired" in page
    assert "1 agreement has expired" in page and "is due for review" not in page
    Agreement.objects.filter(pk=core.pk).update(review_date=date.today() + timedelta(days=60))
    page = admin.get("/agreements/").content.decode()
    assert "Review due in 60 days" in page and "1 agreement is due for review" in page
    Agreement.objects.filter(pk=core.pk).update(review_date=date.today() - timedelta(days=1))
    assert "Review overdue" in admin.get("/agreements/").content.decode()


def test_dashboard_counts_agreements_needing_attention_for_administrators(client_as) -> None:
    from alliance.web.partnerships.services import attention

    partnership = Partnership.objects.get()
    assert attention(partnership) == attention(partnership, today=date.today())
    assert (attention(partnership).expired, attention(partnership).review_due) == (1, 0)
    assert attention(partnership, today=date.today() + timedelta(days=6)).review_due == 1
    page = " ".join(client_as("administrator").get("/dashboard/").content.decode().split())
    assert "1 agreement needs attention: 1 expired." in page
    for role in ("analyst", "partner_lead", "board_viewer", "moderator"):
        assert "needs attention" not in client_as(role).get("/dashboard/").content.decode()


def test_the_blocked_page_links_to_the_renew_form_for_those_who_may_renew(
        client_as) -> None:
    core = Agreement.objects.get(title=CORE)
    Agreement.objects.filter(pk=core.pk).update(expiry_date=date.today() - timedelta(days=1))
    link = f'href="/agreements/{core.pk}/renew/"'
    admin_page = client_as("administrator").get("/sna/").content.decode()
    assert "cannot be used in new outputs" in admin_page and link in admin_page
    analyst_page = client_as("analyst").get("/sna/").content.decode()
    assert "Northamptonshire Police can renew it" in analyst_page and link not in analyst_page


def test_register_and_history_pages_use_a_fixed_number_of_queries(client_as) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.web.partnerships import services

    admin = client_as("administrator")
    core = Agreement.objects.get(title=CORE)
    user = core.partnership.members.get(role="administrator").user

    def counts() -> tuple[int, int]:
        sizes = []
        for url in ("/agreements/", f"/agreements/{current.pk}/"):
            with CaptureQueriesContext(connection) as queries:
                assert admin.get(url).status_code == 200
            sizes.append(len(queries))
        return sizes[0], sizes[1]

    current = core
    counts()  # the first page after signing in writes the time the session was last seen
    few = counts()
    orgs = list(Organisation.objects.all())
    for n in range(15):  # more agreements, versions, changes and documents
        extra = Agreement.objects.create(
            partnership=core.partnership, title=f"Extra {n}", purpose="p",
            legal_basis="public_task", datasets=["fire"], start_date=date(2025, 1, 1),
            review_date=date(2025, 6, 1), expiry_date=date(2025, 12, 31), owner=orgs[0],
            renewal_contact="x@y.test")
        extra.parties.set(orgs[:2])
    for n in range(5):
        current = services.renew(current.pk, start_date=current.start_date,
                                 review_date=current.review_date,
                                 expiry_date=current.expiry_date + timedelta(days=1), by=user)
        services.edit(current.pk, {"purpose": f"purpose {n}"}, by=user)
        AgreementDocument.objects.create(agreement=current, kind="isa", name=f"{n}.pdf",
                                         content_type="application/pdf", content=b"%PDF-")
    assert counts() == few


def test_history_keeps_the_rows_of_one_change_together_in_form_order(client_as) -> None:
    from alliance.web.partnerships import services

    istv = Agreement.objects.get(title=ISTV)
    new = services.renew(istv.pk, start_date=date.today(),
                         review_date=date.today() + timedelta(days=30),
                         expiry_date=date.today() + timedelta(days=300), by=None)
    services.edit(new.pk, {"purpose": "Changed"}, by=None)
    rows = [(c.kind, c.field) for c in services.history(new).changes]
    assert rows == [("edit", "Purpose"), ("renewal", "Version"), ("renewal", "Start date"),
                    ("renewal", "Review date"), ("renewal", "Expiry date")]
