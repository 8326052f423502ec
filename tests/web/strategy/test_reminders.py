"""Action reminders: before the due date and after it, each sent once, to the right people,
through Django's e-mail settings; the worker queues them daily; the command sends them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture
def actions(partnership, user_of):  # type: ignore[no-untyped-def]
    from alliance.web.accounts.models import Organisation
    from alliance.web.actions.models import Action
    from alliance.web.strategy.models import Strategy

    Action.objects.all().delete()
    strategy = Strategy.objects.get(partnership=partnership)
    council = Organisation.objects.get(name="West Northamptonshire Council")
    icb = Organisation.objects.get(name="NHS Northamptonshire Integrated Care Board")

    def make(title: str, due: date, **kw: object) -> Action:
        return Action.objects.create(strategy=strategy, title=title, due=due,
                                     organisation=kw.pop("organisation", council), **kw)

    return {"soon": make("Due soon", TODAY + timedelta(days=5), owner=user_of("analyst")),
            "later": make("Due later", TODAY + timedelta(days=30)),
            "late": make("Late", TODAY - timedelta(days=1), owner_email="lead@icb.example",
                         organisation=icb),
            "done": make("Done late", TODAY - timedelta(days=3), status="done"),
            "proposed": make("Only proposed", TODAY - timedelta(days=3), status="proposed"),
            "no_lead": make("Nobody leads", TODAY - timedelta(days=9), organisation=icb)}


def test_reminders_before_and_after_the_due_date(actions, user_of) -> None:
    from alliance.web.actions.reminders import send_reminders

    out = send_reminders(TODAY, days_before=7, every_days=7)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Action due in 5 days: Due soon", "Action overdue: Late",
                        "Action overdue: Nobody leads"]
    to = {m.subject: m.to for m in mail.outbox}
    assert to["Action due in 5 days: Due soon"] == [user_of("analyst").email]
    assert to["Action overdue: Late"] == ["lead@icb.example"]
    # nobody leads and the ICB has no partner lead: the administrators are told
    assert to["Action overdue: Nobody leads"] == [user_of("administrator").email]
    body = next(m.body for m in mail.outbox if m.subject == "Action overdue: Late")
    assert f"/actions/{actions['late'].pk}/" in body and "1 day ago" in body
    assert len(out.sent) == 3 and not out.failed
    # run again the same day (or the next): nothing is sent twice
    send_reminders(TODAY, days_before=7, every_days=7)
    send_reminders(TODAY + timedelta(days=1), days_before=7, every_days=7)
    assert len(mail.outbox) == 3
    # a week on the overdue ones are reminded again, and the one due soon is now overdue
    send_reminders(TODAY + timedelta(days=7), days_before=7, every_days=7)
    assert sorted(m.subject for m in mail.outbox[3:]) == [
        "Action overdue: Due soon", "Action overdue: Late", "Action overdue: Nobody leads"]
    from alliance.web.actions.models import Reminder

    # the latest of each (ordered, so the dict keeps the highest number)
    numbers = dict(Reminder.objects.filter(kind="overdue", number__gt=1).order_by(
        "number").values_list("action__title", "number"))
    # 'Nobody leads' was already 9 days late on the first run: its reminders count the weeks
    assert numbers == {"Late": 2, "Nobody leads": 3}


def test_a_partner_lead_gets_the_reminders_of_an_action_nobody_leads(actions, user_of) -> None:
    from alliance.web.actions.reminders import recipients

    assert recipients(actions["later"]) == [user_of("partner_lead").email]


def test_not_configured_mail_is_recorded_and_tried_again(actions, settings) -> None:
    from alliance.web.actions.models import Reminder
    from alliance.web.actions.reminders import send_reminders

    settings.EMAIL_BACKEND = "alliance.web.accounts.mail.NotConfiguredBackend"
    out = send_reminders(TODAY, days_before=7)
    assert len(out.failed) == 3 and not mail.outbox
    assert Reminder.objects.filter(problem__contains="not set up to send e-mail").count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = send_reminders(TODAY + timedelta(days=1), days_before=7)
    assert len(again.sent) == 3 and len(mail.outbox) == 3
    assert not Reminder.objects.exclude(problem="").exists()


def test_the_scheduled_command_sends_reminders_once_a_day(actions) -> None:
    from alliance.web.tasks.schedule import run_due

    (first,) = [o for o in run_due() if o.name == "action_reminders"]
    assert first.ran and first.ok and first.summary.startswith(f"{len(mail.outbox)} reminder")
    assert len(mail.outbox) >= 1
    (again,) = [o for o in run_due() if o.name == "action_reminders"]
    assert not again.ran  # not again within the day


def test_the_reminder_task_runs_on_a_worker(actions) -> None:
    from alliance.web.tasks.models import Task
    from alliance.web.tasks.services import enqueue, work

    enqueue("send_action_reminders")
    assert work(once=True) == 1
    task = Task.objects.get(kind="send_action_reminders")
    assert task.status == "done" and task.result["sent"] >= 1


def test_the_command_sends_the_days_reminders(actions, capsys) -> None:
    from typer.testing import CliRunner

    from alliance.cli.main import app

    result = CliRunner().invoke(app, ["actions", "remind", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "3 reminder(s) sent" in result.output and len(mail.outbox) == 3
    bad = CliRunner().invoke(app, ["actions", "remind", "--today", "10/03/2026"])
    assert bad.exit_code == 1 and "must be a date" in bad.output


def test_progress_by_the_owner_and_the_partner_page(client_as, actions, partnership) -> None:
    c = client_as("partner_lead")
    soon = actions["soon"]
    assert c.post(f"/actions/{soon.pk}/progress/", {"status": "in_progress",
                                                   "text": "Letters drafted"}).status_code == 302
    soon.refresh_from_db()
    assert soon.status == "in_progress"
    assert c.post(f"/actions/{actions['late'].pk}/progress/",
                  {"status": "done", "text": "x"}).status_code == 403
    page = client_as("board_viewer").get(f"/actions/partners/{soon.organisation_id}/")
    text = page.content.decode()
    assert "What West Northamptonshire Council owes" in text and "Due soon" in text
