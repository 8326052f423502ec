"""Turn a theme of an event's notes, or one note, into a proposed priority, action or
communications item, keeping the link back to what was said and which organisation said it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction

from alliance.web.accounts.models import Organisation
from alliance.web.actions import services as action_services
from alliance.web.actions.models import Action
from alliance.web.comms.models import Activity, Audience, Channel
from alliance.web.events.services import EventError, Said
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.forms import DATE, PlainTextMixin
from alliance.web.strategy.models import Priority

KINDS = [("priority", "A proposed priority for the draft strategy"),
         ("action", "A proposed action for a partner"),
         ("comms", "A proposed item for the communications plan")]


class ProposalForm(PlainTextMixin, forms.Form):
    kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, label="Turn it into")
    title = forms.CharField(max_length=200, label="Title")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                          label="Partner that would own the action")
    due = forms.DateField(required=False, widget=forms.DateInput(attrs=DATE),
                          label="Due date of the action")
    priority = forms.ModelChoiceField(queryset=Priority.objects.none(), required=False,
                                      label="Under priority (action, optional)")
    audience = forms.ModelChoiceField(queryset=Audience.objects.none(), required=False,
                                      label="Audience (communications item, optional)")
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), required=False,
                                     label="Channel (communications item, optional)")

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnership=partnership)
        strategy = strategy_services.in_force(partnership)
        self.fields["priority"].queryset = (
            strategy.priorities.all() if strategy else Priority.objects.none())
        self.fields["audience"].queryset = Audience.objects.filter(
            partnership=partnership)
        self.fields["channel"].queryset = Channel.objects.filter(
            partnership=partnership)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == "action":
            if not data.get("organisation"):
                self.add_error("organisation", "Choose the partner that would own the action.")
            if not data.get("due"):
                self.add_error("due", "Give the action a due date.")
            if strategy_services.in_force(self.partnership) is None:
                self.add_error("kind", "There is no strategy yet: start one before proposing "
                                       "actions.")
        if kind == "priority" and strategy_services.draft(self.partnership) is None:
            self.add_error("kind", "There is no draft strategy to propose a priority to: "
                                   "start a new version of the strategy first.")
        return data


def propose(data: dict[str, Any], said: Said, *, partnership: Any, user: Any,
            request: Any = None) -> Any:
    """Make the proposed item and its link back to what was said; returns the item."""
    kind = data["kind"]
    with transaction.atomic():
        if kind == "priority":
            strategy = strategy_services.draft(partnership)
            if strategy is None:
                raise EventError("there is no draft strategy")
            item: Any = strategy_services.save(
                Priority(strategy=strategy, title=data["title"],
                         status=Priority.Status.PROPOSED,
                         description=f"Proposed from {said.where}."),
                user, strategy=strategy, request=request)
        elif kind == "action":
            strategy = strategy_services.in_force(partnership)
            if strategy is None:
                raise EventError("there is no strategy")
            item = Action(strategy=strategy, title=data["title"],
                          organisation=data["organisation"], due=data["due"],
                          priority=data.get("priority"), status=Action.Status.PROPOSED,
                          description=f"Proposed from {said.where}.")
            action_services.assign(item, user, request=request)
        else:
            item = Activity.objects.create(
                partnership=partnership, title=data["title"], audience=data.get("audience"),
                channel=data.get("channel"), status=Activity.Status.PROPOSED, created_by=user)
        action_services.link(item, source=said.source, kind=said.kind, said=said.said,
                             where=said.where, organisations=said.organisations, user=user,
                             detail=said.detail)
    return item
