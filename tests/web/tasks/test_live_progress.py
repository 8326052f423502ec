"""Progress seen from outside a task's transaction, and several workers sharing one queue.

A load is one transaction, so what it writes on its task's row is invisible to the status page
until it commits; :mod:`alliance.web.tasks.live` publishes progress beside it. The PostgreSQL
tests use real second connections (threads), since that is where several web and worker
processes meet; on SQLite the side channel is a file, checked directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from alliance.web.tasks import live, services
from alliance.web.tasks.models import Task, TaskProgress
from tests.web.tasks import kinds
from tests.web.workspace.test_browser import geography_snapshot  # noqa: F401  (fixture)

WAIT = kinds.WAIT


#: row locks and several connections: these run in the PostgreSQL pass of `make test`
#: (tests/conftest.py deselects them when the database is SQLite). They are transactional, so
#: the database is emptied after each; ``geography_snapshot`` puts the geography back.
def postgresql_only(fn: Callable[..., Any]) -> Callable[..., Any]:
    return pytest.mark.postgres(pytest.mark.usefixtures("geography_snapshot")(fn))


def _in_thread(fn: Callable[[], Any]) -> threading.Thread:
    """Run ``fn`` on its own database connection, closed at the end."""
    def target() -> None:
        try:
            fn()
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def kind() -> Iterator[dict[str, Any]]:
    """``test_one_transaction`` works inside one transaction and pauses half-way when asked."""
    yield kinds.reset()


@pytest.mark.django_db
def test_progress_inside_a_transaction_is_published_then_cleared(kind) -> None:
    task = services.enqueue("test_one_transaction")
    services.work(once=True)
    published = kind["seen"][0]
    assert published is not None
    assert (published["message"], published["done"], published["total"]) == (
        "loading rows: 2,000 so far", 2, 4)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert live.read(task.pk) is None  # finished: the row says it all


@pytest.mark.django_db
def test_the_status_page_shows_published_progress_over_the_row(demo, client_as) -> None:
    from django.contrib.auth import get_user_model

    analyst = get_user_model().objects.get(email=demo.emails["analyst"])
    task = Task.objects.create(kind="load_police_uk", status=Task.Status.RUNNING,
                               created_by=analyst, message="Starting",
                               arguments={"name": "2024-01-northamptonshire-street.csv"},
                               started_at=timezone.now(), heartbeat_at=timezone.now())
    publisher = live.Publisher(task.pk)
    try:
        publisher.publish("loading 2024-01-northamptonshire-street.csv: 4,000 rows so far", 0, 1)
    finally:
        publisher.close()
    data = client_as("analyst").get(f"/tasks/{task.pk}.json").json()
    assert data["message"].endswith("4,000 rows so far") and data["total"] == 1
    page = client_as("analyst").get(f"/tasks/{task.pk}/").content.decode()
    assert "4,000 rows so far" in page


@pytest.mark.django_db
def test_published_progress_keeps_a_long_load_from_being_called_stale() -> None:
    long_ago = timezone.now() - timedelta(hours=2)
    busy = Task.objects.create(kind="test_one_transaction", status=Task.Status.RUNNING,
                               started_at=long_ago, heartbeat_at=long_ago)
    lost = Task.objects.create(kind="test_one_transaction", status=Task.Status.RUNNING,
                               started_at=long_ago, heartbeat_at=long_ago)
    publisher = live.Publisher(busy.pk)
    try:
        publisher.publish("loading rows", 1, 4)
    finally:
        publisher.close()
    assert services.fail_stale(after=timedelta(minutes=30)) == 1
    busy.refresh_from_db()
    lost.refresh_from_db()
    assert (busy.status, lost.status) == (Task.Status.RUNNING, Task.Status.FAILED)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_progress_before_the_load_commits(kind) -> None:
    """A worker thread holds its load's transaction open half-way; this connection (the web
    page's) sees the row unchanged (uncommitted) but the published progress."""
    kind["pause"] = True
    task = services.enqueue("test_one_transaction")
    worker = _in_thread(lambda: services.work(once=True))
    try:
        assert kind["halfway"].wait(WAIT), "the handler never reached half-way"
        row = Task.objects.get(pk=task.pk)
        assert row.status == Task.Status.RUNNING
        assert row.message == "Starting"  # the progress written inside is not committed yet
        shown = live.overlay(row)
        assert (shown.message, shown.progress_done, shown.progress_total) == (
            "loading rows: 2,000 so far", 2, 4)
    finally:
        kind["go_on"].set()
        worker.join(WAIT)
    row = Task.objects.get(pk=task.pk)
    assert row.status == Task.Status.DONE and row.message == "Finished"
    assert not TaskProgress.objects.filter(task_id=task.pk).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_claimed_row_is_skipped_not_waited_for(kind) -> None:
    """While one worker holds the oldest queued task's lock (mid-claim), another worker takes
    the next one at once (the backend's SKIP LOCKED) instead of queueing behind the lock."""
    from django_tasks_db.models import DBTaskResult

    first = services.enqueue("test_one_transaction")
    second = services.enqueue("test_one_transaction")
    holding, release = threading.Event(), threading.Event()

    def hold_first() -> None:
        with transaction.atomic():
            DBTaskResult.objects.select_for_update().get(pk=first.result_id)
            holding.set()
            assert release.wait(WAIT)

    holder = _in_thread(hold_first)
    try:
        assert holding.wait(WAIT)
        with connection.cursor() as cursor:  # if it waited, the claim would fail, not hang
            cursor.execute("SET lock_timeout = '2s'")
        assert services.work(once=True, worker_id="second worker") == 1
    finally:
        release.set()
        holder.join(WAIT)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert Task.objects.get(pk=second.pk).worker == "second worker"
    assert Task.objects.get(pk=first.pk).status == Task.Status.QUEUED  # still there for later


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_a_queue_and_run_each_task_once(kind) -> None:
    queued = [services.enqueue("test_record_run", n=i).pk for i in range(40)]
    workers = [_in_thread(lambda: services.work(once=True)) for _ in range(2)]
    for worker in workers:
        worker.join(WAIT * 2)
    ran = kind["ran"]
    assert sorted(pk for pk, _ in ran) == queued  # every task ran, and only once
    assert len({name for _, name in ran}) == 2  # both workers took a share
    statuses = set(Task.objects.filter(pk__in=queued).values_list("status", flat=True))
    assert statuses == {Task.Status.DONE}
