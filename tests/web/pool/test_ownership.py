"""Data belongs to its partner: only the owning organisation's uploaders, or the analyst
acting for the partnership, may load, replace or roll back a dataset; a replacement that
removes many rows, and every rollback, asks first and says what will change."""

from __future__ import annotations

import re

import pytest

from alliance.web.audit.models import AuditEvent
from alliance.web.pool.models import ImportBatch, Incident
from tests.web.pool.conftest import POLICE, post_upload

pytestmark = pytest.mark.django_db


def violence_rows() -> int:
    from alliance.web.pool.queries import current_incidents

    return current_incidents().filter(month="2024-01",
                                      source_category="Violence and sexual offences").count()


def test_a_councils_partner_lead_cannot_replace_police_months(
        client_as, january, january_without_violence, fabricated_may) -> None:
    """The reported attack: the council's partner lead uploaded 2024-01 without its violence
    rows and a made-up 2024-05. Both are refused; the board's figures do not move."""
    name, data = january
    assert post_upload(client_as("analyst"), name, data).status_code == 302
    before = violence_rows()
    assert before > 2000
    lead = client_as("partner_lead")
    for attack_name, attack in (january_without_violence[:2], fabricated_may):
        r = post_upload(lead, attack_name, attack)
        assert r.status_code == 400, attack_name
        body = r.content.decode().replace("\n", " ")
        assert "You cannot load or replace police.uk street-level crime" in body
        assert f"belongs to {POLICE} (the owner of the agreement" in body
        assert f"members of {POLICE} who upload data, or the partnership&#x27;s analysts" in body
    assert violence_rows() == before
    assert not Incident.objects.filter(month="2024-05").exists()
    assert ImportBatch.objects.filter(kind="incidents").count() == 1
    assert AuditEvent.objects.filter(action="upload_rejected").count() == 2


def test_the_police_replace_their_month_after_seeing_what_will_change(
        client_for, january, january_without_violence) -> None:
    police = client_for(POLICE, "partner_lead")
    name, data = january
    assert post_upload(police, name, data).status_code == 302
    before = violence_rows()
    attack_name, attack, removed = january_without_violence
    r = post_upload(police, attack_name, attack)
    assert r.status_code == 200  # a question, not yet a load
    page = r.content.decode()
    assert "Replacing a month would remove many rows" in page and "govuk-warning-text" in page
    assert f"Violence and sexual offences: {before} &rarr; 0" in page
    assert f"<strong>{removed}</strong> (38%)" in page
    assert violence_rows() == before  # nothing changed yet
    token = re.search(r"/data/upload/(\w+)/replace/", page).group(1)
    # only the uploader may confirm, and cancelling loads nothing
    other = client_for(POLICE, "analyst")
    assert other.post(f"/data/upload/{token}/replace/", {"confirm": "yes"}).status_code == 404
    r = police.post(f"/data/upload/{token}/replace/", {"confirm": "yes"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert violence_rows() == 0
    event = AuditEvent.objects.filter(action="upload").latest("at")
    assert event.detail["replace_confirmed"] is True
    assert f"{removed:,} removed" in event.detail["replaced"][0]
    # the police roll their own batch back, after the page says what that will change
    batch = ImportBatch.objects.filter(kind="incidents", status="active").latest("id")
    page = police.get(f"/data/batches/{batch.pk}/rollback/").content.decode()
    assert "rows it had replaced come back" in page
    assert police.post(f"/data/batches/{batch.pk}/rollback/",
                       {"confirm": "yes"}).status_code == 302
    assert violence_rows() == before


def test_cancelling_a_replacement_changes_nothing(client_as, january,
                                                  january_without_violence) -> None:
    analyst = client_as("analyst")
    name, data = january
    post_upload(analyst, name, data)
    page = post_upload(analyst, *january_without_violence[:2]).content.decode()
    token = re.search(r"/data/upload/(\w+)/replace/", page).group(1)
    r = analyst.post(f"/data/upload/{token}/replace/", {"confirm": "no"})
    assert r.status_code == 302
    assert ImportBatch.objects.filter(kind="incidents").count() == 1
    assert analyst.post(f"/data/upload/{token}/replace/",
                        {"confirm": "yes"}).status_code == 404  # gone


def test_the_council_cannot_roll_back_police_data(client_as, client_for, january) -> None:
    name, data = january
    post_upload(client_for(POLICE, "partner_lead"), name, data)
    batch = ImportBatch.objects.get(kind="incidents")
    lead = client_as("partner_lead")
    assert f"Roll back batch {batch.pk}".encode() not in lead.get("/data/batches/").content
    assert lead.get(f"/data/batches/{batch.pk}/rollback/").status_code == 403
    assert lead.post(f"/data/batches/{batch.pk}/rollback/",
                     {"confirm": "yes"}).status_code == 403
    batch.refresh_from_db()
    assert batch.status == "active"
    assert AuditEvent.objects.filter(action="refused", detail__rule="rollback_batch").exists()


def test_data_no_agreement_covers_belongs_to_the_partnership(client_as, client_for,
                                                             january) -> None:
    """Without an agreement covering police.uk, the police's partner lead may not load it;
    the analyst acting for the partnership may."""
    from alliance.web.partnerships.models import Agreement

    for agreement in Agreement.objects.all():
        if "police_uk_street" in agreement.datasets:
            agreement.datasets = [d for d in agreement.datasets if d != "police_uk_street"]
            agreement.save()
    name, data = january
    r = post_upload(client_for(POLICE, "partner_lead"), name, data)
    assert r.status_code == 400
    assert "belongs to the partnership (no data-sharing agreement covers it)" in \
        r.content.decode()
    assert post_upload(client_as("analyst"), name, data).status_code == 302


def test_the_command_line_acts_for_the_partnership(january, tmp_path, reference) -> None:
    from alliance.web.pool import services

    name, data = january
    (tmp_path / name).write_bytes(data)
    result = services.load_police_uk([tmp_path / name], reference_dir=reference)
    assert result.rows == 5613


def test_an_upload_left_unconfirmed_for_a_day_is_deleted(client_as, january,
                                                          january_without_violence) -> None:
    import os
    import time

    from alliance.web.tasks.handlers import uploads_dir
    from alliance.web.workspace.views import OWNER_FILE

    analyst = client_as("analyst")
    name, data = january
    post_upload(analyst, name, data)
    page = post_upload(analyst, *january_without_violence[:2]).content.decode()
    token = re.search(r"/data/upload/(\w+)/replace/", page).group(1)
    marker = uploads_dir() / token / OWNER_FILE
    old = time.time() - 25 * 3600
    os.utime(marker, (old, old))
    post_upload(analyst, name, data)  # any later upload sweeps the forgotten ones
    assert not marker.parent.exists()
