"""The communications plan: audiences, channels, key messages, and activities with their
dates, owners and reach (consultation responses counted from community voice)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from alliance.privacy.suppression import suppress_counts
from alliance.web.accounts.permissions import requires
from alliance.web.accounts.rules import can
from alliance.web.actions.services import origins_of
from alliance.web.audit.services import record
from alliance.web.comms.forms import ActivityForm, AudienceForm, ChannelForm, MessageForm
from alliance.web.comms.models import Activity, Audience, Channel, Message
from alliance.web.strategy.views import _form_page

FORMS: dict[str, tuple[Any, Any, str]] = {
    "audience": (Audience, AudienceForm, "an audience"),
    "channel": (Channel, ChannelForm, "a channel"),
    "message": (Message, MessageForm, "a key message"),
    "activity": (Activity, ActivityForm, "an activity"),
}


def responses(activities: list[Activity]) -> dict[int, str]:
    """Consultation responses per activity, small numbers hidden as [c]."""
    from alliance.web.conversations.models import Conversation

    ids = {a.conversation_id for a in activities if a.conversation_id}
    if not ids:
        return {}
    counts = dict(Conversation.objects.filter(pk__in=ids).annotate(
        n=Count("participants")).values_list("pk", "n"))
    series = pd.Series({a.pk: counts.get(a.conversation_id, 0) for a in activities
                        if a.conversation_id}, name="responses")
    shown = suppress_counts(series).published["responses"]
    return {int(str(k)): (f"{int(v):,}" if not isinstance(v, str) else v)
            for k, v in shown.items()}


@requires("view_strategy")
def plan(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    activities = list(Activity.objects.filter(partnership=partnership).select_related(
        "audience", "channel", "message", "organisation", "conversation"))
    for a in activities:
        a.came_from = origins_of(a)
    by_audience: dict[str, list[Activity]] = {}
    for a in activities:
        by_audience.setdefault(str(a.audience) if a.audience else "No audience chosen",
                               []).append(a)
    return render(request, "comms/plan.html", {
        "audiences": Audience.objects.filter(partnership=partnership),
        "channels": Channel.objects.filter(partnership=partnership),
        "messages_": Message.objects.filter(partnership=partnership).select_related(
            "audience"),
        "by_audience": sorted(by_audience.items()), "responses": responses(activities),
        "planned": sum(a.planned_reach or 0 for a in activities),
        "reached": sum(a.reach or 0 for a in activities),
        "may_manage": can(request.user, "manage_comms")})


@requires("manage_comms")
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    if kind not in FORMS:
        return redirect("comms:plan")
    partnership = request.user.membership.partnership
    model, form_class, label = FORMS[kind]
    item = (get_object_or_404(model, pk=pk, partnership=partnership) if pk
            else model(partnership=partnership))
    extra = {} if kind in ("audience", "channel") else {"partnership": partnership}
    form = form_class(request.POST or None, instance=item, **extra)
    if request.method == "POST" and form.is_valid():
        if kind == "activity" and item.pk is None:
            form.instance.created_by = request.user
        saved = form.save()
        record(request, "strategy_change", target=f"communications plan: {saved}",
               change="changed" if pk else "added", item=kind)
        return redirect("comms:plan")
    return _form_page(request, form, heading=f"{'Change' if pk else 'Add'} {label}",
                      back="/comms/")
