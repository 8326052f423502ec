"""The pooled store: import batches, their files, the canonical incident table, geography.

One system of record for every source. Rows are never edited in place by a re-load: a newer
copy of a month supersedes the older rows (kept, marked ``superseded_by``) and the differences
are written to :class:`IncidentChange`, so a report can always say which data it used and a
batch can be rolled back.
"""

from __future__ import annotations

from django.db import models


class DefinitionVersion(models.Model):
    """A version of the local definition of serious violence (JSON, see alliance.pool)."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    body = models.TextField(help_text="the definition as JSON (alliance.pool.definition)")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        LOADING = "loading"
        ACTIVE = "active"
        ROLLED_BACK = "rolled_back"

    kind = models.CharField(max_length=40, help_text="incidents, geography or indicators")
    source = models.CharField(max_length=60)
    description = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LOADING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=200, blank=True)
    rows_read = models.PositiveBigIntegerField(default=0)
    rows_loaded = models.PositiveBigIntegerField(default=0)
    rows_set_aside = models.PositiveBigIntegerField(
        default=0, help_text="rows kept but flagged (no location, outside area, unknown ...)")
    rows_superseded = models.PositiveBigIntegerField(default=0)
    #: rows deleted since loading because they passed their agreement's retention date
    rows_deleted = models.PositiveBigIntegerField(default=0)
    definition = models.ForeignKey(DefinitionVersion, null=True, blank=True,
                                   on_delete=models.PROTECT)
    quality = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"batch {self.pk} {self.source} ({self.status})"


class SourceFile(models.Model):
    batch = models.ForeignKey(ImportBatch, related_name="files", on_delete=models.CASCADE)
    name = models.CharField(max_length=500)
    member = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=60)
    partition = models.CharField(max_length=100, blank=True)
    month = models.CharField(max_length=7, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kind", "partition", "month"])]


class Incident(models.Model):
    """The canonical incident table (columns: alliance.sources.schema.INCIDENT_COLUMNS)."""

    batch = models.ForeignKey(ImportBatch, related_name="incidents", on_delete=models.CASCADE)
    superseded_by = models.ForeignKey(ImportBatch, null=True, blank=True,
                                      related_name="superseded_incidents",
                                      on_delete=models.SET_NULL)
    source = models.CharField(max_length=60)
    partition = models.CharField(max_length=100, blank=True)
    record_key = models.CharField(max_length=64)
    source_ref = models.CharField(max_length=100, null=True, blank=True)
    month = models.CharField(max_length=7)
    occurred_date = models.DateField(null=True, blank=True)
    occurred_time = models.TimeField(null=True, blank=True)
    source_category = models.CharField(max_length=200, blank=True)
    offence_code = models.CharField(max_length=20, null=True, blank=True)
    sv_category = models.CharField(max_length=100, blank=True)
    sv_included = models.BooleanField(default=False)
    sv_proxy = models.BooleanField(default=False)
    definition_version = models.PositiveIntegerField(null=True, blank=True)
    knife_flag = models.BooleanField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    easting = models.FloatField(null=True, blank=True)
    northing = models.FloatField(null=True, blank=True)
    lsoa_published = models.CharField(max_length=12, null=True, blank=True)
    lsoa21_code = models.CharField(max_length=12, null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    subject_role = models.CharField(max_length=20, null=True, blank=True)
    age = models.CharField(max_length=20, null=True, blank=True)
    sex = models.CharField(max_length=20, null=True, blank=True)
    person_key = models.CharField(max_length=64, null=True, blank=True)
    weapon = models.CharField(max_length=40, blank=True, default="")
    location_type = models.CharField(max_length=60, blank=True, default="")
    home_lsoa21_code = models.CharField(max_length=12, null=True, blank=True)
    domestic = models.BooleanField(null=True, blank=True)
    place_method = models.CharField(max_length=60, blank=True, default="")
    place_confidence = models.FloatField(null=True, blank=True)
    flags = models.IntegerField(default=0)
    line = models.PositiveIntegerField(null=True, blank=True)
    extra = models.TextField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["source", "partition", "month"]),
            models.Index(fields=["lsoa21_code", "month"]),
            models.Index(fields=["sv_category", "month"]),
        ]


class IncidentChange(models.Model):
    """What a re-issued month changed, row by row (police.uk revises outcomes)."""

    batch = models.ForeignKey(ImportBatch, related_name="changes", on_delete=models.CASCADE)
    previous_batch = models.ForeignKey(ImportBatch, related_name="+", null=True,
                                       on_delete=models.SET_NULL)
    source = models.CharField(max_length=60)
    partition = models.CharField(max_length=100, blank=True)
    month = models.CharField(max_length=7)
    record_key = models.CharField(max_length=64)
    change = models.CharField(max_length=20)  # added / removed / outcome_changed
    old_outcome = models.CharField(max_length=200, blank=True)
    new_outcome = models.CharField(max_length=200, blank=True)


class GeographyLayer(models.Model):
    """One table of the ONS geography (alliance.geo), stored as Parquet bytes."""

    batch = models.ForeignKey(ImportBatch, related_name="layers", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    rows = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["name"])]


class Area(models.Model):
    """An area of the ONS geography (for look-ups and pickers; boundaries are layers)."""

    batch = models.ForeignKey(ImportBatch, related_name="areas", on_delete=models.CASCADE)
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20)
    vintage = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["code"]), models.Index(fields=["level"])]


class IndicatorValue(models.Model):
    """A published aggregate statistic (partner indicators: youth justice, schools ...)."""

    batch = models.ForeignKey(ImportBatch, related_name="indicator_values",
                              on_delete=models.CASCADE)
    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=200, blank=True)
    area_level = models.CharField(max_length=20, blank=True)
    period = models.CharField(max_length=40)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    measure = models.CharField(max_length=120)
    measure_label = models.CharField(max_length=300, blank=True)
    breakdown = models.CharField(max_length=200, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=120)
    source_file = models.CharField(max_length=300, blank=True)
    source_line = models.PositiveIntegerField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["measure", "area_code"])]
