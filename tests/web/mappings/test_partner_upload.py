"""Partner CSVs through the browser: upload, map columns, fix errors, confirm, reuse next month.

Synthetic extracts shaped like a Northamptonshire Police local extract (Home Office offence
codes, British National Grid points inside the county) and an A&E ISTV-like return; no real
partner file is public. The geography the rows are placed on is the real ONS one (loaded by
tests/web/conftest.py).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.web.audit.models import AuditEvent
from alliance.web.mappings.models import ColumnMapping, PendingExtract
from alliance.web.pool.models import ImportBatch, Incident
from alliance.web.tasks import services as task_services
from alliance.web.tasks.models import Task

pytestmark = pytest.mark.django_db

HEADER = ("Crime Ref,Committed Date,HO Code,Offence Description,Knife Flag,Easting,Northing,"
          "Outcome,Victim Age,Victim Sex,Nominal ID\n")


def police_month(month: str) -> str:
    return HEADER + "".join([
        f"NP/{month}/01,{month}-03 22:10,8N,Assault with injury,Y,475512,260934,"
        "Under investigation,17,M,NOM-0001\n",
        f"NP/{month}/02,05/{month[5:]}/{month[:4]},105A,Assault without injury,N,486912,"
        "278893,Evidential difficulties,34,F,NOM-0002\n",
        f"NP/{month}/03,{month}-19,5D,Assault with intent to cause serious harm,Y,489034,"
        "289011,Charged,19,M,NOM-0001\n",
    ])


MAPPING = {"reference": "Crime Ref", "date": "Committed Date", "offence_code": "HO Code",
           "source_category": "Offence Description", "knife_flag": "Knife Flag",
           "easting": "Easting", "northing": "Northing", "outcome": "Outcome",
           "age": "Victim Age", "sex": "Victim Sex", "person_id": "Nominal ID"}
ISTV = ("Attendance ID,Arrival Date,Assault Date,Assault Time,Assault Method,Assault Location,"
        "Age Band,Gender,LSOA\n"
        "ED-1,2024-02-02,2024-02-01,23:40,Knife,Street,18-24,Male,E01027114\n"
        "ED-2,2024-02-04,2024-02-04,01:15,Fist,Licensed premises,25-34,Female,E01027082\n")


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch):
    monkeypatch.setenv("ALLIANCE_PSEUDONYM_KEY", "a-test-key-of-sufficient-length")


def upload(client, data: bytes | str, *, name: str = "np-extract.csv",
           dataset: str = "Local police extract", kind: str = "police_extract"):
    body = data.encode() if isinstance(data, str) else data
    return client.post("/data/partner/", {"dataset": dataset, "kind": kind,
                                          "file": SimpleUploadedFile(name, body)})


def columns_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url.endswith("/columns")
    return response.url


def selected(page: bytes) -> dict[str, str]:
    """field -> the column pre-selected in its select on the mapping page."""
    html = page.decode()
    out = {}
    for m in re.finditer(r'<select name="(\w+)".*?</select>', html, re.S):
        choice = re.search(r'<option value="([^"]*)" selected>', m.group(0))
        if choice and choice.group(1):
            out[m.group(1)] = choice.group(1)
    return out


def nothing_loaded() -> bool:
    return not ImportBatch.objects.filter(kind="incidents").exists()


def test_police_extract_wrong_date_column_shown_then_fixed_and_loaded(client_as) -> None:
    analyst = client_as("analyst")
    url = columns_url(upload(analyst, police_month("2024-01")))
    page = analyst.get(url)
    assert page.status_code == 200
    assert b"NP/2024-01/01" in page.content  # the preview shows the first rows
    assert selected(page.content)["date"] == "Committed Date"  # matched by name

    wrong = {**MAPPING, "date": "Offence Description"}
    r = analyst.post(url, wrong)
    assert r.status_code == 400
    body = r.content.decode()
    assert "govuk-error-summary" in body and "nothing has been loaded" in body
    assert "Line 2, date (column “Offence Description”)" in body
    assert "Line 4, date" in body and 'href="#id_date"' in body
    assert nothing_loaded() and not ColumnMapping.objects.exists()
    assert AuditEvent.objects.filter(action="upload_rejected").exists()

    r = analyst.post(url, MAPPING)
    assert r.status_code == 302 and r.url.endswith("/confirm")
    page = analyst.get(r.url)
    assert b"Every row of np-extract.csv passed" in page.content and b"2024-01" in page.content
    assert nothing_loaded()  # not until confirmed
    r = analyst.post(r.url)
    task = Task.objects.get(kind="load_partner_extract")
    assert r.status_code == 302 and r.url == f"/tasks/{task.pk}/"  # loaded as a task
    assert task.status == Task.Status.DONE, task.error  # inline in tests: done already

    batch = ImportBatch.objects.get(kind="incidents")
    page = analyst.get(r.url).content.decode()
    assert f"Loaded 3 rows of Local police extract (2024-01) in batch {batch.pk}" in page
    assert "See the batches" in page
    assert batch.source == "police_extract" and batch.rows_loaded == 3
    rows = Incident.objects.filter(batch=batch).order_by("line")
    assert [r.offence_code for r in rows] == ["8N", "105A", "5D"]
    assert all(r.lsoa21_code and r.lsoa21_code.startswith("E01") for r in rows)  # placed
    assert [r.sv_included for r in rows] == [True, False, True]  # HO codes, project default
    assert rows[0].person_key == rows[2].person_key and "NOM" not in rows[0].person_key
    assert rows[0].partition == "northamptonshire-police/local_police_extract"
    saved = ColumnMapping.objects.get()
    assert saved.columns == MAPPING and saved.dataset == "Local police extract"
    event = AuditEvent.objects.get(action="upload")
    assert event.detail["batch"] == batch.pk and event.detail["rows"] == 3
    assert event.actor_email == "analyst@demo.alliance.test" and event.detail["task"] == task.pk
    assert not PendingExtract.objects.exists()


def load(client, data: str, mapping: dict[str, str], **kw) -> None:
    url = columns_url(upload(client, data, **kw))
    r = client.post(url, mapping)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert client.post(r.url).status_code == 302


def test_saved_mapping_is_reused_next_month(client_as) -> None:
    analyst = client_as("analyst")
    load(analyst, police_month("2024-01"), MAPPING)
    # next month the file's columns are renamed by nothing but a reorder: the saved choice wins
    # over name matching, including fields name matching would not find
    renamed = police_month("2024-02").replace("Victim Age", "Age of victim")
    mapping = {**MAPPING, "age": "Age of victim"}
    load(analyst, renamed, mapping, name="np-feb.csv")
    assert ColumnMapping.objects.get().columns["age"] == "Age of victim"
    url = columns_url(upload(analyst, police_month("2024-03").replace(
        "Victim Age", "Age of victim"), name="np-mar.csv"))
    page = analyst.get(url)
    assert b"The columns saved from the last upload" in page.content
    prefilled = selected(page.content)
    assert prefilled == mapping
    r = analyst.post(url, prefilled)
    assert analyst.post(r.url).status_code == 302
    assert ImportBatch.objects.filter(kind="incidents", status="active").count() == 3
    assert sorted(Incident.objects.values_list("month", flat=True).distinct()) == [
        "2024-01", "2024-02", "2024-03"]


def test_same_file_twice_loads_nothing_new(client_as) -> None:
    analyst = client_as("analyst")
    load(analyst, police_month("2024-01"), MAPPING)
    load(analyst, police_month("2024-01"), MAPPING)
    assert ImportBatch.objects.filter(kind="incidents").count() == 1


def _renew_istv_agreement() -> None:
    from datetime import date

    from alliance.web.partnerships import services
    from alliance.web.partnerships.models import Agreement

    expired = Agreement.objects.get(datasets=["ae_assaults"])
    services.renew(expired.pk, start_date=date.today(), review_date=date.today(),
                   expiry_date=date.today() + timedelta(days=365), by=None)


def test_an_istv_return_waits_for_its_agreement_and_belongs_to_the_nhs(client_as,
                                                                        client_for) -> None:
    """The demo's A&E agreement has expired: nobody may load A&E data, and the message says
    who can renew it. Once renewed, the NHS (its owner) may; the council's lead may not."""
    council = client_as("partner_lead")
    r = upload(council, ISTV, name="kgh-istv-feb.csv", dataset="A&E ISTV return",
               kind="istv_ae")
    assert r.status_code == 400 and not PendingExtract.objects.exists()
    body = r.content.decode().replace("\n", " ")
    assert "A&amp;E assault attendances (ISTV) cannot be used in new outputs" in body
    assert "NHS Northamptonshire Integrated Care Board can renew it" in body
    assert "ig.team@demo.alliance.test" in body and "cannot be loaded" in body
    _renew_istv_agreement()
    r = upload(council, ISTV, name="kgh-istv-feb.csv", dataset="A&E ISTV return",
               kind="istv_ae")
    assert r.status_code == 400
    assert "belongs to NHS Northamptonshire Integrated Care Board" in r.content.decode()
    lead = client_for("NHS Northamptonshire Integrated Care Board", "partner_lead")
    url = columns_url(upload(lead, ISTV, name="kgh-istv-feb.csv", dataset="A&E ISTV return",
                             kind="istv_ae"))
    prefilled = selected(lead.get(url).content)
    assert prefilled["date"] == "Assault Date" and prefilled["lsoa"] == "LSOA"
    r = lead.post(url, prefilled)
    assert lead.post(r.url).status_code == 302
    rows = Incident.objects.filter(source="istv_ae").order_by("line")
    assert [(r.age, r.sex, r.lsoa21_code) for r in rows] == [
        ("18-24", "male", "E01027114"), ("25-34", "female", "E01027082")]


@pytest.mark.parametrize("role", ["board_viewer", "moderator"])
def test_roles_without_upload_are_refused(client_as, role: str) -> None:
    c = client_as(role)
    assert c.get("/data/partner/").status_code == 403
    assert upload(c, ISTV).status_code == 403
    assert not PendingExtract.objects.exists()


def test_someone_elses_upload_is_not_found(client_as) -> None:
    url = columns_url(upload(client_as("analyst"), police_month("2024-01")))
    other = client_as("administrator")
    assert other.get(url).status_code == 404
    assert other.post(url.replace("columns", "confirm")).status_code == 404


@pytest.mark.parametrize(("data", "needle"), [
    (police_month("2024-01").replace("Charged", "Charg\u00e9").encode("cp1252"),
     "not UTF-8"),
    (b"", "empty"),
    (HEADER.encode(), "no rows"),
    (b"PK\x03\x04" + b"\0" * 100, "compressed archive"),
    (police_month("2024-01").encode() + b"NP/9,2024-01-01\n", "fields where the header"),
])
def test_unreadable_files_are_refused_at_upload(client_as, data: bytes, needle: str) -> None:
    analyst = client_as("analyst")
    r = upload(analyst, data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "govuk-error-summary" in body and needle in body
    assert nothing_loaded() and not PendingExtract.objects.exists()
    if data:  # an empty upload is refused by the form itself, before any check of ours
        assert AuditEvent.objects.filter(action="upload_rejected").exists()


def test_html_in_a_field_is_refused_by_line_and_field(client_as) -> None:
    analyst = client_as("analyst")
    url = columns_url(upload(analyst, police_month("2024-01").replace(
        "Charged", "<img src=x onerror=alert(1)>")))
    r = analyst.post(url, MAPPING)
    assert r.status_code == 400
    body = r.content.decode()
    assert "Line 4, outcome (column “Outcome”): contains HTML mark-up" in body
    assert "<img src=x" not in body  # escaped in the preview
    assert nothing_loaded() and not ColumnMapping.objects.exists()


def test_a_missing_column_next_month_is_a_mapping_error(client_as) -> None:
    analyst = client_as("analyst")
    load(analyst, police_month("2024-01"), MAPPING)
    broken = police_month("2024-02").replace("Committed Date", "When")
    url = columns_url(upload(analyst, broken, name="np-feb.csv"))
    prefilled = selected(analyst.get(url).content)
    assert "date" not in prefilled  # the saved column is not in this file
    r = analyst.post(url, prefilled)
    assert r.status_code == 400
    assert "map a date column (or a month column)" in r.content.decode()
    assert ImportBatch.objects.filter(kind="incidents").count() == 1
    # a column that is not in the file cannot be chosen at all
    r = analyst.post(url, {**MAPPING})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()


def test_huge_upload_is_refused_before_reading(client_as) -> None:
    analyst = client_as("analyst")
    r = analyst.post("/data/partner/", {"dataset": "x", "kind": "partner"},
                     CONTENT_LENGTH=str(500 * 2**20))
    assert r.status_code == 400
    assert "the limit is 20 MB" in r.content.decode()
    assert not PendingExtract.objects.exists() and nothing_loaded()


def test_person_id_without_key_is_refused(client_as, monkeypatch) -> None:
    monkeypatch.delenv("ALLIANCE_PSEUDONYM_KEY")
    analyst = client_as("analyst")
    url = columns_url(upload(analyst, police_month("2024-01")))
    r = analyst.post(url, MAPPING)
    # what to do and whom to ask, not the setting's name (tests/web/workspace/test_plain_words)
    page = r.content.decode()
    assert r.status_code == 400 and "Ask your administrator to set up the pseudonym key" in page
    assert "ALLIANCE_PSEUDONYM_KEY" not in page
    assert nothing_loaded()
    without_person = {k: v for k, v in MAPPING.items() if k != "person_id"}
    assert analyst.post(url, without_person).status_code == 302


def test_abandoned_uploads_are_deleted_after_a_day(client_as) -> None:
    analyst = client_as("analyst")
    columns_url(upload(analyst, police_month("2024-01")))
    PendingExtract.objects.update(created_at=timezone.now() - timedelta(hours=25))
    analyst.get("/data/partner/")
    assert not PendingExtract.objects.exists()


def test_no_query_per_row(client_as) -> None:
    """Checking and loading 600 rows costs no more queries than 3 rows (plus slack)."""
    analyst = client_as("analyst")
    lines = police_month("2024-01").splitlines()
    big = "\n".join([lines[0], *[lines[1 + i % 3].replace("/01,", f"/{i},", 1)
                                 for i in range(600)]]) + "\n"
    counts = []
    for name, data in (("small.csv", police_month("2024-01")), ("big.csv", big)):
        url = columns_url(upload(analyst, data, name=name, dataset=name))
        with CaptureQueriesContext(connection) as ctx:
            r = analyst.post(url, MAPPING)
            assert analyst.post(r.url).status_code == 302
        counts.append(len(ctx.captured_queries))
    assert Incident.objects.count() == 603
    assert counts[1] <= counts[0] + 5, counts


def test_a_queued_load_waits_for_the_worker_and_a_second_click_follows_it(client_as,
                                                                          settings) -> None:
    settings.ALLIANCE_TASKS_INLINE = False
    analyst = client_as("analyst")
    url = columns_url(upload(analyst, police_month("2024-01")))
    confirm = analyst.post(url, MAPPING).url
    first = analyst.post(confirm)
    again = analyst.post(confirm)  # an impatient second click starts nothing new
    task = Task.objects.get(kind="load_partner_extract")
    assert first.url == again.url == f"/tasks/{task.pk}/"
    assert task.status == Task.Status.QUEUED and nothing_loaded()
    assert "Waiting to start" in analyst.get(first.url).content.decode()

    assert task_services.work(once=True) == 1
    task.refresh_from_db()
    assert task.status == Task.Status.DONE, task.error
    assert ImportBatch.objects.get(kind="incidents").rows_loaded == 3
    assert ColumnMapping.objects.filter(dataset="Local police extract").exists()
    assert not PendingExtract.objects.exists()


def test_a_load_whose_upload_has_gone_fails_clearly_and_loads_nothing(client_as,
                                                                     settings) -> None:
    settings.ALLIANCE_TASKS_INLINE = False
    analyst = client_as("analyst")
    url = columns_url(upload(analyst, police_month("2024-01")))
    analyst.post(analyst.post(url, MAPPING).url)
    PendingExtract.objects.all().delete()  # e.g. deleted as abandoned before a worker came
    task_services.work(once=True)
    task = Task.objects.get(kind="load_partner_extract")
    assert task.status == Task.Status.FAILED
    assert "np-extract.csv" in task.error and "Upload it again" in task.error
    assert nothing_loaded() and not ColumnMapping.objects.exists()
