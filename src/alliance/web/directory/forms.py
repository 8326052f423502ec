"""The form of a directory entry: a partner lead may enter only their own organisation's."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from alliance.web.accounts.models import Organisation
from alliance.web.directory.models import Service
from alliance.web.strategy.forms import PlainTextMixin, place_choices


class ServiceForm(PlainTextMixin, forms.ModelForm):
    approach = forms.ChoiceField(required=False, label="YEF Toolkit approach (optional)")
    places = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                       label="Where it is offered",
                                       help_text="Leave all unticked for the whole area.")

    class Meta:
        model = Service
        fields = ("organisation", "name", "kind", "description", "approach", "who",
                  "age_from", "age_to", "places", "how_to_refer", "contact", "active")
        widgets: ClassVar[dict[str, Any]] = {"description": forms.Textarea(attrs={"rows": 3}),
                   "how_to_refer": forms.Textarea(attrs={"rows": 3})}
        labels: ClassVar[dict[str, Any]] = {"organisation": "Provided by", "who": "Who it serves",
                  "age_from": "Youngest age served", "age_to": "Oldest age served",
                  "how_to_refer": "How to refer someone", "active": "Running now"}

    def __init__(self, *args: Any, organisations: Any, approaches: list[str],
                 places: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["approach"].choices = [("", "None"), *[(a, a) for a in approaches]]
        self.fields["places"].choices = place_choices(places)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("age_from"), data.get("age_to")
        if low is not None and high is not None and low > high:
            self.add_error("age_to", "The oldest age must not be below the youngest.")
        return data


def organisations_for(user: Any) -> Any:
    """The organisations a member may enter services for: their own (a partner lead), or
    every partner (analysts and administrators)."""
    from alliance.web.accounts.rules import PARTNER_LEAD, role_of

    membership = user.membership
    if role_of(user) == PARTNER_LEAD:
        return Organisation.objects.filter(pk=membership.organisation_id)
    return Organisation.objects.filter(partnership=membership.partnership)
