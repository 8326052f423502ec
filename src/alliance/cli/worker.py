"""`alliance worker`: run the workspace's background tasks (uploads, SNA builds).

The worker is the database backend's own ``db_worker`` (django-tasks-db): it claims one task at
a time with ``SELECT ... FOR UPDATE SKIP LOCKED``, so any number can run side by side, and it
stops cleanly on SIGTERM (finishing the task in hand; a second signal stops it at once).
Before it starts, tasks left running by a worker that died are marked failed (the stale rule).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer


def worker(
    once: Annotated[bool, typer.Option(
        "--once", help="Run the tasks queued now, then exit (for a scheduled job).")] = False,
    interval: Annotated[float, typer.Option(
        "--interval", min=0.1, metavar="SECONDS",
        help="How often an idle worker looks for new tasks.")] = 1.0,
    stale_minutes: Annotated[int, typer.Option(
        "--stale-minutes", min=1,
        help="A running task with no progress for this long is marked failed.")] = 30,
    check: Annotated[bool, typer.Option(
        "--check", help="Do not work: queue a check task and wait for a running worker to "
                        "take it; exit 1 if none does within --timeout.")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, metavar="SECONDS", help="How long --check waits.")] = 60.0,
) -> None:
    """Run queued uploads, SNA and monitoring builds; the web workspace queues them when
    ALLIANCE_TASKS_INLINE=0. Safe to run several at once (each task is claimed by one). Work on
    a timetable (action reminders, retention) runs from `alliance scheduled`."""
    from alliance.web.setup import django_setup

    django_setup()
    from django.core.management import call_command

    from alliance.web.tasks.services import fail_stale, worker_name

    if check:
        _check(timeout)
        return
    # no migrate here: several workers may start at once; `alliance setup` migrates
    lost = fail_stale(after=timedelta(minutes=stale_minutes))
    if lost:
        typer.echo(f"worker: {lost} task(s) left running by a stopped worker marked failed",
                   err=True)
    call_command("db_worker", batch=once, interval=interval, reload=False,
                 worker_id=worker_name()[:64], startup_delay=not once)
    if once:
        typer.echo("worker: the queue is empty", err=True)


def _check(timeout: float) -> None:
    """Queue a ``check_workers`` task (the highest priority) and wait for a worker to run it."""
    import time

    from alliance.web.tasks.models import Task
    from alliance.web.tasks.services import enqueue

    task = enqueue("check_workers")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task.refresh_from_db()
        if task.finished:
            break
        time.sleep(0.5)
    if task.status != Task.Status.DONE:
        typer.echo(f"worker check: no worker ran task {task.pk} within {timeout:.0f} s "
                   "(is `alliance worker` running, with the same DATABASE_URL?)", err=True)
        raise typer.Exit(1)
    typer.echo(f"worker check: task {task.pk} run by {task.worker} in "
               f"{(task.finished_at - task.created_at).total_seconds():.1f} s")
