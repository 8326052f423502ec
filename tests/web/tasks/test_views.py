"""The task page and its JSON; uploads and SNA builds queue a task when tasks are not inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.web.tasks import services
from alliance.web.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings) -> None:
    settings.ALLIANCE_TASKS_INLINE = False


def _task_of(demo, role: str) -> Task:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=demo.emails[role])
    return Task.objects.create(kind="build_sna", created_by=user, status=Task.Status.RUNNING,
                               progress_done=1, progress_total=2, message="Writing the report")


def test_the_creator_follows_the_task(demo, client_as) -> None:
    task = _task_of(demo, "analyst")
    c = client_as("analyst")
    page = c.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Writing the report (1 of 2)" in body
    assert '<meta http-equiv="refresh"' in body  # no-JS fallback while it runs
    assert "tasks/progress.js" in body
    data = c.get(f"/tasks/{task.pk}.json").json()
    assert data | {"result": None} == data | {
        "id": task.pk, "status": "running", "finished": False, "done": 1, "total": 2,
        "percent": 50, "message": "Writing the report", "result": None}


def test_a_finished_task_stops_refreshing_and_links_on(demo, client_as) -> None:
    task = _task_of(demo, "analyst")
    Task.objects.filter(pk=task.pk).update(status=Task.Status.FAILED, error="It broke: why.")
    body = client_as("analyst").get(f"/tasks/{task.pk}/").content.decode()
    assert "It broke: why." in body and 'http-equiv="refresh"' not in body


def test_a_finished_theme_task_links_to_its_theme_set(demo, client_as) -> None:
    task = _task_of(demo, "analyst")
    Task.objects.filter(pk=task.pk).update(
        kind="find_themes", status=Task.Status.DONE, arguments={"theme_set": 7},
        result={"theme_set": 7, "title": "Youth survey 2026", "texts": 412, "themes": 9})
    body = client_as("analyst").get(f"/tasks/{task.pk}/").content.decode()
    assert "Finding themes in Youth survey 2026" in body
    assert "Found 9 themes in 412 texts." in body
    assert 'href="/themes/7/">See the themes</a>' in body


@pytest.mark.parametrize(("role", "sees"), [("analyst", True), ("administrator", True),
                                            ("partner_lead", False), ("board_viewer", False)])
def test_only_the_creator_or_an_administrator_sees_a_task(demo, client_as, role: str,
                                                          sees: bool) -> None:
    task = _task_of(demo, "analyst")
    c = client_as(role)
    assert c.get(f"/tasks/{task.pk}/").status_code == (200 if sees else 404)
    assert c.get(f"/tasks/{task.pk}.json").status_code == (200 if sees else 404)


def test_anonymous_is_sent_to_sign_in(demo, client) -> None:
    task = _task_of(demo, "analyst")
    assert client.get(f"/tasks/{task.pk}/").status_code == 302
    assert client.get(f"/tasks/{task.pk}.json").status_code == 401


def test_an_upload_is_queued_then_loaded_by_the_worker(queued, client_as,
                                                       northants_files: list[Path]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alliance import config
    from alliance.web.pool.models import ImportBatch

    path = northants_files[0]
    c = client_as("analyst")  # police.uk is the police's data: a council lead may not load it
    r = c.post("/data/upload/", {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    task = Task.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/tasks/{task.pk}/"
    assert task.status == Task.Status.QUEUED and task.kind == "load_police_uk"
    stored = config.load().home / "uploads" / task.arguments["path"]
    assert stored.is_file() and not ImportBatch.objects.filter(source="police_uk").exists()
    assert "Waiting to start" in c.get(f"/tasks/{task.pk}/").content.decode()

    assert services.work(once=True) == 1
    task.refresh_from_db()
    assert task.status == Task.Status.DONE, task.error
    batch = ImportBatch.objects.get(pk=task.result["batch_id"])
    assert batch.rows_loaded == task.result["rows"] > 1000
    assert not stored.exists()
    page = c.get(f"/tasks/{task.pk}/").content.decode()
    assert f"in batch {batch.pk}" in page and "See the batches" in page
    # the worker worked out the new figures of the partnership's area for the web processes:
    # a process that does not hold them reads them from the shared cache, counting nothing
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.web.accounts.models import Partnership
    from alliance.web.pool import publication as figures

    with figures._lock:
        figures._cache.clear()
    with CaptureQueriesContext(connection) as context:
        figures.publication(Partnership.objects.get().area_code)
    assert not [q for q in context.captured_queries if "pool_incident" in q["sql"]]


def test_an_sna_build_is_queued_then_built_by_the_worker(queued, client_as, monkeypatch,
                                                        one_month) -> None:
    """The queued path only: the real build (same handler) is tests/web/reports'."""
    from alliance.web.reports import services as reports
    from alliance.web.reports.models import SnaBuild

    def fake_build(build: SnaBuild, *, progress) -> None:
        progress("Writing the report", 1, 2)
        build.status, build.area_name, build.files = SnaBuild.Status.DONE, "Northants", []
        build.save()

    c = client_as("analyst")
    r = c.post("/sna/", {"area": "E23000022", "period": "2024"})
    task = Task.objects.get()
    build = SnaBuild.objects.get()
    assert r.status_code == 302 and r["Location"] == "/sna/"
    assert task.arguments == {"build_id": build.pk} and build.task_id == task.pk
    assert build.status == SnaBuild.Status.QUEUED and task.status == Task.Status.QUEUED
    monkeypatch.setattr(reports, "run_build", fake_build)
    services.work(once=True)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE, task.error
    assert task.result["build_id"] == build.pk
    page = c.get(f"/tasks/{task.pk}/").content.decode()
    assert f'href="/sna/builds/{build.pk}/">See the SNA build' in page
