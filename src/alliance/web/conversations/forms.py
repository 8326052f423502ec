from __future__ import annotations

from typing import ClassVar

from django import forms

from alliance.voice.screening import POSTCODE, clean, screen
from alliance.web.conversations.models import Conversation, SafeguardingContact, Statement
from alliance.web.conversations.services import DECISIONS, MAX_LENGTH

AGE_BANDS = [("", "Prefer not to say"), ("under-16", "Under 16"), ("16-17", "16 to 17"),
             ("18-24", "18 to 24"), ("25-44", "25 to 44"), ("45-64", "45 to 64"),
             ("65+", "65 or over")]


class ConversationForm(forms.ModelForm):
    seed_statements = forms.CharField(
        widget=forms.Textarea, required=False, label="Seed statements",
        help_text="One statement per line; they start accepted.")

    class Meta:
        model = Conversation
        fields = ("title", "question", "mode", "youth_mode", "allow_statements")
        labels: ClassVar[dict[str, str]] = {
            "youth_mode": "Youth mode: plain-language wording for young people",
            "allow_statements": "Let participants add their own statements"}

    def seeds(self) -> list[str]:
        lines = self.cleaned_data.get("seed_statements", "").splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=True, label="I agree to take part")
    age_band = forms.ChoiceField(choices=AGE_BANDS, required=False, label="Your age (optional)")
    area = forms.CharField(max_length=100, required=False, label="Your area or postcode "
                           "district, like NN1 (optional)")

    def clean_area(self) -> str:
        """Screened like a statement: only a town, an area or a postcode district is kept."""
        area = clean(self.cleaned_data.get("area", ""))
        if POSTCODE.search(area):
            raise forms.ValidationError("Enter only the first part of your postcode, like NN1")
        if screen(area).held:
            raise forms.ValidationError("Enter only your town, area or the first part of your "
                                        "postcode, like NN1. Do not give names, addresses or "
                                        "contact details")
        return area


class StatementForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_LENGTH * 2,
                           label="Your statement")
    # the honeypot: hidden from people by CSS and aria-hidden; bots fill every field in
    website = forms.CharField(required=False, label="Leave this empty")


class ModerationForm(forms.Form):
    state = forms.ChoiceField(choices=[c for c in Statement.State.choices if c[0] in DECISIONS])
    reason = forms.CharField(max_length=500, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ImportForm(forms.Form):
    title = forms.CharField(max_length=200)


class SafeguardingForm(forms.ModelForm):
    class Meta:
        model = SafeguardingContact
        fields = ("lead_name", "lead_email", "lead_phone", "procedure")
        labels: ClassVar[dict[str, str]] = {
                  "lead_name": "Safeguarding lead's name",
                  "lead_email": "Safeguarding lead's e-mail address",
                  "lead_phone": "Safeguarding lead's phone number (optional)",
                  "procedure": "The partnership's safeguarding procedure"}
        widgets: ClassVar[dict[str, forms.Widget]] = {
            "procedure": forms.Textarea(attrs={"rows": 8})}
