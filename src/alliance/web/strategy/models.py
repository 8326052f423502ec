"""The Serious Violence Reduction Strategy, in versions: vision, priorities, objectives,
interventions and outcome measures with baselines and targets.

A strategy is drafted, then adopted. An adopted version is never edited: next year's work
starts a new draft copied from it (:func:`alliance.web.strategy.services.new_version`), and
when that is adopted the old one is marked superseded, so last year's strategy stays readable
exactly as it was adopted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.web.accounts.models import Organisation, Partnership


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"
        SUPERSEDED = "superseded", "Replaced by a later version"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="strategies")
    title = models.CharField(max_length=200, default="Serious Violence Reduction Strategy")
    period = models.CharField(max_length=20, help_text="the years it covers, e.g. 2025/26")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    vision = models.TextField(blank=True)
    starts = models.DateField(help_text="when it begins: the baseline forecast uses the "
                                        "months before")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    #: GSS codes of the police force areas the partnership compares itself with (HMICFRS most
    #: similar group, say), comma-separated; empty: compared with England only
    similar_areas = models.CharField(max_length=400, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts", "-version"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return f"{self.title} {self.period}, version {self.version}"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def start_month(self) -> str:
        return f"{self.starts:%Y-%m}"

    @property
    def similar_codes(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.similar_areas.split(",") if c.strip())


class Priority(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AGREED)

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.text


class Intervention(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE,
                                 related_name="interventions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    approach = models.CharField(max_length=200, blank=True,
                                help_text="the YEF Toolkit approach it follows")
    partner = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", help_text="the partner that delivers it")
    cost = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True,
                                        help_text="people it plans to reach")
    cohort = models.CharField(max_length=200, blank=True, help_text="who it is for")
    #: unit codes of the places it runs in (local authorities, community safety partnerships,
    #: or the area's own code for everywhere)
    places = models.JSONField(default=list, blank=True)
    start = models.DateField(null=True, blank=True)
    comparison = models.CharField(max_length=12, blank=True,
                                  help_text="a comparison area's code for 'did it work?'")
    outputs = models.TextField(blank=True, help_text="one a line")
    outcomes = models.TextField(blank=True, help_text="one a line")

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.title

    def output_list(self) -> list[str]:
        return [x.strip() for x in self.outputs.splitlines() if x.strip()]

    def outcome_list(self) -> list[str]:
        return [x.strip() for x in self.outcomes.splitlines() if x.strip()]


class Measure(models.Model):
    class Kind(models.TextChoices):
        POOLED = "pooled", "Computed from the pooled data"
        PUBLISHED = "published", "A published partner statistic"
        NOT_HELD = "not held", "Data not pooled yet"

    class Polarity(models.TextChoices):
        LOW = "low is good", "Lower is better"
        HIGH = "high is good", "Higher is better"
        CONTEXT = "not applicable", "Neither (context only, not rated)"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="measures")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POOLED)
    categories = models.JSONField(default=list, blank=True,
                                  help_text="pooled categories counted (empty: all)")
    #: the pooled source it is computed from: police.uk, or a partner source whose published
    #: sums include the Home Office core measures (A&E, a local police extract)
    source = models.CharField(max_length=40, default="police_uk_street")
    level = models.CharField(max_length=5, default="area")
    code = models.CharField(max_length=12, blank=True)
    polarity = models.CharField(max_length=15, choices=Polarity.choices, default=Polarity.LOW)
    published_measure = models.CharField(max_length=120, blank=True)
    core = models.BooleanField(default=False, help_text="a Home Office core measure")
    status_note = models.TextField(blank=True, help_text="what data it needs, from whom")
    baseline_period = models.CharField(max_length=10, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    target_period = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["strategy", "priority__number", "id"]
        constraints = [models.UniqueConstraint(fields=["strategy", "key"],
                                               name="measure_key_per_strategy")]

    def __str__(self) -> str:
        return self.title
