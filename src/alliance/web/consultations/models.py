"""Consultations: the partnership's public front door, its modules and phases, and "you said,
we did".

A consultation holds modules (a survey, a statement conversation, a map of places, workshop
notes) and moves through phases: draft (staff only), open (taking part), closed (no more
answers; the page says when results will follow) and results published (the public results
page). An open consultation past its closing date reads as closed everywhere
(:meth:`Consultation.current_phase`), so nobody has to remember to close it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from alliance.web.accounts.models import Partnership

#: shown on every public page until an administrator writes the partnership's own
DEFAULT_SIGNPOSTING = (
    "If you are worried about your safety or someone else's, call 999 in an emergency or 101 "
    "to speak to the police. Children and young people can talk to Childline at any time on "
    "0800 1111 or at childline.org.uk. Fearless (crimestoppers-uk.org/fearless) lets young "
    "people pass on information about crime anonymously. Your local council's youth service "
    "can also help.")


def new_slug() -> str:
    return secrets.token_urlsafe(9).lower().replace("_", "-")


class PublicProfile(models.Model):
    """Who is asking: shown on every public page. One per partnership, edited by an
    administrator (Settings > Public pages)."""

    class PhaseBanner(models.TextChoices):
        ALPHA = "alpha", "Alpha"
        BETA = "beta", "Beta"
        NONE = "", "No phase banner"

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE,
                                       related_name="public_profile")
    public_name = models.CharField(max_length=200, blank=True,
                                   help_text="The name residents know (default: the "
                                             "partnership's name)")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    privacy_notice_url = models.URLField(blank=True, help_text="Link to your privacy notice; "
                                         "leave empty to publish the text below instead")
    privacy_notice = models.TextField(blank=True, help_text="Your privacy notice, if it is not "
                                      "published elsewhere")
    safeguarding = models.TextField(default=DEFAULT_SIGNPOSTING,
                                    help_text="Where to get help: shown on every public page")
    youth_services = models.TextField(blank=True, help_text="Local youth services, one per "
                                      "line (name and how to reach them)")
    feedback_url = models.URLField(blank=True, help_text="Where residents give feedback on "
                                   "these pages (default: the contact e-mail)")
    phase_banner = models.CharField(max_length=5, choices=PhaseBanner.choices,
                                    default=PhaseBanner.BETA, blank=True)
    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.public_name or self.partnership.name


class Consultation(models.Model):
    class Phase(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Results published"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="consultations")
    slug = models.SlugField(max_length=60, unique=True, default=new_slug)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What it is about and why it matters, in plain words")
    asking = models.CharField(max_length=200, blank=True,
                              help_text="Who is asking (default: the partnership)")
    closes_at = models.DateTimeField(help_text="When it stops taking part")
    youth_friendly = models.BooleanField(default=False,
                                         help_text="Written for young people too")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.DRAFT)
    findings = models.TextField(blank=True, help_text="What we found: shown when results are "
                                "published")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["closes_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def current_phase(self) -> str:
        """The phase as residents see it: open past its closing date reads as closed."""
        if self.phase == "open" and self.closes_at <= timezone.now():
            return "closed"
        return str(self.phase)

    @property
    def is_open(self) -> bool:
        return self.current_phase() == self.Phase.OPEN

    @property
    def is_public(self) -> bool:
        return self.phase != self.Phase.DRAFT

    def minutes(self) -> int:
        total = sum(m.minutes() for m in self.modules.all())
        return max(total, 1)


class Module(models.Model):
    class Kind(models.TextChoices):
        SURVEY = "survey", "Survey"
        MAP = "map", "Map of places"
        CONVERSATION = "conversation", "Statement conversation"
        WORKSHOP = "workshop", "Workshop notes"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="modules")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    survey = models.ForeignKey("surveys.Survey", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="modules")
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, help_text="Workshop notes: who came, what was said")
    held_on = models.DateField(null=True, blank=True)
    attendees = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def minutes(self) -> int:
        if self.survey is not None and self.survey.current is not None:
            return self.survey.current.parsed().estimated_minutes()
        return 5 if self.kind == self.Kind.CONVERSATION else 0


class Finding(models.Model):
    """You said, we did: a finding or theme and what the partnership is doing about it.

    Until the strategy's actions exist, "we did" is a text response (and a status)."""

    class Status(models.TextChoices):
        CONSIDERING = "considering", "We are considering this"
        PLANNED = "planned", "Planned"
        DOING = "doing", "Under way"
        DONE = "done", "Done"
        NOT_DOING = "not_doing", "We will not do this, and why"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="you_said")
    you_said = models.TextField(help_text="What people told us (a finding or theme)")
    theme = models.CharField(max_length=200, blank=True,
                             help_text="The theme it comes from, if any")
    we_did = models.TextField(blank=True, help_text="What the partnership is doing about it")
    status = models.CharField(max_length=12, choices=Status.choices,
                              default=Status.CONSIDERING)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
