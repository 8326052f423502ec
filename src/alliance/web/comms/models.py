"""The communications plan: audiences, channels, key messages and planned activities with
their dates, owners and reach (and, for a consultation, the responses it drew)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.web.accounts.models import Organisation, Partnership


class Audience(models.Model):
    class Kind(models.TextChoices):
        YOUNG_PEOPLE = "young_people", "Young people"
        PARENTS = "parents", "Parents and carers"
        ADULTS = "adults", "Adults"
        PROFESSIONALS = "professionals", "Professionals"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="audiences")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    age_band = models.CharField(max_length=20, blank=True, help_text="e.g. 11 to 15")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "age_band", "id"]

    def __str__(self) -> str:
        name = self.get_kind_display()
        if self.age_band:
            name += f" aged {self.age_band}"
        return f"{name} ({self.description})" if self.description else name


class Channel(models.Model):
    class Kind(models.TextChoices):
        SCHOOLS = "schools", "Schools and colleges"
        YOUTH_CLUBS = "youth_clubs", "Youth clubs"
        SOCIAL_MEDIA = "social_media", "Social media"
        LOCAL_PRESS = "local_press", "Local press and radio"
        EVENTS = "events", "Events and meetings"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="channels")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    name = models.CharField(max_length=200, blank=True, help_text="e.g. Instagram")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}" if self.name else \
            self.get_kind_display()


class Message(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="messages")
    text = models.CharField(max_length=300)
    audience = models.ForeignKey(Audience, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="messages")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Activity(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="comms_activities")
    title = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    owner = models.CharField(max_length=200, blank=True, help_text="who leads it")
    audience = models.ForeignKey(Audience, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="activities")
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="activities")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="activities")
    planned_reach = models.PositiveIntegerField(null=True, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True, help_text="people reached")
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     help_text="a consultation this activity promotes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title
