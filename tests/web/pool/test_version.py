"""The pool's version (the key every cache of figures uses) is read once per web request: a
dashboard page asks for it several times, and each read is an aggregate over the batches. A
batch saved during the request (an inline load, a rollback) makes the next read fresh, and
outside a request every read is fresh."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.web.pool import queries
from alliance.web.pool.models import ImportBatch

pytestmark = pytest.mark.django_db


def _reads(context: CaptureQueriesContext) -> int:
    """Aggregates over the batches (the version's own query)."""
    return sum(1 for q in context.captured_queries
               if "pool_importbatch" in q["sql"] and "MAX(" in q["sql"].upper())


@contextlib.contextmanager
def _a_request() -> Iterator[None]:
    """The signals a web request sends, without Django's own receiver that closes the
    database connection at them (inside a test's transaction on PostgreSQL, that would end it)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _batch() -> ImportBatch:
    return ImportBatch.objects.create(kind="incidents", source="police_uk",
                                      status=ImportBatch.Status.ACTIVE,
                                      finished_at=timezone.now())


def test_one_read_per_request_and_a_saved_batch_forgets_it() -> None:
    with _a_request():
        with CaptureQueriesContext(connection) as context:
            first = queries.version()
            assert queries.version() == first and queries.version() == first
        assert _reads(context) == 1
        _batch()  # loaded during the request
        with CaptureQueriesContext(connection) as context:
            second = queries.version()
        assert second != first and _reads(context) == 1
    # outside a request, every read goes to the database
    with CaptureQueriesContext(connection) as context:
        queries.version()
        queries.version()
    assert _reads(context) == 2


def test_a_batch_rolled_back_or_deleted_in_the_request_is_seen() -> None:
    batch = _batch()
    with _a_request():
        before = queries.version()
        batch.status = ImportBatch.Status.ROLLED_BACK
        batch.rolled_back_at = timezone.now()
        batch.save()
        rolled = queries.version()
        assert rolled != before
        batch.delete()
        assert queries.version() != rolled


def test_the_dashboard_page_reads_it_once(client_as, one_month) -> None:
    with CaptureQueriesContext(connection) as context:
        r = client_as("analyst").get("/dashboard/?area=E23000022")
    assert r.status_code == 200
    assert _reads(context) == 1
