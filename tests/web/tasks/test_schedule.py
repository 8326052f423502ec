"""Scheduled work: due jobs run once per interval, failures are told, overlapping runs share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import typer
from django.utils import timezone
from typer.testing import CliRunner

from alliance.web.tasks import live, schedule, services
from alliance.web.tasks.models import ScheduledRun, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The built-in jobs plus two of the test's: one that counts, one that fails."""
    calls: list[str] = []
    monkeypatch.setattr(schedule, "JOBS", dict(schedule._jobs()))

    @schedule.scheduled("test_count", every=timedelta(hours=1))
    def count(now: datetime) -> str:
        calls.append(now.isoformat())
        return f"{len(calls)} call(s)"

    @schedule.scheduled("test_broken", every=timedelta(hours=1))
    def broken(now: datetime) -> str:
        raise RuntimeError("the mail relay said no \x1b[31m")

    yield calls


def _by_name(outcomes: list[schedule.Outcome]) -> dict[str, schedule.Outcome]:
    return {o.name: o for o in outcomes}


def test_a_due_job_runs_once_per_interval(jobs: list[str]) -> None:
    t0 = timezone.now()
    first = _by_name(schedule.run_due(now=t0))
    assert first["test_count"].ran and first["test_count"].summary == "1 call(s)"
    assert {"fail_stale_tasks", "prune_task_results"} <= set(first)
    assert not _by_name(schedule.run_due(now=t0 + timedelta(minutes=59)))["test_count"].ran
    assert _by_name(schedule.run_due(now=t0 + timedelta(hours=1)))["test_count"].ran
    assert len(jobs) == 2
    record = ScheduledRun.objects.get(name="test_count")
    assert record.ok and record.summary == "2 call(s)" and record.finished_at is not None


def test_a_failing_job_is_recorded_and_the_others_still_run(jobs: list[str]) -> None:
    outcomes = _by_name(schedule.run_due())
    assert not outcomes["test_broken"].ok
    assert "RuntimeError: the mail relay said no" in outcomes["test_broken"].summary
    assert outcomes["test_count"].ok and jobs
    assert not ScheduledRun.objects.get(name="test_broken").ok


def test_an_overlapping_run_does_not_take_a_job_already_taken(jobs: list[str]) -> None:
    t0 = timezone.now()
    schedule.run_due(now=t0)
    record = ScheduledRun.objects.get(name="test_count")
    job = schedule.JOBS["test_count"]
    later = t0 + timedelta(hours=2)
    assert schedule._take(job, later, force=False)  # the first run takes it ...
    ScheduledRun.objects.filter(pk=record.pk).update(started_at=record.started_at)
    assert schedule._take(job, later, force=False)  # (reset: same as two racing runs)
    assert not schedule._take(job, later + timedelta(seconds=1), force=False)  # ... not due


def test_the_stale_rule_runs_on_schedule_without_a_worker() -> None:
    task = services.enqueue("load_police_uk", path="x", name="x.csv")
    live.clear(task.pk)  # no progress published by an earlier test's task of the same number
    Task.objects.filter(pk=task.pk).update(status=Task.Status.RUNNING,
                                           heartbeat_at=timezone.now() - timedelta(hours=1))
    outcome = _by_name(schedule.run_due(only="fail_stale_tasks"))["fail_stale_tasks"]
    assert outcome.ran and outcome.summary.startswith("1 task(s)")
    assert Task.objects.get(pk=task.pk).status == Task.Status.FAILED


def test_old_queue_records_are_pruned_and_the_rows_people_see_kept(settings) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.ALLIANCE_TASKS_INLINE = True
    old, recent = (services.submit("load_police_uk", path="x", name="x.csv") for _ in range(2))
    DBTaskResult.objects.filter(pk=old.result_id).update(
        finished_at=timezone.now() - timedelta(days=91))
    outcome = _by_name(schedule.run_due(only="prune_task_results"))["prune_task_results"]
    assert outcome.summary.startswith("1 finished task record(s)")
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
        DBTaskResult.objects.get(pk=recent.result_id).pk]
    assert Task.objects.filter(pk=old.pk).exists()


def test_the_command(jobs: list[str]) -> None:
    from alliance.cli.scheduled import scheduled

    app = typer.Typer()
    app.command()(scheduled)
    run = CliRunner().invoke(app, [])
    assert run.exit_code == 1  # a job failed
    assert "test_count: ok: 1 call(s)" in run.output
    assert "test_broken: FAILED: RuntimeError: the mail relay said no" in run.output
    assert "\x1b" not in run.stdout and "\\x1b[31m" in run.stdout  # escaped, not obeyed
    again = CliRunner().invoke(app, ["--job", "test_count"])
    assert again.exit_code == 0 and "2 call(s)" in again.output
    listed = CliRunner().invoke(app, ["--list"])
    assert "test_count: every 1:00:00; last run" in listed.output
    unknown = CliRunner().invoke(app, ["--job", "nope"])
    assert unknown.exit_code == 1 and "no scheduled job 'nope'" in unknown.output
