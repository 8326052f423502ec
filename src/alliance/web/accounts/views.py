"""Sign in and out, invitations and members (password reset uses Django's own views)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from alliance.web.accounts import lockout, services, two_factor
from alliance.web.accounts.forms import AcceptInvitationForm, InvitationForm, SignInForm
from alliance.web.accounts.models import Invitation, Membership, Role, token_digest
from alliance.web.accounts.permissions import requires
from alliance.web.audit.services import record


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        nxt = request.GET.get("next", "")
        if two_factor.needed(form.user):  # nobody is signed in until the second step
            two_factor.begin(request, form.user, next_url=nxt)
            return redirect("accounts:two-factor-code" if two_factor.enabled(form.user)
                            else "accounts:two-factor-setup")
        login(request, form.user)
        record(request, "sign_in", target=form.user.email)
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


def _members_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    partnership = request.user.membership.partnership
    rows = (Membership.objects.filter(partnership=partnership)
            .select_related("user", "organisation").order_by("organisation__name", "user__email"))
    invitations = (Invitation.objects.filter(partnership=partnership)
                   .select_related("organisation").order_by("-sent_at", "-pk"))
    members = list(rows)
    locked = lockout.locked_accounts([m.user.email.lower() for m in members])
    return render(request, "accounts/members.html", {
        "members": [(m, m.user.email.lower() in locked) for m in members],
        "invitations": invitations, "roles": Role.choices, "error": error}, status=status)


def _refusal_shown(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer :class:`services.Refused` with the members page showing why (400)."""

    @functools.wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.Refused as refusal:
            return _members_page(request, error=str(refusal), status=400)

    return inner


def _member(request: HttpRequest, membership_id: int) -> Membership:
    """A membership of the administrator's own partnership (any other answers 404)."""
    partnership = request.user.membership.partnership
    return get_object_or_404(Membership.objects.select_related("user", "organisation"),
                             pk=membership_id, partnership=partnership)


def _invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    partnership = request.user.membership.partnership
    return get_object_or_404(Invitation.objects.select_related("organisation", "partnership"),
                             pk=invitation_id, partnership=partnership)


@requires("manage_members")
def members(request: HttpRequest) -> HttpResponse:
    return _members_page(request)


@requires("manage_members")
@require_POST
@_refusal_shown
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    # the service refuses a role not in the list, with the message the page shows
    membership = services.change_role(request, _member(request, membership_id),
                                      request.POST.get("role", ""))
    messages.success(request, f"{membership.user.email} is now "
                              f"{membership.get_role_display().lower()}.")
    return redirect("accounts:members")


@requires("manage_members")
@_refusal_shown
def deactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deactivates."""
    membership = _member(request, membership_id)
    if request.method != "POST":
        return render(request, "accounts/deactivate.html", {"member": membership})
    services.set_active(request, membership, False)
    messages.success(request, f"{membership.user.email} can no longer sign in.")
    return redirect("accounts:members")


@requires("manage_members")
@require_POST
def reactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _member(request, membership_id)
    services.set_active(request, membership, True)
    messages.success(request, f"{membership.user.email} can sign in again.")
    return redirect("accounts:members")


@requires("manage_members")
@require_POST
def unlock(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _member(request, membership_id)
    if services.unlock(request, membership):
        messages.success(request, f"{membership.user.email} can sign in again.")
    else:
        messages.info(request, f"{membership.user.email} was not locked out.")
    return redirect("accounts:members")


#: the session key holding a just-made invitation link until its page shows it, once
SENT_LINK = "alliance_invitation_link"


def _show_link(request: HttpRequest, sent: services.InvitationLink) -> HttpResponse:
    """Keep the new link for one showing, and go to the page that shows it (so reloading that
    page does not invite twice)."""
    request.session[SENT_LINK] = {"email": sent.invitation.email, "link": sent.link,
                                  "problem": sent.problem,
                                  "expires_at": sent.invitation.expires_at.isoformat()}
    return redirect("accounts:invitation-sent")


@requires("invite_members")
def invitation_sent(request: HttpRequest) -> HttpResponse:
    """The invitation link just made, to copy and send another way if the e-mail did not go.
    Shown once: the link is not kept anywhere but in the e-mail."""
    sent = request.session.pop(SENT_LINK, None)
    if sent is not None:
        sent["expires_at"] = datetime.fromisoformat(sent["expires_at"])
    return render(request, "accounts/invitation_sent.html", {"sent": sent})


@requires("invite_members")
def invite(request: HttpRequest) -> HttpResponse:
    partnership = request.user.membership.partnership
    form = InvitationForm(partnership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _show_link(request, services.invite(
            request, partnership, email=data["email"], organisation=data["organisation"],
            role=data["role"]))
    return render(request, "accounts/invite.html", {"form": form},
                  status=400 if form.errors else 200)


@requires("invite_members")
@require_POST
@_refusal_shown
def resend_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    return _show_link(request, services.resend_invitation(request, invitation))


@requires("invite_members")
@_refusal_shown
def revoke_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """GET asks for confirmation; POST withdraws the invitation."""
    invitation = _invitation(request, invitation_id)
    if request.method != "POST":
        services.check_revocable(invitation)
        return render(request, "accounts/revoke_invitation.html", {"invitation": invitation})
    services.revoke_invitation(request, invitation)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("accounts:members")


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token_sha256=token_digest(token)).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_model = get_user_model()
        with transaction.atomic():
            # re-read under lock: an administrator may have withdrawn or resent it meanwhile
            invitation = (Invitation.objects.select_for_update()
                          .filter(pk=invitation.pk, token_sha256=token_digest(token)).first())
            if invitation is None or invitation.status != Invitation.Status.PENDING:
                return render(request, "accounts/invitation_invalid.html", status=404)
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
        record(request, "permission_change", target=user.email, actor=user,
               granted=invitation.role, via="invitation")
        user.backend = "alliance.web.accounts.backends.EmailLockoutBackend"
        if two_factor.needed(user):  # the role must have a second step: set it up first
            two_factor.begin(request, user, next_url="")
            return redirect("accounts:two-factor-setup")
        login(request, user, backend=user.backend)
        return redirect("dashboards:dashboard")
    return render(request, "accounts/accept.html", {"form": form, "invitation": invitation},
                  status=400 if form.errors else 200)
