"""End signed-in sessions after a period without requests (``SESSION_IDLE_TIMEOUT`` seconds),
and at once when the member has been deactivated.

The time a session was last seen is written at most once a minute (:data:`SEEN_EVERY`): writing
it on every request made every page a database write and commit (a dashboard's busiest cost
while a load writes to the same database), and a 30-minute timeout does not need the second."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

LAST_SEEN = "alliance_last_seen"
#: seconds between writes of the time last seen (the timeout ends a session after between
#: SESSION_IDLE_TIMEOUT and SESSION_IDLE_TIMEOUT + SEEN_EVERY idle seconds)
SEEN_EVERY = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            if SESSION_KEY in request.session:
                # The session names a user the backend no longer accepts: deactivated since it
                # began. Django then treats the request as anonymous but keeps the session, so
                # reactivating the member would bring it back; end it for good instead.
                request.session.flush()
            return self.get_response(request)
        limit = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 1800))
        now = time.time()
        last = request.session.get(LAST_SEEN)
        if last is not None and now - float(last) > limit:
            logout(request)
            messages.info(request, "You were signed out because you were inactive.")
            return redirect(settings.LOGIN_URL)
        if last is None or now - float(last) >= SEEN_EVERY:
            request.session[LAST_SEEN] = now
        return self.get_response(request)
