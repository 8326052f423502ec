"""Events in the workspace: notes typed and uploaded (bad files refused whole, naming file,
line and field), personal details never quoted, themes found in an event's notes, and a theme
or note turned into a proposal that keeps the link back to what was said and who said it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def _upload(c, workshop: int, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return c.post(f"/events/workshops/{workshop}/notes/upload/",
                  {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def event(partnership):  # type: ignore[no-untyped-def]
    from alliance.web.events.models import Event

    return Event.objects.get(partnership=partnership)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notes.csv", b"text,who\nMore lighting,Police\n", "notes.csv, line 1: no column 'note'"),
    ("notes.csv", b"note,organisation\nMore lighting,Police,extra\n",
     "notes.csv, line 2: 3 fields where the header has 2"),
    ("notes.csv", b'note\n"unclosed quote\n', "notes.csv, line"),
    ("notes.csv", "note\nCaf\u00e9 talk\n".encode("latin-1"), "notes.csv, line 2: not UTF-8"),
    ("notes.csv", b"note\n<script>alert(1)</script>\n",
     "notes.csv, line 2, field 'note': mark-up"),
    ("notes.csv", b"note\n" + b"x" * 6000 + b"\n", "notes.csv, line 2, field 'note'"),
    ("notes.txt", b"\n\n  \n", "notes.txt: no notes found"),
    ("notes.xlsx", b"PK\x03\x04", "notes.xlsx"),
    ("notes.txt", b"a\x00b\n", "notes.txt, line 1: contains a NUL byte"),
])
def test_bad_note_files_are_refused_whole(client_as, event, name: str, data: bytes,
                                          message: str) -> None:
    from alliance.web.events.models import Note

    before = Note.objects.count()
    workshop = event.workshops.first()
    response = _upload(client_as("partner_lead"), workshop.pk, name, data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Note.objects.count() == before


def test_notes_upload_matches_partners_and_keeps_other_groups(client_as, event) -> None:
    from alliance.web.audit.models import AuditEvent
    from alliance.web.events.models import Note

    workshop = event.workshops.last()
    data = (b"note,organisation\nMore youth workers in Corby,North Northamptonshire Council\n"
            b"Call me on 07700 900123 about my son,Youth club network\n\n"
            b"Street lights out on Abington Street,A residents' group\n")
    response = _upload(client_as("partner_lead"), workshop.pk, "notes.csv", data)
    assert response.status_code == 302
    added = list(Note.objects.filter(workshop=workshop, source="uploaded").order_by("id"))
    assert [n.said_by for n in added] == ["North Northamptonshire Council",
                                          "Youth club network", "A residents' group"]
    assert added[0].organisation is not None and added[1].flagged == "phone number"
    assert AuditEvent.objects.filter(action="event_change", detail__notes=3).exists()


def test_a_note_becomes_a_proposed_action_with_its_origin(client_as, event) -> None:
    from alliance.web.accounts.models import Organisation
    from alliance.web.actions.models import Action, Origin
    from alliance.web.events.models import Note

    note = Note.objects.get(text__startswith="Referral routes between schools")
    org = Organisation.objects.get(name="Northamptonshire Youth Justice Service")
    c = client_as("analyst")
    form = c.get(f"/events/propose/?note={note.pk}")
    assert "Referral routes between schools" in form.content.decode()
    response = c.post("/events/propose/", {"note": note.pk, "kind": "action",
                                           "title": "Map the referral routes",
                                           "organisation": org.pk, "due": "2026-03-31"})
    assert response.status_code == 302, response.content[:3000]
    action = Action.objects.get(title="Map the referral routes")
    assert action.status == "proposed" and action.organisation == org
    origin = Origin.objects.get(target_id=action.pk, kind="workshop note")
    assert origin.organisations == ["Northamptonshire Youth Justice Service"]
    assert "Workshop 3" in origin.where and origin.said == note.text
    page = c.get(f"/actions/{action.pk}/").content.decode()
    assert "Referral routes between schools" in page and "Workshop 3" in page


def test_a_flagged_note_is_never_quoted_in_its_origin(client_as, event, user_of) -> None:
    from alliance.web.events.models import Note
    from alliance.web.events.services import NOT_QUOTED, add_note
    from alliance.web.strategy.models import Priority

    workshop = event.workshops.first()
    note = add_note(Note(workshop=workshop, text="Ring Sam on 07700 900456, he knows who"),
                    user_of("analyst"))
    assert note.flagged
    c = client_as("administrator")
    c.post(f"/strategy/{Priority.objects.first().strategy_id}/new-version/")  # type: ignore[union-attr]
    response = c.post("/events/propose/", {"note": note.pk, "kind": "priority",
                                           "title": "Knowing who carries"})
    assert response.status_code == 302
    from alliance.web.actions.models import Origin

    origin = Origin.objects.get(source_id=note.pk, kind="workshop note")
    assert origin.said == NOT_QUOTED and "07700" not in origin.said


def test_a_proposed_priority_needs_a_draft(client_as, event) -> None:
    from alliance.web.events.models import Note

    note = Note.objects.first()
    response = client_as("analyst").post("/events/propose/", {
        "note": note.pk, "kind": "priority", "title": "X"})  # type: ignore[union-attr]
    assert response.status_code == 400
    assert "no draft strategy" in response.content.decode()


@pytest.mark.slow
def test_themes_of_the_notes_become_a_proposed_priority(client_as, event) -> None:
    """The event's 20 notes are read by the language model (inline task); a theme becomes a
    proposed priority of the new draft, its origin naming the organisations, never people."""
    from alliance.web.actions.models import Origin
    from alliance.web.events.services import themes_of
    from alliance.web.strategy.models import Priority

    c = client_as("analyst")
    assert c.post(f"/events/{event.pk}/themes/").status_code == 302
    event.refresh_from_db()
    assert event.theme_set is not None and event.theme_set.status == "ready"
    themes = themes_of(event)
    assert len(themes) >= 2 and sum(t.n_notes for t in themes) >= 20
    page = c.get(f"/events/{event.pk}/").content.decode()
    assert "Turn into a proposal" in page
    theme = themes[0]
    c.post(f"/strategy/{Priority.objects.first().strategy_id}/new-version/")  # type: ignore[union-attr]
    response = c.post("/events/propose/", {"event": event.pk, "theme": theme.theme,
                                           "kind": "priority", "title": theme.label})
    assert response.status_code == 302
    made = Priority.objects.get(title=theme.label, status="proposed")
    origin = Origin.objects.get(target_id=made.pk, kind="workshop theme")
    assert set(origin.organisations) == set(theme.organisations)
    assert origin.detail == {"theme": theme.theme, "event": event.pk}
    assert "Theme '" in origin.where


def test_a_note_suggesting_a_child_at_risk_goes_to_the_safeguarding_lead(
        client_as, event, partnership) -> None:  # type: ignore[no-untyped-def]
    """As uploaded survey answers do: referred at once, audited, withheld from those who do
    not moderate, never offered as a proposal."""
    from django.core import mail

    from alliance.web.audit.models import AuditEvent
    from alliance.web.conversations.models import SafeguardingContact, SafeguardingReferral

    SafeguardingContact.objects.create(partnership=partnership, lead_name="Sam Lead",
                                       lead_email="lead@example.org", procedure="Ring the lead.")
    workshop = event.workshops.first()
    lead = client_as("partner_lead")
    response = _upload(lead, workshop.pk, "notes.txt",
                       b"A girl said my mum's boyfriend hits me when he drinks\n"
                       b"More youth workers in Corby\n")
    assert response.status_code == 302
    referral = SafeguardingReferral.objects.get()
    assert "boyfriend" in referral.text and referral.emailed
    assert any("boyfriend" in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(action="safeguarding_referral").count() == 1
    page = lead.get(response["Location"]).content.decode()
    assert "referred to Sam Lead" in page and "boyfriend" not in page
    assert "Withheld: referred to the safeguarding lead" in page
    assert "boyfriend" in client_as("administrator").get(response["Location"]).content.decode()


def test_without_a_lead_the_recorder_is_told_to_follow_the_procedure(client_as, event) -> None:
    from alliance.web.conversations.models import SafeguardingReferral

    workshop = event.workshops.first()
    lead = client_as("partner_lead")
    response = lead.post(f"/events/workshops/{workshop.pk}/notes/add/", {
        "text": "He said I'm going to stab him after school", "organisation_other": "A school"},
        follow=True)
    assert not SafeguardingReferral.objects.exists()
    assert "no safeguarding lead is named" in response.content.decode()
