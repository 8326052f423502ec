"""Sign-in by e-mail address, refused while a lockout rule applies.

The rules are in :mod:`alliance.web.accounts.lockout`. The address counted is the client's,
read through the partnership's trusted proxies (:mod:`alliance.web.accounts.network`): behind
nginx, counting ``REMOTE_ADDR`` would lock everyone out together. Attempts are recorded in
:class:`~alliance.web.accounts.models.SignInAttempt` and the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from alliance.web.accounts import lockout
from alliance.web.accounts.network import client_address

#: set on the request when a lockout refused the attempt: the sign-in form shows its message
LOCKOUT_ATTRIBUTE = "alliance_lockout"


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
        refusal = lockout.lockout_for(address, ip)
        if refusal is not None:
            if request is not None:
                setattr(request, LOCKOUT_ATTRIBUTE, refusal)
            record(request, "sign_in_locked", target=address, actor_email=address,
                   rule=refusal.rule.name, until=refusal.until.isoformat())
            return None
        user_model = get_user_model()
        user = user_model._default_manager.filter(email__iexact=address).first()
        if user is None:
            user_model().set_password(password)  # same work as a real check: no timing oracle
            ok = False
        else:
            ok = user.check_password(password) and self.user_can_authenticate(user)
        lockout.record_attempt(address, ip, succeeded=ok)
        if not ok:
            record(request, "sign_in_failed", target=address, actor_email=address)
            return None
        return user
