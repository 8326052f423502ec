"""Agreements enforce themselves: data whose data-sharing agreement has expired cannot be
loaded and leaves every output (dashboards, the SNA, exports) until it is renewed, and every
refusal names the organisation that can renew it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alliance.web.pool.models import ImportBatch
from tests.web.pool.conftest import post_upload

pytestmark = pytest.mark.django_db

ISTV = ("Attendance ID,Arrival Date,Assault Date,Assault Method,Age Band,Gender,LSOA\n"
        "ED-1,2024-02-02,2024-02-01,Knife,18-24,Male,E01027114\n"
        "ED-2,2024-02-04,2024-02-04,Fist,25-34,Female,E01027082\n")
ISTV_MAPPING = {"reference": "Attendance ID", "date": "Assault Date",
                "source_category": "Assault Method", "age": "Age Band", "sex": "Gender",
                "lsoa": "LSOA"}


def expire(dataset: str) -> None:
    """Make the agreement that governs ``dataset`` (its current version) end yesterday."""
    from alliance.web.partnerships.models import Agreement

    for a in Agreement.objects.filter(superseded_at=None):
        if dataset in a.datasets:
            a.start_date = date.today() - timedelta(days=400)
            a.review_date = a.expiry_date = date.today() - timedelta(days=1)
            a.save()


def renew(dataset: str) -> None:
    from alliance.web.partnerships import services
    from alliance.web.partnerships.models import Agreement

    for a in Agreement.objects.filter(superseded_at=None):
        if dataset in a.datasets:
            services.renew(a.pk, start_date=date.today(), review_date=date.today(),
                           expiry_date=date.today() + timedelta(days=365), by=None)


def load_istv(reference) -> int:
    from alliance.sources.partner_extract import map_extract
    from alliance.web.pool import services

    extract = map_extract(ISTV.encode(), ISTV_MAPPING, file="kgh-istv.csv", source="istv_ae",
                          partition="nhs/istv")
    from alliance.web.mappings.loading import pieces

    result = services.load_pieces(pieces(extract, len(ISTV)), reference_dir=reference,
                                  created_by="tests", description="ISTV", source="istv_ae")
    assert result.batch_id is not None
    return result.batch_id


def test_expired_data_cannot_be_loaded_and_the_message_names_who_can_renew(
        client_as, january, tmp_path, reference) -> None:
    from alliance.web.pool import services

    expire("police_uk_street")
    name, data = january
    r = post_upload(client_as("analyst"), name, data)
    assert r.status_code == 400
    body = r.content.decode().replace("\n", " ")
    assert "police.uk street-level crime cannot be used in new outputs" in body
    assert "Northamptonshire Police can renew it (contact admin@demo.alliance.test)" in body
    (tmp_path / name).write_bytes(data)
    with pytest.raises(services.PoolError, match="Northamptonshire Police can renew it"):
        services.load_police_uk([tmp_path / name], reference_dir=reference)  # the CLI too
    assert not ImportBatch.objects.filter(kind="incidents").exists()


def test_expired_data_leaves_the_sna_and_the_dashboard_counts(demo, one_month,
                                                               reference) -> None:
    """The reported case: an A&E batch loaded under an agreement that later expired was listed
    by SNA builds as used. Once the agreement expires, its rows and its batch leave every read
    of the pool; renewing brings them back."""
    from alliance.web.pool import queries
    from alliance.web.reports.services import gather

    renew("ae_assaults")
    istv_batch = load_istv(reference)
    assert istv_batch in gather("E23000022").batches["id"].tolist()
    assert queries.current_incidents().filter(source="istv_ae").count() == 2
    before = queries.version()

    expire("ae_assaults")
    assert queries.version() != before  # caches of figures see the change
    assert not queries.current_incidents().filter(source="istv_ae").exists()
    assert "istv_ae" not in set(queries.counts(by=["source"])["source"])
    inputs = gather("E23000022")
    assert istv_batch not in inputs.batches["id"].tolist()
    assert one_month.batch_id in inputs.batches["id"].tolist()
    (blocked,) = queries.withheld()
    assert blocked.dataset == "ae_assaults"
    assert "NHS Northamptonshire Integrated Care Board can renew it" in blocked.message

    renew("ae_assaults")
    assert queries.current_incidents().filter(source="istv_ae").count() == 2
    assert queries.withheld() == []


def test_an_expired_police_uk_agreement_stops_the_dashboard_sna_and_exports(
        client_as, one_month) -> None:
    expire("police_uk_street")
    analyst = client_as("analyst")
    page = analyst.get("/dashboard/").content.decode()
    assert "cannot be used in new outputs" in page and "Northamptonshire Police can renew" in page
    export = analyst.get("/dashboard/trend.csv")
    assert export.status_code == 409 and b"can renew it" in export.content
    sna = analyst.get("/sna/").content.decode()
    assert "cannot be used in new outputs" in sna
    from alliance.web.pool import queries

    assert not queries.current_incidents().exists()


def test_status_lists_what_is_withheld(demo) -> None:
    from alliance.web.pool.status import status

    (held,) = status()["withheld"]
    assert held["dataset"] == "ae_assaults" and held["sources"] == ["istv_ae"]
    assert "NHS Northamptonshire Integrated Care Board can renew it" in held["message"]
