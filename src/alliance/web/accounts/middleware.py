"""End signed-in sessions after a period without requests (``SESSION_IDLE_TIMEOUT`` seconds)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

LAST_SEEN = "alliance_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            limit = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 1800))
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - float(last) > limit:
                logout(request)
                messages.info(request, "You were signed out because you were inactive.")
                return redirect(settings.LOGIN_URL)
            request.session[LAST_SEEN] = now
        return self.get_response(request)
