"""Tasks on Django's task framework: queue, worker, progress, failure in plain words, stale."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from alliance.web.tasks import framework, services
from alliance.web.tasks.models import Task
from tests.web.tasks import kinds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def state() -> dict[str, Any]:
    return kinds.reset()


def _record(task: Task) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(pk=task.result_id)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no task handler for 'nope'"):
        services.enqueue("nope")
    assert not Task.objects.exists()


def test_a_kind_is_a_framework_task_found_by_its_import_path() -> None:
    task = services.enqueue("test_echo", value="a")
    record = _record(task)
    assert record.task_path == "tests.web.tasks.kinds.echo"
    assert record.status == "READY" and record.args_kwargs == {"args": [task.pk], "kwargs": {}}
    assert record.task is not None and record.task.func.__name__ == "echo"


def test_the_worker_runs_queued_tasks_oldest_first(state: dict[str, Any]) -> None:
    first = services.enqueue("test_echo", value="a", steps=2)
    second = services.enqueue("test_echo", value="b", steps=2)
    assert first.status == Task.Status.QUEUED
    assert services.work(once=True) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.result) == (Task.Status.DONE, {"echo": "a"})
    assert (second.status, second.result) == (Task.Status.DONE, {"echo": "b"})
    assert first.started_at <= second.started_at and first.finished_at is not None
    assert first.progress_done == first.progress_total == 2 and first.percent == 100
    # progress was on the row while the task ran, where the status page reads it
    assert state["seen"] == ["step 1 0/2", "step 2 1/2", "step 1 0/2", "step 2 1/2"]
    # the framework's record agrees, with the handler's result as its return value
    assert (_record(first).status, _record(first).return_value) == ("SUCCESSFUL", {"echo": "a"})


def test_a_higher_priority_kind_goes_first(state: dict[str, Any]) -> None:
    services.enqueue("test_echo", steps=0)
    urgent = services.enqueue("test_urgent")
    assert services.work(once=True) == 2
    assert state["ran"] == [("urgent", urgent.pk)]
    assert Task.objects.get(pk=urgent.pk).started_at <= Task.objects.exclude(
        pk=urgent.pk).get().started_at


def test_a_task_is_run_once() -> None:
    task = services.enqueue("test_echo", steps=1)
    assert framework.run_one(task.result_id, worker_id="w1") is True
    assert framework.run_one(task.result_id, worker_id="w2") is False  # done: nobody reruns it
    assert services.work(once=True) == 0
    task.refresh_from_db()
    assert (task.status, task.worker) == (Task.Status.DONE, "w1")


def test_a_failing_task_is_kept_with_its_message_and_the_worker_carries_on() -> None:
    bad = services.enqueue("test_boom")
    refused = services.enqueue("test_refuse")
    good = services.enqueue("test_echo", value=1)
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
    # the framework keeps the traceback for whoever reads the log or the admin
    record = _record(bad)
    assert record.status == "FAILED" and record.exception_class_path == "builtins.ZeroDivisionError"
    assert "division by zero in the test handler" in record.traceback
    assert _record(refused).exception_class_path.endswith("services.TaskFailed")


def test_stale_running_tasks_are_failed_with_their_framework_record() -> None:
    """A worker killed mid-task leaves a running row; after the stale limit it is failed."""
    lost, alive = (services.enqueue("test_echo") for _ in range(2))
    queued = services.enqueue("test_echo", steps=1)
    now = timezone.now()
    from django_tasks_db.models import DBTaskResult

    for task, beat in ((lost, now - timedelta(hours=2)), (alive, now - timedelta(minutes=1))):
        # what a worker does when it takes a task, then dies without a word
        DBTaskResult.objects.filter(pk=task.result_id).update(status="RUNNING", started_at=now)
        Task.objects.filter(pk=task.pk).update(status=Task.Status.RUNNING, started_at=now,
                                               heartbeat_at=beat)
    assert services.fail_stale(after=timedelta(minutes=30)) == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == Task.Status.FAILED
    assert "No progress for more than 30 minutes" in lost.error
    assert lost.finished_at is not None
    assert _record(lost).status == "FAILED"
    assert _record(lost).exception_class_path.endswith("framework.WorkerLost")
    assert alive.status == Task.Status.RUNNING and _record(alive).status == "RUNNING"
    # the worker applies the rule when it starts, and still runs the queued task
    assert services.work(once=True, stale_after=timedelta(seconds=30)) == 1
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert alive.status == Task.Status.FAILED and queued.status == Task.Status.DONE


def test_a_task_failed_as_stale_is_not_run_later() -> None:
    task = services.enqueue("test_echo")
    Task.objects.filter(pk=task.pk).update(status=Task.Status.FAILED, error="gone")
    assert services.work(once=True) == 1
    task.refresh_from_db()
    assert (task.status, task.error) == (Task.Status.FAILED, "gone")
    assert _record(task).status == "FAILED"


def test_submit_runs_inline_or_queues(settings) -> None:
    settings.ALLIANCE_TASKS_INLINE = True
    now = services.submit("test_echo", value="now", steps=1)
    assert (now.status, now.worker, now.result) == (Task.Status.DONE, "inline", {"echo": "now"})
    assert _record(now).worker_ids == ["inline"]
    settings.ALLIANCE_TASKS_INLINE = False
    later = services.submit("test_echo", value="later")
    assert later.status == Task.Status.QUEUED and later.started_at is None
    assert _record(later).status == "READY"


def test_an_upload_task_whose_file_is_gone_fails_clearly() -> None:
    for path in ("missing/2024-01-northamptonshire-street.csv", "../../etc/passwd"):
        task = services.enqueue("load_police_uk", path=path, name="x.csv")
        services.work(once=True)
        task.refresh_from_db()
        assert task.status == Task.Status.FAILED
        assert "is no longer on the server; upload it again" in task.error


from tests.web.workspace.test_browser import geography_snapshot  # noqa: E402, F401  (fixture)


@pytest.mark.postgres  # an in-memory SQLite database is one connection: no second thread
@pytest.mark.django_db(transaction=True)
def test_start_runs_the_task_in_a_thread_and_returns_at_once(
        settings, state: dict[str, Any], geography_snapshot) -> None:  # noqa: F811
    """Inline, :func:`services.start` answers while the task is still running in a thread of
    this process (committed rows only: a transactional test, as in a real request)."""
    import threading
    import time

    settings.ALLIANCE_TASKS_INLINE = True
    try:
        task = services.start("test_wait")
        deadline = time.monotonic() + 30
        while Task.objects.get(pk=task.pk).message != "waiting for the test":
            assert time.monotonic() < deadline, "the thread never started the task"
            time.sleep(0.05)
        running = Task.objects.get(pk=task.pk)
        assert running.status == Task.Status.RUNNING and running.worker.endswith(" thread")
    finally:
        state["gate"].set()
        for thread in threading.enumerate():
            if thread.name.startswith("alliance-task-"):
                thread.join(30)
    task.refresh_from_db()
    assert (task.status, task.result) == (Task.Status.DONE, {"ok": True})


@pytest.mark.django_db(transaction=True)
def test_inline_start_never_shares_a_single_connection_between_threads(
        settings, geography_snapshot, monkeypatch) -> None:  # noqa: F811
    """An in-memory SQLite database (the SQLite test pass) is one connection that two threads
    must never use at once, so there :func:`services.start` runs the task in this thread once
    the row is committed; on a database with a connection per thread (a file, PostgreSQL) it
    hands the task to a thread."""
    settings.ALLIANCE_TASKS_INLINE = True
    handed: list[int] = []
    monkeypatch.setattr(services, "in_background", handed.append)
    task = services.start("test_echo", value="here", steps=1)
    task.refresh_from_db()
    if services._single_connection():
        assert handed == [] and task.status == Task.Status.DONE
        assert task.worker.endswith(" inline") and task.result == {"echo": "here"}
    else:
        assert handed == [task.pk] and task.status == Task.Status.QUEUED


@pytest.mark.django_db(transaction=True)
def test_the_worker_command(geography_snapshot) -> None:  # noqa: F811
    """The backend's own db_worker, as `alliance worker` runs it (committed rows: it closes
    old connections between tasks, as a long-running worker must)."""
    import typer

    from alliance.cli.worker import worker

    app = typer.Typer()
    app.command()(worker)
    task = services.enqueue("test_echo", value="cli", steps=1)
    result = CliRunner().invoke(app, ["--once"])
    assert result.exit_code == 0, result.output
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.worker.startswith(services.worker_name().split(":")[0])
