"""Held-back text never reaches a result, the consensus rule, the safeguarding route, the
screened area field, moderation in the audit trail, and 404 before 403 (Issue 12 §1–3, §11;
Issue 17 §9)."""

from __future__ import annotations

import numpy as np
import pytest
from django.core import mail

from alliance.web.audit.models import AuditEvent
from alliance.web.conversations import results, safeguarding, services
from alliance.web.conversations.models import (
    Conversation,
    Participant,
    SafeguardingContact,
    SafeguardingReferral,
    Statement,
    StatementEdit,
    Vote,
)
from tests.voice.test_screening import ISSUE_ATTACKS, MORE_ATTACKS, SAFEGUARDING

pytestmark = pytest.mark.django_db


def _voters(conversation: Conversation, n: int, start: int = 100) -> list[Participant]:
    return [Participant.objects.create(conversation=conversation, number=start + i)
            for i in range(n)]


def _vote_all(people: list[Participant], statement: Statement, value: int = 1) -> None:
    Vote.objects.bulk_create([Vote(participant=p, statement=statement, value=value)
                              for p in people])


@pytest.fixture
def lead(conversation) -> SafeguardingContact:
    return SafeguardingContact.objects.create(
        partnership=conversation.partnership, lead_name="Sam Lead",
        lead_email="safeguarding@example.org",
        procedure="Call the lead the same day. If a child is in danger now, call 999.")


@pytest.mark.parametrize(("text", "kind"), ISSUE_ATTACKS + MORE_ATTACKS + SAFEGUARDING)
def test_every_attack_is_held_and_never_shown_in_open_mode(conversation, participant_client,
                                                           text, kind) -> None:
    conversation.mode = Conversation.Mode.OPEN
    conversation.save()
    padded = text if len(text) >= services.MIN_LENGTH else f"{text} (about the park)"
    r = participant_client.post(f"/have-your-say/{conversation.slug}/add/", {"text": padded})
    assert r.status_code == 200
    statement = Statement.objects.get(author_participant__isnull=False)
    assert kind in statement.flagged and statement.state == "pending"
    assert "\u202e" not in statement.text and "\u200b" not in statement.text
    assert statement not in services.visible_statements(conversation)
    other = _voters(conversation, 1)[0]
    seen = {services.next_statement(other) for _ in range(20)}
    assert statement not in seen


def test_held_statements_never_reach_results_or_the_sna_summary(conversation,
                                                                participant_client) -> None:
    """The Issue 12 §1 case: flagged statements with the author's vote (and a rejected one
    with votes) are in no analysis, result or summary; accepted ones are."""
    for text in ("email me amber@example.org for info",
                 "call 07700 900123 if you see knives"):
        participant_client.post(f"/have-your-say/{conversation.slug}/add/", {"text": text})
    rejected = services.seed_statement(conversation, "Jordan Smith is lovely", None)
    for i in range(6):
        services.seed_statement(conversation, f"Seeded statement number {i} about parks", None)
    people = _voters(conversation, 30)
    rng = np.random.default_rng(1)
    Vote.objects.bulk_create([
        Vote(participant=p, statement=s, value=int(rng.choice([-1, 0, 1])))
        for s in conversation.statements.all() for p in people])
    services.moderate(rejected, state="rejected", reason="names a person", user=None)
    accepted = set(services.accepted_numbers(conversation))
    assert set(services.votes_frame(conversation)["statement_id"]) <= accepted
    outcome = services.run_analysis(conversation)
    assert outcome.analysis is not None
    texts = services.accepted_texts(conversation)
    summary = results.summarise(outcome.analysis, texts, services.consensus_eligible(conversation))
    shown = [row["text"] for row in summary.consensus + summary.informed] + [
        row["text"] for rows in summary.group_views.values() for row in rows]
    assert shown and all(t in texts.values() for t in shown)
    assert not any("amber" in t or "07700" in t or "Jordan" in t for t in shown)


def test_consensus_needs_votes_from_five_people_besides_the_author(conversation) -> None:
    people = _voters(conversation, 12)
    author = people[0]
    lonely = Statement.objects.create(conversation=conversation, number=50, state="accepted",
                                      text="Only my own vote so far", normalised="only",
                                      author_participant=author)
    _vote_all([author], lonely)
    few = Statement.objects.create(conversation=conversation, number=51, state="accepted",
                                   text="Four others voted", normalised="four",
                                   author_participant=author)
    _vote_all(people[:5], few)  # the author and four others
    enough = Statement.objects.create(conversation=conversation, number=52, state="accepted",
                                      text="Five others voted", normalised="five",
                                      author_participant=author)
    _vote_all(people[:6], enough)
    seeded = conversation.statements.get(number=0)
    _vote_all(people[:5], seeded)  # staff statement: every voter counts
    eligible = services.consensus_eligible(conversation)
    assert 50 not in eligible and 51 not in eligible
    assert {52, 0} <= eligible


def test_refer_hides_everywhere_emails_the_lead_and_is_audited(
        client_as, conversation, participant_client, lead) -> None:
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "my mum's boyfriend hits me when he's drunk"})
    statement = Statement.objects.get(author_participant__isnull=False)
    assert "a child may be at risk" in statement.flagged
    moderator = client_as("moderator")
    page = moderator.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Refer to the safeguarding lead" in page and "call 999" in page
    assert "Sam Lead" in page
    r = moderator.post(f"/conversations/{conversation.pk}/", {
        "statement": statement.pk, "state": "referred", "reason": "disclosure of harm"})
    assert r.status_code == 302
    statement.refresh_from_db()
    assert statement.state == "referred" and statement.text == safeguarding.REFERRED_TEXT
    referral = SafeguardingReferral.objects.get()
    assert referral.text.startswith("my mum's boyfriend") and referral.emailed
    assert "disclosure of harm" in referral.concern
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["safeguarding@example.org"]
    assert "my mum's boyfriend" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="safeguarding_referral")
    assert event.detail["referral"] == referral.pk and event.actor.membership.role == "moderator"
    # hidden everywhere: participants, the moderation page, the log, results, export
    assert statement not in services.visible_statements(conversation)
    page = moderator.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "boyfriend" not in page
    assert not StatementEdit.objects.filter(old_text__contains="boyfriend").exists()
    assert services.votes_frame(conversation)["statement_id"].eq(statement.number).sum() == 0
    with pytest.raises(ValueError, match="referred"):
        services.moderate(statement, state="accepted", reason="", user=None)


def test_refer_without_a_lead_is_refused(client_as, conversation, participant_client) -> None:
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "I'm going to stab him after school"})
    statement = Statement.objects.get(author_participant__isnull=False)
    r = client_as("moderator").post(f"/conversations/{conversation.pk}/", {
        "statement": statement.pk, "state": "referred", "reason": ""}, follow=True)
    assert "name the partnership" in r.content.decode()
    statement.refresh_from_db()
    assert statement.state == "pending" and not SafeguardingReferral.objects.exists()


def test_a_failed_email_is_recorded_and_the_moderator_told(client_as, conversation,
                                                           participant_client, lead,
                                                           settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "I want to kill myself tonight"})
    statement = Statement.objects.get(author_participant__isnull=False)
    r = client_as("moderator").post(f"/conversations/{conversation.pk}/", {
        "statement": statement.pk, "state": "referred", "reason": ""}, follow=True)
    referral = SafeguardingReferral.objects.get()
    assert not referral.emailed and referral.email_error
    assert "could not be sent" in r.content.decode()
    statement.refresh_from_db()
    assert statement.state == "referred"
    assert AuditEvent.objects.get(action="safeguarding_referral").detail["emailed"] is False


def test_administrator_names_the_lead_and_it_is_audited(client_as, conversation) -> None:
    admin = client_as("administrator")
    r = admin.post("/conversations/safeguarding/", {
        "lead_name": "Sam Lead", "lead_email": "not an address", "procedure": "x"})
    assert r.status_code == 400
    r = admin.post("/conversations/safeguarding/", {
        "lead_name": "Sam Lead", "lead_email": "lead@example.org", "lead_phone": "",
        "procedure": "Ring the lead within the hour."})
    assert r.status_code == 302
    contact = SafeguardingContact.objects.get(partnership=conversation.partnership)
    assert contact.lead_email == "lead@example.org"
    assert AuditEvent.objects.filter(action="safeguarding_settings").exists()
    assert client_as("moderator").get("/conversations/safeguarding/").status_code == 403


def test_creating_opening_and_moderating_are_audited(client_as, participant_client,
                                                     conversation) -> None:
    moderator = client_as("moderator")
    moderator.post("/conversations/new/", {"title": "Parks", "question": "What would help?",
                                           "mode": "strict", "seed_statements": "More lights"})
    created = Conversation.objects.get(title="Parks")
    moderator.post(f"/conversations/{created.pk}/status/", {"status": "open"})
    participant_client.post(f"/have-your-say/{conversation.slug}/add/",
                            {"text": "Benches near the bus stop please"})
    statement = Statement.objects.get(author_participant__isnull=False)
    moderator.post(f"/conversations/{conversation.pk}/", {
        "statement": statement.pk, "state": "rejected", "reason": "duplicate"})
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"conversation_create", "conversation_status", "moderate"} <= set(actions)
    event = AuditEvent.objects.get(action="moderate")
    assert event.detail["before"] == "pending" and event.detail["after"] == "rejected"


@pytest.mark.parametrize("area", ["NN1 4DX", "07700 900123", "amber@example.org",
                                  "14 Wellingborough Road"])
def test_the_area_field_is_screened(conversation, client, area) -> None:
    r = client.post(f"/have-your-say/{conversation.slug}/", {"consent": "on", "area": area})
    assert r.status_code == 200 and "govuk-error-message" in r.content.decode()
    assert not Participant.objects.filter(conversation=conversation).exists()


def test_a_postcode_district_or_town_is_kept(conversation, client) -> None:
    for area in ("NN1", "Kettering"):
        client.cookies.clear()
        r = client.post(f"/have-your-say/{conversation.slug}/", {"consent": "on", "area": area})
        assert r.status_code == 302
    assert sorted(Participant.objects.values_list("area", flat=True)) == ["Kettering", "NN1"]


@pytest.mark.parametrize("path", ["", "results/", "themes/", "export.zip"])
def test_an_unknown_conversation_is_404_for_every_role(client_as, conversation, path) -> None:
    for role in ("administrator", "analyst", "partner_lead", "board_viewer", "moderator"):
        assert client_as(role).get(f"/conversations/987654/{path}").status_code == 404
    assert client_as("board_viewer").post("/conversations/987654/status/",
                                          {"status": "open"}).status_code == 404


def test_start_a_conversation_shows_real_checkboxes(client_as) -> None:
    html = client_as("moderator").get("/conversations/new/").content.decode()
    for name in ("youth_mode", "allow_statements"):
        assert f'name="{name}" type="checkbox"' in html
        assert f'class="govuk-input" type="checkbox" name="{name}"' not in html
    assert html.count('class="govuk-checkboxes__input"') == 2


def test_a_console_mail_backend_does_not_count_as_delivered(conversation, lead,
                                                             settings) -> None:
    """settings.py prints e-mail to the console unless a mail server is set up: a referral
    then says it was not e-mailed, so the moderator contacts the lead directly."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    statement = services.seed_statement(conversation, "I'm going to stab him tonight", None)
    referral = safeguarding.refer(statement, note="", user=None)
    assert not referral.emailed and "no mail server" in referral.email_error


def test_migration_rescreens_what_the_old_screen_let_through(conversation) -> None:
    """Migration 0004: a pending statement the old screen passed is held now (it was shown
    in open mode); an area with a full postcode is erased; a district is kept."""
    from importlib import import_module

    from django.apps import apps

    missed = Statement.objects.create(conversation=conversation, number=40, state="pending",
                                      text="amber＠hotmail.co.uk for info", normalised="x")
    fine = Statement.objects.create(conversation=conversation, number=41, state="pending",
                                    text="Benches by the bus stop", normalised="y")
    postcode, district = _voters(conversation, 2)
    Participant.objects.filter(pk=postcode.pk).update(area="NN1 4DX")
    Participant.objects.filter(pk=district.pk).update(area="NN1")
    import_module("alliance.web.conversations.migrations.0004_rescreen").rescreen(apps, None)
    missed.refresh_from_db()
    fine.refresh_from_db()
    assert missed.flagged == "e-mail address" and fine.flagged == ""
    assert missed not in services.visible_statements(conversation)
    assert Participant.objects.get(pk=postcode.pk).area == ""
    assert Participant.objects.get(pk=district.pk).area == "NN1"
