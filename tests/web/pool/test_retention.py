"""Retention: rows past their agreement's retention date are deleted by the scheduled task,
audited per dataset, counted on their batches, and gone from every figure; other datasets'
rows are untouched."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.partner_year import AREA, load_istv_year

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 15)


def _ae_agreement():  # type: ignore[no-untyped-def]
    from alliance.web.partnerships.models import Agreement

    return next(a for a in Agreement.objects.filter(superseded_at=None)
                if "ae_assaults" in a.datasets)


def test_first_month_kept() -> None:
    from alliance.web.pool.retention import first_month_kept

    assert first_month_kept(date(2025, 6, 15), 12) == "2024-06"
    assert first_month_kept(date(2025, 1, 1), 1) == "2024-12"


def test_rows_past_their_retention_date_are_deleted_and_audited(demo, one_month,
                                                                reference) -> None:
    from alliance.web.audit.models import AuditEvent
    from alliance.web.pool.models import ImportBatch, Incident
    from alliance.web.pool.publication import publication
    from alliance.web.pool.queries import version
    from alliance.web.pool.retention import apply_retention

    truth = load_istv_year(reference)
    police = Incident.objects.filter(source="police_uk_street").count()
    agreement = _ae_agreement()
    agreement.retention_months = 12
    agreement.save()
    old = Incident.objects.filter(source="istv_ae", month__lt="2024-06").count()
    assert old > 0

    dry = apply_retention(today=TODAY, dry_run=True)
    assert [d.rows for d in dry] == [old]
    assert Incident.objects.filter(source="istv_ae", month__lt="2024-06").count() == old
    assert not AuditEvent.objects.filter(action="retention_deletion").exists()

    before = version()
    done = apply_retention(today=TODAY)
    assert len(done) == 1 and done[0].rows == old and done[0].keep_from == "2024-06"
    assert "deleted" in done[0].message and agreement.title in done[0].message
    assert not Incident.objects.filter(source="istv_ae", month__lt="2024-06").exists()
    assert Incident.objects.filter(source="istv_ae").count() == truth["rows"] - old
    assert Incident.objects.filter(source="police_uk_street").count() == police
    event = AuditEvent.objects.get(action="retention_deletion")
    assert event.detail["rows"] == old and event.detail["keep_from"] == "2024-06"
    assert event.actor_email == "the scheduled retention task"
    batch = ImportBatch.objects.get(pk=truth["batch"])
    assert batch.rows_deleted == old
    assert version() != before  # every cached figure is rebuilt without the rows
    pub = publication(AREA, record_level=True, source="istv_ae")
    assert pub.cube.months[0] == "2024-06"

    assert apply_retention(today=TODAY) == []  # nothing more to delete, nothing audited
    assert AuditEvent.objects.filter(action="retention_deletion").count() == 1


def test_no_retention_rule_keeps_every_row(demo, one_month, reference) -> None:
    from alliance.web.pool.models import Incident
    from alliance.web.pool.retention import apply_retention

    truth = load_istv_year(reference)
    assert apply_retention(today=date(2030, 1, 1)) == []
    assert Incident.objects.filter(source="istv_ae").count() == truth["rows"]


def test_alliance_scheduled_runs_retention_once_a_day(demo, one_month, reference) -> None:
    from datetime import datetime, timedelta

    from django.utils import timezone

    from alliance.web.pool.models import Incident
    from alliance.web.tasks.schedule import run_due

    load_istv_year(reference)
    agreement = _ae_agreement()
    agreement.retention_months = 12
    agreement.save()
    now = timezone.make_aware(datetime(TODAY.year, TODAY.month, TODAY.day, 3, 0))
    (first,) = [o for o in run_due(now=now) if o.name == "retention_deletions"]
    assert first.ran and first.ok and "deleted" in first.summary, first.summary
    assert not Incident.objects.filter(source="istv_ae", month__lt="2024-06").exists()
    (again,) = [o for o in run_due(now=now + timedelta(hours=1))
                if o.name == "retention_deletions"]
    assert not again.ran  # due once a day
