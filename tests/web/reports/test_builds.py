"""Building: the workspace's build runs as the ``build_sna`` task through the same service as
the command line's, its record follows it, and a failure is told in plain words."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from django.utils import timezone

from alliance.web.reports import services
from alliance.web.reports.models import SnaBuild
from alliance.web.tasks import services as tasks
from alliance.web.tasks.models import Task

pytestmark = pytest.mark.django_db


def _start(client_as, period: str = "2024-01:2024-02") -> SnaBuild:
    r = client_as("analyst").post("/sna/", {"area": "E23000022", "period": period,
                                           "draft": "on"})
    assert r.status_code == 302, r.content[:2000]
    return SnaBuild.objects.get()


def test_a_real_build_from_the_page_writes_the_report_and_records_what_it_used(
        one_month, client_as) -> None:
    build = _start(client_as)
    assert tasks.work(once=True) == 1  # what the background thread (or a worker) does
    build.refresh_from_db()
    assert build.status == "done", build.message
    assert (build.area_name, build.area_code) == ("Northamptonshire", "E23000022")
    assert {"index.html", "sna.docx", "data/figures.json"} <= set(build.files)
    assert "sna.pdf" not in build.files and build.tables()
    assert one_month.batch_id in build.batch_ids
    assert build.progress_done == build.progress_total == services.STEPS
    assert build.finished_at is not None and build.threshold == 5
    task = Task.objects.get(pk=build.task_id)
    assert task.status == Task.Status.DONE and task.result["build_id"] == build.pk
    html = client_as("board_viewer").get(f"/sna/builds/{build.pk}/index.html")
    assert html.status_code == 200 and b"<html" in html.content[:200].lower()
    assert "See the SNA build" in client_as("analyst").get(f"/tasks/{task.pk}/").content.decode()


def test_a_build_with_no_data_says_what_to_do_in_the_workspace(client_as) -> None:
    build = _start(client_as)
    tasks.work(once=True)
    build.refresh_from_db()
    assert build.status == "failed"
    assert build.message == ("No police.uk street crime is pooled for Northamptonshire. "
                             "Upload its police.uk files on the Data page first.")
    task = Task.objects.get(pk=build.task_id)
    assert task.status == Task.Status.FAILED and task.error == build.message
    body = client_as("analyst").get("/sna/").content.decode()
    assert build.message in body and "alliance load" not in body


def _failing(client_as, monkeypatch, caplog, error: Exception) -> SnaBuild:  # type: ignore[no-untyped-def]
    """A build from the page whose gathering raises ``error``, run as the worker runs it."""
    def gather(area: str) -> None:
        raise error

    monkeypatch.setattr(services, "gather", gather)
    build = _start(client_as)
    with caplog.at_level(logging.WARNING):
        tasks.work(once=True)
    build.refresh_from_db()
    assert build.status == "failed"
    assert Task.objects.get(pk=build.task_id).error == build.message
    return build


def test_a_setting_in_a_refusal_becomes_what_to_do(client_as, monkeypatch, caplog) -> None:
    build = _failing(client_as, monkeypatch, caplog,
                     FileNotFoundError("no reference tables found (set ALLIANCE_REFERENCE)"))
    assert "Alliance cannot find its reference tables" in build.message
    assert "Ask your administrator" in build.message and "ALLIANCE_" not in build.message
    assert "set ALLIANCE_REFERENCE" in caplog.text  # the technical detail is in the log


def test_an_unexpected_error_is_logged_and_told_plainly(client_as, monkeypatch,
                                                        caplog) -> None:
    build = _failing(client_as, monkeypatch, caplog,
                     ZeroDivisionError("division by zero deep in the build"))
    assert build.message.startswith("The SNA build stopped because of an unexpected problem.")
    assert f"“SNA build {build.pk}”" in build.message
    assert "ZeroDivisionError" not in build.message
    assert "division by zero deep in the build" in caplog.text
    assert caplog.text.count("Traceback") == 1  # logged once, not again by the task runner


def test_inline_the_build_starts_in_the_background_once_committed(
        client_as, monkeypatch, django_capture_on_commit_callbacks) -> None:
    started: list[int] = []
    monkeypatch.setattr(tasks, "in_background", started.append)
    monkeypatch.setattr(tasks, "_single_connection", lambda: False)  # a file or a server
    with django_capture_on_commit_callbacks(execute=True):
        build = _start(client_as)
    assert started == [build.task_id]  # handed to a thread: the request did not build it
    build.refresh_from_db()
    assert build.status == "queued"


def test_queued_for_a_worker_when_tasks_are_not_inline(
        client_as, settings, monkeypatch, django_capture_on_commit_callbacks) -> None:
    settings.ALLIANCE_TASKS_INLINE = False
    started: list[int] = []
    monkeypatch.setattr(tasks, "in_background", started.append)
    with django_capture_on_commit_callbacks(execute=True):
        build = _start(client_as)
    assert started == [] and Task.objects.get(pk=build.task_id).status == Task.Status.QUEUED


def test_builds_made_by_the_dashboards_app_are_carried_over() -> None:
    """The data migration that moved SNA builds here from the dashboards app."""
    from importlib import import_module

    from django.contrib.auth import get_user_model

    migration = import_module("alliance.web.reports.migrations.0001_initial")
    user = get_user_model().objects.create_user("old@x.test", "old@x.test", "pw")
    when = timezone.now().replace(year=2025)
    old = [SimpleNamespace(area_code="E23000022", area_name="Northamptonshire", period="2025",
                           status="done", started_by=user, started_at=when, finished_at=when,
                           batch_ids=[3, 4], message="",
                           files={"html": "/srv/a/sna/build-7/index.html",
                                  "docx": "/srv/a/sna/build-7/sna.docx"}),
           SimpleNamespace(area_code="E06000061", area_name="", period="2024", status="running",
                           started_by=None, started_at=when, finished_at=None, batch_ids=[],
                           message="", files={})]
    rows = SimpleNamespace(order_by=lambda *_: SimpleNamespace(select_related=lambda *_: old))
    models = {"dashboards": SimpleNamespace(objects=rows), "reports": SnaBuild}
    apps = SimpleNamespace(get_model=lambda app, name: models[app])
    migration.copy_dashboard_builds(apps, None)
    done, stopped = SnaBuild.objects.order_by("id")
    assert (done.status, done.output_folder, done.files, done.batch_ids, done.pdf) == (
        "done", "/srv/a/sna/build-7", ["index.html", "sna.docx"], [3, 4], False)
    assert done.started_by_name == "old@x.test" and done.started_at == when
    assert stopped.status == "failed" and "stopped before it finished" in stopped.message
