"""Surveys, their versioned definitions, responses (saved whole) and the pins in them.

A definition version never changes once it exists; editing a survey adds a version, and each
response points at the version it answered, so old answers are always read against the
questions that were asked. A response is one row (answers as JSON) plus its pins, written in
one transaction, keyed by the submission key of its form so a replayed form stores nothing.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from alliance.voice.surveys import SurveyDefinition, load_definition
from alliance.web.accounts.models import Partnership


def new_slug() -> str:
    return secrets.token_urlsafe(9).lower().replace("_", "-")


class Survey(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="surveys")
    slug = models.SlugField(max_length=60, unique=True, default=new_slug)
    title = models.CharField(max_length=200)
    youth_mode = models.BooleanField(default=False, help_text="Plain-language wording for "
                                     "young people throughout")
    current = models.ForeignKey("SurveyVersion", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    #: target shares for weighting that the population tables do not hold (sex, ethnicity),
    #: ``{grouping: {choice value: share}}``, set by an analyst
    margins = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class SurveyVersion(models.Model):
    class Source(models.TextChoices):
        JSON = "json", "Survey definition (JSON)"
        XLSFORM = "xlsform", "XLSForm"
        EXAMPLE = "example", "Example survey"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    source = models.CharField(max_length=10, choices=Source.choices)
    source_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"],
                                               name="survey_version_number")]

    def parsed(self) -> SurveyDefinition:
        """The checked definition; a version never changes, so each process checks it once
        (schema validation is most of the cost of taking a response otherwise)."""
        if self.pk is None:
            return load_definition(self.definition)
        found = _PARSED.get(self.pk)
        if found is None:
            found = load_definition(self.definition)
            if len(_PARSED) > 256:
                _PARSED.clear()
            _PARSED[self.pk] = found
        return found


#: checked definitions by version id (versions are immutable; see SurveyVersion.parsed)
_PARSED: dict[int, SurveyDefinition] = {}


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper form"
        WORKSHOP = "workshop", "Workshop"
        IMPORT = "import", "Imported from another tool"

    class AgeGroup(models.TextChoices):
        UNDER_13 = "under_13", "Under 13"
        FROM_13_TO_15 = "13_15", "13 to 15"
        FROM_16_TO_17 = "16_17", "16 or 17"
        ADULT = "adult", "18 or over"
        NOT_SAID = "", "Not said"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT,
                                related_name="responses")
    answers = models.JSONField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    submission_key = models.CharField(max_length=64, unique=True)
    consent_age = models.CharField(max_length=8, choices=AgeGroup.choices, blank=True)
    #: what the personal-data screen found in each free-text answer, ``{question: kinds}``;
    #: and each text answer's review, ``{question: pending|accepted|rejected}``
    text_flags = models.JSONField(default=dict, blank=True)
    text_review = models.JSONField(default=dict, blank=True)
    address_key = models.CharField(max_length=64, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    import_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["survey", "address_key", "created_at"],
                                name="response_address_recent")]


class Pin(models.Model):
    """One "where do you feel unsafe" place: stored precisely, published only by area."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="pins")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pins")
    question = models.CharField(max_length=40)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    how = models.CharField(max_length=6, help_text="map, list or typed")
    lsoa21_code = models.CharField(max_length=9, blank=True, db_index=True)
    ward_code = models.CharField(max_length=9, blank=True)
    time = models.CharField(max_length=60, blank=True)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["pk"]
