"""The day's action reminders: a ``send_action_reminders`` task (queued by hand or by a
build) and the ``action_reminders`` job that ``alliance scheduled`` runs once a day
(:mod:`alliance.web.tasks.schedule`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from alliance.web.tasks.models import Task
from alliance.web.tasks.schedule import scheduled
from alliance.web.tasks.services import Progress, handler


def _send(today: Any, *, task: int | None = None) -> tuple[int, int]:
    from alliance.web.actions.reminders import send_reminders
    from alliance.web.audit.services import record

    out = send_reminders(today)
    record(None, "reminders_sent", target="action reminders", sent=len(out.sent),
           failed=len(out.failed), task=task)
    return len(out.sent), len(out.failed)


@handler("send_action_reminders")
def send_action_reminders(task: Task, progress: Progress) -> dict[str, Any]:
    progress("Sending action reminders", 0, 1)
    sent, failed = _send(timezone.localdate(), task=task.pk)
    return {"sent": sent, "failed": failed}


@scheduled("action_reminders", every=timedelta(days=1))
def action_reminders(now: datetime) -> str:
    """Send the reminders due today, once (reminders already sent are not sent again)."""
    sent, failed = _send(timezone.localdate(now))
    return f"{sent} reminder(s) sent, {failed} could not be sent"
