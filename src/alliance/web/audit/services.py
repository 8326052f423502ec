"""Write to the audit trail: one call per event, from views, services, tasks and the CLI."""

from __future__ import annotations

from typing import Any, Protocol

from django.http import HttpRequest

from alliance.web.accounts.network import client_address, parse_address
from alliance.web.audit.models import AuditEvent

#: the task argument that carries the client address of the request that started a task
CLIENT_ADDRESS = "client_address"


class StartedTask(Protocol):
    """What :func:`record_for_task` reads from a background task."""

    pk: Any
    created_by: Any
    arguments: dict[str, Any]


def record(request: HttpRequest | None, action: str, *, target: str = "", actor: Any = None,
           actor_email: str = "", ip: str | None = None, **detail: Any) -> AuditEvent:
    """Append one event.

    The actor and address come from ``request`` when there is one: the signed-in user, and the
    client's address as seen through trusted proxies
    (:func:`alliance.web.accounts.network.client_address`), not the proxy's. Work done away from
    the request (a service called with a ``user``, a background task, the command line) passes
    ``actor`` (a user) and ``ip`` (an address captured from the request that asked for it)
    instead; an explicit value wins over the request's.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    address = parse_address(ip) if ip else None
    where = str(address) if address is not None else client_address(request)
    return AuditEvent.objects.create(
        actor=actor, actor_email=actor_email or (actor.email if actor else ""), action=action,
        target=target[:500], detail=detail, ip=where or None)


def origin(request: HttpRequest) -> dict[str, str | None]:
    """Task arguments that carry the request's client address to :func:`record_for_task`:
    ``submit(kind, created_by=request.user, **origin(request), ...)``."""
    return {CLIENT_ADDRESS: client_address(request)}


def record_for_task(task: StartedTask, action: str, *, target: str = "",
                    **detail: Any) -> AuditEvent:
    """Append an event for work a background task did on someone's behalf: the person who
    started it, from the address their request came from, and the task's number."""
    return record(None, action, target=target, actor=task.created_by,
                  ip=task.arguments.get(CLIENT_ADDRESS), task=task.pk, **detail)
