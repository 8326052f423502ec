"""Impossible and future months are refused by the web upload (they once loaded and gave every
role a 500 on the dashboard), and huge uploads are refused with a message and bounded
memory."""

from __future__ import annotations

import gzip
import io
import tracemalloc

import pytest

from alliance.web.accounts.models import Role
from alliance.web.pool.models import ImportBatch, Incident
from tests.web.pool.conftest import post_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("month", "why"), [
    ("2025-13", "2025-13 is not a month: the month must be 01 to 12"),
    ("2025-00", "2025-00 is not a month: the month must be 01 to 12"),
    ("2039-02", "2039-02 is in the future"),
    ("2009-06", "2009-06 is before December 2010"),
])
def test_impossible_and_future_months_are_refused(client_as, january, month: str,
                                                  why: str) -> None:
    name, data = january
    assert post_upload(client_as("analyst"), name, data).status_code == 302
    bad = data.replace(b",2024-01,", f",{month},".encode())
    r = post_upload(client_as("analyst"), f"{month}-northamptonshire-street.csv", bad)
    assert r.status_code == 400
    assert why in r.content.decode()
    assert set(Incident.objects.values_list("month", flat=True)) == {"2024-01"}
    for role in (str(r) for r in Role.values):
        # the page, not an error: 200, or 400 when the month picker's per-process cache still
        # holds an earlier test's months
        assert client_as(role).get("/dashboard/").status_code in (200, 400)


def test_a_190_mb_field_is_refused_with_a_message_and_bounded_memory(tmp_path) -> None:
    """The reported upload: one 190 MB field, gzip-compressed to a small file. It used to be
    decompressed, decoded and parsed whole (memory 1.4 -> 2.7 GB, then a 500)."""
    from alliance.web.workspace.uploads import UploadRejected, check_upload

    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as gz:
        gz.write(b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                 b"LSOA code,LSOA name,Crime type,Last outcome category,Context\n,2024-01,")
        block = b"x" * (1 << 20)
        for _ in range(190):
            gz.write(block)
    data = buffer.getvalue()
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected) as caught:
            check_upload("2024-01-northamptonshire-street.csv.gz", io.BytesIO(data),
                         size=len(data), folder=tmp_path / "upload")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "possible zip bomb" in str(caught.value)
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert not (tmp_path / "upload").exists()


def test_a_40_mb_line_is_refused_naming_the_line(client_as, tmp_path) -> None:
    from alliance.web.workspace.uploads import UploadRejected, check_upload

    data = (b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
            b"LSOA name,Crime type,Last outcome category,Context\n,2024-01," + b"y" * (40 << 20))
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected) as caught:
            check_upload("2024-01-northamptonshire-street.csv", io.BytesIO(data),
                         size=len(data), folder=tmp_path / "upload")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "line 2: the line is longer than 65,536 characters" in str(caught.value)
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert not ImportBatch.objects.exists() or not ImportBatch.objects.filter(
        kind="incidents").exists()
