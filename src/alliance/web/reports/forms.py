"""The form that starts an SNA build."""

from __future__ import annotations

from typing import Any

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


class SnaTextForm(forms.Form):
    """The partnership's summary, a key finding or a recommendation (which fields depend on
    the kind; :mod:`alliance.web.reports.texts` checks and saves them)."""

    text = forms.CharField(
        label="The words", widget=forms.Textarea(attrs={"rows": 8}), strip=False,
        error_messages={"required": "Enter the words"},
        help_text="Plain English, as it will appear in the report. You can use Markdown: "
                  "**bold**, *italic*, lists and links to web pages.")
    cites = forms.ChoiceField(label="What it rests on", widget=forms.RadioSelect,
                              required=False)
    item = forms.ChoiceField(label="Table or figure", required=False)
    owner = forms.ModelChoiceField(label="Owner", queryset=None,
                                   required=False, empty_label="Choose an organisation",
                                   help_text="The partner organisation that will carry it out")
    measure = forms.CharField(label="Measure", required=False, strip=False,
                              help_text="How progress will be measured, for example "
                                        "'Robberies a year in Northampton town centre'")
    reset_baseline = forms.BooleanField(
        label="Take the figure in the latest build as the new baseline", required=False)

    #: the radio that chooses a table or figure (from the select beside it) over a finding
    OTHER = "other"

    def __init__(self, *args: Any, kind: str, findings: list[tuple[str, str]],
                 items: list[tuple[str, str]], organisations: Any, editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["cites"].choices = [*findings, (self.OTHER, "A table or figure")]
        self.fields["item"].choices = [("", "Choose a table or figure"), *items]
        self.fields["owner"].queryset = organisations
        if kind == "summary":
            for name in ("cites", "item", "owner", "measure", "reset_baseline"):
                del self.fields[name]
        elif kind == "finding":
            for name in ("owner", "measure", "reset_baseline"):
                del self.fields[name]
        elif not editing:
            del self.fields["reset_baseline"]

    def clean_text(self) -> str:
        from alliance.web.reports.texts import TextRefused, check_words

        try:
            return check_words(str(self.cleaned_data.get("text") or ""))
        except TextRefused as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cites") == self.OTHER:
            if not data.get("item") and "item" not in self.errors:
                self.add_error("item", "Choose the table or figure it rests on")
            data["cites"] = data.get("item") or ""
        elif self.kind in ("finding", "recommendation") and not data.get("cites") \
                and "cites" not in self.errors:
            self.add_error("cites", "Choose the finding, table or figure it rests on")
        if self.kind == "recommendation":
            if not data.get("owner") and "owner" not in self.errors:
                self.add_error("owner", "Choose the organisation that owns it")
            if not str(data.get("measure") or "").strip():
                self.add_error("measure", "Say how progress will be measured")
        return data
