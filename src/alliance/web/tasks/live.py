"""Progress that others can see while a task's work is still inside one database transaction.

Why this exists: a load is one transaction (all or nothing), so progress the handler writes
on the task's row is invisible to every other connection until the load commits, and the
status page would say "Starting" for the whole load, then "Done". While the handler is
inside a transaction, progress is therefore also *published* through a side channel that
does not wait for the commit:

- **PostgreSQL**: a second, autocommit connection upserts a :class:`TaskProgress` row. That
  table has no foreign key to the task (the load's transaction holds a lock on the task's
  row; a key check from the side connection must never wait on it).
- **SQLite**: the database has one writer at a time and the load holds it, so a second
  connection cannot write at all. Progress goes to a small JSON file per task under
  ``ALLIANCE_HOME/run/progress``, replaced atomically. A SQLite install is one machine, so
  the web process and the worker share that folder.

Readers (:func:`overlay`) lay the newest published progress over what the row says; the
stale rule counts it as a sign of life. The record is removed when the task finishes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import connection

from alliance import config
from alliance.web.tasks.models import Task, TaskProgress


def _folder() -> Path:
    return config.load().home / "run" / "progress"


def _file(task_id: int) -> Path:
    return _folder() / f"{int(task_id)}.json"


class Publisher:
    """Publishes one task's progress outside the current transaction; :meth:`close` at the end."""

    def __init__(self, task_id: int) -> None:
        self.task_id = int(task_id)
        self._side: Any = None  # the PostgreSQL side connection, opened on first use

    def publish(self, message: str, done: int, total: int) -> None:
        now = datetime.now(UTC)
        if connection.vendor == "postgresql":
            self._publish_postgresql(message, done, total, now)
        else:
            self._publish_file(message, done, total, now)

    def _publish_postgresql(self, message: str, done: int, total: int, now: datetime) -> None:
        import psycopg

        if self._side is None:
            # the same server and database as Django's connection (the test database in tests)
            params = {k: v for k, v in connection.get_connection_params().items()
                      if k not in {"cursor_factory", "context"}}
            self._side = psycopg.connect(**params, autocommit=True)
        table = TaskProgress._meta.db_table
        self._side.execute(
            f'INSERT INTO "{table}" (task_id, message, done, total, updated_at) '
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (task_id) DO UPDATE SET "
            "message = EXCLUDED.message, done = EXCLUDED.done, total = EXCLUDED.total, "
            "updated_at = EXCLUDED.updated_at",
            (self.task_id, message[:300], done, total, now))

    def _publish_file(self, message: str, done: int, total: int, now: datetime) -> None:
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        record = {"message": message[:300], "done": done, "total": total,
                  "updated_at": now.isoformat()}
        # write then rename: a reader never sees half a file
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.task_id}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.replace(tmp, _file(self.task_id))

    def close(self) -> None:
        if self._side is not None:
            with contextlib.suppress(Exception):
                self._side.close()
            self._side = None


def read(task_id: int) -> dict[str, Any] | None:
    """The published progress of ``task_id``: message, done, total, updated_at; or None."""
    if connection.vendor == "postgresql":
        row = TaskProgress.objects.filter(task_id=task_id).values(
            "message", "done", "total", "updated_at").first()
        return dict(row) if row else None
    try:
        record: dict[str, Any] = json.loads(_file(task_id).read_text(encoding="utf-8"))
        record["updated_at"] = datetime.fromisoformat(str(record["updated_at"]))
    except (OSError, ValueError, KeyError):
        return None
    return record


def overlay(task: Task) -> Task:
    """Lay newer published progress over a running task's row (in memory only)."""
    if task.status != Task.Status.RUNNING:
        return task
    live = read(task.pk)
    if live is None or (task.heartbeat_at is not None and live["updated_at"] <= task.heartbeat_at):
        return task
    task.message = str(live["message"])
    task.progress_done, task.progress_total = int(live["done"]), int(live["total"])
    task.heartbeat_at = live["updated_at"]
    return task


def alive_since(cutoff: datetime) -> set[int]:
    """Ids of tasks that published progress after ``cutoff`` (signs of life for the stale rule)."""
    if connection.vendor == "postgresql":
        return set(TaskProgress.objects.filter(updated_at__gte=cutoff)
                   .values_list("task_id", flat=True))
    folder = _folder()
    if not folder.is_dir():
        return set()
    limit = cutoff.timestamp()
    alive = set()
    for path in folder.glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            if path.stat().st_mtime >= limit:
                alive.add(int(path.stem))
    return alive


def clear(task_id: int) -> None:
    """Forget a finished task's published progress (its row now says it all)."""
    if connection.vendor == "postgresql":
        TaskProgress.objects.filter(task_id=task_id).delete()
    else:
        _file(task_id).unlink(missing_ok=True)

