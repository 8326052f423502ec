"""The data-sharing agreements register: everyone reads it; administrators add and edit
entries; administrators and the owner's partner lead renew them and attach documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from alliance import clock
from alliance.web.accounts.permissions import forbidden, requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.partnerships import services
from alliance.web.partnerships.documents import MAX_DOCUMENT_BYTES
from alliance.web.partnerships.forms import (
    AgreementForm,
    DocumentForm,
    EditAgreementForm,
    RenewForm,
)
from alliance.web.partnerships.models import Agreement, AgreementDocument

#: room for the multipart envelope and the other fields around the document
MULTIPART_SLACK = 256 * 1024


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(Agreement.objects.select_related("owner"), pk=pk,
                             partnership=request.user.membership.partnership)


def _too_large(request: HttpRequest) -> bool:
    """Judge a multipart body by its declared size before Django reads (and spools) it."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    return request.method == "POST" and declared > MAX_DOCUMENT_BYTES + MULTIPART_SLACK


def _refuse_large(request: HttpRequest, form: Any, template: str,
                  context: dict[str, Any]) -> HttpResponse:
    form.is_valid()  # an unbound form: no errors, nothing cleaned
    form.errors["document"] = form.error_class([
        f"The upload is larger than the {MAX_DOCUMENT_BYTES // 2**20} MB limit for a "
        "document. Nothing was saved."])
    return render(request, template, {**context, "form": form}, status=400)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if context["form"].errors else 200)


def _back(request: HttpRequest, pk: int, error: str) -> HttpResponse:
    """To the agreement's page, saying why the change was not made."""
    messages.error(request, error)
    return redirect("partnerships:detail", pk=pk)


@requires("view_agreements")
def agreements(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    today = clock.today()
    rows = list(Agreement.objects.filter(partnership=partnership, superseded_at=None)
                .select_related("owner"))
    for a in rows:
        a.state, a.colour = a.status(today)
    return render(request, "partnerships/agreements.html",
                  {"agreements": rows, "today": today,
                   "attention": services.attention(partnership, today=today)})


@requires("view_agreements")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    past = services.history(agreement)
    agreement.state, agreement.colour = agreement.status()
    return render(request, "partnerships/agreement_detail.html", {
        "agreement": agreement, "history": past,
        "may_edit": agreement.is_current and can(request.user, "manage_agreements"),
        "may_renew": services.may_renew(request.user, agreement),
        "may_download": services.may_download(request.user, agreement)})


@requires("manage_agreements")
def add_agreement(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    template, context = "partnerships/agreement_form.html", {"heading":
                                                            "Add a data-sharing agreement"}
    if _too_large(request):
        return _refuse_large(request, AgreementForm(partnership), template, context)
    form = AgreementForm(partnership, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        agreement = services.create(partnership, form.cleaned_data, by=request.user,
                                    document=form.checked_document,
                                    document_kind=form.cleaned_data.get("document_kind", ""))
        record(request, "agreement_change", target=agreement.title, created=True,
               agreement=agreement.pk)
        messages.success(request, f"Added \u201c{agreement.title}\u201d.")
        return redirect("partnerships:detail", pk=agreement.pk)
    return _form_page(request, template, {**context, "form": form})


@requires("manage_agreements")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not agreement.is_current:
        return _back(request, pk, "Earlier versions are kept as they were and cannot be edited.")
    # a second copy for the form: validating writes the posted values into its instance, and
    # the heading and the audit record name the agreement as saved
    form = EditAgreementForm(request.user.membership.partnership, request.POST or None,
                             instance=Agreement.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.edit(pk, form.cleaned_data, by=request.user)
        except services.AgreementError as exc:
            return _back(request, pk, str(exc))
        if changes:
            record(request, "agreement_change", target=agreement.title, agreement=pk,
                   changes=[{"field": c.field, "old": c.old[:200], "new": c.new[:200]}
                            for c in changes])
            messages.success(request, f"Saved {len(changes)} change"
                                      f"{'s' if len(changes) != 1 else ''} to the agreement.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("partnerships:detail", pk=pk)
    return _form_page(request, "partnerships/agreement_form.html",
                      {"form": form, "agreement": agreement,
                       "heading": f"Edit \u201c{agreement.title}\u201d"})


@requires("renew_agreements")
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not services.may_renew_owned_by(request.user, agreement.owner_id):
        return forbidden(request, "renew_agreements")
    if not agreement.is_current:
        return _back(request, pk, "This version was already renewed; see the current version.")
    template, context = "partnerships/renew_form.html", {"agreement": agreement}
    if _too_large(request):
        return _refuse_large(request, RenewForm(agreement), template, context)
    form = RenewForm(agreement, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new = services.renew(pk, start_date=d["start_date"], review_date=d["review_date"],
                                 expiry_date=d["expiry_date"], by=request.user,
                                 document=form.checked_document,
                                 document_kind=d["document_kind"])
        except services.AgreementError as exc:
            return _back(request, pk, str(exc))
        record(request, "agreement_change", target=new.title, renewed=True,
               agreement=new.pk, previous=pk, version=new.version,
               expiry=new.expiry_date.isoformat())
        messages.success(request, f"Renewed \u201c{new.title}\u201d as version {new.version}, "
                                  f"in force until {new.expiry_date:%d %B %Y}. Its datasets "
                                  "can be used in new outputs again.")
        return redirect("partnerships:detail", pk=new.pk)
    return _form_page(request, template, {**context, "form": form})


@requires("renew_agreements")
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not services.may_renew(request.user, agreement):
        if not agreement.is_current:
            return _back(request, pk, "Attach documents to the current version.")
        return forbidden(request, "renew_agreements")
    template, context = "partnerships/document_form.html", {"agreement": agreement}
    if _too_large(request):
        return _refuse_large(request, DocumentForm(), template, context)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.checked_document is not None:
        try:
            doc = services.attach(pk, form.cleaned_data["document_kind"],
                                  form.checked_document, by=request.user)
        except services.AgreementError as exc:
            return _back(request, pk, str(exc))
        record(request, "agreement_change", target=agreement.title, agreement=pk,
               document=doc.pk, kind=doc.kind, version=doc.version, sha256=doc.sha256)
        messages.success(request, f"Added {doc.get_kind_display()} version {doc.version}.")
        return redirect("partnerships:detail", pk=pk)
    return _form_page(request, template, {**context, "form": form})


@requires("view_agreements")
def document(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = request.user.membership.partnership
    doc = get_object_or_404(AgreementDocument.objects.select_related("agreement"), pk=pk,
                            agreement__partnership=partnership)
    if not services.may_download(request.user, doc.agreement):
        return forbidden(request, "view_agreements")
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["Content-Disposition"] = content_disposition_header(True, doc.name)
    response["Cache-Control"] = "private, no-store"
    record(request, "export", target=f"agreement document {doc.pk} ({doc.name})",
           agreement=doc.agreement_id, version=doc.version)
    return response
