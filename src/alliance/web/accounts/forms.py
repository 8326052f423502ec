from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from alliance.web.accounts.backends import LOCKOUT_ATTRIBUTE
from alliance.web.accounts.models import Invitation, Organisation, Partnership, Role


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: AbstractBaseUser | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email, password=password)
            refusal = getattr(self.request, LOCKOUT_ATTRIBUTE, None)
            if refusal is not None:
                raise forms.ValidationError(refusal.message(), code="locked")
            if self.user is None:
                raise forms.ValidationError("Enter a correct email address and password.",
                                            code="invalid")
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label="Organisation")
    role = forms.ChoiceField(choices=Role.choices, label="Role")

    def __init__(self, partnership: Partnership, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = Organisation.objects.filter(partnership=partnership)

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone with this email address already has an account. To change what they "
                "can do, change their role on the members page.", code="member")
        open_invitations = Invitation.objects.filter(
            partnership=self.partnership, email__iexact=email, accepted_at__isnull=True,
            revoked_at__isnull=True)
        if any(i.status == Invitation.Status.PENDING for i in open_invitations):
            raise forms.ValidationError(
                "This email address already has an invitation waiting. Send it again from the "
                "members page instead.", code="invited")
        return email


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=150)
    password1 = forms.CharField(label="Create a password", strip=False,
                                widget=forms.PasswordInput,
                                help_text="At least 12 characters; not a common password.")
    password2 = forms.CharField(label="Confirm password", strip=False,
                                widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match.")
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
