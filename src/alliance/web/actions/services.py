"""Actions: assign, record progress, trace where they came from, and what a partner owes.

Every change is audited. Partner leads update the actions their own organisation owes;
analysts and administrators assign and update any (:func:`may_update`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet

from alliance.web.accounts.rules import ADMINISTRATOR, ANALYST, PARTNER_LEAD, can, role_of
from alliance.web.actions.models import Action, ActionUpdate, Origin
from alliance.web.audit.services import record


class ActionError(ValueError):
    """A refused change, in words for the page."""


def may_update(user: Any, action: Action) -> bool:
    """Analysts and administrators update any action; a partner lead those of their own
    organisation."""
    if not can(user, "update_actions"):
        return False
    role = role_of(user)
    if role in (ANALYST, ADMINISTRATOR):
        return True
    return role == PARTNER_LEAD and user.membership.organisation_id == action.organisation_id


def overdue(actions: QuerySet[Action] | Iterable[Action], today: date) -> list[Action]:
    return [a for a in actions if a.is_open and a.due < today]


def assign(action: Action, user: Any, *, request: Any = None,
           origins: Iterable[Origin] = ()) -> Action:
    """Save a new (or changed) action, and link it to what it came from."""
    adding = action.pk is None
    with transaction.atomic():
        if adding and action.created_by is None:
            action.created_by = user
        action.save()
        for origin in origins:
            origin.target_type = ContentType.objects.get_for_model(Action)
            origin.target_id = action.pk
            origin.save()
    record(request, "action_change", actor=user, target=action.title,
           change="assigned" if adding else "changed", organisation=str(action.organisation),
           due=action.due.isoformat())
    return action


def progress(action: Action, user: Any, *, text: str, status: str,
             request: Any = None) -> ActionUpdate:
    """Append a progress note and set the status."""
    if not may_update(user, action):
        raise ActionError("only the partner that owes this action, an analyst or an "
                          "administrator can update it")
    if status not in Action.Status.values:
        raise ActionError(f"unknown status {status!r}")
    if not text.strip():
        raise ActionError("write what has happened")
    with transaction.atomic():
        update = ActionUpdate.objects.create(action=action, text=text.strip(), status=status,
                                             by=user)
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    record(request, "action_change", actor=user, target=action.title, change="progress",
           status=status)
    return update


# ------------------------------------------------------------------------------ origins
def origins_of(obj: Model) -> list[Origin]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(Origin.objects.filter(target_type=ct, target_id=obj.pk))


def link(target: Model, *, source: Model, kind: str, said: str, where: str,
         organisations: Iterable[str], user: Any = None,
         detail: dict[str, Any] | None = None) -> Origin:
    """Record that ``target`` came from ``source`` (see :class:`Origin`). ``said`` must be
    screened text or a theme's name; ``organisations`` are organisations, never people."""
    return Origin.objects.create(
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk,
        source_type=ContentType.objects.get_for_model(type(source)), source_id=source.pk,
        kind=kind, said=said, where=where[:300], organisations=sorted(set(organisations)),
        detail=detail or {}, created_by=user)


@dataclass(frozen=True)
class Owed:
    """What one partner owes: its actions, open first, with the overdue ones marked."""

    organisation: Any
    open: list[Action]
    overdue: list[Action]
    done: list[Action]


def owed_by(organisation: Any, *, today: date) -> Owed:
    actions = list(Action.objects.filter(organisation=organisation)
                   .select_related("priority", "strategy", "owner").order_by("due"))
    return Owed(organisation=organisation, open=[a for a in actions if a.is_open],
                overdue=overdue(actions, today),
                done=[a for a in actions if a.status == Action.Status.DONE])
