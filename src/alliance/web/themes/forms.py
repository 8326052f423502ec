"""Forms: upload free text, and the four analyst edits (each carries the version it saw)."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.web.themes.models import ThemeSet

UPLOAD_SOURCES = [(k, v) for k, v in ThemeSet.Source.choices if k != ThemeSet.Source.STATEMENTS]


class UploadForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title",
                            help_text="For example: Youth survey 2025, question 7")
    source = forms.ChoiceField(choices=UPLOAD_SOURCES, label="What the texts are")
    file = forms.FileField(label="File", help_text=(
        "A CSV file with a header row (choose the column of free text below), or a .txt file "
        "with one text per line. UTF-8, at most 5 MB."))
    column = forms.CharField(max_length=200, required=False, label="Text column (CSV only)",
                             help_text="The header of the column that holds the free text. "
                                       "Leave empty if the file has one column.")
    n_themes = forms.IntegerField(min_value=2, max_value=30, required=False,
                                  label="Number of themes (optional)",
                                  help_text="Leave empty to let Alliance choose.")
    include_in_sna = forms.BooleanField(required=False, initial=True,
                                        label="Show these themes in the SNA")


class _EditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, themes: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme_choices = [(str(t), f"{t}: {label}") for t, label in (themes or [])]
        for name in ("theme", "keep", "into_it", "also"):
            if name in self.fields:
                self.fields[name].choices = self.theme_choices


class RenameForm(_EditForm):
    theme = forms.ChoiceField(label="Theme")
    label = forms.CharField(max_length=200, label="New name")


class MergeForm(_EditForm):
    keep = forms.ChoiceField(label="Keep this theme")
    into_it = forms.ChoiceField(label="and move every text of this theme into it")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("keep") and data.get("keep") == data.get("into_it"):
            self.add_error("into_it", "Choose two different themes")
        return data


class SplitForm(_EditForm):
    theme = forms.ChoiceField(label="Theme")
    n = forms.IntegerField(min_value=2, max_value=10, initial=2, label="Into how many themes")


class RecodeForm(_EditForm):
    text_id = forms.CharField(max_length=40, label="Text id",
                              help_text="The statement number or line number shown beside the "
                                        "text")
    own = forms.ChoiceField(label="Its own theme", required=False)
    also = forms.MultipleChoiceField(label="Also in", required=False,
                                     widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["own"].choices = [("", "No theme"), *self.theme_choices]

    def themes(self) -> list[int]:
        own = self.cleaned_data.get("own")
        chosen = ([int(own)] if own else []) + [int(t) for t in self.cleaned_data["also"]]
        # with no own theme chosen, the first of the others becomes its own theme
        return list(dict.fromkeys(chosen))
