"""The data-sharing agreements register."""

from __future__ import annotations

from datetime import date

from django.db import models

from alliance.web.accounts.models import Organisation, Partnership

#: datasets an agreement can cover (the ``source`` of pooled rows, or a partner dataset)
DATASETS: dict[str, str] = {
    "police_uk_street": "police.uk street-level crime",
    "police_local": "Local police extract",
    "ae_assaults": "A&E assault attendances (ISTV)",
    "ambulance": "Ambulance call-outs",
    "youth_justice": "Youth justice cases",
    "probation": "Probation caseload",
    "education": "Education (exclusions, attendance)",
    "fire": "Fire and rescue incidents",
}


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

    class Meta:
        ordering = ["expiry_date", "title"]

    def __str__(self) -> str:
        return self.title

    def is_expired(self, today: date | None = None) -> bool:
        return (today or date.today()) > self.expiry_date

    def review_due(self, today: date | None = None) -> bool:
        return (today or date.today()) >= self.review_date

    def dataset_labels(self) -> list[str]:
        return [DATASETS.get(d, d) for d in self.datasets]


class AgreementDocument(models.Model):
    """A document attached to an agreement (DPIA, ISA ...), kept in the database."""

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
