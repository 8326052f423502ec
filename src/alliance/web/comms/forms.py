"""Forms of the communications plan."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from alliance.web.accounts.models import Organisation
from alliance.web.comms.models import Activity, Audience, Channel, Message
from alliance.web.strategy.forms import DATE, PlainTextMixin


class AudienceForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Audience
        fields = ("kind", "age_band", "description")
        labels: ClassVar[dict[str, Any]] = {"kind": "Who", "age_band": "Age band (young people)"}


class ChannelForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Channel
        fields = ("kind", "name")
        labels: ClassVar[dict[str, Any]] = {"kind": "Kind of channel", "name": "Name (optional)"}


class MessageForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Message
        fields = ("text", "audience")
        labels: ClassVar[dict[str, Any]] = {"text": "Key message", "audience": "For (optional)"}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = Audience.objects.filter(
            partnership=partnership)


class ActivityForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("title", "date", "organisation", "owner", "audience", "channel", "message",
                  "planned_reach", "reach", "conversation", "status")
        widgets: ClassVar[dict[str, Any]] = {"date": forms.DateInput(attrs=DATE)}
        labels: ClassVar[dict[str, Any]] = {
            "organisation": "Partner leading it", "owner": "Person leading it",
            "planned_reach": "People it should reach", "reach": "People it reached",
            "conversation": "Consultation it promotes (optional)"}
        help_texts: ClassVar[dict[str, Any]] = {
            "conversation": "Its responses are counted from community voice."}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        from alliance.web.conversations.models import Conversation

        super().__init__(*args, **kwargs)
        for name, model in (("audience", Audience), ("channel", Channel),
                            ("message", Message), ("organisation", Organisation),
                            ("conversation", Conversation)):
            self.fields[name].queryset = model.objects.filter(
                partnership=partnership)
