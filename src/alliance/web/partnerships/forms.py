"""Forms of the agreements register. Every rule about dates, parties and documents is checked
here, so a form with any error changes nothing."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django import forms

from alliance import clock
from alliance.web.accounts.models import Organisation, Partnership
from alliance.web.partnerships.documents import (
    MAX_DOCUMENT_BYTES,
    CheckedDocument,
    DocumentRejected,
    check_document,
)
from alliance.web.partnerships.models import DATASETS, Agreement, AgreementDocument

#: mark-up or control characters have no place in a register entry; refusing them keeps
#: exports and e-mails built from the register safe as well as the pages
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = {"type": "date"}
_DOCUMENT_HELP = (f"PDF, DOCX or ODT, smaller than {MAX_DOCUMENT_BYTES // 2**20} MB. "
                  "Earlier versions are kept.")


def plain_text(label: str, value: str) -> str:
    if _HTML.search(value):
        raise forms.ValidationError(f"{label} must be plain text: remove the < and > mark-up.")
    if _CONTROL.search(value):
        raise forms.ValidationError(f"{label} contains characters that cannot be stored.")
    return value.strip()


def check_dates(form: forms.Form, start: date | None, review: date | None,
                expiry: date | None) -> None:
    if start and expiry and expiry <= start:
        form.add_error("expiry_date", "The expiry date must be after the start date.")
    if start and review and review < start:
        form.add_error("review_date", "The review date must be on or after the start date.")
    if review and expiry and review > expiry:
        form.add_error("review_date", "The review date must be on or before the expiry date.")


class DocumentFieldsMixin:
    """An optional document: cleaned into ``checked_document`` (a CheckedDocument or None)."""

    checked_document: CheckedDocument | None = None

    def clean_document(self) -> Any:
        doc = self.cleaned_data.get("document")  # type: ignore[attr-defined]
        self.checked_document = None
        if doc is None:
            return doc
        if doc.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(f"The document must be smaller than "
                                        f"{MAX_DOCUMENT_BYTES // 2**20} MB.")
        try:
            self.checked_document = check_document(doc.name, doc.read())
        except DocumentRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return doc


class AgreementForm(DocumentFieldsMixin, forms.ModelForm):
    datasets = forms.MultipleChoiceField(
        choices=list(DATASETS.items()), widget=forms.CheckboxSelectMultiple,
        label="Datasets covered",
        error_messages={"required": "Select at least one dataset the agreement covers."})
    document_kind = forms.ChoiceField(choices=AgreementDocument.Kind.choices, required=False,
                                      label="Document type")
    document = forms.FileField(required=False, label="Attach a document",
                               help_text=_DOCUMENT_HELP)

    class Meta:
        model = Agreement
        fields = ("title", "parties", "purpose", "legal_basis", "datasets", "start_date",
                  "review_date", "expiry_date", "owner", "renewal_contact", "retention_months")
        widgets: ClassVar[dict[str, Any]] = {
            "parties": forms.CheckboxSelectMultiple, "start_date": forms.DateInput(_DATE),
            "review_date": forms.DateInput(_DATE), "expiry_date": forms.DateInput(_DATE)}
        error_messages: ClassVar[dict[str, Any]] = {
            "title": {"required": "Enter the agreement's title."},
            "parties": {"required": "Select the organisations that are party to the agreement."},
            "purpose": {"required": "Enter the purpose of the sharing."},
            "legal_basis": {"required": "Select the legal basis."},
            "start_date": {"required": "Enter the start date.",
                           "invalid": "Enter the start date as a real date."},
            "review_date": {"required": "Enter the review date.",
                            "invalid": "Enter the review date as a real date."},
            "expiry_date": {"required": "Enter the expiry date.",
                            "invalid": "Enter the expiry date as a real date."},
            "owner": {"required": "Select the organisation that can renew it."},
            "renewal_contact": {"required": "Enter the e-mail address to ask for renewal.",
                                "invalid": "Enter the renewal contact as an e-mail address, "
                                           "like name@example.org."},
        }

    def __init__(self, partnership: Partnership, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(partnership=partnership)
        self.fields["parties"].queryset = orgs
        self.fields["owner"].queryset = orgs
        self.fields["owner"].label = "Organisation that can renew it"
        self.fields["renewal_contact"].label = "Renewal contact (e-mail)"

    def clean_title(self) -> str:
        return plain_text("The title", self.cleaned_data["title"])

    def clean_purpose(self) -> str:
        return plain_text("The purpose", self.cleaned_data["purpose"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_dates(self, data.get("start_date"), data.get("review_date"),
                    data.get("expiry_date"))
        parties, owner = data.get("parties"), data.get("owner")
        if parties is not None and len(parties) < 2:
            self.add_error("parties", "A data-sharing agreement needs at least two parties.")
        if parties is not None and owner is not None and owner not in parties:
            self.add_error("owner", "The organisation that can renew it must be one of the "
                                    "parties.")
        if data.get("document") is not None and not data.get("document_kind"):
            self.add_error("document_kind", "Select the type of document you are attaching.")
        return data


class EditAgreementForm(AgreementForm):
    """The register entry of one current version; documents are added on their own page."""

    #: an expired agreement keeps the dates and datasets it was signed with: renew it instead
    LOCKED_WHEN_EXPIRED = ("start_date", "review_date", "expiry_date", "datasets")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["document"], self.fields["document_kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk and self.instance.is_expired():
            for name in self.LOCKED_WHEN_EXPIRED:
                if name in self.changed_data:
                    self.add_error(name, "This agreement has expired, so its dates and "
                                         "datasets cannot be changed: renew it instead.")
        return data


class RenewForm(DocumentFieldsMixin, forms.Form):
    start_date = forms.DateField(label="New start date", widget=forms.DateInput(_DATE),
                                 error_messages={"required": "Enter the new start date.",
                                                 "invalid": "Enter the new start date as a "
                                                            "real date."})
    review_date = forms.DateField(label="New review date", widget=forms.DateInput(_DATE),
                                  error_messages={"required": "Enter the new review date.",
                                                  "invalid": "Enter the new review date as a "
                                                             "real date."})
    expiry_date = forms.DateField(label="New expiry date", widget=forms.DateInput(_DATE),
                                  error_messages={"required": "Enter the new expiry date.",
                                                  "invalid": "Enter the new expiry date as a "
                                                             "real date."})
    document_kind = forms.ChoiceField(choices=AgreementDocument.Kind.choices,
                                      initial=AgreementDocument.Kind.ISA,
                                      label="Document type")
    document = forms.FileField(required=False, label="The signed agreement (optional)",
                               help_text=_DOCUMENT_HELP)

    def __init__(self, agreement: Agreement, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, review, expiry = (data.get("start_date"), data.get("review_date"),
                                 data.get("expiry_date"))
        check_dates(self, start, review, expiry)
        old = self.agreement
        if start and start < old.start_date:
            self.add_error("start_date", f"The new start date cannot be before the current "
                                         f"version's start, {old.start_date:%d %B %Y}.")
        if expiry and expiry <= old.expiry_date:
            self.add_error("expiry_date", f"The new expiry date must be after the current "
                                          f"one, {old.expiry_date:%d %B %Y}.")
        elif expiry and expiry <= clock.today():
            self.add_error("expiry_date", "The new expiry date must be in the future.")
        return data


class DocumentForm(DocumentFieldsMixin, forms.Form):
    document_kind = forms.ChoiceField(choices=AgreementDocument.Kind.choices,
                                      label="Document type",
                                      error_messages={"required": "Select the document type."})
    document = forms.FileField(label="Document", help_text=_DOCUMENT_HELP,
                               error_messages={"required": "Choose a document to upload."})
