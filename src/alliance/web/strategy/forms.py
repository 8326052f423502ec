"""Forms of the strategy: every text is plain (no mark-up), every choice from the store."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms

from alliance.figures.measures import QUARTER
from alliance.web.accounts.models import Organisation
from alliance.web.partnerships.forms import plain_text
from alliance.web.pool.publication import POLICE_UK
from alliance.web.strategy.models import Intervention, Measure, Priority, Strategy

DATE = {"type": "date"}
PERIOD = re.compile(r"^(\d{4}|\d{4}/\d{2}|\d{4}-\d{2})$")
AREA_CODE = re.compile(r"^[EWSNK]\d{8}$")


class PlainTextMixin:
    """Refuse mark-up and control characters in every text field (as the agreements
    register does), so pages, reports, e-mails and CSV files built from them stay safe."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for name, value in list(data.items()):
            if isinstance(value, str) and value:
                try:
                    label = str(self.fields[name].label or name)  # type: ignore[attr-defined]
                    data[name] = plain_text(label, value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)  # type: ignore[attr-defined]
        return data


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_period(value: str, label: str) -> str:
    value = value.strip()
    if value and not (PERIOD.match(value) or QUARTER.match(value)):
        raise forms.ValidationError(f"{label}: give a year (2025), a financial year (2025/26), "
                                    "a quarter (2025-Q3) or a month (2025-07).")
    return value


class StrategyForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ("title", "period", "starts", "vision", "similar_areas")
        widgets: ClassVar[dict[str, Any]] = {
            "starts": forms.DateInput(attrs=DATE), "vision": forms.Textarea(
                attrs={"rows": 4})}
        labels: ClassVar[dict[str, Any]] = {"period": "Years it covers", "starts": "Start date",
                  "vision": "Vision", "similar_areas": "Similar areas (optional)"}
        help_texts: ClassVar[dict[str, Any]] = {"period": "For example 2025/26 or 2025 to 2028.",
                      "starts": "The baseline forecast is made from the months before this "
                                "date.",
                      "similar_areas": "Codes of the police force areas to compare with, "
                                       "separated by commas, for example the HMICFRS most "
                                       "similar group: E23000020, E23000021."}

    def clean_similar_areas(self) -> str:
        codes = [c.strip().upper() for c in self.cleaned_data["similar_areas"].split(",")
                 if c.strip()]
        bad = [c for c in codes if not AREA_CODE.match(c)]
        if bad:
            raise forms.ValidationError(
                f"Similar areas: {', '.join(bad[:3])[:60]} is not an area code such as "
                "E23000020 (9 characters: a letter, then 8 digits).")
        if len(set(codes)) != len(codes):
            raise forms.ValidationError("Similar areas: a code is given twice.")
        return ", ".join(codes)


class PriorityForm(PlainTextMixin, forms.ModelForm):
    objectives = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                 label="Objectives", help_text="One a line.")

    class Meta:
        model = Priority
        fields = ("title", "description", "status")
        widgets: ClassVar[dict[str, Any]] = {"description": forms.Textarea(attrs={"rows": 3})}
        labels: ClassVar[dict[str, Any]] = {"status": "Agreed or proposed"}


def place_choices(places: dict[str, Any]) -> list[tuple[str, str]]:
    return [(code, place.name) for code, place in places.items()]


class InterventionForm(PlainTextMixin, forms.ModelForm):
    approach = forms.ChoiceField(required=False, label="YEF Toolkit approach",
                                 help_text="The Youth Endowment Fund Toolkit approach it "
                                           "follows; its ratings are shown beside it.")
    places = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                       label="Where it runs",
                                       help_text="Choose one place for 'did it work?' to be "
                                                 "worked out.")
    comparison = forms.ChoiceField(required=False, label="Comparison area (optional)",
                                   help_text="A similar place where it does not run.")

    class Meta:
        model = Intervention
        fields = ("title", "description", "approach", "partner", "cost", "reach", "cohort",
                  "places", "start", "comparison", "outputs", "outcomes")
        widgets: ClassVar[dict[str, Any]] = {"start": forms.DateInput(attrs=DATE),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "outputs": forms.Textarea(attrs={"rows": 3}),
                   "outcomes": forms.Textarea(attrs={"rows": 3})}
        labels: ClassVar[dict[str, Any]] = {"partner": "Delivered by", "cost": "Cost (£)",
                  "reach": "People it plans to reach", "cohort": "Who it is for",
                  "start": "Date it started (or starts)",
                  "outputs": "Outputs (what it produces), one a line",
                  "outcomes": "Outcomes (what should change), one a line"}

    def __init__(self, *args: Any, partnership: Any, approaches: list[str],
                 places: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approach"].choices = [("", "None, or not in the Toolkit"),
                                           *[(a, a) for a in approaches]]
        self.fields["partner"].queryset = Organisation.objects.filter(
            partnership=partnership)
        self.fields["places"].choices = place_choices(places)
        self.fields["comparison"].choices = [("", "None"), *place_choices(places)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("comparison") and data.get("comparison") in (data.get("places") or []):
            self.add_error("comparison", "The comparison area must be a place where it does "
                                         "not run.")
        return data


class MeasureForm(PlainTextMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                           label="Offences counted",
                                           help_text="Leave all unticked to count every "
                                                     "category of the local definition.")
    core_measure = forms.ChoiceField(
        required=False, label="Or a Home Office core measure",
        help_text="Counted from the partners' pooled data (hospital or police records) "
                  "instead of police.uk. Until that data is pooled the measure says what is "
                  "needed, and from whom.")
    code = forms.ChoiceField(required=False, label="Place")

    class Meta:
        model = Measure
        fields = ("title", "key", "priority", "description", "kind", "categories",
                  "core_measure", "code", "polarity", "published_measure", "core",
                  "status_note", "baseline_period", "target", "target_period")
        widgets: ClassVar[dict[str, Any]] = {"description": forms.Textarea(attrs={"rows": 2}),
                   "status_note": forms.Textarea(attrs={"rows": 2})}
        labels: ClassVar[dict[str, Any]] = {
            "key": "Short name", "kind": "Where its figures come from",
            "published_measure": "Published statistic (for a partner statistic)",
            "core": "A Home Office core measure",
            "status_note": "What data it needs, and from whom (if not pooled)",
            "baseline_period": "Baseline period",
            "target": "Target", "target_period": "Target period"}
        help_texts: ClassVar[dict[str, Any]] = {
            "key": "Lower-case letters, digits and dashes, e.g. sv-rate.",
            "baseline_period": "A year (2025), quarter (2025-Q2) or month "
            "(2025-06).",
            "target": "For pooled measures, per 1,000 residents a year."}

    def __init__(self, *args: Any, strategy: Strategy, categories: dict[str, str],
                 places: dict[str, Any], core: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.places = places
        self.fields["priority"].queryset = strategy.priorities.all()
        self.fields["categories"].choices = list(categories.items())
        self.fields["core_measure"].choices = [("", "None: count police.uk offences"), *core]
        if self.instance.source != POLICE_UK and len(self.instance.categories or []) == 1:
            self.initial["core_measure"] = f"{self.instance.source}:{self.instance.categories[0]}"
        self.fields["code"].choices = place_choices(places)

    def clean_baseline_period(self) -> str:
        return check_period(self.cleaned_data["baseline_period"], "Baseline period")

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        clash = Measure.objects.filter(strategy=self.strategy, key=key).exclude(
            pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another measure of this strategy has this short name.")
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("code") or ""
        place = self.places.get(code)
        self.instance.level = place.level if place is not None else "area"
        data["code"] = "" if place is None or place.level == "area" else code
        if data.get("kind") == Measure.Kind.PUBLISHED and not data.get("published_measure"):
            self.add_error("published_measure", "Name the published statistic.")
        chosen = data.get("core_measure") or ""
        if chosen:
            if data.get("kind") != Measure.Kind.POOLED:
                self.add_error("kind", "A core measure is computed from the pooled data: "
                                       "choose 'Computed from the pooled data'.")
            if data.get("categories"):
                self.add_error("categories", "Choose police.uk offences or a core measure, "
                                             "not both.")
            source, key = chosen.split(":", 1)
            self.instance.source = source
            data["categories"], data["core"] = [key], True
        else:
            self.instance.source = POLICE_UK
        return data
