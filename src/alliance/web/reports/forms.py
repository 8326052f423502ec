"""The form that starts an SNA build."""

from __future__ import annotations

from django import forms


class SnaForm(forms.Form):
    area = forms.ChoiceField(label="Area")
    period = forms.CharField(
        label="Period", max_length=40,
        help_text="A reporting year: a calendar year such as 2025, or a financial year such as "
                  "2025/26, whichever the partnership reports by")
    draft = forms.BooleanField(
        label="Draft: any months, not for publication", required=False,
        help_text="An SNA covers one whole reporting year, so that its figures cannot be set "
                  "against others to reveal small numbers. A draft can cover other months (such "
                  "as 2025-03:2025-08) and says on its first page that it must not be "
                  "published.")
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
