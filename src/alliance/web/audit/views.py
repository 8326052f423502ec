"""Administrators read, filter and export the audit trail (the export is itself audited)."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alliance.privacy.csv_output import rows_writer
from alliance.web.accounts.permissions import requires
from alliance.web.audit.models import AuditEvent
from alliance.web.audit.services import record


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "Any action"), *AuditEvent.Action.choices])
    actor = forms.CharField(label="Person (email contains)", required=False, max_length=254)
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def filtered(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["actor"]:
        events = events.filter(actor_email__icontains=data["actor"])
    if data["date_from"]:
        events = events.filter(at__gte=_aware(data["date_from"], time.min))
    if data["date_to"]:
        events = events.filter(at__lte=_aware(data["date_to"], time.max))
    return events


@requires("view_audit")
def events(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if not request.GET:
        form = AuditFilterForm({})
    page = Paginator(filtered(form), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/events.html",
                  {"form": form, "page": page, "query": query.urlencode()})


@requires("view_audit")
def export(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or {})
    rows = filtered(form).values_list("at", "actor_email", "action", "target", "ip", "detail")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alliance-audit.csv"'
    writer = rows_writer(response)
    writer.writerow(["at", "person", "action", "target", "ip", "detail"])
    for at, actor, action, target, ip, detail in rows.iterator():
        writer.writerow([at.isoformat(), actor, action, target, ip or "", detail])
    record(request, "export", target="audit trail", filters=request.GET.urlencode())
    return response
