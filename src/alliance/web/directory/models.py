"""What each partner provides: services and interventions, who they serve, where, and how to
refer; shown as a list and a map, and offered when assigning actions and writing the
strategy."""

from __future__ import annotations

from django.db import models

from alliance.web.accounts.models import Organisation, Partnership


class Service(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", "Service"
        INTERVENTION = "intervention", "Intervention or programme"
        REFERRAL = "referral", "Referral route"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="services")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="services")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.SERVICE)
    description = models.TextField(blank=True)
    approach = models.CharField(max_length=200, blank=True,
                                help_text="the YEF Toolkit approach it follows, if any")
    age_from = models.PositiveSmallIntegerField(null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(null=True, blank=True)
    who = models.CharField(max_length=200, blank=True, help_text="who it serves")
    #: unit codes it covers (local authorities, CSPs, or the area's own code)
    places = models.JSONField(default=list, blank=True)
    how_to_refer = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def ages(self) -> str:
        if self.age_from is not None and self.age_to is not None:
            return f"{self.age_from} to {self.age_to}"
        if self.age_from is not None:
            return f"{self.age_from} and over"
        if self.age_to is not None:
            return f"up to {self.age_to}"
        return "all ages"
