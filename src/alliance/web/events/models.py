"""Events and their workshops, and the notes taken in them.

A note keeps who said it as an *organisation* (a partner, or a group named at the event) so
that what was said can be traced back; the person's name, if the note-taker wrote one down,
stays on the workshop page for those who record events and never reaches a report, a board
page or a "you said, we did" table. Every note is screened for personal details when saved
(as statements are); a flagged note is never quoted outside the workshop page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.web.accounts.models import Organisation, Partnership


class Event(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="events")
    title = models.CharField(max_length=200)
    date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True)
    attendees = models.PositiveIntegerField(null=True, blank=True,
                                            help_text="how many people came")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="events",
                                           help_text="partner organisations that came")
    other_organisations = models.TextField(
        blank=True, help_text="other groups that came, one a line")
    #: the latest themes found in this event's notes (themes.ThemeSet, source 'workshop')
    theme_set = models.ForeignKey("themes.ThemeSet", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%-d %B %Y})"

    def other_list(self) -> list[str]:
        return [line.strip() for line in self.other_organisations.splitlines() if line.strip()]


class Workshop(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="workshops")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    question = models.TextField(help_text="the question the workshop discussed")
    facilitator = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"],
                                               name="workshop_number")]

    def __str__(self) -> str:
        return f"Workshop {self.number}: {self.title}"


class Note(models.Model):
    class Source(models.TextChoices):
        TYPED = "typed", "Typed in"
        UPLOADED = "uploaded", "Uploaded"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    organisation_other = models.CharField(max_length=200, blank=True,
                                          help_text="a group that is not a partner")
    #: the speaker, if written down: shown on the workshop page only, never in outputs
    speaker = models.CharField(max_length=200, blank=True)
    #: what the personal-data screen found (empty: may be quoted)
    flagged = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.TYPED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return f"note {self.pk}"

    @property
    def said_by(self) -> str:
        """The organisation that said it (never a person)."""
        if self.organisation_id is not None:
            return str(self.organisation)
        return self.organisation_other or "organisation not recorded"

    @property
    def quotable(self) -> bool:
        return not self.flagged

    @property
    def safeguarding(self) -> bool:
        """The screen found a child at risk, a threat or self-harm in it: referred to the
        safeguarding lead and withheld from those who do not moderate."""
        from alliance.voice.screening import CHILD_KIND, SELF_HARM_KIND, THREAT_KIND

        return any(k in self.flagged for k in (CHILD_KIND, THREAT_KIND, SELF_HARM_KIND))

    @property
    def text_id(self) -> str:
        """Its id in a theme set of the event's notes."""
        return f"n{self.pk}"
