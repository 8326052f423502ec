from __future__ import annotations

from typing import Any

from django import forms


class MonitoringForm(forms.Form):
    period = forms.ChoiceField(label="Period", help_text="A quarter, a reporting year or a "
                                                         "month whose figures are published.")
    pdf = forms.BooleanField(required=False, initial=True, label="Also write a PDF")

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
