"""A stored theme analysis: its texts and embeddings, the current themes, and the edit log.

What is stored, and why
-----------------------
A :class:`~alliance.voice.themes.ThemeResult` is a pure function of its texts, their
embeddings, each text's own theme (``primary``), the analyst's re-codings and labels, and the
settings (``alliance.voice.themes.result.build_result``). So a :class:`ThemeSet` keeps exactly
those, and every page rebuilds the result from them: keywords, quotes, membership and counts
are never stored twice and so can never disagree with the assignments.

Embeddings are stored as the float32 bytes the model produced (1.5 kB a text) rather than
recomputed when needed: a split must see exactly the vectors the themes were found with
(recomputing could differ in the last bits with another BLAS, or with a configured model
endpoint whose output cannot be recomputed here), and re-running the model for every edit would
cost seconds where reading the bytes costs microseconds.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from alliance.web.accounts.models import Partnership


class ThemeSet(models.Model):
    class Source(models.TextChoices):
        STATEMENTS = "statements", "Conversation statements"
        SURVEY = "survey", "Survey answers"
        WORKSHOP = "workshop", "Workshop notes"
        OTHER = "other", "Other free text"

    class Status(models.TextChoices):
        PENDING = "pending", "Finding themes"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="theme_sets")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=12, choices=Source.choices)
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="theme_sets")
    source_name = models.CharField(max_length=255, blank=True,
                                   help_text="uploaded file name and text column")
    include_in_sna = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    #: the options given to find_themes (n_themes, seed, min_size, max_themes, margin, ...)
    options = models.JSONField(default=dict, blank=True)
    #: the ThemeSettings the result was built with (suppression threshold included)
    theme_settings = models.JSONField(default=dict, blank=True)
    silhouette = models.FloatField(null=True, blank=True)
    #: the current state; ``primary[i]`` is the own theme of the text at position i
    primary = models.JSONField(default=list, blank=True)
    recoded = models.JSONField(default=list, blank=True, help_text="[[position, [themes]]]")
    labels = models.JSONField(default=list, blank=True, help_text="[[theme, label]]")
    #: edits so far; a form carries it so that two analysts cannot overwrite each other
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ThemeText(models.Model):
    """One text of a theme set, in input order, with its embedding."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="texts")
    position = models.PositiveIntegerField()
    text_id = models.CharField(max_length=40, help_text="statement number or line number")
    text = models.TextField()
    statement = models.ForeignKey("conversations.Statement", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    embedding = models.BinaryField(null=True, blank=True, help_text="384 little-endian float32")
    #: for uploaded text, what the personal-data screen found (empty: may be quoted); screened
    #: once when stored, as statements are, not on every page that quotes
    flagged = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["theme_set", "position"], name="theme_text_position"),
            models.UniqueConstraint(fields=["theme_set", "text_id"], name="theme_text_id")]


class ThemeEdit(models.Model):
    """One analyst edit, appended and never changed: who, when, what before and after."""

    class Kind(models.TextChoices):
        RENAME = "rename", "Renamed"
        MERGE = "merge", "Merged"
        SPLIT = "split", "Split"
        RECODE = "recode", "Re-coded a text"

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="edits")
    number = models.PositiveIntegerField(help_text="1 for the first edit of the set, ...")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    arguments = models.JSONField(default=dict)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["theme_set", "number"],
                                               name="theme_edit_number")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("the edit log is append-only: an edit cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("the edit log is append-only: an edit cannot be deleted")
