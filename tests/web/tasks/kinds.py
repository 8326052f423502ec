"""Task kinds for the tests, registered as a real app's would be (module-level handlers).

The framework finds a task again by its import path, so test handlers live here rather than
inside the tests; what they see and do is steered through :data:`STATE`.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction

from alliance.web.tasks import live
from alliance.web.tasks.models import Task
from alliance.web.tasks.services import Progress, TaskFailed, handler

STATE: dict[str, Any] = {}
WAIT = 30  # seconds; a generous bound so a slow machine never fails a correct run


def reset() -> dict[str, Any]:
    STATE.clear()
    STATE.update(seen=[], ran=[], lock=threading.Lock(), gate=threading.Event(),
                 halfway=threading.Event(), go_on=threading.Event(), pause=False)
    return STATE


@handler("test_echo")
def echo(task: Task, progress: Progress) -> dict[str, Any]:
    total = int(task.arguments.get("steps", 3))
    for i in range(total):
        progress(f"step {i + 1}", i, total)
        row = Task.objects.get(pk=task.pk)  # what the status page would read now
        STATE["seen"].append(f"{row.message} {row.progress_done}/{row.progress_total}")
    return {"echo": task.arguments.get("value")}


@handler("test_boom")
def boom(task: Task, progress: Progress) -> dict[str, Any]:
    progress("about to fail", 1, 2)
    raise ZeroDivisionError("division by zero in the test handler")


@handler("test_refuse")
def refuse(task: Task, progress: Progress) -> dict[str, Any]:
    raise TaskFailed("The file has no rows for the partnership's area.")


@handler("test_urgent", priority=10)
def urgent(task: Task, progress: Progress) -> dict[str, Any]:
    STATE["ran"].append(("urgent", task.pk))
    return {}


@handler("test_wait")
def wait(task: Task, progress: Progress) -> dict[str, Any]:
    progress("waiting for the test", 0, 1)
    if not STATE["gate"].wait(60):
        raise TimeoutError("the test never opened the gate")
    return {"ok": True}


@handler("test_one_transaction")
def in_one_transaction(task: Task, progress: Progress) -> dict[str, Any]:
    """Works inside one transaction and pauses half-way when asked."""
    with transaction.atomic():
        progress("loading rows", 0, 4)
        progress("loading rows: 2,000 so far", 2, 4)
        STATE["seen"].append(live.read(task.pk))
        if STATE["pause"]:
            STATE["halfway"].set()
            assert STATE["go_on"].wait(WAIT)
        progress("finishing", 4, 4)
    return {"ok": True}


@handler("test_record_run")
def record_run(task: Task, progress: Progress) -> dict[str, Any]:
    with STATE["lock"]:
        STATE["ran"].append((task.pk, threading.current_thread().name))
    threading.Event().wait(0.02)  # long enough for the other worker to claim meanwhile
    return {}
