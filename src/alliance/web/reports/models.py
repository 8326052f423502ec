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
              ("sna.pdf", "PDF"), ("index.cy.html", "web page in Welsh (Cymraeg)"),
              ("sna.cy.docx", "Word document in Welsh (DOCX)"), ("sna.cy.pdf", "PDF in Welsh"))
#: the pages that open in the browser rather than download
PAGES = ("index.html", "index.cy.html")


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
    #: on the public site since then (the partnership's decision, one build at a time; see
    #: alliance.web.reports.publishing); empty when not published or withdrawn
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    #: kept as it was: the e-mail of who published it, even if their account goes
    published_by_name = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(
            fields=["area_code"], condition=models.Q(published_at__isnull=False),
            name="one_published_sna_per_area")]

    def __str__(self) -> str:
        return f"SNA build {self.pk} {self.area_name or self.area_code} {self.period}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

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


class SnaText(models.Model):
    """The partnership's own words in its SNA: the executive summary, a key finding or a
    recommendation for one area, resting on one finding, table or figure of a build (by its
    id in the build's ``figures.json``).

    When saved, the numbers of what it rests on are fingerprinted (``fingerprint``, in words
    ``checked``); the SNA build places the text and flags it when those numbers have changed
    (:mod:`alliance.report.written`). A recommendation also keeps its ``baseline``, the figure
    when it was agreed, which later saves keep unless the partnership resets it. Every save is
    kept as a :class:`SnaTextVersion`; removing a text keeps it and its history.
    """

    class Kind(models.TextChoices):
        SUMMARY = "summary", "Executive summary"
        FINDING = "finding", "Key finding"
        RECOMMENDATION = "recommendation", "Recommendation"

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.CASCADE,
                                    related_name="sna_texts")
    area_code = models.CharField(max_length=200, help_text="the SNA's area (a GSS code)")
    area_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: the order in the report, within its kind (1 first)
    number = models.PositiveIntegerField(default=1)
    text = models.TextField()
    #: the id of the finding, table or figure it rests on (figures.json)
    cites = models.CharField(max_length=100)
    #: how a person recognises it, as it was when last saved
    cited_label = models.CharField(max_length=600, blank=True)
    fingerprint = models.CharField(max_length=64)
    #: the numbers it was checked against when last saved, in words with their period
    checked = models.CharField(max_length=300, blank=True)
    #: a recommendation's baseline: the figure when it was agreed, in words with its period
    baseline = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=300, blank=True)
    #: the build whose numbers it was last checked against
    build = models.ForeignKey(SnaBuild, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    #: removed from the report (kept, with its history)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "number", "id"]
        constraints = [models.UniqueConstraint(
            fields=["partnership", "area_code"],
            condition=models.Q(kind="summary", removed_at__isnull=True),
            name="one_summary_per_area")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.area_name or self.area_code})"

    @property
    def key(self) -> str:
        """Stable across edits: how the build and its status file name this text."""
        return f"{self.kind}-{self.pk}"


class SnaTextVersion(models.Model):
    """One saved version of an :class:`SnaText` (its edit history), with who saved it."""

    class Change(models.TextChoices):
        WRITTEN = "written", "Written"
        EDITED = "edited", "Edited"
        REMOVED = "removed", "Removed from the report"

    sna_text = models.ForeignKey(SnaText, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    change = models.CharField(max_length=10, choices=Change.choices)
    text = models.TextField()
    cites = models.CharField(max_length=100)
    cited_label = models.CharField(max_length=600, blank=True)
    checked = models.CharField(max_length=300, blank=True)
    baseline = models.CharField(max_length=300, blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    measure = models.CharField(max_length=300, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    #: kept as written: the person's e-mail, even if their account goes
    saved_by_email = models.CharField(max_length=254, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["sna_text", "version"],
                                               name="one_row_per_text_version")]
