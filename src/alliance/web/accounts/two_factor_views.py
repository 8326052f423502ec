"""The second sign-in step's pages: enter a code, set up an authenticator, recovery codes,
turn it off, and an administrator's reset for a member who lost their phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.web.accounts import two_factor
from alliance.web.accounts.models import Membership
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import record

#: the session key holding new recovery codes until their page shows them, once
NEW_CODES = "alliance_new_recovery_codes"
#: the session key holding the authenticator being set up (its id)
SETTING_UP = "alliance_two_factor_setup"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=20, strip=True,
        help_text="The 6-digit code your authenticator app shows now, or one of your "
                  "recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false",
                                      "class": "govuk-input govuk-input--width-10"}))


def _next(request: HttpRequest, url: str) -> HttpResponse:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()},
                                               require_https=request.is_secure()):
        return redirect(url)
    return redirect("dashboards:dashboard")


def _codes_then_next(request: HttpRequest, codes: list[str], url: str) -> HttpResponse:
    """Show the new codes once, with a link on to ``url`` (a local address only)."""
    if not url_has_allowed_host_and_scheme(url, {request.get_host()},
                                           require_https=request.is_secure()):
        url = reverse("dashboards:dashboard")
    request.session[NEW_CODES] = {"codes": codes, "next": url}
    return redirect("accounts:recovery-codes")


def code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for a member with an authenticator."""
    user = two_factor.pending_user(request)
    if user is None and request.user.is_authenticated:
        return redirect("dashboards:dashboard")
    if user is None:
        messages.info(request, "Sign in again: your sign-in waited too long for its code.")
        return redirect("accounts:sign-in")
    if not two_factor.enabled(user):
        return redirect("accounts:two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor.check(request, user, form.cleaned_data["code"])
        if result.device is not None:
            url = two_factor.pending_next(request)
            two_factor.finish(request, user, result.device)
            left = two_factor.recovery_codes_left(user)
            record(request, "sign_in", target=user.email,
                   second_step="recovery code" if result.recovery_code else "app")
            if result.recovery_code:
                messages.warning(request, f"You signed in with a recovery code. You have {left} "
                                          "left: get new ones on your two-step sign-in page.")
            return _next(request, url)
        form.add_error("code", result.error)
    return render(request, "accounts/two_factor_code.html", {"form": form},
                  status=400 if form.errors else 200)


def _setting_up(request: HttpRequest, user: Any) -> TOTPDevice:
    """The unconfirmed authenticator this session is setting up (a new one the first time)."""
    pk = request.session.get(SETTING_UP)
    device = TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()
    if device is None:
        device = two_factor.new_app_device(user)
        request.session[SETTING_UP] = device.pk
    return device


def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: while signing in (a role that must have one) or signed in."""
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else two_factor.pending_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if not signed_in and two_factor.enabled(user):
        return redirect("accounts:two-factor-code")
    device = _setting_up(request, user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(user, device, form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(SETTING_UP, None)
            record(request, "two_factor_on", target=user.email, actor=user)
            if signed_in:
                from django_otp import login as otp_login

                otp_login(request, device)
                return _codes_then_next(request, codes, reverse("accounts:two-factor"))
            url = two_factor.pending_next(request)  # read before finish() ends the pending step
            two_factor.finish(request, user, device)
            record(request, "sign_in", target=user.email, second_step="app (set up)")
            return _codes_then_next(request, codes, url)
        form.add_error("code", "The code is not right. Check that the app shows Alliance for "
                               "your e-mail address, and enter the code it shows now.")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": two_factor.qr_svg(device), "key": two_factor.setup_key(device),
        "signing_in": not signed_in, "required": two_factor.required(user)},
        status=400 if form.errors else 200)


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    shown = request.session.pop(NEW_CODES, None)
    if shown is None:
        return redirect("accounts:two-factor")
    return render(request, "accounts/two_factor_recovery_codes.html",
                  {"codes": shown["codes"], "next": shown.get("next") or "/"})


def manage(request: HttpRequest) -> HttpResponse:
    """The member's own two-step sign-in: on or off, recovery codes left, change, turn off."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    return render(request, "accounts/two_factor.html", {
        "enabled": two_factor.enabled(user), "required": two_factor.required(user),
        "left": two_factor.recovery_codes_left(user), "form": CodeForm()})


def _confirmed_by_code(request: HttpRequest) -> tuple[bool, CodeForm]:
    """A change to the second step itself needs a current code (or recovery code)."""
    form = CodeForm(request.POST)
    if form.is_valid():
        result = two_factor.check(request, request.user, form.cleaned_data["code"])
        if result.device is not None:
            return True, form
        form.add_error("code", result.error)
    return False, form


@require_POST
def renew_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login("/accounts/two-factor/")
    ok, form = _confirmed_by_code(request)
    if not ok or not two_factor.enabled(request.user):
        return _manage_error(request, form)
    codes = two_factor.new_recovery_codes(request.user)
    record(request, "recovery_codes_new", target=request.user.email)
    return _codes_then_next(request, codes, "/accounts/two-factor/")


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login("/accounts/two-factor/")
    user = request.user
    if two_factor.required(user):
        messages.error(request, "Your role must sign in with a code, so it cannot be turned "
                                "off. To use a new phone, set up the app again.")
        return redirect("accounts:two-factor")
    ok, form = _confirmed_by_code(request)
    if not ok:
        return _manage_error(request, form)
    two_factor.turn_off(user)
    request.session.pop("otp_device_id", None)
    record(request, "two_factor_off", target=user.email)
    messages.success(request, "Two-step sign-in is off. You sign in with your password only.")
    return redirect("accounts:two-factor")


def _manage_error(request: HttpRequest, form: CodeForm) -> HttpResponse:
    return render(request, "accounts/two_factor.html", {
        "enabled": two_factor.enabled(request.user), "required": two_factor.required(request.user),
        "left": two_factor.recovery_codes_left(request.user), "form": form}, status=400)


@requires("manage_members")
@require_POST
def reset_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    """An administrator removes a member's authenticator and recovery codes (a lost phone):
    the member sets up a new one at their next sign-in. Audited."""
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id,
                                   partnership=request.user.membership.partnership)
    removed = two_factor.turn_off(membership.user)
    record(request, "two_factor_reset", target=membership.user.email, devices=removed)
    messages.success(request, f"{membership.user.email} sets up two-step sign-in again at "
                              "their next sign-in." if removed else
                     f"{membership.user.email} had no two-step sign-in to reset.")
    return redirect("accounts:members")
