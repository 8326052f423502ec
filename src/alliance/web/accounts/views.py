"""Sign in and out, invitations and members (password reset uses Django's own views)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from alliance.web.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    RoleForm,
    SignInForm,
)
from alliance.web.accounts.models import Invitation, Membership, Role, token_digest
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import record

INVITATION_LIFETIME = timedelta(days=7)


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        record(request, "sign_in", target=form.user.email)
        nxt = request.GET.get("next", "")
        if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()},
                                                   require_https=request.is_secure()):
            return redirect(nxt)
        return redirect("dashboards:dashboard")
    return render(request, "accounts/sign_in.html", {"form": form},
                  status=400 if form.errors else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request, "sign_out", target=request.user.email)
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:sign-in")


@requires("manage_members")
def members(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    rows = (Membership.objects.filter(partnership=partnership)
            .select_related("user", "organisation").order_by("organisation__name", "user__email"))
    invitations = (Invitation.objects.filter(partnership=partnership, accepted_at__isnull=True)
                   .select_related("organisation").order_by("-created_at"))
    return render(request, "accounts/members.html", {
        "members": rows, "invitations": invitations, "roles": Role.choices})


@requires("manage_members")
@require_POST
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    partnership = request.user.membership.partnership
    membership = get_object_or_404(Membership, pk=membership_id, partnership=partnership)
    form = RoleForm(request.POST)
    if form.is_valid():
        before = membership.role
        membership.role = form.cleaned_data["role"]
        membership.save(update_fields=["role"])
        record(request, "permission_change", target=membership.user.email,
               before=before, after=membership.role)
        messages.success(request, f"{membership.user.email} is now "
                                  f"{membership.get_role_display().lower()}.")
    return redirect("accounts:members")


@requires("invite_members")
def invite(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    form = InvitationForm(partnership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(32)
        data = form.cleaned_data
        Invitation.objects.create(
            email=data["email"].lower(), partnership=partnership,
            organisation=data["organisation"], role=data["role"],
            token_sha256=token_digest(token), invited_by=request.user,
            expires_at=timezone.now() + INVITATION_LIFETIME)
        link = request.build_absolute_uri(reverse("accounts:accept", args=[token]))
        send_mail(f"You are invited to {partnership.name}",
                  f"You have been invited to join {partnership.name} on Alliance as "
                  f"{Role(data['role']).label.lower()}.\n\nAccept within 7 days: {link}\n",
                  None, [data["email"]])
        record(request, "invite", target=data["email"], role=data["role"],
               organisation=data["organisation"].name)
        messages.success(request, f"Invitation sent to {data['email']}.")
        return redirect("accounts:members")
    return render(request, "accounts/invite.html", {"form": form},
                  status=400 if form.errors else 200)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token_sha256=token_digest(token)).first()
    if (invitation is None or invitation.accepted_at is not None
            or invitation.expires_at < timezone.now()):
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_model = get_user_model()
        with transaction.atomic():
            if user_model.objects.filter(email__iexact=invitation.email).exists():
                return render(request, "accounts/invitation_invalid.html", status=409)
            user = user_model.objects.create_user(
                username=invitation.email, email=invitation.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["name"][:150])
            Membership.objects.create(user=user, partnership=invitation.partnership,
                                      organisation=invitation.organisation,
                                      role=invitation.role)
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        login(request, user, backend="alliance.web.accounts.backends.EmailLockoutBackend")
        record(request, "permission_change", target=user.email, granted=invitation.role,
               via="invitation")
        return redirect("dashboards:dashboard")
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation},
                  status=400 if form.errors else 200)
