"""The database-backed task queue: enqueue, atomic claim, worker loop, progress, failure, stale."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from alliance.web.tasks import services
from alliance.web.tasks.models import Task
from alliance.web.tasks.services import TaskFailed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Three handlers for the tests: one that echoes, one that fails, one that refuses."""
    seen: list[str] = []
    services._handlers()  # the built-in kinds first, so the patch below is undone cleanly

    def echo(task: Task, progress: services.Progress) -> dict[str, Any]:
        total = int(task.arguments.get("steps", 3))
        for i in range(total):
            progress(f"step {i + 1}", i, total)
            row = Task.objects.get(pk=task.pk)  # what the status page would read now
            seen.append(f"{row.message} {row.progress_done}/{row.progress_total}")
        return {"echo": task.arguments.get("value")}

    def boom(task: Task, progress: services.Progress) -> dict[str, Any]:
        progress("about to fail", 1, 2)
        raise ZeroDivisionError("division by zero in the test handler")

    def refuse(task: Task, progress: services.Progress) -> dict[str, Any]:
        raise TaskFailed("The file has no rows for the partnership's area.")

    for kind, fn in {"echo": echo, "boom": boom, "refuse": refuse}.items():
        monkeypatch.setitem(services.HANDLERS, kind, fn)
    yield seen


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no task handler for 'nope'"):
        services.enqueue("nope")
    assert not Task.objects.exists()


def test_the_worker_runs_queued_tasks_oldest_first(test_kinds: list[str]) -> None:
    first = services.enqueue("echo", value="a", steps=2)
    second = services.enqueue("echo", value="b", steps=2)
    assert first.status == Task.Status.QUEUED
    assert services.work(once=True) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.result) == (Task.Status.DONE, {"echo": "a"})
    assert (second.status, second.result) == (Task.Status.DONE, {"echo": "b"})
    assert first.started_at <= second.started_at and first.finished_at is not None
    assert first.progress_done == first.progress_total == 2 and first.percent == 100
    # progress was on the row while the task ran, where the status page reads it
    assert test_kinds == ["step 1 0/2", "step 2 1/2", "step 1 0/2", "step 2 1/2"]


def test_a_task_is_claimed_once() -> None:
    a = services.enqueue("echo")
    b = services.enqueue("echo")
    claimed = services.claim_next(worker="w1")
    assert claimed is not None and claimed.pk == a.pk
    assert (claimed.status, claimed.worker) == (Task.Status.RUNNING, "w1")
    assert services._claim(a.pk, worker="w2") is None  # already running: nobody else takes it
    again = services.claim_next(worker="w2")
    assert again is not None and again.pk == b.pk
    assert services.claim_next(worker="w3") is None


def test_a_failing_task_is_kept_with_its_message_and_the_worker_carries_on() -> None:
    bad = services.enqueue("boom")
    refused = services.enqueue("refuse")
    good = services.enqueue("echo", value=1)
    assert services.work(once=True) == 3
    bad.refresh_from_db()
    refused.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Task.Status.FAILED
    # what went wrong is in the log; the person who started it is told what to do
    assert bad.error.startswith("This task stopped because of an unexpected problem.")
    assert f"“task {bad.pk}”" in bad.error and "ZeroDivisionError" not in bad.error
    assert (bad.message, bad.progress_done, bad.progress_total) == ("about to fail", 1, 2)
    assert refused.error == "The file has no rows for the partnership's area."
    assert good.status == Task.Status.DONE


def test_stale_running_tasks_are_failed() -> None:
    """A worker killed mid-task leaves a running row; after the stale limit it is failed."""
    now = timezone.now()
    lost = Task.objects.create(kind="echo", status=Task.Status.RUNNING, started_at=now,
                               heartbeat_at=now - timedelta(hours=2))
    alive = Task.objects.create(kind="echo", status=Task.Status.RUNNING, started_at=now,
                                heartbeat_at=now - timedelta(minutes=1))
    queued = services.enqueue("echo")
    assert services.fail_stale(after=timedelta(minutes=30)) == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == Task.Status.FAILED
    assert "No progress for more than 30 minutes" in lost.error
    assert lost.finished_at is not None
    assert alive.status == Task.Status.RUNNING
    # the worker loop applies the rule too, and still runs the queued task
    assert services.work(once=True, stale_after=timedelta(seconds=30)) == 1
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert alive.status == Task.Status.FAILED and queued.status == Task.Status.DONE


def test_idle_exit_returns_when_there_is_nothing_to_do() -> None:
    naps: list[float] = []
    assert services.work(idle_exit=0, sleep=naps.append) == 0
    assert naps == []


def test_submit_runs_inline_or_queues(settings) -> None:
    settings.ALLIANCE_TASKS_INLINE = True
    now = services.submit("echo", value="now", steps=1)
    assert (now.status, now.worker, now.result) == (Task.Status.DONE, "inline", {"echo": "now"})
    settings.ALLIANCE_TASKS_INLINE = False
    later = services.submit("echo", value="later")
    assert later.status == Task.Status.QUEUED and later.started_at is None


def test_the_worker_command() -> None:
    import typer

    from alliance.cli.worker import worker

    app = typer.Typer()
    app.command()(worker)
    task = services.enqueue("echo", value="cli", steps=1)
    result = CliRunner().invoke(app, ["--once"])
    assert result.exit_code == 0, result.output
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert CliRunner().invoke(app, ["--idle-exit", "0"]).exit_code == 0


def test_an_upload_task_whose_file_is_gone_fails_clearly() -> None:
    for path in ("missing/2024-01-northamptonshire-street.csv", "../../etc/passwd"):
        task = services.enqueue("load_police_uk", path=path, name="x.csv")
        services.run(services.claim_next(worker="t") or task)
        task.refresh_from_db()
        assert task.status == Task.Status.FAILED
        assert "is no longer on the server; upload it again" in task.error


from tests.web.workspace.test_browser import geography_snapshot  # noqa: E402, F401  (fixture)


@pytest.mark.django_db(transaction=True)
def test_start_runs_the_task_in_a_thread_and_returns_at_once(
        settings, monkeypatch: pytest.MonkeyPatch, geography_snapshot) -> None:  # noqa: F811
    """Inline, :func:`services.start` answers while the task is still running in a thread of
    this process (committed rows only: a transactional test, as in a real request)."""
    import threading
    import time

    settings.ALLIANCE_TASKS_INLINE = True
    gate = threading.Event()

    def wait(task: Task, progress: services.Progress) -> dict[str, Any]:
        progress("waiting for the test", 0, 1)
        if not gate.wait(60):
            raise TimeoutError("the test never opened the gate")
        return {"ok": True}

    monkeypatch.setitem(services.HANDLERS, "wait", wait)
    try:
        task = services.start("wait")
        deadline = time.monotonic() + 30
        while Task.objects.get(pk=task.pk).message != "waiting for the test":
            assert time.monotonic() < deadline, "the thread never started the task"
            time.sleep(0.05)
        running = Task.objects.get(pk=task.pk)
        assert running.status == Task.Status.RUNNING and running.worker.endswith(" thread")
    finally:
        gate.set()
        for thread in threading.enumerate():
            if thread.name.startswith("alliance-task-"):
                thread.join(30)
    task.refresh_from_db()
    assert (task.status, task.result) == (Task.Status.DONE, {"ok": True})
