"""Events: notes typed or uploaded (screened for personal details), themes found in an event's
notes, and turning a theme or a note into a proposed priority, action or communications item
that keeps the link back to what was said and which organisation said it."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction

from alliance.voice.screening import find_personal_data
from alliance.voice.themes.reading import MAX_LENGTH, MAX_TEXTS, FreeText, FreeTextError, decode
from alliance.web.accounts.models import Organisation
from alliance.web.audit.services import record
from alliance.web.events.models import Event, Note, Workshop
from alliance.web.themes import services as theme_services
from alliance.web.themes.models import ThemeSet
from alliance.web.themes.store import load_result

#: how many quotes of a theme go into its "came from" link
QUOTES = 2
NOT_QUOTED = "(a note that is not quoted: it may hold personal details)"


class EventError(ValueError):
    """A refused change, in words for the page."""


def add_note(note: Note, user: Any, *, request: Any = None) -> Note:
    note.flagged = ", ".join(find_personal_data(note.text))[:200]
    note.created_by = user
    note.save()
    record(request, "event_change", actor=user, target=str(note.workshop.event),
           change="note added", workshop=note.workshop.number)
    return note


def refer_concerns(notes: Sequence[Note], user: Any, *, request: Any = None) -> tuple[
        list[Any], int]:
    """Refer every note suggesting a child at risk, a threat or self-harm to the partnership's
    safeguarding lead at once, as uploaded survey answers are
    (:func:`alliance.web.themes.services.refer_concerns`); each referral is audited.

    Returns the referrals made and how many concerns could not be referred because no lead is
    named yet.
    """
    from alliance.web.conversations import safeguarding

    concerns = [n for n in notes if n.safeguarding]
    if not concerns:
        return [], 0
    event = concerns[0].workshop.event
    if safeguarding.contact_for(event.partnership) is None:
        return [], len(concerns)
    referrals = []
    for note in concerns:
        referral = safeguarding.refer_text(
            event.partnership, text=note.text, user=user, concern=note.flagged,
            where=f"a note of workshop {note.workshop.number} at \"{event.title}\"")
        record(request, "safeguarding_referral", actor=user, target=str(event),
               referral=referral.pk, lead=referral.lead_email, emailed=referral.emailed)
        referrals.append(referral)
    return referrals, 0


def read_notes(data: bytes, *, name: str, workshop: Workshop) -> list[Note]:
    """Notes from an uploaded file, refused whole with file, line and field on any problem."""
    text = decode(data, name=name)
    orgs = {o.name.casefold(): o for o in Organisation.objects.filter(
        partnership=workshop.event.partnership)}
    notes: list[Note] = []
    if name.lower().endswith(".txt"):
        rows = [(n, line, "") for n, line in enumerate(text.splitlines(), start=1)]
    elif name.lower().endswith(".csv"):
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = [h.strip().lower() for h in next(reader, [])]
        except csv.Error as exc:
            raise FreeTextError(f"{name}, line 1: not a readable CSV header ({exc})") from None
        if "note" not in header:
            raise FreeTextError(f"{name}, line 1: no column 'note'; the columns are "
                                f"{', '.join(repr(h) for h in header) or 'none'}")
        at, org_at = header.index("note"), header.index("organisation") \
            if "organisation" in header else None
        rows = []
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise FreeTextError(f"{name}, line {line}: {len(row)} fields where the "
                                        f"header has {len(header)}")
                rows.append((line, row[at], row[org_at] if org_at is not None else ""))
        except csv.Error as exc:
            raise FreeTextError(f"{name}, line {reader.line_num}: malformed CSV ({exc})") \
                from None
    else:
        raise FreeTextError(f"{name}: upload a .csv file (columns 'note' and 'organisation') "
                            "or a .txt file (one note a line)")
    for line, said, who in rows:
        said = " ".join(said.split())
        if not said:
            continue
        if len(said) > MAX_LENGTH:
            raise FreeTextError(f"{name}, line {line}, field 'note': {len(said):,} characters; "
                                f"the limit is {MAX_LENGTH:,}")
        if any(ch in said for ch in "<>"):
            raise FreeTextError(f"{name}, line {line}, field 'note': mark-up (< or >) is not "
                                "accepted; save the notes as plain text")
        who = " ".join(who.split())[:200]
        org = orgs.get(who.casefold())
        notes.append(Note(workshop=workshop, text=said, organisation=org,
                          organisation_other="" if org else who, source=Note.Source.UPLOADED))
        if len(notes) > MAX_TEXTS:
            raise FreeTextError(f"{name}, line {line}: more than {MAX_TEXTS:,} notes")
    if not notes:
        raise FreeTextError(f"{name}: no notes found; the file is empty or every note is blank")
    return notes


def upload_notes(data: bytes, *, name: str, workshop: Workshop, user: Any,
                 request: Any = None) -> list[Note]:
    notes = read_notes(data, name=name, workshop=workshop)
    with transaction.atomic():
        for note in notes:
            note.flagged = ", ".join(find_personal_data(note.text))[:200]
            note.created_by = user
        Note.objects.bulk_create(notes)
    record(request, "event_change", actor=user, target=str(workshop.event),
           change="notes uploaded", workshop=workshop.number, notes=len(notes), file=name)
    return notes


def find_themes(event: Event, user: Any, *, request: Any = None) -> ThemeSet:
    """A theme set of every note of the event (each note's id is ``n<pk>``)."""
    notes = list(Note.objects.filter(workshop__event=event).order_by("workshop__number", "id"))
    free = FreeText(name=f"notes of {event.title}", format="text", column=None,
                    ids=tuple(n.text_id for n in notes), texts=tuple(n.text for n in notes),
                    skipped_blank=0)
    theme_set = theme_services.create_from_upload(
        event.partnership, user, free, title=f"Workshop notes: {event.title}",
        source=str(ThemeSet.Source.WORKSHOP), include_in_sna=True)
    Event.objects.filter(pk=event.pk).update(theme_set=theme_set)
    record(request, "event_change", actor=user, target=str(event), change="themes",
           theme_set=theme_set.pk, notes=len(notes))
    return theme_set


@dataclass(frozen=True)
class ThemeOfNotes:
    """A theme of an event's notes: its name, quotable notes and who said them."""

    theme: int
    label: str
    n_notes: int
    suppressed: bool  # fewer notes than the suppression threshold: shown as [c]
    quotes: tuple[str, ...]
    organisations: tuple[str, ...]
    notes: tuple[Note, ...]


def themes_of(event: Event) -> list[ThemeOfNotes]:
    theme_set = event.theme_set
    if theme_set is None or theme_set.status != ThemeSet.Status.READY:
        return []
    result = load_result(theme_set)
    notes = {n.text_id: n for n in Note.objects.filter(workshop__event=event).select_related(
        "organisation", "workshop")}
    allowed = {k for k, n in notes.items() if n.quotable} & theme_services.quotable_ids(
        theme_set)
    out = []
    for column, t in enumerate(result.themes):
        rows = np.flatnonzero(result.membership[:, column])
        members = [notes[str(result.ids[r])] for r in rows if str(result.ids[r]) in notes]
        out.append(ThemeOfNotes(
            theme=t.theme, label=t.label, n_notes=len(members), suppressed=t.suppressed,
            quotes=tuple(theme_services.quotes(result, t.theme, allowed, QUOTES)),
            organisations=tuple(sorted({n.said_by for n in members})), notes=tuple(members)))
    return out


def where(workshop: Workshop) -> str:
    event = workshop.event
    return (f"Workshop {workshop.number}, '{workshop.title}', at {event.title} "
            f"({event.date:%-d %B %Y})")


@dataclass(frozen=True)
class Said:
    """What a proposal came from, ready for an Origin: the source row, words, where, who."""

    source: Any
    kind: str
    said: str
    where: str
    organisations: tuple[str, ...]
    detail: dict[str, Any]
    suggestion: str


def said_in_note(note: Note) -> Said:
    return Said(source=note, kind="workshop note", said=note.text if note.quotable
                else NOT_QUOTED, where=where(note.workshop), organisations=(note.said_by,),
                detail={}, suggestion=note.text[:200] if note.quotable else "")


def said_in_theme(event: Event, theme: int) -> Said:
    found = next((t for t in themes_of(event) if t.theme == theme), None)
    if found is None or event.theme_set is None:
        raise EventError("that theme is not among this event's themes")
    workshops = sorted({n.workshop.number for n in found.notes})
    place = (f"Theme '{found.label}' of notes from workshop"
             f"{'s' if len(workshops) > 1 else ''} {', '.join(map(str, workshops))} at "
             f"{event.title} ({event.date:%-d %B %Y})")
    words = found.label + (": " + " / ".join(f"“{q}”" for q in found.quotes)
                           if found.quotes else "")
    return Said(source=event.theme_set, kind="workshop theme", said=words, where=place,
                organisations=found.organisations, detail={"theme": theme, "event": event.pk},
                suggestion=found.label)


def organisations_at(event: Event) -> Sequence[str]:
    return [*(str(o) for o in event.organisations.all()), *event.other_list()]


def next_workshop_number(event: Event) -> int:
    return max((w.number for w in event.workshops.all()), default=0) + 1


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()
