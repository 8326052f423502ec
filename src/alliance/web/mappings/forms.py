"""Forms of the partner-upload journey: the file, then one select per canonical field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms

from alliance.sources.partner_extract import FIELDS

MAX_PARTNER_UPLOAD_BYTES = 20 * 1024 * 1024


#: the canonical ``source`` of the rows (alliance.sources.schema); "partner" means a source
#: named after the dataset
SOURCE_CHOICES = (
    ("police_extract", "Local police extract"),
    ("istv_ae", "A&E assault data (ISTV)"),
    ("ambulance", "Ambulance call-outs"),
    ("yjs", "Youth justice"),
    ("probation", "Probation caseload"),
    ("education", "Education (exclusions, attendance)"),
    ("fire", "Fire and rescue incidents"),
    ("partner", "Other partner data (no data-sharing agreement dataset)"),
)


class PartnerUploadForm(forms.Form):
    dataset = forms.CharField(
        label="Dataset name", max_length=100,
        help_text="The same name every month lets the column mapping be reused, for example "
                  "\u201cLocal police extract\u201d or \u201cA&E ISTV return\u201d.")
    kind = forms.ChoiceField(
        label="What kind of data is it?", choices=SOURCE_CHOICES, initial="partner",
        help_text="Rows of each kind are kept apart in the pool and counted under the "
                  "partnership's definition. Each kind belongs to the organisation that owns "
                  "the data-sharing agreement covering it; other partner data belongs to the "
                  "partnership and only its analysts can load it.")
    file = forms.FileField(
        label="Partner CSV file",
        help_text=f"A CSV saved as UTF-8 with a header line, up to "
                  f"{MAX_PARTNER_UPLOAD_BYTES // 2**20} MB.")


class MappingForm(forms.Form):
    """One select per canonical field; the choices are the uploaded file's columns."""

    def __init__(self, *args: object, header: Sequence[str], initial_mapping: Mapping[str, str],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *[(h, h) for h in header]]
        for f in FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label, help_text=f.hint, choices=choices, required=False,
                initial=initial_mapping.get(f.name, ""))

    def mapping(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}
