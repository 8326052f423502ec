"""A background task as people see it: one row per upload or SNA build, its progress and outcome.

The queue itself is Django's task framework (``django_tasks_db``'s table); ``result_id`` links a
row to the framework's record of the same task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def percent_done(done: int, total: int) -> int | None:
    """How far along, 0 to 100; None when the total is not known yet."""
    return None if total <= 0 else min(100, round(100 * done / total))


class Task(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    arguments = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True, help_text="what it is doing now")
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    #: last sign of life from the worker (claim or progress); the stale rule reads it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid, or 'inline'")
    #: the id of the framework's record of this task (django_tasks_db's DBTaskResult)
    result_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return f"task {self.pk} {self.kind} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int | None:
        return percent_done(self.progress_done, self.progress_total)

    def as_json(self) -> dict[str, object]:
        return {"id": self.pk, "kind": self.kind, "status": self.status,
                "status_label": self.get_status_display(), "finished": self.finished,
                "done": self.progress_done, "total": self.progress_total,
                "percent": self.percent, "message": self.message, "error": self.error,
                "result": self.result}


class TaskProgress(models.Model):
    """Progress published from inside a running task's transaction (PostgreSQL side channel).

    Written by a second, autocommit connection (see :mod:`alliance.web.tasks.live`), so the
    status page sees it before the task's own transaction commits. ``task_id`` is a plain
    number, not a foreign key: a key check against the task's row, which the running
    transaction has locked, must never make the publisher wait.
    """

    task_id = models.BigIntegerField(primary_key=True)
    message = models.CharField(max_length=300, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"progress of task {self.task_id}: {self.done}/{self.total}"


class ScheduledRun(models.Model):
    """When a scheduled job (:mod:`alliance.web.tasks.schedule`) last ran, and how it went."""

    name = models.CharField(max_length=60, primary_key=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=True)
    summary = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.summary or 'never finished'}"
