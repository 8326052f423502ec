"""Actions with owners and due dates, their progress notes, the reminders sent, and where
each action (or priority, or communications item) came from.

:class:`Origin` is generic on both sides: its *target* is what was made (an action, a
priority, a communications activity) and its *source* is what it came from (a workshop note,
a theme of a workshop's notes, and later a consultation finding), each a content type and a
row id, with the words and the organisations frozen as they were when the link was made.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from alliance.web.accounts.models import Organisation


class Action(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    OPEN = (Status.PROPOSED, Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED)

    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.CASCADE,
                                 related_name="actions")
    priority = models.ForeignKey("strategy.Priority", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="actions")
    intervention = models.ForeignKey("strategy.Intervention", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="actions", help_text="the partner that owes it")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="the member who leads it")
    owner_email = models.EmailField(blank=True, help_text="for an owner who is not a member")
    service = models.ForeignKey("directory.Service", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="actions")
    due = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices,
                              default=Status.NOT_STARTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ActionUpdate(models.Model):
    """A progress note: appended, never changed."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class Reminder(models.Model):
    """One reminder e-mail about one action, for one due date: never sent twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due = models.DateField(help_text="the due date it was about")
    number = models.PositiveSmallIntegerField(default=1, help_text="1st, 2nd ... overdue")
    to = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)
    #: '' when it went, else why not (plain words)
    problem = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["action", "kind", "due", "number"],
                                               name="one_reminder_each")]


class Origin(models.Model):
    """What an item came from (see the module notes)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    #: e.g. {"theme": 3} when the source is a theme of a theme set
    detail = models.JSONField(default=dict, blank=True)
    kind = models.CharField(max_length=40, help_text="'workshop note', 'workshop theme', "
                                                     "'consultation finding' ...")
    said = models.TextField(help_text="the words, screened (or the theme's name)")
    where = models.CharField(max_length=300, help_text="the event, workshop or consultation")
    organisations = models.JSONField(default=list, help_text="who said it (never people)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"]),
                   models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.said[:60]}"
