"""A value read at most once per web request.

Every pooled read asks which agreements have expired, and every figure cache asks for the
pool's version; one dashboard page asks several times. Within a web request the answer is
read once and kept until the request ends (or until :meth:`OncePerRequest.forget`, when the
request itself changes what it depends on). Outside a request (the command line, a task, a
worker thread, a test calling directly) it is read every time, so nothing long-lived ever
sees a stale answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.signals import request_finished, request_started

T = TypeVar("T")


class OncePerRequest(Generic[T]):
    """Reads ``read()`` once per request of the thread that asks (``name`` names the signal
    receivers, so connecting twice connects once)."""

    def __init__(self, name: str, read: Callable[[], T]) -> None:
        self._read = read
        self._local = threading.local()
        request_started.connect(self._started, dispatch_uid=f"{name}.started", weak=False)
        request_finished.connect(self._finished, dispatch_uid=f"{name}.finished", weak=False)

    def _started(self, **_: Any) -> None:
        self._local.value = None
        self._local.active = True

    def _finished(self, **_: Any) -> None:
        self._local.active = False
        self._local.value = None

    def forget(self, **_: Any) -> None:
        """Read afresh next time (what it depends on changed during this request)."""
        self._local.value = None

    def get(self) -> T:
        if not getattr(self._local, "active", False):
            return self._read()
        if self._local.value is None:
            self._local.value = self._read()
        return self._local.value
