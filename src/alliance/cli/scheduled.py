"""`alliance scheduled`: run the scheduled work that is due, for cron or a systemd timer."""

from __future__ import annotations

from typing import Annotated

import typer


def printable(text: str) -> str:
    """``text`` with every control character written as an escape, so that a job's words
    (which may come from data) can never steer the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def scheduled(
    job: Annotated[str | None, typer.Option(
        "--job", metavar="NAME", help="Run only this job, due or not.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Run every job now, due or not.")] = False,
    list_jobs: Annotated[bool, typer.Option(
        "--list", help="List the jobs, how often each runs and how it last went.")] = False,
) -> None:
    """Run the scheduled jobs that are due (reminders, retention deletions, tasks left by a
    stopped worker). Run it every 5 to 15 minutes; a job not yet due is skipped, and two runs
    at once never run the same job twice. Exits 1 if a job failed."""
    from alliance.web.setup import django_setup

    django_setup()
    from rich.markup import escape

    from alliance.cli.main import fail, out
    from alliance.web.tasks import schedule
    from alliance.web.tasks.models import ScheduledRun

    if list_jobs:
        last = {r.name: r for r in ScheduledRun.objects.all()}
        for name, item in sorted(schedule._jobs().items()):
            record = last.get(name)
            when = (f"last run {record.started_at:%Y-%m-%d %H:%M} "
                    f"({'ok' if record.ok else 'failed'}): {record.summary}"
                    if record and record.started_at else "never run")
            # escape() keeps [ ] from being read as rich markup
            out.print(escape(printable(f"{name}: every {item.every}; {when}")),
                      highlight=False)
        return
    try:
        outcomes = schedule.run_due(only=job, force=force)
    except ValueError as exc:
        fail(escape(printable(str(exc))))
    for outcome in outcomes:
        if outcome.ran:
            mark = "ok" if outcome.ok else "FAILED"
            out.print(escape(printable(f"{outcome.name}: {mark}: {outcome.summary}")),
                      highlight=False)
    if any(not o.ok for o in outcomes):
        raise typer.Exit(1)
