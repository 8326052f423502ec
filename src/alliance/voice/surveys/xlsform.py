"""XLSForm import and export for a declared subset, so partners design surveys in Excel and
exchange them with ODK and KoboToolbox.

Read with pyxform (``get_xlsform`` reads .xlsx, .xls, .csv and .md; ``workbook_to_json`` checks
the form is a valid XLSForm), then mapped row by row so every refusal names the sheet row.

The subset
----------
=====================  ===========================================================
XLSForm                Alliance
=====================  ===========================================================
``select_one L``       single choice (``appearance`` ``likert``: a Likert scale)
``select_multiple L``  multiple choice
``rank L``             ranking
``text``               free text (``alliance_type`` ``place``: a place question)
``integer``/``decimal``  number (``constraint`` ``. >= a and . <= b`` gives min/max)
``date``               date
``geopoint``           a map pin ("where do you feel unsafe"), with time and reason
``note``               text shown, no answer
``begin_group``        questions shown on one page (a group's ``relevant`` applies
                       to each question in it)
``start``/``end``/``today``/``deviceid``  metadata: ignored
=====================  ===========================================================

Columns read: ``type``, ``name``, ``label``, ``hint``, ``required``, ``relevant`` (the subset
of :mod:`alliance.voice.surveys.xpath`), ``constraint`` (min/max only), ``appearance``, and
Alliance's own ``youth_label``, ``youth_hint``, ``demographic``, ``alliance_type``,
``pin_times``, ``pin_reasons`` (which other tools ignore). Settings: ``form_title``
(``form_title::Cymraeg (cy)`` for its translation, which other tools ignore).

Languages: XLSForm's ``label::Cymraeg (cy)``, ``hint::Cymraeg (cy)`` (and Alliance's
``youth_label::…``, ``youth_hint::…``) columns on the survey and choices sheets become the
definition's translations, keyed by the code in brackets. The survey's own language is the
plain ``label`` column, else the ``default_language`` setting, else English ``(en)``; a
language column without a code in brackets is refused by name. A survey written in several
languages is written back with ``label::English (en)`` beside each other language and
``default_language`` English, as ODK and Kobo expect.
Anything else (``repeat``, ``calculate``, ``choice_filter``, ``default``, media, other
question types) is refused: "row 7: 'calculate' is not supported".
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import openpyxl
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from alliance.voice.surveys.definition import (
    FORMAT,
    REASONS_DEFAULT,
    TIMES_DEFAULT,
    DefinitionError,
    SurveyDefinition,
    load_definition,
    wording_in,
)
from alliance.voice.surveys.xpath import XPathError, parse_relevant, write_relevant

SIMPLE_TYPES = {"text": "text", "integer": "number", "decimal": "number", "date": "date",
                "geopoint": "pin", "note": "note"}
LIST_TYPES = {"select_one": "single", "select_multiple": "multiple", "rank": "ranking"}
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit",
            "subscriberid", "simserial", "email"}
REFUSED_COLUMNS = ("choice_filter", "default", "calculation", "repeat_count", "trigger",
                   "media::image", "image", "audio", "video", "read_only")
_RANGE = re.compile(r"^\s*\.\s*>=\s*(-?[\d.]+)(?:\s+and\s+\.\s*<=\s*(-?[\d.]+))?\s*$")
_MAX_ONLY = re.compile(r"^\s*\.\s*<=\s*(-?[\d.]+)\s*$")


class XLSFormError(ValueError):
    """The XLSForm is outside the subset or broken; the message names the row and the feature."""


#: names written in XLSForm column headers for the languages Alliance knows by name
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
_LANGUAGE_COLUMN = re.compile(r"^(label|hint|youth_label|youth_hint|form_title)::(.+)$")
_CODE = re.compile(r"\(([A-Za-z]{2,3})\)\s*$")
_NAMED = {"english": "en", "cymraeg": "cy", "welsh": "cy"}


def _code(column: str, where: str) -> str:
    """The language code of a ``label::Name (xx)`` column (``cy``)."""
    language = column.split("::", 1)[1].strip()
    found = _CODE.search(language)
    if found:
        return found.group(1).lower()
    if language.lower() in _NAMED:
        return _NAMED[language.lower()]
    raise XLSFormError(f"{where}: the column {column!r} names no language code; write it as "
                       f"{column.split('::', 1)[0]}::{language} (xx) with the two-letter code")


def _base_language(book: Any, filename: str) -> str:
    """The code of the language the form's plain columns are in ('' = plain ``label``)."""
    columns = {k for row in (*(book.survey or []), *(book.choices or [])) if row for k in row}
    if "label" in columns:
        return ""
    default = next((str(s.get("default_language", "")).strip() for s in book.settings or []
                    if s.get("default_language")), "")
    codes = sorted({_code(k, f"{filename}, survey sheet") for k in columns
                    if _LANGUAGE_COLUMN.match(k) and k.startswith("label::")})
    if default:
        wanted = _code(f"label::{default}", f"{filename}, settings")
        if wanted in codes:
            return wanted
    return "en" if "en" in codes or not codes else codes[0]


def _translations(row: Mapping[str, str], base: str, where: str,
                  fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for column, text in row.items():
        match = _LANGUAGE_COLUMN.match(str(column))
        if not match or match.group(1) not in fields or not str(text or "").strip():
            continue
        code = _code(str(column), where)
        if code != (base or "en"):  # the plain columns are the base language
            out.setdefault(code, {})[match.group(1)] = str(text).strip()
    return out


def _yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1", "true()"}


def _label(row: Mapping[str, str], column: str, base: str = "") -> str:
    if row.get(column):
        return str(row[column]).strip()
    # a form written in languages: the base language's column
    keyed = sorted(k for k in row if k.startswith(f"{column}::") and row[k])
    for k in keyed:
        found = _CODE.search(k)
        code = found.group(1).lower() if found else _NAMED.get(k.split("::", 1)[1].lower(), "")
        if code == (base or "en"):
            return str(row[k]).strip()
    return ""


def read_xlsform(content: bytes, *, filename: str = "form.xlsx") -> SurveyDefinition:
    """The survey in an XLSForm (bytes of .xlsx, .xls, .csv or .md), or :class:`XLSFormError`."""
    if len(content) > 5_000_000:
        raise XLSFormError(f"{filename}: larger than 5 MB; a survey form is far smaller")
    try:
        book = get_xlsform(io.BytesIO(content))
    except (PyXFormError, ValueError, KeyError, OSError, UnicodeDecodeError) as exc:
        raise XLSFormError(f"{filename}: not a readable XLSForm ({exc})") from exc
    except Exception as exc:  # zip and xlrd errors from a corrupt or mislabelled file
        raise XLSFormError(f"{filename}: not a readable XLSForm "
                           f"({type(exc).__name__}: {exc})") from exc
    if not book.survey:
        raise XLSFormError(f"{filename}: no survey sheet (an XLSForm needs one)")
    base = _base_language(book, filename)
    choices: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(book.choices or [], start=2):
        if not row:
            continue
        value = str(row.get("name", "")).strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,60}", value):
            raise XLSFormError(f"{filename}, choices row {n}: choice name {value!r} must be "
                               "letters, digits, _ . or - (up to 60)")
        item: dict[str, Any] = {"value": value, "label": _label(row, "label", base) or value}
        youth = _label(row, "youth_label", base)
        if youth:
            item["youth_label"] = youth
        translated = _translations(row, base, f"{filename}, choices row {n}",
                                   ("label", "youth_label"))
        if translated:
            item["translations"] = translated
        choices.setdefault(str(row.get("list_name", "")).strip(), []).append(item)
    title = next((str(s.get("form_title", "")).strip() for s in book.settings or []
                  if s.get("form_title")), "") or filename.rsplit(".", 1)[0]
    questions = _questions(book.survey, choices, filename, base)
    try:  # inside the subset, and still a valid XLSForm by ODK's own rules
        workbook_to_json(book, form_name="form", warnings=[])
    except PyXFormError as exc:
        raise XLSFormError(f"{filename}: {exc}") from exc
    data: dict[str, Any] = {"format": FORMAT, "title": title[:200], "questions": questions}
    titles = {code: {"title": text["form_title"][:200]} for code, text in _translations(
        (book.settings or [{}])[0] or {}, base, f"{filename}, settings", ("form_title",)).items()}
    if titles:
        data["translations"] = titles
    try:
        return load_definition(data)
    except DefinitionError as exc:
        raise XLSFormError(f"{filename}: {exc}") from exc


def _questions(rows: Any, choices: Mapping[str, list[dict[str, Any]]],
               filename: str, language: str = "") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    group: list[tuple[str, dict[str, Any] | None]] = []
    for n, row in enumerate(rows, start=2):
        if not row or not str(row.get("type", "")).strip():
            continue
        where = f"{filename}, survey row {n}"
        kind = " ".join(str(row["type"]).split())
        base, _, list_name = kind.partition(" ")
        name = str(row.get("name", "")).strip()
        for column in REFUSED_COLUMNS:
            if row.get(column):
                raise XLSFormError(f"{where} ({name}): the {column!r} column is not supported")
        condition = _condition(row, where, name)
        if base in ("begin_group", "begin") and (list_name in ("", "group")):
            group.append((name, condition))
            continue
        if base in ("end_group", "end") and list_name in ("", "group"):
            if not group:
                raise XLSFormError(f"{where}: end_group without a begin_group")
            group.pop()
            continue
        if base in METADATA and not list_name:
            continue
        if base in ("begin_repeat", "end_repeat") or kind in ("begin repeat", "end repeat"):
            raise XLSFormError(f"{where} ({name}): repeats are not supported")
        if base in LIST_TYPES:
            qtype = LIST_TYPES[base]
            if str(row.get("appearance", "")).strip() == "likert" and qtype == "single":
                qtype = "likert"
            if list_name not in choices:
                raise XLSFormError(f"{where} ({name}): no choice list {list_name!r} on the "
                                   "choices sheet")
        elif base in SIMPLE_TYPES and not list_name:
            qtype = SIMPLE_TYPES[base]
        else:
            raise XLSFormError(f"{where} ({name}): the question type {kind!r} is not supported")
        if str(row.get("alliance_type", "")).strip() == "place":
            qtype = "place"
        q: dict[str, Any] = {"id": name, "type": qtype,
                             "label": _label(row, "label", language) or name}
        for column in ("hint", "youth_label", "youth_hint", "demographic"):
            text = _label(row, column, language)
            if text:
                q[column] = text
        translated = _translations(row, language, where, ("label", "hint", "youth_label",
                                                      "youth_hint"))
        if translated:
            q["translations"] = translated
        if _yes(str(row.get("required", ""))):
            q["required"] = True
        if base in LIST_TYPES:
            q["choices"] = choices[list_name]
        if base == "integer":
            q["integer"] = True
        if qtype == "pin":
            for column, key in (("pin_times", "times"), ("pin_reasons", "reasons")):
                listed = str(row.get(column, "")).strip()
                if listed:
                    if listed not in choices:
                        raise XLSFormError(f"{where} ({name}): no choice list {listed!r}")
                    q[key] = choices[listed]
        _constraint(row, q, where, name)
        conditions = [c for _, c in group if c is not None] + ([condition] if condition else [])
        if conditions:
            q["show_if"] = conditions[0] if len(conditions) == 1 else {"all": conditions}
        if group:
            q["page"] = group[-1][0][:40] or "group"
        out.append(q)
    if group:
        raise XLSFormError(f"{filename}: begin_group {group[-1][0]!r} has no end_group")
    return out


def _condition(row: Mapping[str, str], where: str, name: str) -> dict[str, Any] | None:
    text = str(row.get("relevant", "")).strip()
    if not text:
        return None
    try:
        return parse_relevant(text)
    except XPathError as exc:
        raise XLSFormError(f"{where} ({name}): relevant {text!r}: {exc}") from exc


def _constraint(row: Mapping[str, str], q: dict[str, Any], where: str, name: str) -> None:
    text = str(row.get("constraint", "")).strip()
    if not text:
        return
    if q["type"] != "number":
        raise XLSFormError(f"{where} ({name}): constraints are read only on numbers")
    both, top = _RANGE.match(text), _MAX_ONLY.match(text)
    if both:
        q["min"] = float(both.group(1))
        if both.group(2):
            q["max"] = float(both.group(2))
    elif top:
        q["max"] = float(top.group(1))
    else:
        raise XLSFormError(f"{where} ({name}): the constraint {text!r} is not supported "
                           "(only '. >= a and . <= b')")


def _language_name(code: str) -> str:
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


def write_xlsform(definition: SurveyDefinition) -> bytes:
    """The survey as an XLSForm workbook (.xlsx) that ODK, Kobo and :func:`read_xlsform` read."""
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    languages = definition.languages
    texts = ("label", "hint", "youth_label", "youth_hint")
    columns = ["type", "name", "label", "hint", "required", "relevant", "constraint",
               "appearance", "youth_label", "youth_hint", "demographic", "alliance_type",
               "pin_times", "pin_reasons"]
    headers = list(columns)
    if languages:  # every text column once per language, English first, as ODK expects
        headers = [f"{c}::{_language_name('en')}" if c in texts else c for c in columns]
        headers += [f"{c}::{_language_name(code)}" for code in languages for c in texts]
    survey.append(headers)
    lists: list[tuple[str, Any]] = []
    page = ""
    for q in definition.questions:
        if page and q.page != page:
            survey.append(["end_group", page])
            page = ""
        if q.page and q.page != page:
            survey.append(["begin_group", q.page, "", "", "", "", "", "field-list"])
            page = q.page
        row = dict.fromkeys(columns, "")
        row.update(name=q.id, label=q.label, hint=q.hint, youth_label=q.youth_label,
                   youth_hint=q.youth_hint, demographic=q.demographic)
        row["required"] = "yes" if q.required else ""
        row["relevant"] = write_relevant(q.show_if) if q.show_if else ""
        if q.type in ("single", "likert", "multiple", "ranking"):
            xtype = {"single": "select_one", "likert": "select_one",
                     "multiple": "select_multiple", "ranking": "rank"}[q.type]
            row["type"] = f"{xtype} {q.id}"
            row["appearance"] = "likert" if q.type == "likert" else ""
            lists.append((q.id, q.choices))
        elif q.type == "number":
            row["type"] = "integer" if q.integer else "decimal"
            parts = ([f". >= {q.min:g}"] if q.min is not None else []) + (
                [f". <= {q.max:g}"] if q.max is not None else [])
            if q.min is None and q.max is not None:
                parts = [f". <= {q.max:g}"]
            row["constraint"] = " and ".join(parts)
        elif q.type == "pin":
            row["type"] = "geopoint"
            if [(c.value, c.label) for c in q.times] != list(TIMES_DEFAULT):
                row["pin_times"] = f"{q.id}_times"
                lists.append((f"{q.id}_times", q.times))
            if [(c.value, c.label) for c in q.reasons] != list(REASONS_DEFAULT):
                row["pin_reasons"] = f"{q.id}_reasons"
                lists.append((f"{q.id}_reasons", q.reasons))
        elif q.type == "place":
            row["type"], row["alliance_type"] = "text", "place"
        else:
            row["type"] = {"text": "text", "date": "date", "note": "note"}[q.type]
        survey.append([row[c] for c in columns] + [
            wording_in(q.translations, code, c) for code in languages for c in texts])
    if page:
        survey.append(["end_group", page])
    sheet = book.create_sheet("choices")
    if languages:
        sheet.append(["list_name", "name", f"label::{_language_name('en')}",
                      f"youth_label::{_language_name('en')}"] + [
            f"{c}::{_language_name(code)}" for code in languages for c in texts[::2]])
    else:
        sheet.append(["list_name", "name", "label", "youth_label"])
    for list_name, items in lists:
        for c in items:
            sheet.append([list_name, c.value, c.label, c.youth_label] + [
                wording_in(c.translations, code, f) for code in languages for f in texts[::2]])
    settings = book.create_sheet("settings")
    form_id = re.sub(r"[^a-z0-9_]", "_", definition.title.lower())[:40] or "survey"
    if languages:
        settings.append(["form_title", "form_id", "default_language"] + [
            f"form_title::{_language_name(code)}" for code in languages])
        settings.append([definition.title, form_id, _language_name("en")] + [
            definition.title_in(code) for code in languages])
    else:
        settings.append(["form_title", "form_id"])
        settings.append([definition.title, form_id])
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.data_type == "f":  # openpyxl reads text starting "=" as a formula
                    cell.data_type = "s"  # kept as the text it is, never evaluated
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
