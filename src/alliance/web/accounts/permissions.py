"""The view decorator that applies :mod:`alliance.web.accounts.rules`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alliance.web.accounts.rules import RULES, can

View = Callable[..., HttpResponse]


def forbidden(request: HttpRequest, rule: str) -> HttpResponse:
    from alliance.web.audit.services import record

    record(request, "refused", target=request.path, rule=rule)
    return render(request, "workspace/forbidden.html", {"rule": rule}, status=403)


def requires(rule: str) -> Callable[[View], View]:
    """Sign-in required, then ``can(user, rule)``; refusals answer 403 and are audited."""
    if rule not in RULES:
        raise KeyError(f"no permission rule named {rule!r}")

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, rule):
                return forbidden(request, rule)
            return view(request, *args, **kwargs)

        inner.alliance_rule = rule  # type: ignore[attr-defined]
        return inner

    return wrap
