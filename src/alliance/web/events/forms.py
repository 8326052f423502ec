"""Forms of events, workshops and notes: plain text only; a note's organisation is a partner
or a group named in words."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from alliance.web.accounts.models import Organisation
from alliance.web.events.models import Event, Note, Workshop
from alliance.web.strategy.forms import DATE, PlainTextMixin


class EventForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = ("title", "date", "place", "agenda", "attendees", "organisations",
                  "other_organisations")
        widgets: ClassVar[dict[str, Any]] = {
            "date": forms.DateInput(attrs=DATE), "agenda": forms.Textarea(
                attrs={"rows": 4}), "organisations": forms.CheckboxSelectMultiple,
            "other_organisations": forms.Textarea(attrs={"rows": 3})}
        labels: ClassVar[dict[str, Any]] = {
            "attendees": "How many people came", "organisations": "Partners that came",
            "other_organisations": "Other groups that came, one a line"}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            partnership=partnership)


class WorkshopForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ("title", "question", "facilitator")
        widgets: ClassVar[dict[str, Any]] = {"question": forms.Textarea(attrs={"rows": 2})}
        labels: ClassVar[dict[str, Any]] = {"question": "The question it discussed"}


class NoteForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Note
        fields = ("text", "organisation", "organisation_other", "speaker")
        widgets: ClassVar[dict[str, Any]] = {"text": forms.Textarea(attrs={"rows": 3})}
        labels: ClassVar[dict[str, Any]] = {
            "text": "What was said", "organisation": "Said by (partner)",
            "organisation_other": "Or said by (another group)",
            "speaker": "Speaker (optional)"}
        help_texts: ClassVar[dict[str, Any]] = {
            "speaker": "Kept on this page only: reports, the board view and 'you "
            "said, we did' name the organisation, never the person."}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnership=partnership)
        self.fields["text"].max_length = 5000


class NotesUploadForm(forms.Form):
    file = forms.FileField(label="File of notes", help_text=(
        "A CSV file with a header row: a column 'note' (what was said) and, if you have it, a "
        "column 'organisation'; or a .txt file with one note a line. UTF-8, at most 5 MB."))
