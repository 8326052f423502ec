"""Answering a survey (no account): consent by age, one page at a time, check and send.

The answers so far travel in a signed hidden field (:mod:`alliance.web.surveys.flow`); the
database is written once, when the answers are sent.
"""

from __future__ import annotations

import time
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.voice.surveys import AnswerError, Question, clean_answer
from alliance.web.accounts.network import client_address
from alliance.web.consultations import public_views
from alliance.web.consultations.models import Consultation, Module
from alliance.web.pool.publication import NoFigures
from alliance.web.surveys import flow, places, services
from alliance.web.surveys.models import Response, Survey
from alliance.web.surveys.present import answer_rows, language_of, question_context

YOUTH_AGES = {"under_13", "13_15"}


#: seconds a process keeps a survey and its consultation (a phase change shows within this;
#: the closing date itself is checked on every request)
SURVEY_SECONDS = 5.0
_recent: dict[str, tuple[float, Survey, Consultation]] = {}


def _survey(slug: str) -> tuple[Survey, Consultation]:
    """The survey and its consultation, kept a few seconds (the send path is the hot one)."""
    now = time.monotonic()
    hit = _recent.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1], hit[2]
    survey, consultation = _load_survey(slug)
    if len(_recent) > 512:
        _recent.clear()
    _recent[slug] = (now + SURVEY_SECONDS, survey, consultation)
    return survey, consultation


def _load_survey(slug: str) -> tuple[Survey, Consultation]:
    module = (Module.objects.select_related("consultation", "survey__current",
                                            "survey__partnership")
              .filter(survey__slug=slug).order_by("pk").first())
    if module is None or module.survey is None:
        raise Http404("no such survey")
    survey, consultation = module.survey, module.consultation
    if not consultation.is_public or survey.current is None:
        raise Http404("no such survey")
    return survey, consultation


def _render(request: HttpRequest, template: str, survey: Survey, consultation: Consultation,
            *, status: int = 200, **context: Any) -> HttpResponse:
    age = context.get("state").age if context.get("state") else ""  # type: ignore[union-attr]
    youth = survey.youth_mode or age in YOUTH_AGES
    return public_views.page(request, template, status=status, survey=survey,
                             consultation=consultation, youth=youth,
                             definition=survey.current.parsed(),
                             **context)


def _refused(request: HttpRequest, survey: Survey, consultation: Consultation,
             reason: str) -> HttpResponse:
    return _render(request, "surveys/public/refused.html", survey, consultation,
                   status=400, reason=reason)


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Who is asking, the privacy notice for your age, and agreeing to take part."""
    survey, consultation = _survey(slug)
    if not consultation.is_open:
        return public_views.closed(request, consultation)
    errors: dict[str, str] = {}
    age = request.POST.get("age", "") if request.method == "POST" else ""
    if request.method == "POST":
        if age not in {a for a, _label in Response.AgeGroup.choices} or "age" not in request.POST:
            errors["age"] = _("Choose your age group, or 'Prefer not to say'")
        if not request.POST.get("consent"):
            errors["consent"] = _("Tick the box to say you want to take part")
        if age == "under_13" and not request.POST.get("parent"):
            errors["parent"] = _("A parent or carer must agree before you take part. Ask "
                                 "them to read this page with you")
        if not errors:
            assert survey.current is not None
            state = flow.State(survey=survey.pk, version=survey.current.pk,
                               key=services.new_submission_key(), age=age)
            state.page = flow.next_page(survey.current.parsed(),
                                        flow.State(**{**state.__dict__, "page": -1}))
            return _show_page(request, survey, consultation, state)
    return _render(request, "surveys/public/start.html", survey, consultation,
                   status=400 if errors else 200, errors=errors, age=age,
                   ages=Response.AgeGroup.choices)


def _show_page(request: HttpRequest, survey: Survey, consultation: Consultation,
               state: flow.State, *, errors: dict[str, str] | None = None,
               raw: dict[str, list[str]] | None = None, status: int = 200) -> HttpResponse:
    definition = survey.current.parsed()
    pages = flow.visible_pages(definition, state.answers, state.age)
    if state.page == flow.CHECK:
        return _render(request, "surveys/public/check.html", survey, consultation,
                       state=state, token=flow.pack(state), status=status,
                       rows=answer_rows(definition, state.answers, pages, age=state.age,
                                        youth=survey.youth_mode or state.age in YOUTH_AGES,
                                        language=language_of(definition, get_language())))
    questions = [q for q in definition.pages()[state.page]
                 if flow.page_shows((q,), state.answers, state.age)]
    youth = survey.youth_mode or state.age in YOUTH_AGES
    try:
        area = places.area_places(survey.partnership.area_code)
    except NoFigures:
        area = None
    shown = [question_context(q, survey, state, area, errors or {}, raw or {}, youth=youth,
                              language=language_of(definition, get_language()))
             for q in questions]
    number = pages.index(state.page) + 1 if state.page in pages else 1
    return _render(request, "surveys/public/page.html", survey, consultation, state=state,
                   token=flow.pack(state), questions=shown, errors=errors or {},
                   number=number, of=len(pages), status=status,
                   back=flow.previous_page(definition, state) is not None)


def _raw(request: HttpRequest) -> dict[str, list[str]]:
    return {k: request.POST.getlist(k) for k in request.POST
            if k not in ("csrfmiddlewaretoken", "state", "go")}


@require_POST
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    survey, consultation = _survey(slug)
    if not consultation.is_open:
        return public_views.closed(request, consultation)
    try:
        state = flow.unpack(request.POST.get("state", ""), survey=survey.pk)
    except flow.StateRefused as refusal:
        return _refused(request, survey, consultation, str(refusal))
    if survey.current is None or state.version != survey.current.pk:
        return _refused(request, survey, consultation, "changed")
    definition = survey.current.parsed()
    go = request.POST.get("go", "next")
    if go == "back":
        state.page = flow.previous_page(definition, state) or 0
        return _show_page(request, survey, consultation, state)
    if go.startswith("page-"):
        wanted = int(go[5:]) if go[5:].isdigit() else 0
        if wanted in flow.visible_pages(definition, state.answers, state.age):
            state.page = wanted
        return _show_page(request, survey, consultation, state)
    if state.page == flow.CHECK:
        return _show_page(request, survey, consultation, state)
    if not 0 <= state.page < len(definition.pages()):
        return _refused(request, survey, consultation, "changed")
    raw = _raw(request)
    questions = [q for q in definition.pages()[state.page]
                 if flow.page_shows((q,), state.answers, state.age)]
    clicked = _map_click(survey, state, questions, raw)
    if clicked:
        return _show_page(request, survey, consultation, state, raw=raw)
    errors = _take(survey, state, questions, raw)
    if errors:
        return _show_page(request, survey, consultation, state, errors=errors, raw=raw,
                          status=400)
    state.answers = flow.prune(definition, state.answers, state.age)
    state.page = flow.next_page(definition, state)
    return _show_page(request, survey, consultation, state)


def _take(survey: Survey, state: flow.State, questions: list[Question],
          raw: dict[str, list[str]]) -> dict[str, str]:
    errors = {}
    gazetteer = services.places_for(survey)
    for q in questions:
        current = state.answers.get(q.id)
        chose_otherwise = any(raw.get(f"{q.id}-{k}", [""])[0] for k in ("area", "typed"))
        if q.type == "pin" and isinstance(current, dict) and current.get("how") == "map" \
                and not chose_otherwise:  # the pin placed by clicking the map stays
            raw = {**raw, f"{q.id}-lat": [str(current["lat"])],
                   f"{q.id}-lon": [str(current["lon"])]}
        try:
            value = clean_answer(q, raw, places=gazetteer)
        except AnswerError as exc:
            errors[q.id] = str(exc)
            continue
        if value is None:
            state.answers.pop(q.id, None)
        else:
            state.answers[q.id] = value
    return errors


def _map_click(survey: Survey, state: flow.State, questions: list[Question],
               raw: dict[str, list[str]]) -> bool:
    """A click on a pin question's map: place (or move) the pin and show the page again."""
    for q in questions:
        x, y = raw.get(f"{q.id}-map.x", [""])[0], raw.get(f"{q.id}-map.y", [""])[0]
        if not (x and y):
            continue
        try:
            area = places.area_places(survey.partnership.area_code)
            px, py = float(x), float(y)
        except (NoFigures, ValueError):
            return False
        current = state.answers.get(q.id)
        frame = (places.zoom_frame(current["lon"], current["lat"])
                 if isinstance(current, dict) and current.get("lat") is not None
                 else places.county_frame(area))
        lon, lat = frame.to_lonlat(px, py)
        w, s, e, n = area.bounds
        if w <= lon <= e and s <= lat <= n:
            keep = current if isinstance(current, dict) else {}
            state.answers[q.id] = {**keep, "how": "map", "lat": round(lat, 6),
                                   "lon": round(lon, 6), "area": "", "typed": ""}
        return True
    return False


@require_POST
def send(request: HttpRequest, slug: str) -> HttpResponse:
    """Store the response whole; a form sent again stores nothing more."""
    survey, consultation = _survey(slug)
    # the phase from the database, not the few-seconds copy: no answer may arrive after the
    # results are published (the published tables must never change)
    if not Consultation.objects.filter(pk=consultation.pk, phase=Consultation.Phase.OPEN,
                                       closes_at__gt=timezone.now()).exists():
        _recent.pop(slug, None)
        return public_views.closed(request, consultation)
    try:
        state = flow.unpack(request.POST.get("state", ""), survey=survey.pk)
    except flow.StateRefused as refusal:
        return _refused(request, survey, consultation, str(refusal))
    if request.POST.get("website"):  # the honeypot: a bot; say thank you, store nothing
        return _thanks(slug, reference=None, replayed=False)
    version = (survey.current if state.version == survey.current_id
               else survey.versions.filter(pk=state.version).first())
    if version is None:
        return _refused(request, survey, consultation, "changed")
    try:
        sent = services.submit(survey, version, state.answers, submission_key=state.key,
                               consent_age=state.age, address=client_address(request) or "")
    except AnswerError:
        state.page = flow.CHECK
        return _show_page(request, survey, consultation, state, status=400)
    except services.SubmissionRefused:
        return _render(request, "surveys/public/busy.html", survey, consultation, state=state,
                       status=429)
    return _thanks(slug, reference=sent.response.pk, replayed=sent.replayed)


THANKS_SALT = "alliance.surveys.sent"


def _thanks(slug: str, *, reference: int | None, replayed: bool) -> HttpResponse:
    """Post/redirect/get: refreshing the thank-you page sends nothing again."""
    token = signing.dumps({"r": reference, "p": replayed}, salt=THANKS_SALT)
    response = HttpResponseRedirect(reverse("surveys-public:sent", args=[slug]) + f"?t={token}")
    response.status_code = 303  # See Other: the browser GETs the thank-you page
    return response


@require_GET
def sent(request: HttpRequest, slug: str) -> HttpResponse:
    survey, consultation = _survey(slug)
    try:
        shown = signing.loads(request.GET.get("t", ""), salt=THANKS_SALT, max_age=86400)
    except signing.BadSignature:
        shown = {"r": None, "p": False}
    return _render(request, "surveys/public/sent.html", survey, consultation,
                   replayed=bool(shown.get("p")), reference=shown.get("r"))


@require_GET
def map_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The clickable map: the whole area, or zoomed round ``?at=lon,lat`` with the pin."""
    survey, _consultation = _survey(slug)
    try:
        area = places.area_places(survey.partnership.area_code)
    except NoFigures as exc:
        raise Http404("no geography") from exc
    pin = None
    frame = places.county_frame(area)
    at = request.GET.get("at", "")
    if at:
        try:
            lon, lat = (float(v) for v in at.split(",", 1))
        except ValueError as exc:
            raise Http404("bad point") from exc
        w, s, e, n = area.bounds
        if not (w <= lon <= e and s <= lat <= n):
            raise Http404("outside the area")
        frame, pin = places.zoom_frame(lon, lat), (lon, lat)
    svg = places.map_svg(area, frame, pin=pin, zoomed=pin is not None)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=600"
    return response
