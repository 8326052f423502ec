"""Public pages (no account), in English at /… and in Welsh at /cy/…"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from alliance.web.public.services import NotReady, area_page, the_partnership
from alliance.web.public.summary import NotPublished, public_summary


def _partnership_name() -> str:
    try:
        return the_partnership().name
    except NotReady:
        return ""


@require_GET
def our_area(request: HttpRequest) -> HttpResponse:
    """The area's violence by reporting year or month: figures, trend, maps and tables."""
    context: dict[str, object] = {"partnership": _partnership_name()}
    try:
        page = area_page(unit_code=request.GET.get("area", ""),
                         period_value=request.GET.get("period", ""))
    except NotReady as exc:
        context["problem"] = str(exc)
    else:
        context.update(page=page, map_svg=mark_safe(page.map_svg),
                       hotspot_svg=mark_safe(page.hotspot_svg))
    return render(request, "public/our_area.html", context)


@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The SNA's summary in plain English: the published build's own first sections."""
    context: dict[str, object] = {"partnership": _partnership_name()}
    try:
        found = public_summary(get_language() or "en")
    except NotPublished as exc:
        context.update(problem=str(exc), unpublished=True)
    except NotReady as exc:
        context["problem"] = str(exc)
    else:
        sections = []
        for s in found.document["sections"]:
            blocks = [{**b, "html": mark_safe(b.get("html", "")),
                       "svg": mark_safe(b.get("svg", "")), **_cells(b)} for b in s["blocks"]]
            sections.append({**s, "blocks": blocks})
        context.update(document=found.document, sections=sections, has_pdf=found.pdf is not None,
                       summary_lang=found.lang)
    return render(request, "public/summary.html", context)


def _cells(block: dict[str, Any]) -> dict[str, object]:
    """A table's cells and headers each with its language ('' for the page's, 'en' for
    English left in a Welsh summary: names and the partnership's own words)."""
    if "rows" not in block:
        return {}
    rows, langs = block["rows"], block.get("cell_lang") or [[""] * len(r) for r in block["rows"]]
    heads = block.get("column_lang") or [""] * len(block["columns"])
    return {"cells": [list(zip(r, lr, strict=True)) for r, lr in zip(rows, langs, strict=True)],
            "heads": list(zip(block["columns"], heads, strict=True))}


@require_GET
def summary_pdf(request: HttpRequest) -> FileResponse:
    try:
        found = public_summary(get_language() or "en")
    except NotReady as exc:
        raise Http404(str(exc)) from exc
    if found.pdf is None:
        raise Http404("no PDF of the summary")
    response = FileResponse(found.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="assessment-summary-{found.build.pk}'
        f'{"-cy" if found.lang == "cy" else ""}.pdf"')
    return response


#: when the accessibility statement was written and last reviewed (with the pages it covers)
STATEMENT_PREPARED = date(2026, 12, 7)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (GOV.UK's model for public sector bodies, filled in)."""
    return render(request, "public/accessibility.html", {
        "partnership": _partnership_name() or "Alliance",
        "contact": settings.ALLIANCE_PUBLIC_CONTACT,
        "prepared": formats.date_format(STATEMENT_PREPARED, "j F Y")})


@require_GET
def you_said(request: HttpRequest) -> HttpResponse:
    """You said, we did: consultations' published findings and what workshops became in the
    adopted strategy (:mod:`alliance.web.public.you_said`)."""
    from alliance.web.accounts.models import Partnership
    from alliance.web.public.you_said import from_consultations, from_strategy

    partnership = Partnership.objects.first()
    return render(request, "public/you_said.html", {
        "partnership": _partnership_name(),
        "consultations": from_consultations(partnership),
        "workshops": from_strategy(partnership)})
