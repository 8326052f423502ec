"""Forms of actions: assign (with the partner's services from the directory to choose from)
and record progress."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model

from alliance.web.accounts.models import Organisation
from alliance.web.actions.models import Action
from alliance.web.directory.models import Service
from alliance.web.strategy.forms import DATE, PlainTextMixin


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        membership = getattr(obj, "membership", None)
        return f"{obj.email} ({membership.organisation})" if membership else obj.email


class ActionForm(PlainTextMixin, forms.ModelForm):
    owner = MemberChoice(queryset=get_user_model().objects.none(), required=False,
                         label="Lead person (a member)")

    class Meta:
        model = Action
        fields = ("title", "description", "priority", "intervention", "organisation", "owner",
                  "owner_email", "service", "due", "status")
        widgets: ClassVar[dict[str, Any]] = {"due": forms.DateInput(attrs=DATE),
                   "description": forms.Textarea(attrs={"rows": 3})}
        labels: ClassVar[dict[str, Any]] = {"organisation": "Partner that owes it",
                  "owner_email": "Or the lead person's e-mail (not a member)",
                  "service": "Using this service of the partner (optional)",
                  "due": "Due date", "priority": "Priority", "intervention": "Intervention"}
        help_texts: ClassVar[dict[str, Any]] = {
            "service": "From the partner directory: what each partner provides.",
            "owner": "Reminders go to the lead person; without one, to the "
            "partner's leads."}

    def __init__(self, *args: Any, partnership: Any, strategy: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnership=partnership)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            membership__partnership=partnership, is_active=True).select_related(
            "membership__organisation").order_by("email")
        self.fields["priority"].queryset = strategy.priorities.all()
        from alliance.web.strategy.models import Intervention

        self.fields["intervention"].queryset = Intervention.objects.filter(
            priority__strategy=strategy)
        self.fields["service"].queryset = Service.objects.filter(
            partnership=partnership, active=True).select_related("organisation")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        service, org = data.get("service"), data.get("organisation")
        if service is not None and org is not None and service.organisation_id != org.pk:
            self.add_error("service", f"That service is provided by {service.organisation}, "
                                      f"not {org}.")
        return data


class ProgressForm(PlainTextMixin, forms.Form):
    status = forms.ChoiceField(choices=[c for c in Action.Status.choices if c[0] != "proposed"],
                               label="Status now")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=3000,
                           label="What has happened")


class FilterForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                          label="Partner", empty_label="Every partner")
    status = forms.ChoiceField(required=False, label="Status", choices=[
        ("", "Every status"), ("open", "Open"), ("overdue", "Overdue"),
        *Action.Status.choices])

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnership=partnership)
