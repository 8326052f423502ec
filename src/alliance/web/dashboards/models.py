"""SNA builds started from the workspace: what was built, from which batches, and its files."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SnaBuild(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    batch_ids = models.JSONField(default=list, blank=True)
    files = models.JSONField(default=dict, blank=True, help_text="format -> path")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
