from __future__ import annotations

from django import forms

from alliance.web.conversations.models import Conversation, Statement
from alliance.web.conversations.services import MAX_LENGTH

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

    def seeds(self) -> list[str]:
        lines = self.cleaned_data.get("seed_statements", "").splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=True, label="I agree to take part")
    age_band = forms.ChoiceField(choices=AGE_BANDS, required=False, label="Your age (optional)")
    area = forms.CharField(max_length=100, required=False, label="Your area or postcode "
                           "district, like NN1 (optional)")


class StatementForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_LENGTH * 2,
                           label="Your statement")
    # the honeypot: hidden from people by CSS and aria-hidden; bots fill every field in
    website = forms.CharField(required=False, label="Leave this empty")


class ModerationForm(forms.Form):
    state = forms.ChoiceField(choices=Statement.State.choices)
    reason = forms.CharField(max_length=500, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ImportForm(forms.Form):
    title = forms.CharField(max_length=200)
