"""The SNA page: every build listed (workspace and command line), analysts start builds that
run in the background, everyone follows and reads them, board viewers cannot start one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alliance.web.accounts.models import Role
from alliance.web.reports.models import SnaBuild
from alliance.web.tasks.models import Task

pytestmark = pytest.mark.django_db

ROLES = [str(r) for r in Role.values]


def test_a_build_is_started_and_the_page_does_not_wait_for_it(client_as) -> None:
    """The request records the build and queues its task, then answers at once: the build is
    still waiting when the page shows it, with its progress."""
    analyst = client_as("analyst")
    r = analyst.post("/sna/", {"area": "E23000022", "period": "2024-01:2024-02",
                               "draft": "on"})
    assert r.status_code == 302 and r["Location"] == "/sna/"
    build = SnaBuild.objects.get()
    assert (build.status, build.origin, build.period, build.pdf) == (
        "queued", "workspace", "2024-01:2024-02", False)
    assert build.area_name == "Northamptonshire (whole area)"  # until the build knows better
    assert build.task is not None and build.task.kind == "build_sna"
    assert build.task.status == Task.Status.QUEUED
    assert build.task.arguments == {"build_id": build.pk}
    assert build.output_folder.endswith(f"/sna/builds/{build.pk}")
    page = analyst.get("/sna/").content.decode()
    assert "is being built. You can leave this page" in page
    assert f'data-build="{build.pk}" data-finished="0"' in page
    assert "Waiting to start" in page and "<progress" in page
    assert '<meta http-equiv="refresh"' in page and "reports/builds.js" in page
    state = analyst.get(f"/sna/progress.json?builds={build.pk}").json()
    assert state == {"builds": [{"id": build.pk, "status": "queued",
                                 "status_label": "Waiting to start", "finished": False,
                                 "message": "", "done": 0, "total": 0, "percent": None}]}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_builds_and_only_analysts_and_administrators_start_one(
        client_as, finished, role: str) -> None:
    c = client_as(role)
    page = c.get("/sna/")
    assert page.status_code == 200
    body = page.content.decode()
    may_build = role in {"analyst", "administrator"}
    assert ("Build the SNA" in body) == may_build
    assert f'href="/sna/builds/{finished.pk}/index.html">Open the report' in body
    assert c.get(f"/sna/builds/{finished.pk}/").status_code == 200
    assert c.get(f"/sna/builds/{finished.pk}/index.html").status_code == 200
    assert c.get(f"/sna/builds/{finished.pk}/sna.docx").status_code == 200
    r = c.post("/sna/", {"area": "E23000022", "period": "2024"})
    assert r.status_code == (302 if may_build else 403)
    assert SnaBuild.objects.count() == (2 if may_build else 1)


def test_anonymous_is_sent_to_sign_in(client, finished) -> None:
    for url in ("/sna/", f"/sna/builds/{finished.pk}/", f"/sna/builds/{finished.pk}/index.html",
                f"/sna/builds/{finished.pk}/sna.docx", "/sna/progress.json?builds=1"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/sign-in/"), url
    assert client.post("/sna/", {"area": "E23000022", "period": "2024"}).status_code == 302
    assert SnaBuild.objects.count() == 1


def test_a_bad_period_is_explained_and_nothing_is_started(client_as) -> None:
    r = client_as("analyst").post("/sna/", {"area": "E23000022", "period": "soon"})
    assert r.status_code == 400
    assert b"govuk-error-summary" in r.content and b"soon" in r.content
    assert not SnaBuild.objects.exists() and not Task.objects.exists()


def test_the_build_page_shows_who_when_where_and_the_batches_used(client_as, finished,
                                                                   one_month) -> None:
    SnaBuild.objects.filter(pk=finished.pk).update(batch_ids=[one_month.batch_id])
    body = client_as("board_viewer").get(f"/sna/builds/{finished.pk}/").content.decode()
    assert "Northamptonshire, 2024-01" in body
    assert f"by {finished.started_by_name}, from the workspace" in body
    assert finished.output_folder in body
    assert f"Batch {one_month.batch_id}: " in body
    assert "Counts from 1 to 4 are suppressed" in body
    assert f'href="/sna/builds/{finished.pk}/data/t1-1.csv">t1-1.csv</a>' in body
    assert "Download the Word document (DOCX)" in body and "PDF" not in body


def test_a_command_line_build_is_listed_and_its_missing_files_are_explained(
        client_as, tmp_path) -> None:
    SnaBuild.objects.create(
        area_code="E23000022", area_name="Northamptonshire", period="2025",
        status=SnaBuild.Status.DONE, origin=SnaBuild.Origin.COMMAND_LINE,
        started_by_name="jo", output_folder=str(tmp_path / "elsewhere"),
        files=["index.html", "sna.docx"], finished_at=timezone.now())
    c = client_as("partner_lead")
    body = c.get("/sna/").content.decode()
    assert "by jo, from the command line" in body
    assert "Its files are not on this server." in body and "Open the report" not in body
    build = SnaBuild.objects.get()
    detail = c.get(f"/sna/builds/{build.pk}/").content.decode()
    assert "written on another computer" in detail
    assert c.get(f"/sna/builds/{build.pk}/index.html").status_code == 404


def test_a_build_that_stopped_without_saying_so_is_marked_failed(client_as, demo) -> None:
    """A killed worker (or web process) leaves a build "Building"; after the stale limit the
    page says it stopped. A build whose task failed before it began says so at once."""
    long_ago = timezone.now() - timedelta(hours=2)
    lost = SnaBuild.objects.create(area_code="E23000022", period="2024",
                                   status=SnaBuild.Status.RUNNING, heartbeat_at=long_ago,
                                   output_folder="/nowhere")
    alive = SnaBuild.objects.create(area_code="E23000022", period="2024",
                                    status=SnaBuild.Status.RUNNING,
                                    heartbeat_at=timezone.now(), output_folder="/nowhere")
    dead_task = Task.objects.create(kind="build_sna", status=Task.Status.FAILED)
    orphan = SnaBuild.objects.create(area_code="E23000022", period="2024", task=dead_task,
                                     output_folder="/nowhere")
    body = client_as("analyst").get("/sna/").content.decode()
    for b in (lost, alive, orphan):
        b.refresh_from_db()
    assert lost.status == orphan.status == "failed" and alive.status == "running"
    assert "stopped before it finished" in lost.message and lost.finished_at is not None
    assert body.count("The build stopped before it finished") == 2


def test_a_build_waiting_for_a_worker_says_whom_to_ask(client_as, demo) -> None:
    waiting = SnaBuild.objects.create(area_code="E23000022", period="2024",
                                      output_folder="/nowhere")
    SnaBuild.objects.filter(pk=waiting.pk).update(
        started_at=timezone.now() - timedelta(minutes=5))
    body = client_as("analyst").get("/sna/").content.decode()
    assert "No background worker has taken it yet" in body
    assert "ask your administrator to start one" in body


def test_progress_answers_only_for_builds_asked_for(client_as, finished) -> None:
    c = client_as("board_viewer")
    data = c.get(f"/sna/progress.json?builds={finished.pk},x,99999").json()
    assert [b["id"] for b in data["builds"]] == [finished.pk]
    assert data["builds"][0]["finished"] is True
    assert c.get("/sna/progress.json").json() == {"builds": []}


def test_the_old_address_of_the_page_still_arrives(client_as) -> None:
    r = client_as("analyst").get("/dashboard/sna/")
    assert r.status_code == 301 and r["Location"] == "/sna/"
