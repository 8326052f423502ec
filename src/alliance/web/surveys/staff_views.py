"""Staff pages of a survey: versions and downloads, the paper form, fast data entry, CSV
import, moderation of written answers, results, whom we heard and the map comparison."""

from __future__ import annotations

import io
from typing import Any

import shapely
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.privacy.csv_output import rows_writer
from alliance.voice.screening import CHILD_KIND, SELF_HARM_KIND, THREAT_KIND
from alliance.voice.surveys import AnswerError, clean_answer, write_xlsform
from alliance.voice.themes.reading import FreeText
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.audit.services import record
from alliance.web.consultations.models import Consultation
from alliance.web.consultations.services import consultation_of_survey
from alliance.web.conversations import safeguarding
from alliance.web.pool.publication import NoFigures
from alliance.web.surveys import analysis, services
from alliance.web.surveys.forms import EntryChannelForm, ImportForm, VersionForm
from alliance.web.surveys.models import Response, Survey
from alliance.web.surveys.present import describe_condition
from alliance.web.themes.services import ThemeError, create_from_upload

CSV_SALT = "alliance.surveys.import"


def _mine(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("current", "partnership"), pk=pk,
                             partnership=request.user.membership.partnership)


def _closed_to_entry(survey: Survey) -> str:
    consultation = consultation_of_survey(survey)
    if consultation is not None and consultation.phase == Consultation.Phase.PUBLISHED:
        return ("Results are published, so no more responses can be added: the published "
                "tables must not change.")
    return ""


@requires("view_dashboard")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _mine(request, pk)
    return render(request, "surveys/staff/detail.html", {
        "survey": survey, "consultation": consultation_of_survey(survey),
        "versions": survey.versions.all(), "form": VersionForm(),
        "responses": survey.responses.count(), "channels": analysis.channel_counts(survey),
        "pending": sum(1 for r in survey.responses.values_list("text_review", flat=True)
                       for v in (r or {}).values() if v == "pending")})


@requires("manage_consultations")
@require_POST
def add_version(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _mine(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["definition"]
        try:
            version = services.add_version(survey, upload.read(), filename=upload.name,
                                           user=request.user)
        except services.SurveyInputError as exc:
            record(request, "upload_rejected", target=f"survey {pk}", reason=str(exc))
            messages.error(request, str(exc))
        else:
            record(request, "consultation_changed", target=f"survey {pk}",
                   change=f"version {version.number} from {upload.name}")
            messages.success(request, f"Version {version.number} is now the survey.")
    return redirect("surveys:detail", pk=pk)


@requires("view_dashboard")
def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    survey = _mine(request, pk)
    definition = analysis.definition_of(survey)
    if kind == "xlsx":
        response = HttpResponse(write_xlsform(definition), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
        return response
    response = HttpResponse(definition.to_json(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.json"'
    return response


@requires("view_dashboard")
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable paper version, generated from the same definition."""
    survey = _mine(request, pk)
    from alliance.web.consultations.services import profile

    definition = analysis.definition_of(survey)
    return render(request, "surveys/staff/paper.html", {
        "survey": survey, "definition": definition,
        "conditions": {q.id: describe_condition(definition, q.show_if)
                       for q in definition.questions if q.show_if},
        "consultation": consultation_of_survey(survey), "profile": profile()})


@requires("enter_responses")
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Fast entry of one paper or workshop response: every question on one page, keyboard
    only; the form's key stores it once however often it is sent."""
    survey = _mine(request, pk)
    closed = _closed_to_entry(survey)
    definition = analysis.definition_of(survey)
    errors: dict[str, str] = {}
    channel_form = EntryChannelForm(request.POST or None)
    raw: dict[str, list[str]] = {}
    if request.method == "POST" and not closed and channel_form.is_valid():
        raw = {k: request.POST.getlist(k) for k in request.POST}
        answers: dict[str, Any] = {}
        places = services.places_for(survey)
        for q in definition.answerable:
            try:
                value = clean_answer(q, raw, places=places)
            except AnswerError as exc:
                errors[q.id] = str(exc)
                continue
            if value is not None:
                answers[q.id] = value
        if not errors:
            try:
                sent = services.submit(survey, survey.current, answers,
                                       submission_key=request.POST.get("key", "")[:64]
                                       or services.new_submission_key(),
                                       channel=channel_form.cleaned_data["channel"],
                                       entered_by=request.user)
            except AnswerError as exc:
                errors["form"] = str(exc)
            else:
                if not sent.replayed:
                    record(request, "responses_entered", target=f"survey {pk}", count=1,
                           channel=channel_form.cleaned_data["channel"])
                messages.success(request, f"Response {sent.response.pk} saved"
                                 + (" (it had already been saved)." if sent.replayed else ".")
                                 + " The form is clear for the next one.")
                return redirect("surveys:entry", pk=pk)
    return render(request, "surveys/staff/entry.html", {
        "survey": survey, "definition": definition, "errors": errors, "raw": raw,
        "channel_form": channel_form, "key": services.new_submission_key(), "closed": closed,
        "areas": sorted(((c, n) for c, (n, _x, _y) in services.places_for(survey)
                         .areas.items()), key=lambda item: item[1]),
        "entered": survey.responses.exclude(channel=Response.Channel.ONLINE).count()},
        status=400 if errors else 200)


@requires("enter_responses")
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: upload and map columns to questions; then check and import whole."""
    survey = _mine(request, pk)
    closed = _closed_to_entry(survey)
    definition = analysis.definition_of(survey)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"survey": survey, "form": form, "closed": closed,
                               "questions": definition.answerable}
    if request.method == "POST" and not closed and "confirm" in request.POST:
        try:
            held = signing.loads(request.POST.get("held", ""), salt=CSV_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, "The upload expired or was changed: upload it again.")
            return redirect("surveys:import", pk=pk)
        mapping = {q.id: request.POST.get(f"map-{q.id}", "") for q in definition.answerable}
        content = held["content"].encode("utf-8")
        try:
            rows = services.read_csv_responses(survey, content, filename=held["name"],
                                               mapping=mapping)
            n = services.import_responses(survey, rows, channel=held["channel"],
                                          filename=held["name"], user=request.user)
        except services.SurveyInputError as exc:
            record(request, "upload_rejected", target=f"survey {pk}", reason=str(exc))
            context.update(held=request.POST["held"], columns=held["columns"],
                           mapping=mapping, error=str(exc), name=held["name"])
            return render(request, "surveys/staff/import.html", context, status=400)
        record(request, "responses_entered", target=f"survey {pk}", count=n,
               file=held["name"], channel=held["channel"])
        messages.success(request, f"Imported {n} responses from {held['name']}.")
        return redirect("surveys:detail", pk=pk)
    if request.method == "POST" and not closed and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(services.MAX_CSV_BYTES + 1)
        try:
            if len(content) > services.MAX_CSV_BYTES:
                raise services.SurveyInputError(f"{upload.name}: larger than 20 MB")
            text = content.decode("utf-8-sig")
            columns = services.csv_columns(text, filename=upload.name)
        except UnicodeDecodeError as exc:
            line = content[:exc.start].count(b"\n") + 1
            context["error"] = (f"{upload.name}, line {line}: not UTF-8 text (save the file "
                                "as 'CSV UTF-8' and upload it again)")
            return render(request, "surveys/staff/import.html", context, status=400)
        except services.SurveyInputError as exc:
            context["error"] = str(exc)
            return render(request, "surveys/staff/import.html", context, status=400)
        guess = {q.id: next((c for c in columns if c.strip().lower() in (
            q.id, q.label.lower()) or c.strip().lower().endswith("/" + q.id)), "")
            for q in definition.answerable}
        context.update(held=signing.dumps({"content": text, "name": upload.name,
                                           "columns": columns,
                                           "channel": form.cleaned_data["channel"]},
                                          salt=CSV_SALT, compress=True),
                       columns=columns, mapping=guess, name=upload.name)
    return render(request, "surveys/staff/import.html", context,
                  status=400 if form.errors else 200)


@requires("moderate_voice")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Written answers waiting for a moderator: nobody else sees them until accepted."""
    survey = _mine(request, pk)
    if request.method == "POST":
        response = get_object_or_404(Response, pk=request.POST.get("response"), survey=survey)
        qid, decision = request.POST.get("question", ""), request.POST.get("decision", "")
        if decision == "referred" and (response.text_review or {}).get(qid) == "pending":
            _refer(request, survey, response, qid)
        elif decision in ("accepted", "rejected") and qid in (response.text_review or {}):
            response.text_review = {**response.text_review, qid: decision}
            response.save(update_fields=["text_review"])
            record(request, "text_reviewed", target=f"survey {pk} response {response.pk}",
                   question=qid, decision=decision)
        return redirect("surveys:review", pk=pk)
    definition = analysis.definition_of(survey)
    waiting = []
    for r in survey.responses.order_by("pk"):
        for qid, state in (r.text_review or {}).items():
            if state == "pending":
                flags = (r.text_flags or {}).get(qid, "")
                waiting.append({"response": r, "qid": qid, "text": r.answers.get(qid, ""),
                                "flags": flags, "safeguarding": any(
                                    kind in flags for kind in SAFEGUARDING_KINDS),
                                "question": definition.question(qid).label
                                if qid in {q.id for q in definition.questions} else qid})
    waiting.sort(key=lambda item: not item["safeguarding"])  # possible risk first (stable)
    return render(request, "surveys/staff/review.html", {"survey": survey,
                                                          "waiting": waiting[:200],
                                                          "total": len(waiting)})


SAFEGUARDING_KINDS = (CHILD_KIND, THREAT_KIND, SELF_HARM_KIND)


def _refer(request: HttpRequest, survey: Survey, response: Response, qid: str) -> None:
    """The safeguarding route of the conversations: the answer goes to the partnership's
    safeguarding lead and is kept only in the referral; the response keeps a marker."""
    try:
        referral = services.refer_answer(survey, response, qid, user=request.user)
    except safeguarding.SafeguardingNotSet as error:
        messages.error(request, f"Response {response.pk} was not referred: {error}.")
        return
    record(request, "safeguarding_referral", target=f"survey {survey.pk} response "
           f"{response.pk}", question=qid, referral=referral.pk, lead=referral.lead_email,
           emailed=referral.emailed)
    if referral.emailed:
        messages.success(request, f"The answer was referred to {referral.lead_name} and "
                         "removed from the survey.")
    else:
        messages.error(request, f"The answer was removed from the survey, but the e-mail to "
                       f"{referral.lead_name} could not be sent ({referral.email_error}). "
                       f"Follow the safeguarding procedure now: contact them directly and "
                       f"give referral number {referral.pk}.")


@requires("view_dashboard")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _mine(request, pk)
    record_level = can(request.user, "view_record_level") and request.GET.get("all") == "1"
    if record_level:
        record(request, "view_restricted", target=f"survey {pk} results (not suppressed)")
    published = analysis.results(survey, record_level=record_level)
    weighting = analysis.weighting(survey)
    weighted = (analysis.weighted_results(survey, published, weighting.weights)
                if weighting.weights is not None else {})
    return render(request, "surveys/staff/results.html", {
        "survey": survey, "published": published, "weighting": weighting,
        "weighted": weighted, "record_level": record_level,
        "may_see_all": can(request.user, "view_record_level"),
        "may_theme": can(request.user, "analyse_themes"),
        "text_questions": [q for q in analysis.definition_of(survey).questions
                           if q.type == "text"],
        "consents": analysis.age_groups_consented(survey),
        "channels": analysis.channel_counts(survey)})


@requires("view_dashboard")
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The published tables as CSV (hidden cells as [c]); never the raw answers."""
    survey = _mine(request, pk)
    published = analysis.results(survey, record_level=False)
    out = io.StringIO()
    writer = rows_writer(out)  # every text cell neutralised: no cell runs as a formula
    writer.writerow(["question", "grouping", "group", "answer", "count", "percent", "lower",
                     "upper"])
    for r in published.questions:
        label = r.question.label
        for _value, row in r.options.iterrows():
            writer.writerow([label, "everyone", "", row["label"], _cell(row["count"]),
                             _num(row["percent"]), _num(row["lower"]), _num(row["upper"])])
        for grouping, tab in r.crosstabs.items():
            for value in tab.counts.index:
                for group in tab.counts.columns:
                    writer.writerow([label, grouping, str(group),
                                     r.question.choice_label(value),
                                     _cell(tab.counts.loc[value, group]),
                                     _num(tab.percents.loc[value, group]), "", ""])
    record(request, "export", target=f"survey {pk} results CSV")
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{pk}-results.csv"'
    return response


def _cell(value: float) -> str:
    return "[c]" if value != value else str(int(value))


def _num(value: float) -> str:
    return "" if value != value else f"{value:.1f}"


@requires("analyse_themes")
@require_POST
def themes(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a question's accepted written answers to the theme finder."""
    survey = _mine(request, pk)
    qid = request.POST.get("question", "")
    texts = [(str(r.pk), str(r.answers.get(qid))) for r in survey.responses.order_by("pk")
             if (r.text_review or {}).get(qid) == "accepted" and r.answers.get(qid)]
    free = FreeText(name=f"{survey.title}: {qid}", format="csv", column=qid,
                    ids=tuple(i for i, _t in texts), texts=tuple(t for _i, t in texts),
                    skipped_blank=0)
    try:
        theme_set = create_from_upload(survey.partnership, request.user, free,
                                       title=f"{survey.title}: {qid}", source="survey")
    except ThemeError as exc:
        messages.error(request, f"{exc} (only answers a moderator accepted are used)")
        return redirect("surveys:results", pk=pk)
    return redirect("themes:detail", pk=theme_set.pk)


@requires("view_dashboard")
@require_http_methods(["GET", "POST"])
def heard(request: HttpRequest, pk: int) -> HttpResponse:
    """Whom we heard: respondents against the population, the weights and what they cost."""
    survey = _mine(request, pk)
    definition = analysis.definition_of(survey)
    editable = [q for q in definition.questions
                if q.demographic in ("sex", "ethnicity") and q.type == "single"]
    if request.method == "POST" and can(request.user, "view_record_level"):
        margins: dict[str, dict[str, float]] = {}
        problems = []
        for q in editable:
            shares = {}
            for c in q.choices:
                text = request.POST.get(f"{q.id}-{c.value}", "").strip()
                if not text:
                    continue
                try:
                    shares[c.value] = float(text)
                except ValueError:
                    problems.append(f"{q.label}, {c.label}: enter a number like 51.2")
            if shares:
                margins[q.id] = shares
        if problems:
            messages.error(request, "; ".join(problems))
        else:
            survey.margins = margins
            survey.save(update_fields=["margins"])
            messages.success(request, "Population figures saved; the weights are worked out "
                                      "again.")
        return redirect("surveys:heard", pk=pk)
    return render(request, "surveys/staff/heard.html", {
        "survey": survey, "weighting": analysis.weighting(survey), "editable": editable,
        "saved": survey.margins or {}, "may_edit": can(request.user, "view_record_level"),
        "max_weight": analysis.MAX_WEIGHT})


@requires("view_dashboard")
def felt_unsafe(request: HttpRequest, pk: int) -> HttpResponse:
    """Where people feel unsafe beside recorded violence, by ward, as a map and a table."""
    survey = _mine(request, pk)
    context: dict[str, Any] = {"survey": survey}
    try:
        found = analysis.felt_unsafe(survey)
        wards, table = analysis.pins_by_ward(survey, record_level=False)
    except NoFigures as exc:
        context["problem"] = str(exc)
        return render(request, "surveys/staff/felt_unsafe.html", context)
    if found is None:
        context["problem"] = ("No published figures of recorded violence for a whole "
                              "reporting year yet, so there is nothing to compare with.")
    else:
        comparison, year = found
        frame = comparison.areas.join(wards[["name", "lad_name"]])
        frame["published"] = table.published["pins"].reindex(frame.index)
        frame = frame.sort_values(["verdict", "q_value"])
        context.update(comparison=comparison, year=year, frame=frame,
                       map_svg=_comparison_map(survey, frame))
    context["unplaced"] = analysis.unplaced_pins(survey)
    return render(request, "surveys/staff/felt_unsafe.html", context)


def _comparison_map(survey: Survey, frame: Any) -> str:
    from alliance.voice.felt_unsafe import FELT, RECORDED
    from alliance.web.surveys import places

    area = places.area_places(survey.partnership.area_code)
    box = places.county_frame(area)
    colours = {FELT: "#d4351c", RECORDED: "#1d70b8"}
    frame_box = shapely.box(box.west, box.south, box.east, box.north)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{box.width * 2}" '
             f'height="{box.height * 2}" viewBox="0 0 {box.width} {box.height}" role="img" '
             'aria-labelledby="fu-title"><title id="fu-title">Map of wards: red where people '
             'feel unsafe but little violence is recorded, blue where much is recorded but '
             'few feel unsafe, grey otherwise</title>']
    for code, row in area.wards.iterrows():
        verdict = frame["verdict"].get(code, "")
        fill = colours.get(verdict, "#f3f2f1")
        clipped = shapely.intersection(row["geometry"], frame_box)
        if clipped.is_empty:
            continue
        parts.append(f'<path d="{places._path(clipped, box)}" fill="{fill}" '
                     'stroke="#505a5f" stroke-width="0.4"/>')
    parts.append("</svg>")
    return "".join(parts)
