"""Pages where the partnership writes its own words for the SNA: the executive summary, key
findings and recommendations, each resting on a finding, table or figure of the latest build,
with owner, measure and baseline for a recommendation, an edit history, and a flag when the
numbers it rests on have changed since it was written.

Views call :mod:`alliance.web.reports.texts`; the SNA build places the texts
(:mod:`alliance.report.sna.summary`, :mod:`alliance.report.sna.recommend`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.dashboards.views import area_choices
from alliance.web.reports import texts
from alliance.web.reports.forms import SnaTextForm
from alliance.web.reports.models import SnaText

#: what each kind is called on the pages
NAMES = {"summary": "the executive summary", "finding": "a key finding",
         "recommendation": "a recommendation"}


def _areas(partnership: Any) -> list[tuple[str, str]]:
    areas = area_choices(partnership.area_code)
    return areas or [(partnership.area_code, partnership.name)]


def _area(request: HttpRequest, partnership: Any) -> tuple[str, str]:
    """The area asked for (``?area=``), if it is one of the partnership's, else its own."""
    areas = dict(_areas(partnership))
    code = request.POST.get("area") or request.GET.get("area") or partnership.area_code
    if code not in areas:
        code = partnership.area_code
    return code, areas.get(code, code)


def _list_url(area: str) -> str:
    return f"{reverse('reports:texts')}?area={area}"


def _items(entries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """What a text may rest on, each with its words, where it is and its baseline."""
    out: list[dict[str, Any]] = []
    for c in texts.citable(entries):
        e = c.entry
        if c.kind == "finding":
            label = str(e.get("plain") or e.get("text", ""))
        else:
            label = f"{e.get('label', '')}: {e.get('caption', '')}".strip(": ")
        hint = f"{e.get('section_title') or ''}. Baseline: {c.baseline}".lstrip(". ")
        out.append({"id": c.id, "kind": c.kind, "label": label, "hint": hint})
    return out


@requires("view_dashboard")
def texts_page(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    area, area_name = _area(request, partnership)
    build = texts.latest_build(area)
    entries = texts.entries_of(build)
    items = texts.texts_for(partnership, area)
    status = texts.statuses(items, entries)
    for t in items:  # for the template: each text with its state in the latest build
        t.state = status.get(t.pk)
    removed = SnaText.objects.filter(partnership=partnership, area_code=area,
                                     removed_at__isnull=False).order_by("-removed_at")
    return render(request, "reports/texts.html", {
        "area": area, "area_name": area_name, "areas": _areas(partnership), "build": build,
        "summary": [t for t in items if t.kind == "summary"],
        "findings": [t for t in items if t.kind == "finding"],
        "recommendations": [t for t in items if t.kind == "recommendation"],
        "removed": removed, "may_write": can(request.user, "write_sna")})


def _form_page(request: HttpRequest, *, kind: str, item: SnaText | None) -> HttpResponse:
    partnership = request.user.membership.partnership
    area, area_name = (item.area_code, item.area_name) if item is not None \
        else _area(request, partnership)
    build = texts.latest_build(area)
    entries = texts.entries_of(build)
    choices = _items(entries)
    findings = [c for c in choices if c["kind"] == "finding"]
    others = [c for c in choices if c["kind"] != "finding"]
    initial: dict[str, Any] = {}
    if item is not None:
        on_finding = item.cites in {c["id"] for c in findings}
        initial = {"text": item.text, "owner": item.owner_id, "measure": item.measure,
                   "cites": item.cites if on_finding else SnaTextForm.OTHER,
                   "item": "" if on_finding else item.cites}
    form = SnaTextForm(request.POST or None, initial=initial, kind=kind,
                       findings=[(c["id"], c["label"]) for c in findings],
                       items=[(c["id"], c["label"]) for c in others],
                       organisations=partnership.organisations.all(),
                       editing=item is not None)
    if request.method == "POST" and build is not None and form.is_valid():
        data = form.cleaned_data
        try:
            saved = texts.save(partnership=partnership, user=request.user, request=request,
                               kind=kind, area_code=area, area_name=area_name,
                               text=data["text"], cites=data.get("cites") or "",
                               owner=data.get("owner"), measure=data.get("measure") or "",
                               reset_baseline=bool(data.get("reset_baseline")), instance=item)
        except texts.TextRefused as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(request, f"Saved {saved.get_kind_display().lower()}. It appears "
                                      "in the next SNA build of this area.")
            return redirect(_list_url(area))
    flag = texts.statuses([item], entries).get(item.pk) if item is not None else None
    heading = (f"Edit {NAMES[kind]}" if item is not None else
               f"Write {NAMES[kind]}" if kind != "summary" else "Write the executive summary")
    return render(request, "reports/text_form.html", {
        "form": form, "kind": kind, "item": item, "area": area, "area_name": area_name,
        "build": build, "findings": findings, "flag": flag,
        "heading": heading[0].upper() + heading[1:]},
        status=400 if form.errors else 200)


@requires("write_sna")
def add_text(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in SnaText.Kind.values:
        raise Http404("no such kind of text")
    partnership = request.user.membership.partnership
    if kind == "summary":
        area, _ = _area(request, partnership)
        existing = SnaText.objects.filter(partnership=partnership, area_code=area, kind=kind,
                                          removed_at__isnull=True).first()
        if existing is not None:
            return redirect("reports:edit_text", existing.pk)
    return _form_page(request, kind=kind, item=None)


def _text(request: HttpRequest, pk: int, *, removed: bool = False) -> SnaText:
    found = SnaText.objects.filter(pk=pk, partnership=request.user.membership.partnership)
    if not removed:
        found = found.filter(removed_at__isnull=True)
    return get_object_or_404(found.select_related("owner"))


@requires("write_sna")
def edit_text(request: HttpRequest, pk: int) -> HttpResponse:
    item = _text(request, pk)
    return _form_page(request, kind=item.kind, item=item)


@requires("view_dashboard")
def text_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _text(request, pk, removed=True)
    return render(request, "reports/text_history.html",
                  {"item": item, "versions": item.versions.all(),
                   "back": _list_url(item.area_code)})


@requires("write_sna")
def remove_text(request: HttpRequest, pk: int) -> HttpResponse:
    item = _text(request, pk)
    if request.method == "POST":
        texts.remove(item, user=request.user, request=request)
        messages.success(request, f"Removed {item.get_kind_display().lower()} from the report. "
                                  "It and its history are kept.")
        return redirect(_list_url(item.area_code))
    return render(request, "reports/text_remove.html",
                  {"item": item, "back": _list_url(item.area_code)})
