"""E-mail reminders about actions: before the due date, and after it while still open.

:func:`send_reminders` is run once a day by the ``action_reminders`` job of ``alliance
scheduled`` (:mod:`alliance.web.actions.tasks`), or by ``alliance actions remind`` from cron.
Each reminder is recorded (:class:`Reminder`), so
running it twice sends nothing twice; a reminder that could not be sent is tried again on the
next run. E-mail goes through :func:`alliance.web.accounts.mail.deliver` and so through
Django's e-mail settings, read from the environment (docs/settings.md).

Rules (days from ``ALLIANCE_REMINDER_DAYS_BEFORE`` and ``ALLIANCE_REMINDER_EVERY_DAYS``):

* **due soon**: once, from that many days before the due date until the day before;
* **overdue**: the day after the due date, then every that many days while the action is
  open, at most :data:`MAX_OVERDUE` times.

Recipients: the action's owner (a member, or the e-mail given for an owner who is not one);
with neither, the owning organisation's partner leads; with none, the administrators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from alliance import config
from alliance.web.accounts.mail import deliver
from alliance.web.accounts.models import Membership, Role
from alliance.web.actions.models import Action, Reminder

#: overdue reminders stop after this many
MAX_OVERDUE = 4


@dataclass
class RemindersSent:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[Reminder] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"{len(self.sent)} reminder(s) sent"
        return text + (f", {len(self.failed)} could not be sent" if self.failed else "")


def recipients(action: Action) -> list[str]:
    if action.owner is not None and action.owner.is_active and action.owner.email:
        return [action.owner.email]
    if action.owner_email:
        return [action.owner_email]
    users = get_user_model().objects.filter(is_active=True)
    leads = [m.user.email for m in Membership.objects.filter(
        organisation=action.organisation, role=Role.PARTNER_LEAD,
        user__in=users).select_related("user")]
    if leads:
        return sorted(leads)
    return sorted(m.user.email for m in Membership.objects.filter(
        role=Role.ADMINISTRATOR, user__in=users).select_related("user"))


def _link(action: Action) -> str:
    site = str(getattr(settings, "ALLIANCE_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return site + reverse("actions:detail", args=[action.pk])


def message(action: Action, kind: str, today: date) -> tuple[str, str]:
    days = (action.due - today).days
    when = f"{action.due:%-d %B %Y}"
    if kind == Reminder.Kind.DUE_SOON:
        subject = f"Action due in {days} day{'s' if days != 1 else ''}: {action.title}"
        lead = f"This action is due on {when}."
    else:
        subject = f"Action overdue: {action.title}"
        lead = (f"This action was due on {when} ({-days} day{'s' if -days != 1 else ''} ago) "
                "and is still open.")
    body = (f"{lead}\n\nAction: {action.title}\nOwed by: {action.organisation}\nStatus: "
            f"{action.get_status_display()}\n\nRecord progress, or mark it done, here:\n"
            f"{_link(action)}\n\nYou get this because you lead this action, or lead for "
            f"{action.organisation}, in the {action.strategy.partnership} workspace.\n")
    return subject, body


def _send(action: Action, kind: str, number: int, today: date, out: RemindersSent) -> None:
    existing = Reminder.objects.filter(action=action, kind=kind, due=action.due,
                                       number=number).first()
    if existing is not None and not existing.problem:
        return
    to = recipients(action)
    subject, body = message(action, kind, today)
    problems = [p for p in (deliver(subject, body, address) for address in to) if p]
    problem = ("nobody to send it to" if not to else
               problems[0] if len(problems) == len(to) else "")
    reminder, _ = Reminder.objects.update_or_create(
        action=action, kind=kind, due=action.due, number=number,
        defaults={"to": to, "problem": problem[:300]})
    (out.failed if problem else out.sent).append(reminder)


def send_reminders(today: date, *, days_before: int | None = None,
                   every_days: int | None = None) -> RemindersSent:
    """Send the reminders due on ``today`` (see the module notes)."""
    cfg = config.load()
    before = cfg.reminder_days_before if days_before is None else days_before
    every = cfg.reminder_every_days if every_days is None else every_days
    out = RemindersSent()
    open_actions = (Action.objects.filter(status__in=Action.OPEN)
                    .exclude(status=Action.Status.PROPOSED)
                    .select_related("organisation", "owner", "strategy__partnership"))
    for action in open_actions:
        days = (action.due - today).days
        if 0 < days <= before:
            _send(action, str(Reminder.Kind.DUE_SOON), 1, today, out)
        elif days < 0:
            number = min((-days - 1) // every + 1, MAX_OVERDUE)
            _send(action, str(Reminder.Kind.OVERDUE), number, today, out)
    return out
