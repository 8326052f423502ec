"""Uploading a police.uk month through the browser, bad uploads, and rolling back."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.web.audit.models import AuditEvent
from alliance.web.pool.models import ImportBatch
from alliance.web.workspace import uploads

pytestmark = pytest.mark.django_db

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n")
ROW = (",2024-01,Northamptonshire Police,Northamptonshire Police,-0.88,52.24,On or near X,"
       "E01027114,Northampton 001A,Violence and sexual offences,Under investigation,\n")
NAME = "2024-01-northamptonshire-street.csv"


def _post(client, name: str, data: bytes):
    return client.post("/data/upload/", {"file": SimpleUploadedFile(name, data)})


def _refused(response, *needles: str) -> None:
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    for needle in needles:
        assert needle in body, body[body.find("There is a problem"):][:600]
    assert not ImportBatch.objects.filter(kind="incidents").exists()


def test_upload_a_real_month_then_roll_it_back(client_as, northants_files: list[Path]) -> None:
    analyst = client_as("analyst")
    path = northants_files[0]
    r = _post(analyst, path.name, path.read_bytes())
    assert r.status_code == 302, r.content.decode()[:2000]
    batch = ImportBatch.objects.get(kind="incidents")
    assert batch.status == "active" and batch.rows_loaded > 1000
    assert AuditEvent.objects.filter(action="upload", target=path.name.removesuffix(".gz"))
    # the council's partner lead does not own police.uk data (the police do): no roll back
    lead = client_as("partner_lead")
    assert f"Roll back batch {batch.pk}".encode() not in lead.get("/data/batches/").content
    assert lead.post(f"/data/batches/{batch.pk}/rollback/",
                     {"confirm": "yes"}).status_code == 403
    assert f"Roll back batch {batch.pk}".encode() in analyst.get("/data/batches/").content
    # one click asks first: the page says what will change, and nothing changes yet
    for asked in (analyst.get(f"/data/batches/{batch.pk}/rollback/"),
                  analyst.post(f"/data/batches/{batch.pk}/rollback/")):
        assert asked.status_code == 200
        assert f"{batch.rows_loaded:,} rows in use are removed from 1 month".encode() \
            in asked.content.replace(b"\n", b" ")
        assert b"govuk-warning-text" in asked.content
    batch.refresh_from_db()
    assert batch.status == "active"
    r = analyst.post(f"/data/batches/{batch.pk}/rollback/", {"confirm": "yes"})
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "rolled_back"
    assert AuditEvent.objects.filter(action="rollback", target=f"batch {batch.pk}").exists()
    # rolling back twice is refused with a message, not an error page
    r = analyst.post(f"/data/batches/{batch.pk}/rollback/", {"confirm": "yes"}, follow=True)
    assert b"was not rolled back" in r.content


def test_wrong_columns(client_as) -> None:
    data = (HEADER.replace("Crime type", "Offence") + ROW).encode()
    _refused(_post(client_as("analyst"), NAME, data), "missing: Crime type",
             "unexpected: Offence")
    assert AuditEvent.objects.filter(action="upload_rejected").exists()


def test_not_utf8(client_as) -> None:
    data = (HEADER + ROW.replace("On or near X", "On or near Caf\u00e9")).encode("latin-1")
    _refused(_post(client_as("analyst"), NAME, data), "not valid UTF-8", "line 2", "Location")


def test_html_in_a_field(client_as) -> None:
    data = (HEADER + ROW + ROW.replace("On or near X", "<script>alert(1)</script>")).encode()
    r = _post(client_as("analyst"), NAME, data)
    _refused(r, "line 3", "Location", "HTML mark-up")
    assert b"<script>alert(1)" not in r.content


def test_zip_bomb(client_as) -> None:
    bomb = gzip.compress(HEADER.encode() + b"0" * (uploads.MAX_EXPANDED_BYTES + 10), 9)
    assert len(bomb) < 1_000_000
    _refused(_post(client_as("analyst"), NAME + ".gz", bomb), "possible zip bomb")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(NAME, HEADER + ROW)
    _refused(_post(client_as("analyst"), "2024-01.zip", archive.getvalue()), "zip archive")


def test_too_big(client_as, monkeypatch) -> None:
    """The limit is 50 MB; the test lowers it rather than sending 500 MB."""
    from alliance.web.workspace import views

    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 100)
    _refused(_post(client_as("analyst"), NAME, (HEADER + ROW * 5).encode()), "the limit is")


def test_huge_upload_is_refused_before_it_is_read(client_as) -> None:
    """A 500 MB request is refused from its declared length, before the body is read."""
    c = client_as("analyst")
    r = c.post("/data/upload/", {"file": SimpleUploadedFile(NAME, (HEADER + ROW).encode())},
               CONTENT_LENGTH=str(500 * 2**20))
    _refused(r, "The upload is 500 MB", "the limit is 50 MB")


def test_wrong_name_and_empty_file(client_as) -> None:
    _refused(_post(client_as("analyst"), "crimes.csv", (HEADER + ROW).encode()),
             "not named like a police.uk street-crime file")
    _refused(_post(client_as("analyst"), NAME, HEADER.encode()), "no rows")


def test_board_viewer_cannot_upload(client_as) -> None:
    r = _post(client_as("board_viewer"), NAME, (HEADER + ROW).encode())
    assert r.status_code == 403
    assert not ImportBatch.objects.exists() or not ImportBatch.objects.filter(
        kind="incidents").exists()
