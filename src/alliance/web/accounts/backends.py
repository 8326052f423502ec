"""Sign-in by e-mail address with lockout after repeated failures.

Five failed attempts for one account within 15 minutes lock that account for the rest of the
window; twenty from one network address lock that address (offices share addresses, so the
address limit is higher). The address is the client's, read through the partnership's trusted
proxies (:mod:`alliance.web.accounts.network`): behind nginx, counting ``REMOTE_ADDR`` would
lock everyone out together. Attempts are recorded in :class:`SignInAttempt` and the audit trail.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from alliance.web.accounts.models import SignInAttempt
from alliance.web.accounts.network import client_address

ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
WINDOW = timedelta(minutes=15)


def is_locked_out(email: str, ip: str | None) -> bool:
    since = timezone.now() - WINDOW
    failures = SignInAttempt.objects.filter(at__gte=since, succeeded=False)
    if failures.filter(email=email).count() >= ACCOUNT_FAILURE_LIMIT:
        return True
    return ip is not None and failures.filter(ip=ip).count() >= ADDRESS_FAILURE_LIMIT


class EmailLockoutBackend(ModelBackend):
    """``authenticate(request, email=..., password=...)``; usernames are the e-mail address."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, email: str | None = None,
                     **kwargs: Any) -> Any:
        from alliance.web.audit.services import record

        address = (email or username or "").strip().lower()
        if not address or password is None:
            return None
        ip = client_address(request)
        if is_locked_out(address, ip):
            if request is not None:
                request.alliance_locked_out = True
            record(request, "sign_in_locked", target=address, actor_email=address)
            return None
        user_model = get_user_model()
        user = user_model._default_manager.filter(email__iexact=address).first()
        if user is None:
            user_model().set_password(password)  # same work as a real check: no timing oracle
            ok = False
        else:
            ok = user.check_password(password) and self.user_can_authenticate(user)
        SignInAttempt.objects.create(email=address, ip=ip, succeeded=ok)
        if not ok:
            record(request, "sign_in_failed", target=address, actor_email=address)
            return None
        return user
