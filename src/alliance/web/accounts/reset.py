"""Password reset: Django's views, with limits, an audit record, and an unlock when done.

Limits, each per rolling hour (settings ``ALLIANCE_RESET_EMAILS_PER_HOUR``, default 3, and
``ALLIANCE_RESET_REQUESTS_PER_ADDRESS``, default 20): requests naming one e-mail address, so
nobody can fill someone's inbox; and requests from one network address, so nobody can send
mail to a list of addresses. Requests are counted whether or not an account uses the address,
so a refusal says nothing about who has an account. Refused requests are not counted.

Setting a new password through a reset link lifts the sign-in lockout of that account
(:func:`alliance.web.accounts.lockout.clear`): only the mailbox's owner can get that far.
Without a mail server (``ALLIANCE_EMAIL_HOST`` unset) the page says that no e-mail can be sent
and who can help, rather than pretending to send one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from alliance.web.accounts import lockout
from alliance.web.accounts.mail import mail_configured
from alliance.web.accounts.models import PasswordResetRequest
from alliance.web.accounts.network import client_address
from alliance.web.audit.services import record

WINDOW = timedelta(hours=1)


@dataclass(frozen=True, kw_only=True)
class ResetRefusal:
    message: str
    rule: str


def _next_free(times: list[datetime], limit: int) -> datetime | None:
    """When one more request fits, given the window's request times (None: it fits now)."""
    if len(times) < limit:
        return None
    return sorted(times, reverse=True)[limit - 1] + WINDOW


def refusal_for(email: str, ip: str | None, *, now: datetime | None = None) -> ResetRefusal | None:
    now = now or timezone.now()
    recent = PasswordResetRequest.objects.filter(at__gt=now - WINDOW)
    per_email = int(settings.ALLIANCE_RESET_EMAILS_PER_HOUR)
    per_address = int(settings.ALLIANCE_RESET_REQUESTS_PER_ADDRESS)
    times = list(recent.filter(email=email).values_list("at", flat=True))
    until = _next_free(times, per_email)
    if until is not None:
        return ResetRefusal(rule="email", message=(
            f"There have been {per_email} requests to reset the password for this email "
            f"address in the last hour. Check your inbox and junk folder for the link, or "
            f"try again after {timezone.localtime(until):%H:%M}."))
    if ip is not None:
        times = list(recent.filter(ip=ip).values_list("at", flat=True))
        until = _next_free(times, per_address)
        if until is not None:
            return ResetRefusal(rule="address", message=(
                f"There have been too many requests to reset passwords from your network in "
                f"the last hour. Try again after {timezone.localtime(until):%H:%M}."))
    return None


class MemberPasswordResetForm(PasswordResetForm):
    """Django's form, except that a member whose password was never set (the first
    administrator, before using the link `alliance partnership create` printed) may ask too."""

    def get_users(self, email: str) -> Iterator[Any]:
        return iter(get_user_model()._default_manager.filter(email__iexact=email,
                                                             is_active=True))


class LimitedPasswordResetView(auth_views.PasswordResetView):
    form_class = MemberPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not mail_configured():
            return render(request, "accounts/password_reset_unavailable.html")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = str(form.cleaned_data["email"]).strip().lower()
        ip = client_address(self.request)
        refusal = refusal_for(email, ip)
        if refusal is not None:
            record(self.request, "password_reset", target=email, actor_email=email,
                   refused=refusal.rule)
            form.add_error("email", refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        PasswordResetRequest.objects.create(email=email, ip=ip)
        PasswordResetRequest.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
        record(self.request, "password_reset", target=email, actor_email=email)
        return super().form_valid(form)


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        forgotten = lockout.clear(user.email)
        record(self.request, "password_changed", target=user.email, actor=user,
               failures_cleared=forgotten)
        return response
