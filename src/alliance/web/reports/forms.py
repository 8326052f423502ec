"""The form that starts an SNA build."""

from __future__ import annotations

from django import forms


class SnaForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    period = forms.CharField(
        label="Period", max_length=40,
        help_text="Months such as 2024-01:2024-12, or a financial year such as 2024/25")
    pdf = forms.BooleanField(label="Also make a PDF (slower)", required=False)

    def __init__(self, *args: object, areas: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas

    def clean_period(self) -> str:
        from alliance.report.sna import parse_period

        text = str(self.cleaned_data["period"]).strip()
        try:
            parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text
