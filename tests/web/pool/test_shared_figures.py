"""Published figures are worked out once per deployment, not once per process: a web or task
process that has them puts them in the shared cache (keyed by the pool's version), and
another process reads them there. Only suppressed figures are shared, and a load warms them
in the task worker."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.web.pool import publication as pub_module
from alliance.web.pool.publication import (
    pooled_partner_sources,
    publication,
    shared_figures,
    shared_key,
)

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


def test_while_a_load_works_out_new_figures_the_board_drawn_before_is_shown(one_month,
                                                                            demo) -> None:
    """From the load's commit until the task worker has the new figures, a web process shows
    the board it drew from the data before for the same choice (not kept as the new data's),
    rather than working the new figures out while people wait; without one, it works them
    out."""
    from alliance.web.dashboards import services as boards
    from alliance.web.pool import queries
    from alliance.web.pool.models import ImportBatch
    from alliance.web.pool.publication import working_on_figures

    pub = publication(AREA)
    units = boards.units(pub)
    unit = units[0]
    months = (pub.cube.months[-1],)
    choice = {"area_code": AREA, "unit": unit, "period_months": months, "category": "",
              "record_level": False}
    before = boards.build(**choice)
    with working_on_figures():
        batch = ImportBatch.objects.filter(kind="incidents").first()
        assert batch is not None
        old = queries.version()
        batch.finished_at = timezone.now()
        batch.save()  # the pool's version changes, as a load's commit changes it
        version = queries.version()
        assert version != old
        with CaptureQueriesContext(connection) as context:
            shown = boards.build(**choice)
        assert shown is before and _incident_reads(context) == 0
        assert not [k for k in boards._CACHE if k[-1] == version]  # not kept as the new one
        # a choice never drawn before is drawn from the figures before, and not kept either
        assert len(units) > 1
        with CaptureQueriesContext(connection) as context:
            other = boards.build(**{**choice, "unit": units[1]})
        assert other is not before and other.unit == units[1]
        assert _incident_reads(context) == 0
        assert not [k for k in boards._CACHE if k[-1] == version]
    # the work done, the new data's board
    after = boards.build(**choice)
    assert after is not before
    assert any(k[-1] == queries.version() for k in boards._CACHE)


def test_a_load_draws_again_the_boards_people_asked_for(one_month, demo, monkeypatch) -> None:
    """The task worker draws the recently asked-for boards from the new data, so that a web
    process reads them from the shared cache instead of drawing them while people wait."""
    from alliance.web.dashboards import services as boards
    from alliance.web.pool.models import ImportBatch

    pub = publication(AREA)
    choice = {"area_code": AREA, "unit": boards.units(pub)[0],
              "period_months": (pub.cube.months[-1],), "category": "", "record_level": False}
    boards.build(**choice)  # someone looks at it
    batch = ImportBatch.objects.filter(kind="incidents").first()
    assert batch is not None
    batch.finished_at = timezone.now()
    batch.save()  # new data
    assert boards.warm_dashboards() == 1  # in the task worker
    # a web process that holds nothing of the new data
    boards.forget_cache()
    _another_process()

    def not_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("the board was drawn again in the web process")

    monkeypatch.setattr(boards, "_build", not_here)
    with CaptureQueriesContext(connection) as context:
        board = boards.build(**choice)
    assert board.unit == choice["unit"] and _incident_reads(context) == 0


def _new_data() -> tuple[object, ...]:
    """Change the pool's version as a load's commit does; returns the new version."""
    from alliance.web.pool import queries
    from alliance.web.pool.models import ImportBatch

    old = queries.version()
    batch = ImportBatch.objects.filter(kind="incidents").first()
    assert batch is not None
    batch.finished_at = timezone.now()
    batch.save()
    assert queries.version() != old
    return queries.version()


def test_while_a_load_works_out_new_figures_the_figures_before_are_shown(one_month,
                                                                        demo) -> None:
    """:func:`shown_publication` gives the suppressed figures this process held before, marked
    as not the current data's, only while the new ones are being worked out and nobody has
    them yet; record-level figures are never the data before."""
    from alliance.web.pool.publication import shown_publication, working_on_figures

    def which() -> tuple[object, bool]:
        pub, current = shown_publication(AREA)
        return id(pub), current

    before = publication(AREA)
    assert which() == (id(before), True)
    with working_on_figures():
        _new_data()
        with CaptureQueriesContext(connection) as context:
            shown, current = shown_publication(AREA)
        assert shown is before and not current and _incident_reads(context) == 0
        unsuppressed, current = shown_publication(AREA, record_level=True)
        assert current and unsuppressed is not before
        # once the task worker has put the new figures in the shared cache, those
        new = publication(AREA)
        assert which() == (id(new), True) and new is not before
    assert which() == (id(new), True)


def test_without_figures_before_the_new_ones_are_worked_out(one_month, demo) -> None:
    from alliance.web.pool.publication import shown_publication, working_on_figures

    with working_on_figures():
        shown, current = shown_publication(AREA)
    assert current and shown is publication(AREA)


def test_while_a_load_works_out_new_figures_the_pages_count_nothing(one_month, demo,
                                                                  client_as) -> None:
    """The dashboard and the public area page answer from the figures before during a load's
    warm-up (no incident row read), and keep nothing drawn then as the new data's; after it,
    they show the new data's."""
    from django.test import Client

    from alliance.web.dashboards import services as boards
    from alliance.web.pool.publication import working_on_figures
    from alliance.web.public import services as public

    viewer, resident = client_as("board_viewer"), Client()
    assert viewer.get("/dashboard/").status_code == 200
    assert resident.get("/our-area/").status_code == 200
    with working_on_figures():
        version = _new_data()
        pooled_partner_sources()  # the warm-up's first step (one query, not a count)
        with CaptureQueriesContext(connection) as context:
            staff = viewer.get("/dashboard/")
            area = resident.get("/our-area/")
        assert staff.status_code == 200 and area.status_code == 200
        assert _incident_reads(context) == 0, [q["sql"] for q in context.captured_queries
                                               if "pool_incident" in q["sql"]]
        assert not [k for k in boards._CACHE if k[-1] == version]
        assert not [k for k in public._MAPS if k[-1] == version]
        assert not [k for k in pub_module._cache if k[4] == version]
    with CaptureQueriesContext(connection) as context:
        assert viewer.get("/dashboard/").status_code == 200
    assert _incident_reads(context) > 0  # the new data's figures
    assert [k for k in pub_module._cache if k[4] == version]
