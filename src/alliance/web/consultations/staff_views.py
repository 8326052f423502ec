"""Staff pages: build consultations (details, phases, modules, findings) and who is asking."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.voice.surveys import example_definition
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import record
from alliance.web.consultations import services
from alliance.web.consultations.forms import (
    ConsultationForm,
    FindingForm,
    ModuleForm,
    ProfileForm,
)
from alliance.web.consultations.models import Consultation, Finding, Module, PublicProfile
from alliance.web.surveys import services as survey_services
from alliance.web.surveys.models import Survey


def _mine(request: HttpRequest, pk: int) -> Consultation:
    return get_object_or_404(Consultation, pk=pk,
                             partnership=request.user.membership.partnership)


@requires("view_dashboard")
def consultation_list(request: HttpRequest) -> HttpResponse:
    found = Consultation.objects.filter(partnership=request.user.membership.partnership)
    return render(request, "consultations/list.html", {"consultations": found})


@requires("manage_consultations")
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = form.save(commit=False)
        consultation.partnership = request.user.membership.partnership
        consultation.created_by = request.user
        consultation.save()
        record(request, "consultation_changed", target=f"consultation {consultation.pk}",
               change="created")
        messages.success(request, "Consultation created. Add a survey or other ways to take "
                                  "part, then open it.")
        return redirect("consultations:detail", pk=consultation.pk)
    return render(request, "consultations/form.html", {"form": form, "heading":
                                                        "New consultation"})


@requires("manage_consultations")
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _mine(request, pk)
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, "consultation_changed", target=f"consultation {pk}", change="details")
        messages.success(request, "Saved.")
        return redirect("consultations:detail", pk=pk)
    module_form = ModuleForm()
    module_form.fields["conversation"].queryset = \
        request.user.membership.partnership.conversations.all()
    return render(request, "consultations/detail.html", {
        "consultation": consultation, "form": form, "module_form": module_form,
        "finding_form": FindingForm(), "phases": Consultation.Phase.choices,
        "modules": consultation.modules.select_related("survey", "conversation"),
        "findings": consultation.you_said.all()})


@requires("manage_consultations")
@require_POST
def set_phase(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _mine(request, pk)
    try:
        services.set_phase(consultation, request.POST.get("phase", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        record(request, "consultation_changed", target=f"consultation {pk}",
               change=f"phase {consultation.phase}")
        messages.success(request, f"The consultation is now: {consultation.get_phase_display()}.")
    return redirect("consultations:detail", pk=pk)


@requires("manage_consultations")
@require_POST
def add_module(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _mine(request, pk)
    form = ModuleForm(request.POST, request.FILES)
    form.fields["conversation"].queryset = consultation.partnership.conversations.all()
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("consultations:detail", pk=pk)
    module = form.save(commit=False)
    module.consultation = consultation
    module.position = consultation.modules.count()
    if module.kind in (Module.Kind.SURVEY, Module.Kind.MAP):
        upload = form.cleaned_data.get("definition")
        survey = Survey(partnership=consultation.partnership, title=module.title,
                        youth_mode=consultation.youth_friendly, created_by=request.user)
        try:
            if upload is None:
                content: bytes | dict[str, object] = example_definition()
                name = "feeling_safe.json"
            else:
                content, name = upload.read(), upload.name
            survey.save()
            survey_services.add_version(survey, content, filename=name, user=request.user)
        except survey_services.SurveyInputError as exc:
            if survey.pk:
                survey.delete()
            record(request, "upload_rejected", target=f"consultation {pk}", reason=str(exc))
            messages.error(request, str(exc))
            return redirect("consultations:detail", pk=pk)
        module.survey = survey
    module.save()
    record(request, "consultation_changed", target=f"consultation {pk}",
           change=f"added {module.kind} module")
    messages.success(request, f"Added: {module.title}.")
    return redirect("consultations:detail", pk=pk)


@requires("manage_consultations")
@require_http_methods(["GET", "POST"])
def finding(request: HttpRequest, pk: int, finding_pk: int | None = None) -> HttpResponse:
    consultation = _mine(request, pk)
    instance = (get_object_or_404(Finding, pk=finding_pk, consultation=consultation)
                if finding_pk else None)
    form = FindingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.consultation = consultation
        if instance is None:
            item.position = consultation.you_said.count()
        item.save()
        record(request, "consultation_changed", target=f"consultation {pk}",
               change="you said, we did")
        messages.success(request, "Saved: it shows on the results page once results are "
                                  "published.")
        return redirect("consultations:detail", pk=pk)
    return render(request, "consultations/form.html", {
        "form": form, "heading": "You said, we did", "consultation": consultation})


@requires("manage_public_pages")
@require_http_methods(["GET", "POST"])
def public_pages(request: HttpRequest) -> HttpResponse:
    profile, _created = PublicProfile.objects.get_or_create(
        partnership=request.user.membership.partnership)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        logo = form.cleaned_data.get("logo_file")
        if logo:
            saved.logo_type, saved.logo = logo
        saved.save()
        record(request, "consultation_changed", target="public pages", change="who is asking")
        messages.success(request, "Saved: every public page now shows these details.")
        return redirect("consultations:public-pages")
    return render(request, "consultations/form.html", {
        "form": form, "heading": "Public pages: who is asking", "multipart": True})
