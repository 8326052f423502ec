"""The ``send_action_reminders`` task: the day's action reminders, queued once a day by every
worker (:data:`alliance.web.tasks.services.SCHEDULED`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from alliance.web.tasks.models import Task
from alliance.web.tasks.services import Progress, handler, schedule


@handler("send_action_reminders")
def send_action_reminders(task: Task, progress: Progress) -> dict[str, Any]:
    from alliance.web.actions.reminders import send_reminders
    from alliance.web.audit.services import record

    progress("Sending action reminders", 0, 1)
    out = send_reminders(timezone.localdate())
    record(None, "reminders_sent", target="action reminders", sent=len(out.sent),
           failed=len(out.failed), task=task.pk)
    return {"sent": len(out.sent), "failed": len(out.failed)}


schedule("send_action_reminders", every=timedelta(days=1))
