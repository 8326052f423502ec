"""A small database-backed task queue: enqueue, claim, run with progress, and the stale rule.

Why our own: a laptop must need nothing beyond its SQLite file, and a shared deployment nothing
beyond its PostgreSQL database. A task is one :class:`~alliance.web.tasks.models.Task` row.

- :func:`enqueue` adds a queued row; :func:`submit` also runs it at once in the request when
  ``settings.ALLIANCE_TASKS_INLINE`` is on (laptops, tests), through the same code a worker uses.
  :func:`start` is for work nobody should wait for (SNA builds): inline, a thread of the web
  process runs it, and the request returns at once.
- :func:`claim_next` takes the oldest queued task atomically: ``SELECT ... FOR UPDATE SKIP
  LOCKED`` on PostgreSQL (several workers never take the same row), and on SQLite the settings'
  ``IMMEDIATE`` transactions serialise the claim. A compare-and-set on ``status`` backs both.
- :func:`run` calls the kind's handler with a progress callback that writes to the row (and,
  inside a load's transaction, publishes through :mod:`alliance.web.tasks.live` so the status
  page sees it before the commit); any exception marks the task failed with its message, and
  the worker carries on.
- :func:`fail_stale` marks failed any task that has been running with no sign of life for
  longer than the stale limit, so a killed worker never leaves a task stuck at "running".
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone

from alliance.web.tasks import live
from alliance.web.tasks.models import Task
from alliance.web.workspace.wording import for_people, unexpected

log = logging.getLogger(__name__)

#: (message, done, total) -> None; the same shape as :data:`alliance.web.pool.services.Progress`
#: but with the message first, as the pool's loaders call it
Progress = Callable[[str, int, int], None]
Handler = Callable[[Task, Progress], dict[str, Any]]

#: a running task with no progress for this long is taken to have lost its worker
STALE_AFTER = timedelta(minutes=30)
#: progress writes are at most this often (the last step and new messages always go through)
PROGRESS_EVERY_SECONDS = 1.0

HANDLERS: dict[str, Handler] = {}
#: task kinds every worker queues on a schedule (action reminders), kind -> how often
SCHEDULED: dict[str, timedelta] = {}


class TaskFailed(Exception):
    """A handler's refusal: ``str(exc)`` is shown to the person who started the task."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler of tasks of ``kind``."""
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn
    return register


def schedule(kind: str, *, every: timedelta) -> None:
    """Have every worker queue a task of ``kind`` when none was queued in the last ``every``
    (:func:`enqueue_scheduled`)."""
    SCHEDULED[kind] = every


def enqueue_scheduled(now: Any = None) -> list[Task]:
    """Queue each scheduled kind that has no task younger than its interval. Two workers
    polling at the same moment may both queue one; scheduled handlers are idempotent."""
    now = now or timezone.now()
    return [enqueue(kind) for kind, every in sorted(SCHEDULED.items())
            if kind in _handlers()
            and not Task.objects.filter(kind=kind, created_at__gt=now - every).exists()]


def _handlers() -> dict[str, Handler]:
    from alliance.web.tasks import handlers  # noqa: F401  (registers the built-in kinds)

    return HANDLERS


def inline() -> bool:
    return bool(getattr(settings, "ALLIANCE_TASKS_INLINE", True))


def enqueue(kind: str, *, created_by: Any = None, **arguments: Any) -> Task:
    """Queue a task of ``kind`` with JSON-serialisable ``arguments``."""
    if kind not in _handlers():
        raise ValueError(f"no task handler for {kind!r}; known: {', '.join(sorted(HANDLERS))}")
    return Task.objects.create(kind=kind, arguments=arguments, created_by=created_by,
                               message="Waiting for a worker")


def submit(kind: str, *, created_by: Any = None, **arguments: Any) -> Task:
    """Queue a task, and run it now in this process when tasks run inline."""
    task = enqueue(kind, created_by=created_by, **arguments)
    if inline():
        claimed = _claim(task.pk, worker="inline")
        if claimed is not None:
            run(claimed)
            task.refresh_from_db()
    return task


def start(kind: str, *, created_by: Any = None, **arguments: Any) -> Task:
    """Queue a task that nobody should wait for (an SNA build) and return at once.

    A worker takes it; when tasks run inline there is no worker, so a thread of this process
    runs it as soon as the new row is committed (:func:`in_background`).
    """
    task = enqueue(kind, created_by=created_by, **arguments)
    if inline():
        pk = task.pk
        transaction.on_commit(lambda: in_background(pk))
    return task


def in_background(pk: int) -> threading.Thread:
    """Run queued task ``pk`` in a new thread of this process, with its own connection.

    A killed process leaves the task running with no sign of life; the stale rule
    (:func:`fail_stale`) then marks it failed.
    """
    # An in-memory SQLite database (the tests') exists only through this thread's connection:
    # share it with the new thread, as Django's live test server shares it with its threads.
    mine = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the thread-local proxy
    shared = mine if mine.vendor == "sqlite" and mine.is_in_memory_db() else None
    if shared is not None:
        shared.inc_thread_sharing()

    def target() -> None:
        if shared is not None:
            connections[shared.alias] = shared
        try:
            claimed = _claim(pk, worker=f"{worker_name()} thread")
            if claimed is not None:
                run(claimed)
        finally:
            if shared is None:
                connection.close()
            else:
                shared.dec_thread_sharing()

    thread = threading.Thread(target=target, name=f"alliance-task-{pk}", daemon=True)
    thread.start()
    return thread


def _claim(pk: int, *, worker: str) -> Task | None:
    now = timezone.now()
    taken = Task.objects.filter(pk=pk, status=Task.Status.QUEUED).update(
        status=Task.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker[:100],
        message="Starting")
    return Task.objects.get(pk=pk) if taken == 1 else None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(*, worker: str | None = None) -> Task | None:
    """Take the oldest queued task for this worker, or None when the queue is empty."""
    with transaction.atomic():
        # skip_locked: PostgreSQL workers pass over rows another worker is claiming; SQLite
        # has no row locks and ignores it (its IMMEDIATE transaction locks the database).
        pk = (Task.objects.select_for_update(skip_locked=True)
              .filter(status=Task.Status.QUEUED).order_by("id")
              .values_list("pk", flat=True).first())
        if pk is None:
            return None
        return _claim(pk, worker=worker or worker_name())


class ProgressWriter:
    """Records ``(message, done, total)`` on the task's row, and publishes it while inside a
    transaction, where the row's new values are invisible to others until the commit."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.publisher = live.Publisher(task.pk)
        self.at = 0.0
        self.message: str | None = None

    def __call__(self, message: str, done: int, total: int) -> None:
        now = time.monotonic()
        if (message == self.message and done < total
                and now - self.at < PROGRESS_EVERY_SECONDS):
            return
        self.at, self.message = now, message
        done, total, text = max(0, int(done)), max(0, int(total)), str(message)[:300]
        Task.objects.filter(pk=self.task.pk).update(
            progress_done=done, progress_total=total, message=text,
            heartbeat_at=timezone.now())
        self.task.progress_done, self.task.progress_total, self.task.message = done, total, text
        if connection.in_atomic_block:
            try:
                self.publisher.publish(text, done, total)
            except Exception:  # progress is a courtesy: never fail a load because of it
                log.warning("could not publish the progress of task %s", self.task.pk,
                            exc_info=True)

    def close(self) -> None:
        self.publisher.close()


def run(task: Task) -> Task:
    """Run a claimed task to the end: done with its result, or failed with the reason."""
    fn = _handlers().get(task.kind)
    writer = ProgressWriter(task)
    ref = f"task {task.pk}"
    try:
        if fn is None:
            raise TaskFailed(f"no handler for tasks of kind {task.kind!r}")
        result = fn(task, writer)
    except TaskFailed as exc:
        _finish(task, status="failed", error=for_people(str(exc), where=ref))
    except Exception:  # a failing task must not stop the worker; the log keeps the details
        _finish(task, status="failed", error=unexpected("This task", ref=ref))
    except BaseException:  # interrupted (Ctrl-C, SystemExit): say so, then stop
        _finish(task, status="failed", error="The worker was stopped during this task.")
        raise
    else:
        _finish(task, status="done", result=result or {})
    finally:
        writer.close()
    return task


def _finish(task: Task, *, status: str, result: dict[str, Any] | None = None,
            error: str = "") -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "finished_at": now, "heartbeat_at": now,
                              "error": error[:5000]}
    if result is not None:
        fields["result"] = result
    if status == "done":
        fields["message"] = "Finished"
        if task.progress_total:
            fields["progress_done"] = task.progress_total
    Task.objects.filter(pk=task.pk).update(**fields)
    live.clear(task.pk)
    task.refresh_from_db()


def fail_stale(*, after: timedelta = STALE_AFTER) -> int:
    """Mark failed the running tasks with no sign of life for ``after``; return how many."""
    cutoff = timezone.now() - after
    minutes = int(after.total_seconds() // 60)
    # progress published from inside a long load's transaction is a sign of life too
    return Task.objects.filter(status=Task.Status.RUNNING, heartbeat_at__lt=cutoff).exclude(
        pk__in=live.alive_since(cutoff)).update(
        status=Task.Status.FAILED, finished_at=timezone.now(),
        error=(f"No progress for more than {minutes} minutes: the worker running it stopped. "
               "Nothing half-done was kept (each load is one transaction); start it again."))


def work(*, once: bool = False, idle_exit: float | None = None, poll_seconds: float = 2.0,
         stale_after: timedelta = STALE_AFTER,
         sleep: Callable[[float], None] = time.sleep, scheduled: bool = False) -> int:
    """The worker loop; returns the number of tasks run.

    ``once``: run what is queued, then return. ``idle_exit``: return after that many seconds
    with nothing to do. Otherwise it runs until stopped. ``scheduled``: also queue the
    scheduled kinds that are due (:func:`enqueue_scheduled`; ``alliance worker`` does).
    """
    name = worker_name()
    ran = 0
    idle_since = time.monotonic()
    while True:
        if not connection.in_atomic_block:  # (in a test's transaction it would close it)
            close_old_connections()  # a long-lived worker must not hold a dead connection
        fail_stale(after=stale_after)
        if scheduled:
            enqueue_scheduled()
        task = claim_next(worker=name)
        if task is not None:
            log.info("running task %s (%s)", task.pk, task.kind)
            run(task)
            ran += 1
            idle_since = time.monotonic()
            continue
        if once:
            return ran
        if idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
            return ran
        sleep(poll_seconds)
