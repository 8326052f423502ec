"""The front door's rules: which consultations residents see, who is asking, phases, findings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from alliance.web.accounts.models import Partnership
from alliance.web.consultations.models import Consultation, Finding, Module, PublicProfile


def partnership() -> Partnership | None:
    """The store's one partnership (ADR 0002), or None before it is set up."""
    return Partnership.objects.order_by("pk").first()


def profile() -> PublicProfile | None:
    """Who is asking, for every public page (made with defaults the first time)."""
    found = partnership()
    if found is None:
        return None
    return PublicProfile.objects.get_or_create(partnership=found)[0]


def public_consultations() -> tuple[list[Consultation], list[Consultation]]:
    """Open consultations (closing soonest first) and closed ones (latest first)."""
    found = partnership()
    if found is None:
        return [], []
    every = list(Consultation.objects.filter(partnership=found)
                 .exclude(phase=Consultation.Phase.DRAFT).prefetch_related("modules__survey"))
    open_now = [c for c in every if c.is_open]
    closed = sorted((c for c in every if not c.is_open), key=lambda c: c.closes_at,
                    reverse=True)
    return open_now, closed


def consultation_of_survey(survey: Any) -> Consultation | None:
    module = Module.objects.filter(survey=survey).select_related("consultation").first()
    return module.consultation if module is not None else None


def set_phase(consultation: Consultation, phase: str) -> Consultation:
    if phase not in Consultation.Phase.values:
        raise ValueError(f"unknown phase {phase!r}")
    if phase == Consultation.Phase.OPEN and consultation.closes_at <= timezone.now():
        raise ValueError("The closing date has passed: set a later closing date to open it.")
    consultation.phase = phase
    consultation.save(update_fields=["phase"])
    return consultation


def findings(consultation: Consultation) -> QuerySet[Finding]:
    return consultation.you_said.all()
