"""Background work on Django's task framework, with the progress and stale rule it lacks.

Tasks are defined, queued, claimed and run by Django's task framework (``django.tasks`` from
Django 6, the ``django-tasks`` backport before it) with the ``django-tasks-db`` database
backend: the queue is a table in the store's own database (SQLite on a laptop, PostgreSQL on a
shared deployment), claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` by ``db_worker``
processes (``alliance worker``). What this module adds is what people see: a
:class:`~alliance.web.tasks.models.Task` row per task with who started it, progress, the result
and, on failure, what to do in plain words; and the stale rule (see ADR 0010).

The API other apps use (stable; new task kinds need nothing else)::

    from alliance.web.tasks.models import Task
    from alliance.web.tasks.services import Progress, TaskFailed, handler, start, submit

    @handler("send_reminders")            # in the app's tasks.py, imported from AppConfig.ready
    def send_reminders(task: Task, progress: Progress) -> dict[str, Any]:
        progress("Sending reminders", 0, n)   # (message, done, total), shown on the task page
        ...                                   # raise TaskFailed("plain words") to refuse
        return {"sent": n}                    # JSON: kept on the row as task.result

    submit("send_reminders", created_by=user, strategy=pk)  # inline: runs now, in the request
    start("build_sna", created_by=user, build_id=pk)        # inline: a thread; never waits

``handler(kind)`` turns the function into a framework task (a module-level ``Task`` named after
the function, run by the worker through its import path); ``task.arguments`` holds the keyword
arguments given to :func:`submit`/:func:`start`/:func:`enqueue` (JSON values only). With
``ALLIANCE_TASKS_INLINE=0`` all three only queue, for ``alliance worker``. Work on a timetable
(reminders, retention deletions) registers with :func:`alliance.web.tasks.schedule.scheduled`.
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
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from alliance.web.tasks import framework, live
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

#: kind -> the framework task that runs it
HANDLERS: dict[str, Any] = {}


class TaskFailed(Exception):
    """A handler's refusal: ``str(exc)`` is shown to the person who started the task."""


def handler(kind: str, *, priority: int = 0) -> Callable[[Handler], Any]:
    """Register ``fn`` as the handler of tasks of ``kind``; returns the framework task.

    ``priority`` (-100 to 100, higher first) orders the queue; the worker takes the highest
    priority first, then the oldest.
    """
    def register(fn: Handler) -> Any:
        def run_task(context: Any, task_id: int) -> dict[str, Any]:
            return _execute(task_id, fn, worker=str(context.task_result.worker_ids[-1]))

        # the framework finds the task again by the import path of its function: give the
        # runner the handler's module and name (not functools.wraps: its __wrapped__ would
        # make the framework read the handler's arguments instead of the runner's)
        run_task.__module__, run_task.__name__ = fn.__module__, fn.__name__
        run_task.__qualname__, run_task.__doc__ = fn.__qualname__, fn.__doc__
        runnable = framework.task(priority=priority, takes_context=True)(run_task)
        HANDLERS[kind] = runnable
        return runnable
    return register


def _handlers() -> dict[str, Any]:
    from alliance.web.tasks import handlers  # noqa: F401  (registers the built-in kinds)

    return HANDLERS


def inline() -> bool:
    return bool(getattr(settings, "ALLIANCE_TASKS_INLINE", True))


def enqueue(kind: str, *, created_by: Any = None, **arguments: Any) -> Task:
    """Queue a task of ``kind`` with JSON-serialisable ``arguments``.

    The row people see and the framework's queue entry are written in one transaction, so a
    worker never takes a task whose row is not there yet.
    """
    runnable = _handlers().get(kind)
    if runnable is None:
        raise ValueError(f"no task handler for {kind!r}; known: {', '.join(sorted(HANDLERS))}")
    with transaction.atomic():
        task = Task.objects.create(kind=kind, arguments=arguments, created_by=created_by,
                                   message="Waiting for a worker")
        result = runnable.enqueue(task.pk)
        task.result_id = str(result.id)
        Task.objects.filter(pk=task.pk).update(result_id=task.result_id)
    return task


def submit(kind: str, *, created_by: Any = None, **arguments: Any) -> Task:
    """Queue a task, and run it now in this process when tasks run inline."""
    task = enqueue(kind, created_by=created_by, **arguments)
    if inline():
        framework.run_one(task.result_id, worker_id="inline")
        task.refresh_from_db()
    return task


def start(kind: str, *, created_by: Any = None, **arguments: Any) -> Task:
    """Queue a task that nobody should wait for (an SNA build) and return at once.

    A worker takes it; when tasks run inline there is no worker, so a thread of this process
    runs it as soon as the new row is committed (:func:`in_background`). The one exception is
    an in-memory SQLite database (the SQLite test pass): it is a single connection, which two
    threads must never use at once (Django's documentation warns of this for its live test
    server; a build's transaction on it breaks the next request's), so there the task runs in
    this thread at the commit, before the answer is sent.
    """
    task = enqueue(kind, created_by=created_by, **arguments)
    if inline():
        pk = task.pk
        if _single_connection():
            transaction.on_commit(lambda: _run_here(pk))
        else:
            transaction.on_commit(lambda: in_background(pk))
    return task


def _single_connection() -> bool:
    db = connections[DEFAULT_DB_ALIAS]
    return db.vendor == "sqlite" and bool(db.is_in_memory_db())


def _run_here(pk: int) -> None:
    result_id = Task.objects.filter(pk=pk).values_list("result_id", flat=True).first() or ""
    framework.run_one(result_id, worker_id=f"{worker_name()} inline")


def in_background(pk: int) -> threading.Thread:
    """Run queued task ``pk`` in a new thread of this process, with its own connection.

    A killed process leaves the task running with no sign of life; the stale rule
    (:func:`fail_stale`) then marks it failed.
    """
    result_id = Task.objects.filter(pk=pk).values_list("result_id", flat=True).first() or ""

    def target() -> None:
        try:
            framework.run_one(result_id, worker_id=f"{worker_name()} thread")
        finally:
            connection.close()

    thread = threading.Thread(target=target, name=f"alliance-task-{pk}", daemon=True)
    thread.start()
    return thread


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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


def _execute(task_id: int, fn: Handler, *, worker: str) -> dict[str, Any]:
    """The body of every framework task: run ``fn`` on the row, record the outcome on it.

    A handler's failure is recorded in plain words on the row, then raised again so that the
    framework records the task as failed too (with the traceback, on its record). The log has
    each traceback once: an unexpected error's under the reference the person was given, and
    a refusal (:class:`TaskFailed`) only where its cause was unexpected; the framework's own
    "state=FAILED" line is kept without a second copy (:class:`framework.LoggedOnce`).
    """
    now = timezone.now()
    taken = Task.objects.filter(pk=task_id, status=Task.Status.QUEUED).update(
        status=Task.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker[:100],
        message="Starting")
    if taken != 1:  # gone, or already failed (by the stale rule, say): nothing to do
        raise TaskFailed(f"task {task_id} is no longer waiting to run")
    task = Task.objects.select_related("created_by").get(pk=task_id)
    writer = ProgressWriter(task)
    ref = f"task {task.pk}"
    try:
        result = fn(task, writer) or {}
    except TaskFailed as exc:
        _finish(task, status="failed", error=for_people(str(exc), where=ref))
        raise
    except Exception as exc:
        _finish(task, status="failed", error=unexpected("This task", ref=ref))  # logs it
        setattr(exc, framework.LOGGED, True)
        raise
    except BaseException:  # interrupted (Ctrl-C, SystemExit): say so, then stop
        _finish(task, status="failed", error="The worker was stopped during this task.")
        raise
    finally:
        writer.close()
    _finish(task, status="done", result=result)
    return result


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
    """Mark failed the running tasks with no sign of life for ``after``; return how many.

    The framework's own record of each is marked failed too: its database worker leaves a task
    "running" for ever when the worker dies (django-tasks-db issue 5).
    """
    cutoff = timezone.now() - after
    minutes = int(after.total_seconds() // 60)
    # progress published from inside a long load's transaction is a sign of life too
    stale = Task.objects.filter(status=Task.Status.RUNNING, heartbeat_at__lt=cutoff).exclude(
        pk__in=live.alive_since(cutoff))
    result_ids = [r for r in stale.values_list("result_id", flat=True) if r]
    failed = stale.update(
        status=Task.Status.FAILED, finished_at=timezone.now(),
        error=(f"No progress for more than {minutes} minutes: the worker running it stopped. "
               "Nothing half-done was kept (each load is one transaction); start it again."))
    framework.fail_running(result_ids, reason=f"no sign of life for {minutes} minutes")
    return failed


def work(*, once: bool = True, worker_id: str | None = None,
         stale_after: timedelta = STALE_AFTER) -> int:
    """Apply the stale rule, then run queued tasks with the framework's database worker until
    the queue is empty (``once``) or for ever; returns the number of tasks run."""
    fail_stale(after=stale_after)
    return framework.run_worker(batch=once, worker_id=worker_id or worker_name())
