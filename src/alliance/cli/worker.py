"""`alliance worker`: run the workspace's background tasks (uploads, SNA builds)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated

import typer


def worker(
    once: Annotated[bool, typer.Option(
        "--once", help="Run the tasks queued now, then exit (for a scheduled job).")] = False,
    idle_exit: Annotated[float | None, typer.Option(
        "--idle-exit", metavar="SECONDS",
        help="Exit after this many seconds with nothing to do.")] = None,
    stale_minutes: Annotated[int, typer.Option(
        "--stale-minutes", min=1,
        help="A running task with no progress for this long is marked failed.")] = 30,
) -> None:
    """Run queued uploads, SNA and monitoring builds, and the daily action reminders; the web
    workspace queues the builds when ALLIANCE_TASKS_INLINE=0. Safe to run several at once
    (each task is claimed by one)."""
    from alliance.web.setup import django_setup

    django_setup()
    from alliance.web.tasks.services import work

    # no migrate here: several workers may start at once; `alliance setup` migrates
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    ran = work(once=once, idle_exit=idle_exit, stale_after=timedelta(minutes=stale_minutes),
               scheduled=True)
    typer.echo(f"worker: {ran} task(s) run", err=True)
