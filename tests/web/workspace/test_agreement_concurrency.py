"""Two people renew the same agreement at once: one renewal wins, the other is refused, and
the series never gets two "current" versions (row locks: PostgreSQL only)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connections, transaction

from tests.web.workspace.test_browser import geography_snapshot  # noqa: F401 (fixture)

WAIT = 30  # seconds; generous so a slow machine never fails a correct run


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_renewals_make_one_new_version(demo, geography_snapshot) -> None:  # noqa: F811
    from alliance.web.partnerships import services
    from alliance.web.partnerships.models import Agreement

    old = Agreement.objects.get(title__startswith="A&E assault data")
    today = date.today()
    dates = {"start_date": today, "review_date": today + timedelta(days=100),
             "expiry_date": today + timedelta(days=365)}
    renewed, go_on = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():  # hold the renewal's locks until told to commit
                outcome["first"] = services.renew(old.pk, by=None, **dates).version
                renewed.set()
                assert go_on.wait(WAIT)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            outcome["second"] = services.renew(old.pk, by=None, **dates).version
        except services.AgreementError as exc:
            outcome["second"] = str(exc)
        finally:
            connections.close_all()

    a = threading.Thread(target=first, daemon=True)
    a.start()
    assert renewed.wait(WAIT)
    b = threading.Thread(target=second, daemon=True)
    b.start()
    b.join(1)
    assert b.is_alive(), "the second renewal did not wait for the first one's lock"
    go_on.set()
    a.join(WAIT)
    b.join(WAIT)
    assert outcome["first"] == 2
    assert "replaced by a renewal" in str(outcome["second"])
    versions = Agreement.objects.filter(series=old.series)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert versions.filter(superseded_at=None).count() == 1
