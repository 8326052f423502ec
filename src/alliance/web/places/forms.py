"""Forms of the places pages: an answer for words, a venue, a venues file."""

from __future__ import annotations

from django import forms

from alliance.web.places.models import Venue


class AnswerForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, max_length=300)
    answer = forms.CharField(
        label="Where is it?", max_length=200, required=False,
        help_text="A postcode, an LSOA code, or a street or venue with its town.")
    no_place = forms.BooleanField(label="These words name no place", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("no_place") and not str(data.get("answer") or "").strip():
            self.add_error("answer", "Say where it is, or tick that the words name no place")
        return data


class VenueForm(forms.ModelForm):
    postcode = forms.CharField(max_length=10, required=False,
                               help_text="Its postcode, or give an easting and northing")
    easting = forms.CharField(max_length=12, required=False, label="Easting (metres)")
    northing = forms.CharField(max_length=12, required=False, label="Northing (metres)")

    class Meta:
        model = Venue
        fields = ("name", "aliases", "kind")
        labels = {"aliases": "Other names (separated by semicolons)"}  # noqa: RUF012 (Django reads it)


class VenuesFileForm(forms.Form):
    file = forms.FileField(label="Venues file (CSV)",
                           help_text="Columns: name, aliases, kind, and postcode or easting "
                                     "and northing. Venues with the same name are updated.")
