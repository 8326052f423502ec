"""Two-step sign-in: a code from an authenticator app (TOTP), or a one-time recovery code.

The codes, their secrets, replay protection and per-device throttling are django-otp's
(``otp_totp`` and ``otp_static``); this module is the policy around them (ADR 0011):

- **Who must.** Roles in ``ALLIANCE_REQUIRE_2FA_ROLES`` (administrators and analysts always:
  they see record-level data); anyone else may turn it on. :func:`required`.
- **No session before the second step.** After the password, a member who has (or must have)
  a second step is *pending*: the session holds who and since when, nobody is signed in, and
  only the code page (or, the first time, the set-up page) answers. Five minutes later the
  pending sign-in lapses. :func:`begin`, :func:`pending_user`.
- **The lockout counts wrong codes.** A wrong code is a failed sign-in for the account and
  address (:mod:`alliance.web.accounts.lockout`), so guessing codes meets the same limits as
  guessing passwords, and a locked account is refused before any code is checked.
- **Recovery codes.** Ten single-use codes are made with the authenticator; each works once
  instead of a code. New ones replace all the old ones.
- **A signed-in session is verified, or needs nothing.** :class:`TwoFactorMiddleware` ends any
  session whose member must (or chose to) use a second step but did not use it in this
  session (a role changed, a device added elsewhere).
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, login
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.web.accounts import lockout
from alliance.web.accounts.network import client_address
from alliance.web.accounts.rules import role_of

PENDING = "alliance_two_factor_pending"
#: a sign-in waiting for its second step lapses after this many seconds
PENDING_SECONDS = 5 * 60
RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


def required(user: Any) -> bool:
    """Whether ``user``'s role must sign in with a second step."""
    role = role_of(user)
    return role is not None and role in getattr(settings, "ALLIANCE_REQUIRE_2FA_ROLES", ())


def app_device(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed, name=APP_DEVICE).first()


def enabled(user: Any) -> bool:
    return app_device(user) is not None


def needed(user: Any) -> bool:
    """Whether signing in as ``user`` takes a second step (set up, or to be set up)."""
    return required(user) or enabled(user)


# -- the pending sign-in ------------------------------------------------------------------------

def begin(request: HttpRequest, user: Any, *, next_url: str) -> None:
    """Hold ``user`` (whose password was right) pending the second step."""
    request.session.cycle_key()  # the pending state gets a fresh session id
    request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": next_url,
                                "backend": getattr(user, "backend", "")}


def pending_user(request: HttpRequest) -> Any | None:
    """The member waiting for their second step in this session, if it has not lapsed."""
    state = request.session.get(PENDING)
    if not isinstance(state, dict) or time.time() - float(state.get("at", 0)) > PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=state.get("user"), is_active=True).first()
    return user if user is not None and role_of(user) is not None else None


def pending_next(request: HttpRequest) -> str:
    state = request.session.get(PENDING) or {}
    return str(state.get("next") or "")


def finish(request: HttpRequest, user: Any, device: Any) -> None:
    """Sign ``user`` in, verified by ``device``, and forget the pending state."""
    state = request.session.pop(PENDING, {}) or {}
    login(request, user, backend=state.get("backend") or settings.AUTHENTICATION_BACKENDS[0])
    otp_login(request, device)


# -- checking a code ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """The outcome of a code: ``device`` when it was right; otherwise ``error`` to show."""

    device: Any = None
    error: str = ""
    recovery_code: bool = False


WRONG = ("The code is not right. Enter the 6-digit code your authenticator app shows now, or "
         "one of your recovery codes.")


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def check(request: HttpRequest, user: Any, code: str) -> Check:
    """Check ``code`` for ``user``, under the sign-in lockout (a wrong code is a failure)."""
    from alliance.web.audit.services import record

    email = user.email.lower()
    ip = client_address(request)
    refusal = lockout.lockout_for(email, ip)
    if refusal is not None:
        record(request, "sign_in_locked", target=email, actor_email=email,
               rule=refusal.rule.name, until=refusal.until.isoformat(), step="code")
        return Check(error=refusal.message())
    text = _normal(code)
    device: Any = None
    recovery = False
    if text.isdigit() and len(text) == 6:
        found = app_device(user)
        if found is not None and found.verify_token(text):
            device = found
    elif text:
        store = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE).first()
        if store is not None and store.verify_token(text):
            device, recovery = store, True
    lockout.record_attempt(email, ip, succeeded=device is not None)
    if device is None:
        record(request, "sign_in_code_failed", target=email, actor_email=email)
        return Check(error=WRONG)
    return Check(device=device, recovery_code=recovery)


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


# -- setting up, renewing, turning off ---------------------------------------------------------

def new_app_device(user: Any) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for ``user`` (replacing any unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def setup_key(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up QR code (the otpauth:// address) as an inline SVG element."""
    import io

    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                box_size=8, border=2).save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]


@transaction.atomic
def confirm(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn on the second step if ``code`` is right for the new ``device``; the recovery codes
    (shown once), or None when the code is wrong."""
    if not device.verify_token(_normal(code)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: Any) -> list[str]:
    """Ten new recovery codes for ``user``; the old ones stop working."""
    store, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE,
                                                  defaults={"confirmed": True})
    store.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=store, token=c) for c in codes)
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def turn_off(user: Any) -> int:
    """Remove ``user``'s authenticator and recovery codes; how many devices were removed."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


def verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", lambda: False)())


class TwoFactorMiddleware:
    """Ends a signed-in session that lacks the second step its member needs (after Django's
    and django-otp's middleware). Sessions signed in before a role change or a new device on
    another browser are ended, with a message, rather than carried on half-verified."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.shortcuts import redirect

        user = request.user
        if (user.is_authenticated and BACKEND_SESSION_KEY in request.session
                and not verified(request) and needed(user)):
            had_device = DEVICE_ID_SESSION_KEY in request.session
            logout(request)
            messages.info(request, "Sign in again: your account now needs a code from an "
                                   "authenticator app as well as your password."
                          if not had_device else "Sign in again with your code.")
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)
