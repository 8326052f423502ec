"""The task kind the workspace starts itself (loading an uploaded police.uk file), and the
scheduled jobs of the queue itself (the stale rule, pruning old queue records).

Kinds that belong to another app register from that app's ``AppConfig.ready`` (the
partner-extract load in ``mappings``, theme finding in ``themes``, SNA builds in ``reports``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from alliance import config
from alliance.web.tasks.models import Task
from alliance.web.tasks.schedule import scheduled
from alliance.web.tasks.services import Progress, TaskFailed, handler


def uploads_dir() -> Path:
    """Where uploaded files wait for the worker: ALLIANCE_HOME/uploads."""
    return config.load().home / "uploads"


def _actor_email(task: Task) -> str:
    return task.created_by.email if task.created_by is not None else ""


@handler("load_police_uk")
def load_police_uk(task: Task, progress: Progress) -> dict[str, Any]:
    """Load one checked upload (``arguments['path']``, under :func:`uploads_dir`) as a batch."""
    from alliance.web.audit.services import record_for_task
    from alliance.web.dashboards.services import warm_dashboards
    from alliance.web.pool import services as pool_services
    from alliance.web.pool.publication import working_on_figures

    root = uploads_dir().resolve()
    path = (root / str(task.arguments.get("path", ""))).resolve()
    if root not in path.parents or not path.is_file():
        raise TaskFailed(f"the uploaded file {task.arguments.get('name', '')!r} is no longer "
                         "on the server; upload it again")
    name = str(task.arguments.get("name") or path.name)
    confirmed = bool(task.arguments.get("confirm_removals"))
    progress(f"Loading {name}", 0, 1)
    # from before the commit until the new figures are in the shared cache, web processes
    # show the boards they have rather than each working the new figures out
    with working_on_figures():
        try:
            with transaction.atomic():
                # the person who uploaded it: the load is refused unless they may change data
                result = pool_services.load_police_uk(
                    [path], reference_dir=config.load().reference,
                    created_by=_actor_email(task) or "worker", progress=progress,
                    user=task.created_by, confirm_removals=confirmed)
        except pool_services.PoolError as exc:
            record_for_task(task, "upload_rejected", target=name, reason=str(exc)[:300])
            raise TaskFailed(str(exc)) from exc
        if result.batch_id is not None:  # new figures: worked out here, not while people wait
            warm_dashboards()
    record_for_task(task, "upload", target=name, batch=result.batch_id, rows=result.rows,
                    replace_confirmed=confirmed,
                    replaced=[r.describe() for r in result.replacements])
    # loaded (or known already): the batch keeps the file's checksum, the copy is not needed
    path.unlink(missing_ok=True)
    if path.parent != root and not any(path.parent.iterdir()):
        path.parent.rmdir()
    return {"name": name, "batch_id": result.batch_id, "rows": result.rows,
            "files_skipped": [list(s) for s in result.files_skipped]}


@handler("check_workers", priority=100)
def check_workers(task: Task, progress: Progress) -> dict[str, Any]:
    """Nothing but a sign that a worker takes tasks: `alliance worker --check` waits for it."""
    return {"worker": task.worker}


# -- scheduled work that belongs to the task queue itself --------------------------------------

@scheduled("fail_stale_tasks", every=timedelta(minutes=5))
def fail_stale_tasks(now: datetime) -> str:
    """The stale rule, also when no worker is running to apply it."""
    from alliance.web.tasks.services import fail_stale

    return f"{fail_stale()} task(s) left running by a stopped worker marked failed"


#: the queue's own records of finished tasks are kept this long (the rows people see, with
#: their outcome in plain words, are kept for good)
TASK_RESULTS_KEPT = timedelta(days=90)


@scheduled("prune_task_results", every=timedelta(days=1))
def prune_task_results(now: datetime) -> str:
    """Delete the framework's records of tasks finished more than 90 days ago."""
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.finished().filter(
        finished_at__lt=now - TASK_RESULTS_KEPT).delete()
    return f"{deleted} finished task record(s) older than {TASK_RESULTS_KEPT.days} days deleted"


# -- scheduled work of the pool ----------------------------------------------------------------

@scheduled("retention_deletions", every=timedelta(days=1))
def retention_deletions(now: datetime) -> str:
    """Delete pooled rows past their data-sharing agreement's retention date (each deletion
    audited by :func:`alliance.web.pool.retention.apply_retention`)."""
    from django.utils import timezone

    from alliance.web.pool.retention import apply_retention

    done = apply_retention(today=timezone.localdate(now))
    if not done:
        return "no rows are past their retention date"
    return f"{sum(d.rows for d in done):,} row(s) of {len(done)} dataset(s) deleted"
