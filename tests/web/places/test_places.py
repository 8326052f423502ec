"""Written places through the workspace: an A&E return placed as it loads, the review queue,
an analyst's answer remembered for next month, and the venues file.

The return is synthetic (ISTV-shaped, see tests/sources/test_istv.py) and its places are real
Northampton streets, checked against the two real police.uk months loaded as the gazetteer.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.geo.geocode import DECISION
from alliance.sources.schema import RowFlag
from alliance.web.audit.models import AuditEvent
from alliance.web.places.models import PlaceDecision, Venue
from alliance.web.pool.models import Incident
from tests.web.mappings.test_partner_upload import columns_url, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ae_agreement_renewed(demo) -> None:  # type: ignore[no-untyped-def]
    """The demo's A&E agreement has expired (so nobody may load A&E data): renew it."""
    from tests.web.pool.test_agreements import renew

    renew("ae_assaults")

RETURN = ("Attendance ID,Arrival Date,Assault Date,Assault Method,Where,Age Band,Sex\n"
          "A1,2024-01-02,2024-01-02,Knife,\"o/s Wetherspoons, Abington St\",18-24,M\n"
          "A2,2024-01-03,2024-01-03,Fist,High St,25-34,F\n"
          "A3,2024-01-04,2024-01-04,Fist,home,25-34,F\n"
          "A4,2024-01-05,2024-01-05,Bottle,HIGH ST,35-49,M\n")


def _load(client, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url = columns_url(upload(client, text, name=name, dataset="A&E ISTV return",
                             kind="istv_ae"))
    mapping = {"reference": "Attendance ID", "arrival": "Arrival Date", "date": "Assault Date",
               "weapon": "Assault Method", "location": "Where", "age": "Age Band",
               "sex": "Sex"}
    r = client.post(url, mapping)
    assert r.status_code == 302, r.content.decode()[-3000:]
    page = client.get(r.url)
    assert page.status_code == 200
    text_page = page.content.decode()
    assert "Rows with a place" in text_page
    assert client.post(r.url).status_code == 302


def test_written_places_are_placed_reviewed_and_remembered(client_as, one_month) -> None:
    analyst = client_as("analyst")
    _load(analyst, RETURN, "ae-jan.csv")
    rows = {r.source_ref: r for r in Incident.objects.filter(source="istv_ae")}
    assert rows["A1"].lsoa21_code and rows["A1"].place_method.startswith("street")
    assert rows["A1"].easting and 0 < rows["A1"].place_confidence <= 1
    for ref in ("A2", "A3", "A4"):
        assert rows[ref].lsoa21_code is None and rows[ref].flags & RowFlag.NOT_GEOCODED
    # the review queue: the two ways of writing "High St" are one entry, "home" is not
    assert client_as("board_viewer").get("/data/places/").status_code == 403
    page = analyst.get("/data/places/").content.decode()
    assert "High St" in page and ">home<" not in page
    assert "1 row named no place" in page
    assert AuditEvent.objects.filter(action="view_restricted",
                                     target="place review queue").exists()
    refused = analyst.post("/data/places/", {"text": "High St", "answer": "Nowhere Lane"})
    assert refused.status_code == 400 and "does not give one place" in refused.content.decode()
    r = analyst.post("/data/places/", {"text": "High St", "answer": "E01027114"})
    assert r.status_code == 302
    placed = Incident.objects.filter(source="istv_ae", source_ref__in=["A2", "A4"])
    assert {(p.lsoa21_code, p.place_method) for p in placed} == {("E01027114", DECISION)}
    assert not any(p.flags & RowFlag.NOT_GEOCODED for p in placed)
    assert PlaceDecision.objects.get().answer == "LSOA E01027114"
    # next month, the same words are placed by the answer as the file loads
    _load(analyst, RETURN.replace("2024-01", "2024-02"), "ae-feb.csv")
    feb = Incident.objects.get(source="istv_ae", month="2024-02", source_ref="A4")
    assert (feb.lsoa21_code, feb.place_method, feb.place_confidence) == ("E01027114", DECISION,
                                                                         1.0)


def test_the_batch_belongs_to_the_data_owner_not_the_uploader(client_as, one_month) -> None:
    from alliance.web.accounts.models import Membership
    from alliance.web.partnerships.models import Agreement
    from alliance.web.pool.models import ImportBatch

    analyst = client_as("analyst")
    _load(analyst, RETURN, "ae-jan.csv")
    batch = ImportBatch.objects.filter(source="istv_ae").get()
    # the demo's agreement covering A&E data is owned by the ICB; the analyst works elsewhere
    owner = next(a.owner.name for a in Agreement.objects.all() if "ae_assaults" in a.datasets)
    uploader = Membership.objects.get(user__email__startswith="analyst").organisation.name
    assert uploader != owner
    assert f"from {owner}:" in batch.description and uploader not in batch.description
    assert Incident.objects.filter(source="istv_ae").first().partition.startswith(  # type: ignore[union-attr]
        owner.lower().replace(" ", "-")[:20])


def test_venues_added_loaded_and_used(client_as, one_month) -> None:
    analyst = client_as("analyst")
    assert client_as("partner_lead").get("/data/places/venues/").status_code == 403
    r = analyst.post("/data/places/venues/", {"name": "The Bear", "aliases": "Bear pub",
                                              "kind": "pub", "easting": "475600",
                                              "northing": "260700"})
    assert r.status_code == 302, r.content.decode()[-2000:]
    bear = Venue.objects.get(name="The Bear")
    assert bear.lsoa21_code.startswith("E01")
    bad = (b"name,kind,easting,northing\nClub X,club,475700,260800\n"
           b"Nowhere,club,abc,1\n")
    r = analyst.post("/data/places/venues/", {"file": SimpleUploadedFile("v.csv", bad)})
    assert r.status_code == 400 and "line 3" in r.content.decode()
    assert not Venue.objects.filter(name="Club X").exists()  # all or nothing
    good = b"name,aliases,kind,easting,northing\n=Club X,,club,475700,260800\n"
    assert analyst.post("/data/places/venues/",
                        {"file": SimpleUploadedFile("v.csv", good)}).status_code == 302
    exported = analyst.get("/data/places/venues.csv").content.decode()
    assert "'=Club X" in exported and "The Bear" in exported  # no formula in the file
    from alliance.web.places.services import geocoder

    coder = geocoder()
    assert coder is not None
    assert coder("o/s the bear pub").lsoa21_code == bear.lsoa21_code
