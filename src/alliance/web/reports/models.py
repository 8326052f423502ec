"""Every build of the Strategic Needs Assessment, from the workspace or the command line."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from alliance.web.tasks.models import percent_done

#: a build still waiting after this long has no worker to take it
WAITING_LONG = timedelta(minutes=1)
#: the formats a build writes, as (file name in the build's folder, label for people)
MAIN_FILES = (("index.html", "web page"), ("sna.docx", "Word document (DOCX)"),
              ("sna.pdf", "PDF"))


class SnaBuild(models.Model):
    """One SNA build: who started it, where, for which area and period, how it went, what it
    wrote and which import batches it used."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Origin(models.TextChoices):
        WORKSPACE = "workspace", "the workspace"
        COMMAND_LINE = "command_line", "the command line"

    area_code = models.CharField(max_length=200, help_text="as asked for: a GSS code or a name")
    area_name = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.WORKSPACE)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    #: the person as shown: the member's e-mail, or the login that ran the command
    started_by_name = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    output_folder = models.CharField(max_length=1000)
    #: what the build wrote, as paths relative to ``output_folder`` (``data/...`` for tables)
    files = models.JSONField(default=list, blank=True)
    batch_ids = models.JSONField(default=list, blank=True)
    pdf = models.BooleanField(default=True)
    #: a draft covers a period that is not a reporting year and must not be published
    draft = models.BooleanField(default=False)
    #: the hot spot permutations' seed (the published labels do not depend on it)
    seed = models.BigIntegerField(default=20_250_101)
    threshold = models.PositiveIntegerField(null=True, blank=True,
                                            help_text="counts below this were suppressed")
    #: what the build is doing now, or why it failed (plain words; details in the log)
    message = models.TextField(blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    #: last sign of life: a build with none for the stale limit has stopped
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"SNA build {self.pk} {self.area_name or self.area_code} {self.period}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def waiting_long(self) -> bool:
        """Queued for more than a minute: no worker has taken it (is one running?)."""
        return (self.status == self.Status.QUEUED and self.started_at is not None
                and timezone.now() - self.started_at > WAITING_LONG)

    @property
    def percent(self) -> int | None:
        return percent_done(self.progress_done, self.progress_total)

    def main_files(self) -> list[tuple[str, str]]:
        """(name, label) of the HTML, Word and PDF files this build wrote."""
        return [(name, label) for name, label in MAIN_FILES if name in self.files]

    def tables(self) -> list[str]:
        """The data tables (CSV) this build wrote, as names under ``data/``."""
        return [f for f in self.files if f.startswith("data/") and f.endswith(".csv")]

    def as_json(self) -> dict[str, object]:
        return {"id": self.pk, "status": self.status, "status_label": self.get_status_display(),
                "finished": self.finished, "message": self.message,
                "done": self.progress_done, "total": self.progress_total,
                "percent": self.percent}
