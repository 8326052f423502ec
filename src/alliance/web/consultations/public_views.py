"""Public pages (no account): the front door, a consultation, its results, the privacy notice,
the partnership's logo, and styled "not found" and "closed" pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from alliance.web.consultations import services
from alliance.web.consultations.models import Consultation, Module


def page(request: HttpRequest, template: str, status: int = 200,
         **context: Any) -> HttpResponse:
    """Render a public page with who is asking (name, contact, privacy, help) around it."""
    return render(request, template, {"profile": services.profile(), **context}, status=status)


def front_door(request: HttpRequest) -> HttpResponse:
    open_now, closed = services.public_consultations()
    return page(request, "have_your_say/index.html", open_now=open_now, closed=closed)


def privacy(request: HttpRequest) -> HttpResponse:
    return page(request, "have_your_say/privacy.html")


def logo(request: HttpRequest) -> HttpResponse:
    profile = services.profile()
    if profile is None or not profile.logo:
        raise Http404("no logo")
    response = HttpResponse(bytes(profile.logo), content_type=profile.logo_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _public(slug: str) -> Consultation:
    consultation = get_object_or_404(Consultation, slug=slug)
    if not consultation.is_public:
        raise Http404("not published")
    return consultation


def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    found = _public(slug)
    modules = list(found.modules.select_related("survey", "conversation"))
    return page(request, "have_your_say/consultation.html", consultation=found,
                modules=modules, Kind=Module.Kind)


def results(request: HttpRequest, slug: str) -> HttpResponse:
    from alliance.web.surveys.public_results import consultation_results

    found = _public(slug)
    if found.current_phase() != Consultation.Phase.PUBLISHED:
        return page(request, "have_your_say/not_yet.html", consultation=found)
    return page(request, "have_your_say/results.html", consultation=found,
                findings=services.findings(found), **consultation_results(found))


def closed(request: HttpRequest, consultation: Consultation | None) -> HttpResponse:
    """410 Gone: this has closed; here are its results (or when they will come)."""
    return page(request, "have_your_say/closed.html", status=410, consultation=consultation)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The styled 404 of every page (set as the site's handler404)."""
    public = request.path.startswith("/have-your-say/") or not request.user.is_authenticated
    template = "have_your_say/404.html" if public else "have_your_say/404_workspace.html"
    return page(request, template, status=404,
                title=_("Page not found"))
