from __future__ import annotations

from django import forms

from alliance.web.surveys.models import Response


class VersionForm(forms.Form):
    definition = forms.FileField(label="New version", help_text="An XLSForm (.xlsx, .xls, .csv)"
                                 " or a survey definition (.json)")


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV export", help_text="From ODK, KoboToolbox, a spreadsheet "
                           "or another survey tool, saved as CSV UTF-8, up to 20 MB")
    channel = forms.ChoiceField(choices=[(Response.Channel.IMPORT, "Another tool"),
                                         (Response.Channel.PAPER, "Paper forms"),
                                         (Response.Channel.WORKSHOP, "A workshop")],
                                label="Where the answers came from")


class EntryChannelForm(forms.Form):
    channel = forms.ChoiceField(choices=[(Response.Channel.PAPER, "Paper form"),
                                         (Response.Channel.WORKSHOP, "Workshop")],
                                label="This response came from", initial=Response.Channel.PAPER)
