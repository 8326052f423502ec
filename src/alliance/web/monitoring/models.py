"""Every build of the quarterly monitoring report, from the workspace or the command line."""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: the formats a build writes, as (file name in its folder, label for people)
MAIN_FILES = (("index.html", "web page"), ("monitoring.docx", "Word document (DOCX)"),
              ("monitoring.pdf", "PDF"))


class MonitoringBuild(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Origin(models.TextChoices):
        WORKSPACE = "workspace", "the workspace"
        COMMAND_LINE = "command_line", "the command line"

    strategy = models.ForeignKey("strategy.Strategy", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    period = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.WORKSPACE)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_by_name = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    output_folder = models.CharField(max_length=1000)
    files = models.JSONField(default=list, blank=True)
    batch_ids = models.JSONField(default=list, blank=True)
    pdf = models.BooleanField(default=True)
    message = models.TextField(blank=True)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"monitoring report {self.pk} {self.period}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def main_files(self) -> list[tuple[str, str]]:
        return [(name, label) for name, label in MAIN_FILES if name in self.files]

    def tables(self) -> list[str]:
        return [f for f in self.files if f.startswith("data/") and f.endswith(".csv")]
