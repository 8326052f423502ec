"""Write to the audit trail: one call per event, from views and the sign-in backend."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from alliance.web.accounts.network import client_address
from alliance.web.audit.models import AuditEvent


def record(request: HttpRequest | None, action: str, *, target: str = "",
           actor_email: str = "", **detail: Any) -> AuditEvent:
    """Append one event; the actor and address come from ``request`` when there is one.

    The address is the client's as seen through trusted proxies
    (:func:`alliance.web.accounts.network.client_address`), not the proxy's.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    user = getattr(request, "user", None) if request is not None else None
    actor = user if user is not None and user.is_authenticated else None
    ip = client_address(request)
    return AuditEvent.objects.create(
        actor=actor, actor_email=actor_email or (actor.email if actor else ""), action=action,
        target=target[:500], detail=detail, ip=ip or None)
