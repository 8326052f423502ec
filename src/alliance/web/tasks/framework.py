"""Where Alliance meets Django's task framework and its database backend (``django-tasks-db``).

Django 6 ships the framework as ``django.tasks``; before it, the ``django-tasks`` package is the
same API. The database backend works with either. Everything here is the library's own code
path: a task is queued by ``DatabaseBackend.enqueue``, claimed with the backend's
``select_for_update(skip_locked=True)`` inside its exclusive transaction, and run by its
``db_worker`` :class:`Worker` (which records success or failure and sends the framework's
signals). The only additions are running one given task now, in this process (inline mode on a
laptop), and failing the framework's record of a task whose worker died.
"""

from __future__ import annotations

import logging
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if find_spec("django.tasks") or TYPE_CHECKING:  # Django 6 and later
    from django.tasks import DEFAULT_TASK_QUEUE_NAME, TaskResultStatus, task
else:  # pragma: no cover - Django 5.2, through the backport
    from django_tasks import DEFAULT_TASK_QUEUE_NAME, TaskResultStatus, task

__all__ = ["LoggedOnce", "fail_running", "run_one", "run_worker", "task"]

BACKEND = "default"
#: set on an exception the task body has logged already (with its traceback)
LOGGED = "alliance_logged"
#: the framework's logger: the backport's name, and Django 6's
FRAMEWORK_LOGGERS = ("django_tasks", "django.tasks")


class LoggedOnce(logging.Filter):
    """Keep the framework's line for a failed task but not a second copy of its traceback.

    The framework logs every failed task with ``logger.exception``. An Alliance task body has
    logged an unexpected error already, under the reference the person was given to quote, and
    a refusal (``TaskFailed``) is an outcome told in plain words, not a fault; the traceback
    stays on the framework's record of the task either way.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from alliance.web.tasks.services import TaskFailed

        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and (isinstance(exc, TaskFailed) or getattr(exc, LOGGED, False)):
            record.exc_info, record.exc_text = None, None
        return True


def install_log_filter() -> None:
    """Called once from the tasks app's ``ready``."""
    for name in FRAMEWORK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, LoggedOnce) for f in logger.filters):
            logger.addFilter(LoggedOnce())


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker stopped while running it."""


def _worker(*, worker_id: str, batch: bool = True, interval: float = 1.0,
            max_tasks: int | None = None) -> Any:
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=[DEFAULT_TASK_QUEUE_NAME], interval=interval, batch=batch,
                  backend_name=BACKEND, startup_delay=False, max_tasks=max_tasks,
                  worker_id=worker_id[:64], excluded_queue_names=[])


def run_one(result_id: str, *, worker_id: str) -> bool:
    """Claim queued task ``result_id`` and run it here, as a worker would; False if a worker
    (or another thread) has it already."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    with exclusive_transaction(DBTaskResult.objects.db):
        found = DBTaskResult.objects.ready().filter(pk=result_id).get_locked()
        if found is None:
            return False
        found.claim(worker_id[:64])
    _worker(worker_id=worker_id).run_task(found)
    return True


def run_worker(*, batch: bool, worker_id: str, interval: float = 1.0) -> int:
    """The backend's worker loop in this process; returns the number of tasks it ran."""
    from django.db import connection
    from django_tasks_db.management.commands import db_worker

    worker = _worker(worker_id=worker_id, batch=batch, interval=interval)
    if not connection.in_atomic_block:
        worker.run()
        return int(worker._run_tasks)
    # Called inside a transaction (a test's): the loop's close_old_connections() would close
    # the connection, and the transaction with it; a connection in use is not an old one.
    close = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        worker.run()
    finally:
        db_worker.close_old_connections = close
    return int(worker._run_tasks)


def fail_running(result_ids: list[str], *, reason: str) -> int:
    """Mark failed the framework's records of running tasks ``result_ids`` (lost workers)."""
    from django_tasks_db.models import DBTaskResult

    if not result_ids:
        return 0
    return DBTaskResult.objects.filter(pk__in=result_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {reason}")
