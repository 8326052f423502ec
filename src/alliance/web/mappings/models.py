"""Saved column mappings for partner CSVs, and files waiting between upload and load.

A partner sends the same extract every month with the same column names, so the mapping an
analyst chose is kept per organisation and dataset and offered again next month.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.web.accounts.models import Organisation


class ColumnMapping(models.Model):
    """Which column of an organisation's dataset holds each canonical field."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="column_mappings")
    dataset = models.CharField(max_length=100, help_text="the partner's name for the extract")
    source = models.CharField(max_length=60, help_text="canonical source written on each row")
    columns = models.JSONField(default=dict, help_text="canonical field -> the file's column")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["organisation__name", "dataset"]
        constraints = [models.UniqueConstraint(fields=["organisation", "dataset"],
                                               name="unique_mapping_per_dataset")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.dataset}"


class PendingExtract(models.Model):
    """An uploaded file between the upload and the confirmed load (deleted once loaded)."""

    token = models.CharField(max_length=32, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    dataset = models.CharField(max_length=100)
    kind = models.CharField(max_length=40, help_text="a SOURCE_CHOICES value of the upload form")
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    columns = models.JSONField(default=dict, help_text="the mapping validated for this file")
    validated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
