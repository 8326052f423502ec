"""Published figures are worked out once per deployment, not once per process: a web or task
process that has them puts them in the shared cache (keyed by the pool's version), and
another process reads them there. Only suppressed figures are shared, and a load warms them
in the task worker."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.web.pool import publication as pub_module
from alliance.web.pool.publication import publication, shared_figures, shared_key

pytestmark = pytest.mark.django_db

AREA = "E23000022"


def _another_process() -> None:
    """Forget what this process holds, as a second process would not have it."""
    with pub_module._lock:
        pub_module._cache.clear()


def _incident_reads(context: CaptureQueriesContext) -> int:
    return sum(1 for q in context.captured_queries if "pool_incident" in q["sql"])


def test_a_second_process_reads_the_figures_the_first_worked_out(one_month) -> None:
    first = publication(AREA)
    _another_process()
    with CaptureQueriesContext(connection) as context:
        second = publication(AREA)
    assert _incident_reads(context) == 0  # read from the shared cache, not counted again
    assert second is not first
    year = first.years[-1] if first.years else None
    if year is not None:
        assert second.count(level="area", code=AREA, period=year) == \
            first.count(level="area", code=AREA, period=year)
    assert second.cube.months == first.cube.months


def test_unsuppressed_figures_are_never_shared(one_month) -> None:
    publication(AREA, record_level=True)
    _another_process()
    with CaptureQueriesContext(connection) as context:
        publication(AREA, record_level=True)
    assert _incident_reads(context) > 0


def test_forgetting_the_caches_forgets_the_shared_one_too(one_month) -> None:
    publication(AREA)
    pub_module.forget_cache()
    with CaptureQueriesContext(connection) as context:
        publication(AREA)
    assert _incident_reads(context) > 0


def test_the_key_holds_the_pool_version() -> None:
    one = shared_key("publication", (AREA, "police_uk_street", 5, 1, (1, 1, None), 7))
    two = shared_key("publication", (AREA, "police_uk_street", 5, 1, (2, 1, None), 7))
    assert one != two and one.startswith("publication:")
    assert shared_figures().get(one) is None
