"""What the survey pages do: versions, submitting a response whole, paper and CSV entry.

Every rule that protects a survey lives here so it is tested once: a response is checked
against its version's definition (hidden answers dropped, required ones present), screened for
personal data, limited per network address, stored with its pins in one transaction, and
stored once however often its form is sent (the submission key is unique).
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import RepeatGuard, capped_lines, check_fields
from alliance.voice.surveys import (
    AnswerError,
    DefinitionError,
    Places,
    SurveyDefinition,
    XLSFormError,
    check_response,
    clean_answer,
    load_definition,
    read_xlsform,
)
from alliance.web.pool.publication import NoFigures
from alliance.web.surveys import places as place_store
from alliance.web.surveys.models import Pin, Response, Survey, SurveyVersion
from alliance.web.surveys.shared import address_key, screen

#: how far back the per-address limit counts (the limit is
#: settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS, from ALLIANCE_JOINS_PER_ADDRESS)
ADDRESS_WINDOW = timedelta(hours=1)
#: CSV imports larger than this are refused before reading
MAX_CSV_BYTES = 20 * 2**20


class SubmissionRefused(Exception):
    """Too many responses from one network address in the last hour."""


class SurveyInputError(ValueError):
    """A definition, XLSForm or CSV that cannot be used; the message names where and why."""


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


def add_version(survey: Survey, content: bytes | Mapping[str, Any], *, filename: str,
                user: Any) -> SurveyVersion:
    """Check a definition (JSON, or an XLSForm by file name) and make it the current version."""
    try:
        if isinstance(content, Mapping):
            definition, source = load_definition(content), SurveyVersion.Source.EXAMPLE
        elif filename.lower().endswith(".json"):
            if len(content) > 2_000_000:
                raise SurveyInputError(f"{filename}: larger than 2 MB; a survey is far smaller")
            definition, source = load_definition(content), SurveyVersion.Source.JSON
        else:
            definition, source = read_xlsform(content, filename=filename), \
                SurveyVersion.Source.XLSFORM
    except (DefinitionError, XLSFormError) as exc:
        message = str(exc)
        raise SurveyInputError(message if message.startswith(filename)
                               else f"{filename}: {message}") from exc
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        number = (locked.versions.order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        version = SurveyVersion.objects.create(
            survey=locked, number=number, definition=dict(definition.raw), source=source,
            source_name=filename[:255], created_by=user if getattr(
                user, "is_authenticated", False) else None)
        locked.current = version
        if not locked.title:
            locked.title = definition.title
        locked.save(update_fields=["current", "title"])
    survey.refresh_from_db()
    return version


def places_for(survey: Survey) -> Places:
    """The survey's gazetteer: the partnership area's wards (empty without geography)."""
    try:
        return place_store.area_places(survey.partnership.area_code).places
    except NoFigures:
        return Places()


@dataclass(frozen=True)
class Submitted:
    response: Response
    replayed: bool  # True: this form had already been received; nothing new was stored


def submit(survey: Survey, version: SurveyVersion, answers: Mapping[str, Any], *,
           submission_key: str, channel: str = "online", consent_age: str = "",
           address: str | None = None, entered_by: Any = None,
           import_name: str = "") -> Submitted:
    """Store one response whole (with its pins), or raise :class:`AnswerError` /
    :class:`SubmissionRefused`. A submission key already stored returns that response: the
    unique key decides, in the database, so two copies sent at once still store one."""
    definition = version.parsed()
    kept = check_response(definition, answers)
    flags = {}
    for q in definition.answerable:
        if q.type == "text" and q.id in kept:
            screened = screen(str(kept[q.id]))
            kept[q.id] = screened.text  # what moderators see is what is stored
            if screened.held:
                flags[q.id] = screened.reason
    review = {q.id: "pending" for q in definition.answerable
              if q.type == "text" and q.id in kept}
    key = ""
    if address is not None:
        key = address_key(survey, address)
        since = timezone.now() - ADDRESS_WINDOW
        recent = Response.objects.filter(survey=survey, address_key=key, created_at__gte=since)
        if recent.count() >= settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS:
            raise SubmissionRefused(survey.pk)
    pins = _pins(survey, definition, kept)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, version=version, answers=kept, channel=channel,
                submission_key=submission_key, consent_age=consent_age, text_flags=flags,
                text_review=review, address_key=key, entered_by=entered_by,
                import_name=import_name[:255])
            for pin in pins:
                pin.response, pin.survey = response, survey
            if pins:
                Pin.objects.bulk_create(pins)
    except IntegrityError:
        # the same form sent again (a replay or a double click): stored once already
        existing = Response.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return Submitted(existing, replayed=True)
    return Submitted(response, replayed=False)


def refer_answer(survey: Survey, response: Response, qid: str, *, user: Any) -> Any:
    """Refer a written answer to the partnership's safeguarding lead (the conversations' route:
    e-mailed, recorded) and keep its text only in the referral; the response keeps a marker
    and the answer is marked "referred", so it reaches no output. Raises
    ``SafeguardingNotSet`` when no lead is named; the caller audits."""
    from alliance.web.conversations import safeguarding

    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        referral = safeguarding.refer_text(
            survey.partnership, text=str(locked.answers.get(qid, "")),
            concern=(locked.text_flags or {}).get(qid, "") or "referred by a moderator",
            where=f'the survey "{survey.title}"', user=user)
        locked.answers = {**locked.answers, qid: safeguarding.REFERRED_TEXT}
        locked.text_review = {**locked.text_review, qid: "referred"}
        locked.save(update_fields=["answers", "text_review"])
    return referral


def _pins(survey: Survey, definition: SurveyDefinition, kept: Mapping[str, Any]) -> list[Pin]:
    found = [(q.id, kept[q.id]) for q in definition.answerable
             if q.type == "pin" and isinstance(kept.get(q.id), dict)]
    if not found:
        return []
    pins = [Pin(question=qid, lat=a.get("lat"), lon=a.get("lon"), how=a.get("how", ""),
                ward_code=a.get("area", "") or "", time=a.get("time", ""),
                reasons=a.get("reasons", [])) for qid, a in found]
    located = [p for p in pins if p.lat is not None and p.lon is not None]
    if located:
        try:
            places = place_store.area_places(survey.partnership.area_code)
        except NoFigures:
            return pins
        lsoa, ward = place_store.place_points(places, [p.lon for p in located],
                                              [p.lat for p in located])
        for pin, lsoa_code, ward_code in zip(located, lsoa, ward, strict=True):
            pin.lsoa21_code = lsoa_code
            pin.ward_code = pin.ward_code or ward_code
    return pins


# ---------------------------------------------------------------------------- CSV import
def _limited_records(text: str, *, filename: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of a CSV export, the header first, under the limits every reader
    applies (:mod:`alliance.sources.limits`: line and cell length, runs and shares of copied
    rows); a breach or a broken quote is a :class:`SourceFileError` naming file and line."""
    lines = capped_lines(io.StringIO(text, newline=""), file=filename)
    reader = csv.reader(lines)
    header: list[str] = []
    copies = RepeatGuard(filename)
    try:
        for fields in reader:
            line = reader.line_num
            check_fields(fields, header, file=filename, line=line)
            if not header:
                header = fields
            elif any(cell.strip() for cell in fields):
                copies.see(fields, line)
            else:
                continue  # a blank line between rows, as spreadsheets leave them
            yield line, fields
    except csv.Error as exc:
        raise SourceFileError(file=filename, line=reader.line_num, message=str(exc)) from exc
    copies.finish()


def csv_columns(text: str, *, filename: str) -> list[str]:
    """The header of a CSV export (the first record), read under the same limits."""
    try:
        return next(_limited_records(text, filename=filename), (1, []))[1]
    except SourceFileError as exc:
        raise SurveyInputError(str(exc)) from exc


def read_csv_responses(survey: Survey, content: bytes, *, filename: str,
                       mapping: Mapping[str, str]) -> list[dict[str, Any]]:
    """Answers from another tool's CSV export, through a column mapping ``{question: column}``.

    Each cell is read as the data-entry screen reads it (a choice's value or label; several
    choices separated by spaces or semicolons, as ODK and Kobo export them; a ranking as an
    ordered list; a date as YYYY-MM-DD). Any bad row refuses the whole file, naming the line,
    the column and the problem, so nothing is half-imported.
    """
    if len(content) > MAX_CSV_BYTES:
        raise SurveyInputError(f"{filename}: larger than {MAX_CSV_BYTES // 2**20} MB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise SurveyInputError(f"{filename}, line {line}: not UTF-8 text (save the file as "
                               "'CSV UTF-8' and upload it again)") from exc
    if "\x00" in text:
        raise SurveyInputError(f"{filename}: holds NUL bytes; it is not a CSV file")
    records = _limited_records(text, filename=filename)
    try:
        header = next(records, (1, []))[1]
        assert survey.current is not None
        definition = survey.current.parsed()
        known = {q.id: q for q in definition.answerable}
        for qid, column in mapping.items():
            if qid not in known:
                raise SurveyInputError(f"mapping: {qid!r} is not a question of this survey")
            if column and column not in header:
                raise SurveyInputError(f"{filename}, line 1: no column {column!r} "
                                       f"(columns: {', '.join(header[:20])})")
        places = places_for(survey)
        position = {name: i for i, name in reversed(list(enumerate(header)))}
        rows: list[dict[str, Any]] = []
        for line_no, fields in records:
            if len(fields) > len(header):
                raise SurveyInputError(f"{filename}, line {line_no}: more cells than columns")
            answers = {}
            for qid, column in mapping.items():
                if not column:
                    continue
                at = position[column]
                cell = (fields[at] if at < len(fields) else "").strip()
                q = known[qid]
                try:
                    answers[qid] = clean_answer(q, _cell_to_raw(q, cell), places=places)
                except AnswerError as exc:
                    raise SurveyInputError(f"{filename}, line {line_no}, column {column!r}: "
                                           f"{exc}") from exc
            answers = {k: v for k, v in answers.items() if v is not None}
            try:
                rows.append(check_response(definition, answers))
            except AnswerError as exc:
                raise SurveyInputError(f"{filename}, line {line_no}: {exc}") from exc
    except SourceFileError as exc:
        raise SurveyInputError(str(exc)) from exc
    if not rows:
        raise SurveyInputError(f"{filename}: no responses in the file")
    return rows


def _cell_to_raw(q: Any, cell: str) -> dict[str, list[str]]:
    """A CSV cell as raw form fields; choice labels are accepted for their values."""
    if not cell:
        return {}
    by_label = {c.label.lower(): c.value for c in q.choices}
    if q.type in ("single", "likert"):
        return {q.id: [by_label.get(cell.lower(), cell)]}
    if q.type == "pin" or q.type == "place":
        parts = cell.split()
        if q.type == "pin" and len(parts) >= 2:  # ODK geopoint: "lat lon [alt acc]"
            return {f"{q.id}-lat": [parts[0]], f"{q.id}-lon": [parts[1]]}
        return {f"{q.id}-typed": [cell]}
    return {q.id: [cell]}


def import_responses(survey: Survey, rows: list[dict[str, Any]], *, channel: str,
                     filename: str, user: Any) -> int:
    """Store checked rows as responses in one transaction (all or none)."""
    assert survey.current is not None
    with transaction.atomic():
        for answers in rows:
            submit(survey, survey.current, answers, submission_key=new_submission_key(),
                   channel=channel, entered_by=user, import_name=filename)
    return len(rows)
