"""Agreement reminders and renew links for pages outside the register (dashboard, SNA)."""

from __future__ import annotations

from typing import Any

from django import template

from alliance.web.accounts.rules import can
from alliance.web.partnerships import services

register = template.Library()


@register.inclusion_tag("partnerships/reminder.html", takes_context=True)
def agreements_reminder(context: template.Context) -> dict[str, Any]:
    """For those who manage the register: how many agreements have expired or are due for
    review (one query, and none at all for anyone else)."""
    user = getattr(context.get("request"), "user", None)
    if not can(user, "manage_agreements"):
        return {"attention": None}
    return {"attention": services.attention(user.membership.partnership)}  # type: ignore[union-attr]


@register.simple_tag(takes_context=True)
def may_renew_blocked(context: template.Context, blocked: services.BlockedDataset) -> bool:
    """Whether the signed-in user may renew the agreement that blocks a dataset."""
    user = getattr(context.get("request"), "user", None)
    return bool(blocked.agreement_id) and services.may_renew_owned_by(user, blocked.owner_id)
