"""Bad input on the agreement forms: a GOV.UK error summary that links to each field, and no
change to the register, its history or the audit trail."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.web.accounts.models import Organisation
from alliance.web.audit.models import AuditEvent
from alliance.web.partnerships.models import Agreement, AgreementChange, AgreementDocument

pytestmark = pytest.mark.django_db

CORE = "Serious Violence Duty core data-sharing agreement"


def _state() -> tuple[object, ...]:
    """Everything a bad form must leave alone."""
    return (list(Agreement.objects.order_by("pk").values()),
            sorted(Agreement.parties.through.objects.values_list("agreement_id",
                                                                  "organisation_id")),
            AgreementChange.objects.count(), AgreementDocument.objects.count(),
            AuditEvent.objects.filter(action="agreement_change").count())


def _add_form() -> dict[str, object]:
    orgs = list(Organisation.objects.values_list("pk", flat=True)[:2])
    return {"title": "Youth justice ISA", "parties": orgs, "purpose": "Share YJS cases",
            "legal_basis": "public_task", "datasets": ["youth_justice"],
            "start_date": "2025-01-01", "review_date": "2025-12-01",
            "expiry_date": "2026-12-31", "owner": orgs[0], "renewal_contact": "yjs@x.test"}


BAD = {
    "expiry before start": ({"expiry_date": "2024-12-31"},
                            "The expiry date must be after the start date"),
    "expiry on the start day": ({"expiry_date": "2025-01-01"},
                                "The expiry date must be after the start date"),
    "review before start": ({"review_date": "2024-06-01"},
                            "The review date must be on or after the start date"),
    "review after expiry": ({"review_date": "2027-06-01"},
                            "The review date must be on or before the expiry date"),
    "not a date": ({"start_date": "31/13/2025"}, "Enter the start date as a real date"),
    "missing parties": ({"parties": []},
                        "Select the organisations that are party to the agreement"),
    "one party": ({"parties": "first"}, "needs at least two parties"),
    "owner not a party": ({"parties": "without owner"}, "must be one of the parties"),
    "no datasets": ({"datasets": []}, "Select at least one dataset"),
    "unknown dataset": ({"datasets": ["everything"]}, "Select a valid choice"),
    "html in the title": ({"title": "<script>alert(1)</script>ISA"},
                          "The title must be plain text"),
    "html in the purpose": ({"purpose": "Share <img src=x onerror=alert(1)>"},
                            "The purpose must be plain text"),
    "control characters": ({"purpose": "Share\x07 cases"}, "cannot be stored"),
    "null character": ({"title": "ISA\x00"}, "Null characters are not allowed"),
    "bad e-mail": ({"renewal_contact": "not an address"},
                   "Enter the renewal contact as an e-mail address"),
    "missing title": ({"title": "  "}, "Enter the agreement&#x27;s title"),
}


def _apply(form: dict[str, object], changes: dict[str, object]) -> dict[str, object]:
    form = dict(form)
    parties = list(form["parties"])  # type: ignore[call-overload]
    for key, value in changes.items():
        if value == "first":
            value = parties[:1]
        elif value == "without owner":
            value = list(Organisation.objects.exclude(pk=form["owner"])
                         .values_list("pk", flat=True)[:2])
        form[key] = value
    return form


def _assert_refused(response, message: str) -> None:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert response.status_code == 400, message
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert message in page, (message, re.findall(r'error-message">(.*?)</p>', page))
    # every link in the summary goes to an element on the page
    for target in re.findall(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)[0] \
            .split('href="#')[1:]:
        assert f'id="{target.split(chr(34))[0]}"' in page, target
    assert "<script>alert(1)" not in page and "<img src=x" not in page


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_new_agreement_changes_nothing(client_as, case: str) -> None:
    admin = client_as("administrator")
    before = _state()
    changes, message = BAD[case]
    _assert_refused(admin.post("/agreements/add/", _apply(_add_form(), changes)), message)
    assert _state() == before


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_edit_changes_nothing(client_as, case: str) -> None:
    admin = client_as("administrator")
    core = Agreement.objects.get(title=CORE)
    form = _add_form() | {"title": core.title, "parties": [p.pk for p in core.parties.all()],
                          "owner": core.owner_id, "datasets": core.datasets}
    before = _state()
    changes, message = BAD[case]
    _assert_refused(admin.post(f"/agreements/{core.pk}/edit/", _apply(form, changes)),
                    message)
    assert _state() == before


def test_a_document_without_its_type_or_of_the_wrong_type_adds_nothing(client_as) -> None:
    admin = client_as("administrator")
    before = _state()
    form = _add_form() | {"document": SimpleUploadedFile("isa.pdf", b"%PDF-1.4 x\n%%EOF\n")}
    _assert_refused(admin.post("/agreements/add/", form),
                    "Select the type of document you are attaching")
    form = _add_form() | {"document_kind": "isa",
                          "document": SimpleUploadedFile("isa.docx", b"%PDF-1.4 x")}
    _assert_refused(admin.post("/agreements/add/", form), "is not a Word (DOCX) document")
    assert _state() == before


def test_a_good_new_agreement_is_recorded_from_its_first_version(client_as) -> None:
    admin = client_as("administrator")
    r = admin.post("/agreements/add/", _add_form() | {"title": "Probation caseload ISA"})
    assert r.status_code == 302
    agreement = Agreement.objects.get(title="Probation caseload ISA")
    assert r["Location"] == f"/agreements/{agreement.pk}/"
    created = AgreementChange.objects.get(agreement=agreement)
    assert created.kind == "created"
    assert created.new == "version 1, 1 January 2025 to 31 December 2026"
    assert agreement.version == 1 and agreement.is_current


def test_review_window_boundaries() -> None:
    today = date(2026, 1, 1)
    a = Agreement(start_date=today - timedelta(days=10), expiry_date=today + timedelta(days=400),
                  review_date=today + timedelta(days=61))
    assert a.status(today) == ("In force", "green")
    a.review_date = today + timedelta(days=60)
    assert a.status(today) == ("Review due in 60 days", "yellow")
    a.review_date = today + timedelta(days=1)
    assert a.status(today) == ("Review due in 1 day", "yellow")
    a.review_date = today
    assert a.status(today) == ("Review overdue", "orange")
    a.expiry_date = today  # in force to the end of its expiry day
    assert a.status(today)[0] == "Review overdue"
    a.expiry_date = today - timedelta(days=1)
    assert a.status(today) == ("Expired", "red")
