"""The data-sharing agreements register: everyone reads it, administrators add to it."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from alliance.web.accounts.models import Organisation
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import record
from alliance.web.partnerships.models import DATASETS, Agreement, AgreementDocument

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {".pdf": "application/pdf",
                  ".docx": ("application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document"),
                  ".odt": "application/vnd.oasis.opendocument.text"}


class AgreementForm(forms.ModelForm):
    datasets = forms.MultipleChoiceField(choices=list(DATASETS.items()),
                                         widget=forms.CheckboxSelectMultiple,
                                         label="Datasets covered")
    document_kind = forms.ChoiceField(choices=AgreementDocument.Kind.choices, required=False,
                                      label="Document type")
    document = forms.FileField(required=False, label="Attach a document (PDF, DOCX or ODT)")

    class Meta:
        model = Agreement
        fields = ("title", "parties", "purpose", "legal_basis", "datasets", "start_date",
                  "review_date", "expiry_date", "owner", "renewal_contact")
        widgets: ClassVar[dict[str, Any]] = {"parties": forms.CheckboxSelectMultiple,
                   "start_date": forms.DateInput(attrs={"type": "date"}),
                   "review_date": forms.DateInput(attrs={"type": "date"}),
                   "expiry_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, partnership: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(partnership=partnership)
        self.fields["parties"].queryset = orgs
        self.fields["owner"].queryset = orgs
        self.fields["owner"].label = "Organisation that can renew it"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, review, expiry = (data.get("start_date"), data.get("review_date"),
                                 data.get("expiry_date"))
        if start and expiry and expiry <= start:
            self.add_error("expiry_date", "The expiry date must be after the start date.")
        if start and review and not start <= review:
            self.add_error("review_date", "The review date must be on or after the start date.")
        doc = data.get("document")
        if doc is not None:
            suffix = "." + doc.name.rsplit(".", 1)[-1].lower() if "." in doc.name else ""
            if suffix not in DOCUMENT_TYPES:
                self.add_error("document", "The document must be a PDF, DOCX or ODT file.")
            elif doc.size > MAX_DOCUMENT_BYTES:
                self.add_error("document", "The document must be smaller than 10 MB.")
        return data


@requires("view_agreements")
def agreements(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    rows = (Agreement.objects.filter(partnership=partnership).select_related("owner")
            .prefetch_related("parties", "documents"))
    return render(request, "partnerships/agreements.html",
                  {"agreements": rows, "today": date.today()})


@requires("manage_agreements")
def add_agreement(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    form = AgreementForm(partnership, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            agreement = form.save(commit=False)
            agreement.partnership = partnership
            agreement.save()
            form.save_m2m()
            doc = form.cleaned_data.get("document")
            if doc is not None:
                suffix = "." + doc.name.rsplit(".", 1)[-1].lower()
                AgreementDocument.objects.create(
                    agreement=agreement, kind=form.cleaned_data["document_kind"] or "other",
                    name=doc.name[:200], content_type=DOCUMENT_TYPES[suffix], content=doc.read())
        record(request, "agreement_change", target=agreement.title, created=True)
        messages.success(request, f"Added \u201c{agreement.title}\u201d.")
        return redirect("partnerships:agreements")
    return render(request, "partnerships/agreement_form.html", {"form": form},
                  status=400 if form.errors else 200)


@requires("view_agreements")
def document(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = request.user.membership.partnership
    doc = get_object_or_404(AgreementDocument, pk=pk, agreement__partnership=partnership)
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}"'
    record(request, "export", target=f"agreement document {doc.pk} ({doc.name})")
    return response
