"""The data-sharing agreements register: agreements in versions, their change history and
documents.

A renewal does not overwrite an agreement: it adds the next *version* to the same *series*
and marks the old one superseded, so what was agreed, and when, stays on the record.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from alliance import clock
from alliance.web.accounts.models import Organisation, Partnership

#: datasets an agreement can cover (the ``source`` of pooled rows, or a partner dataset)
DATASETS: dict[str, str] = {
    "police_uk_street": "police.uk street-level crime",
    "police_uk_outcomes": "police.uk outcomes",
    "police_uk_stop_search": "police.uk stop and search",
    "police_local": "Local police extract",
    "ae_assaults": "A&E assault attendances (ISTV)",
    "ambulance": "Ambulance call-outs",
    "youth_justice": "Youth justice cases",
    "probation": "Probation caseload",
    "education": "Education (exclusions, attendance)",
    "fire": "Fire and rescue incidents",
}

#: the dataset (a key of DATASETS) that each pooled ``source`` belongs to. A source not listed
#: here (a partner dataset named by its uploader, published statistics, the geography) belongs
#: to no agreement: the partnership itself owns it.
SOURCE_DATASETS: dict[str, str] = {
    "police_uk_street": "police_uk_street",
    "police_uk_outcomes": "police_uk_outcomes",
    "police_uk_stop_search": "police_uk_stop_search",
    "police_extract": "police_local",
    "istv_ae": "ae_assaults",
    "ambulance": "ambulance",
    "yjs": "youth_justice",
    "probation": "probation",
    "education": "education",
    "fire": "fire",
}

#: an agreement whose review date falls within this many days is flagged on the register
REVIEW_WINDOW_DAYS = 60


class Agreement(models.Model):
    class LegalBasis(models.TextChoices):
        PUBLIC_TASK = "public_task", ("UK GDPR Art. 6(1)(e) public task (Serious Violence "
                                      "Duty, PCSC Act 2022 s.9-16)")
        LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Art. 6(1)(c) legal obligation"
        LAW_ENFORCEMENT = "law_enforcement", "DPA 2018 Part 3 (law enforcement processing)"
        CRIME_DISORDER = "crime_disorder", "Crime and Disorder Act 1998 s.115"
        OPEN_DATA = "open_data", "Open data (Open Government Licence)"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="agreements")
    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(Organisation, related_name="agreements")
    purpose = models.TextField()
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices)
    datasets = models.JSONField(default=list, help_text="keys of DATASETS")
    start_date = models.DateField()
    review_date = models.DateField()
    expiry_date = models.DateField()
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                              help_text="the organisation that can renew it")
    renewal_contact = models.EmailField(help_text="who to ask to renew it")
    retention_months = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name="Keep record-level rows for (months)",
        help_text="Rows are deleted this many months after the month they describe (a "
                  "scheduled task does it, and the audit log records it). Leave blank to keep "
                  "them while the agreement is in force.")
    series = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False,
                              help_text="shared by every version of one agreement")
    version = models.PositiveIntegerField(default=1, editable=False)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False,
                                         help_text="set when a renewal replaced this version")

    class Meta:
        ordering = ["expiry_date", "title"]
        constraints = [models.UniqueConstraint(fields=["series", "version"],
                                               name="unique_agreement_version")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def is_expired(self, today: date | None = None) -> bool:
        return (today or clock.today()) > self.expiry_date

    def review_due(self, today: date | None = None) -> bool:
        return (today or clock.today()) >= self.review_date

    def review_due_soon(self, today: date | None = None) -> bool:
        """The review date has passed or falls within :data:`REVIEW_WINDOW_DAYS`."""
        today = today or clock.today()
        return self.review_date <= today + timedelta(days=REVIEW_WINDOW_DAYS)

    def status(self, today: date | None = None) -> tuple[str, str]:
        """(label, GOV.UK tag colour) for the register."""
        today = today or clock.today()
        if not self.is_current:
            return "Superseded", "grey"
        if self.is_expired(today):
            return "Expired", "red"
        if self.review_due(today):
            return "Review overdue", "orange"
        if self.review_due_soon(today):
            days = (self.review_date - today).days
            return f"Review due in {days} day{'s' if days != 1 else ''}", "yellow"
        return "In force", "green"

    def dataset_labels(self) -> list[str]:
        return [DATASETS.get(d, d) for d in self.datasets]


class AgreementChange(models.Model):
    """One field of one agreement changed by one person: the agreement's history."""

    class Kind(models.TextChoices):
        CREATED = "created", "Added"
        EDIT = "edit", "Edited"
        RENEWAL = "renewal", "Renewed"
        DOCUMENT = "document", "Document added"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    field = models.CharField(max_length=100, help_text="the field's label, as the form shows it")
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    #: kept as text too, so the history still names people whose accounts were removed
    changed_by_email = models.CharField(max_length=254, blank=True)
    #: one value for every row of one change, so a change's rows stay together and in order
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "id"]


class AgreementDocument(models.Model):
    """A document attached to an agreement (DPIA, ISA ...), kept in the database.

    A new upload of the same kind adds a version; earlier versions are kept.
    """

    class Kind(models.TextChoices):
        DPIA = "dpia", "Data protection impact assessment (DPIA)"
        ISA = "isa", "Information sharing agreement (ISA)"
        OTHER = "other", "Other"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, help_text="per kind, across the series")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "-version", "-id"]
