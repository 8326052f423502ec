"""Work on a timetable: reminders, retention deletions, the stale rule, pruning old records.

One command runs it all, ``alliance scheduled``, from cron or a systemd timer (every 5 to 15
minutes; docs/deployment.md). Each job says how often it is due; the command runs the jobs that
are due, each on its own, records when each last ran and how it went
(:class:`~alliance.web.tasks.models.ScheduledRun`), and exits non-zero if any failed. Two
overlapping runs never run the same job twice: a job is taken by a compare-and-set on its
record. Jobs run in the command's process, so no task worker is needed for them.

Registering a job (in the app's ``tasks.py``, imported from ``AppConfig.ready``)::

    from alliance.web.tasks.schedule import scheduled

    @scheduled("strategy_reminders", every=timedelta(hours=1))
    def send_due_reminders(now: datetime) -> str:
        ...                              # idempotent: send what is due at ``now``, once
        return f"{n} reminder(s) sent"   # one line for the log and the command's output
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.web.tasks.models import ScheduledRun

log = logging.getLogger(__name__)

Job = Callable[[datetime], str]


@dataclass(frozen=True)
class Scheduled:
    name: str
    every: timedelta
    run: Job


@dataclass(frozen=True)
class Outcome:
    name: str
    ran: bool
    ok: bool
    summary: str


JOBS: dict[str, Scheduled] = {}


def scheduled(name: str, *, every: timedelta) -> Callable[[Job], Job]:
    """Register ``fn(now) -> summary`` to run from ``alliance scheduled`` at most every
    ``every``. The job must be idempotent: it does what is due at ``now`` and nothing twice."""
    if every <= timedelta(0):
        raise ValueError("a scheduled job needs a positive interval")

    def register(fn: Job) -> Job:
        JOBS[name] = Scheduled(name=name, every=every, run=fn)
        return fn
    return register


def _jobs() -> dict[str, Scheduled]:
    from alliance.web.tasks import handlers  # noqa: F401  (registers the built-in jobs)

    return JOBS


def _take(job: Scheduled, now: datetime, *, force: bool) -> bool:
    """Claim ``job`` for this run if it is due (compare-and-set on its last start)."""
    record = ScheduledRun.objects.filter(name=job.name).first()
    if record is None:
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, started_at=now)
            return True
        except IntegrityError:  # another run created it first: it has the job
            return False
    if not force and record.started_at is not None and now - record.started_at < job.every:
        return False
    return ScheduledRun.objects.filter(name=job.name, started_at=record.started_at).update(
        started_at=now) == 1


def run_due(*, now: datetime | None = None, only: str | None = None,
            force: bool = False) -> list[Outcome]:
    """Run the jobs that are due (or ``only`` one, or all with ``force``); their outcomes."""
    now = now or timezone.now()
    jobs = _jobs()
    if only is not None and only not in jobs:
        raise ValueError(f"no scheduled job {only!r}; known: {', '.join(sorted(jobs))}")
    outcomes = []
    for job in sorted(jobs.values(), key=lambda j: j.name):
        if only is not None and job.name != only:
            continue
        if not _take(job, now, force=force or only is not None):
            outcomes.append(Outcome(job.name, ran=False, ok=True, summary="not due"))
            continue
        try:
            summary, ok = str(job.run(now))[:300], True
        except Exception as exc:  # one failing job must not stop the others
            log.exception("scheduled job %s failed", job.name)
            summary, ok = f"{type(exc).__name__}: {exc}"[:300], False
        ScheduledRun.objects.filter(name=job.name).update(
            finished_at=timezone.now(), ok=ok, summary=summary)
        outcomes.append(Outcome(job.name, ran=True, ok=ok, summary=summary))
    return outcomes
