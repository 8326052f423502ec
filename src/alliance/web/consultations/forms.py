from __future__ import annotations

from django import forms

from alliance.web.consultations.models import Consultation, Finding, Module, PublicProfile

LOGO_TYPES = {"image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff"}
MAX_LOGO = 200 * 1024


class ConsultationForm(forms.ModelForm):
    closes_at = forms.DateTimeField(
        label="Closing date and time", input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y"],
        help_text="For example 2027-03-31 23:59")

    class Meta:
        model = Consultation
        fields = ("title", "summary", "asking", "closes_at", "youth_friendly", "findings")


class ModuleForm(forms.ModelForm):
    definition = forms.FileField(
        required=False, label="Survey definition",
        help_text="An XLSForm (.xlsx, .xls) or a survey definition (.json). Leave empty to "
                  "start from the example 'Feeling safe where you live' survey.")

    class Meta:
        model = Module
        fields = ("kind", "title", "conversation", "notes", "held_on", "attendees")


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ("you_said", "theme", "we_did", "status")


class ProfileForm(forms.ModelForm):
    privacy_notice_url = forms.URLField(
        assume_scheme="https", required=False, label="Privacy notice link",
        help_text="Leave empty to publish the text below instead")
    feedback_url = forms.URLField(assume_scheme="https", required=False, label="Feedback link",
                                  help_text="Where residents give feedback on these pages "
                                            "(default: the contact e-mail)")
    logo_file = forms.FileField(required=False, label="Logo",
                                help_text="A PNG or JPEG, up to 200 KB")

    class Meta:
        model = PublicProfile
        fields = ("public_name", "contact_email", "contact_phone", "privacy_notice_url",
                  "privacy_notice", "safeguarding", "youth_services", "feedback_url",
                  "phase_banner")

    def clean_logo_file(self) -> object:
        upload = self.cleaned_data.get("logo_file")
        if upload is None:
            return None
        if upload.size > MAX_LOGO:
            raise forms.ValidationError("The logo must be 200 KB or smaller.")
        head = upload.read(4)
        upload.seek(0)
        kind = next((t for t, magic in LOGO_TYPES.items() if head.startswith(magic)), None)
        if kind is None:
            raise forms.ValidationError("The logo must be a PNG or JPEG image.")
        return (kind, upload.read())
