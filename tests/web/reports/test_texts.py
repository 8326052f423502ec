"""The partnership writes its SNA summary, findings and recommendations in the workspace: each
rests on an item of the latest build, a recommendation names its owner, measure and baseline,
every save is kept and audited, bad input changes nothing, and a text whose numbers changed in
a newer build is flagged until it is checked and saved again."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest
from django.utils import timezone

from alliance.report.document import Finding, Provenance, Report, Section, Table
from alliance.web.accounts.models import Organisation, Role
from alliance.web.audit.models import AuditEvent
from alliance.web.reports.models import SnaBuild, SnaText

pytestmark = pytest.mark.django_db

ROLES = [str(r) for r in Role.values]
AREA = "E23000022"
PERIOD = "January 2025 to December 2025"


def figures_report(total: float) -> Report:
    """A small report with the ids a real SNA has (a finding, a chapter table, the headline
    table the summary rests on, an annex table a text may not rest on)."""
    prov = Provenance(source="police.uk street-level crime", period=PERIOD)
    table = pd.DataFrame({"Count": [total]}, index=pd.Index(["All"], name="Category"))
    return Report(title="SNA", area="Northamptonshire", period="2025", sections=(
        Section(id="summary", title="Executive summary", blocks=(
            Table(id="t1-1-headlines", caption="At a glance", data=table, provenance=prov),)),
        Section(id="overall", title="The overall picture of serious violence", blocks=(
            Finding(id="f-total", text=f"{total:,.0f} offences were placed in the area.",
                    provenance=prov, value=total, unit="offences"),
            Table(id="t4-1-counts", caption="Violence by category", data=table,
                  provenance=prov))),
        Section(id="batches", title="Annex F: import batches used", level=2, blocks=(
            Table(id="ta-batches", caption="Import batches", data=table, provenance=prov),))))


def make_build(folder: Path, total: float, **fields: object) -> SnaBuild:
    (folder / "data").mkdir(parents=True)
    figures_report(total).write_figures_json(folder / "data" / "figures.json")
    return SnaBuild.objects.create(
        area_code=AREA, area_name="Northamptonshire", period="2025",
        status=SnaBuild.Status.DONE, finished_at=timezone.now(), output_folder=str(folder),
        files=["data/figures.json", "index.html"], **fields)


@pytest.fixture
def build(demo, tmp_path: Path) -> SnaBuild:
    return make_build(tmp_path / "first", 27_533.0)


def _owner() -> Organisation:
    return Organisation.objects.get(name="Northamptonshire Police")


def _recommendation(**extra: object) -> dict[str, object]:
    return {"area": AREA, "text": "Put youth workers in **Castle ward** at weekends.",
            "cites": "f-total", "owner": _owner().pk,
            "measure": "Offences a year in Castle ward"} | extra


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def test_an_analyst_writes_a_recommendation_with_owner_measure_and_baseline(
        client_as, build) -> None:
    c = client_as("analyst")
    form = _page(c.get(f"/sna/texts/add/recommendation/?area={AREA}"))
    assert "Finding: 27,533 offences were placed in the area." in form
    assert "Baseline: 27,533 offences (January 2025 to December 2025)" in form
    assert "A table or figure of the report" in form and "Violence by category" in form
    assert "Import batches" not in form  # annex tables are not something to rest on
    r = c.post("/sna/texts/add/recommendation/", _recommendation())
    assert r.status_code == 302 and r["Location"] == f"/sna/texts/?area={AREA}"
    rec = SnaText.objects.get()
    assert (rec.kind, rec.number, rec.cites, rec.owner, rec.build) == (
        "recommendation", 1, "f-total", _owner(), build)
    assert rec.baseline == rec.checked == "27,533 offences (January 2025 to December 2025)"
    assert rec.cited_label.startswith("the finding “27,533 offences")
    assert [v.change for v in rec.versions.all()] == ["written"]
    event = AuditEvent.objects.get(action="sna_text")
    assert event.detail["change"] == "written" and event.actor.email.startswith("analyst")
    page = _page(c.get(f"/sna/texts/?area={AREA}"))
    assert "Put youth workers in **Castle ward** at weekends." in page
    assert "Northamptonshire Police" in page and "Up to date" in page


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_texts_and_analysts_and_administrators_write_them(
        client_as, build, role: str) -> None:
    c = client_as(role)
    page = c.get("/sna/texts/")
    assert page.status_code == 200
    writes = role in ("analyst", "administrator")
    assert ("Add a recommendation" in page.content.decode()) == writes
    r = c.post("/sna/texts/add/recommendation/", _recommendation())
    assert r.status_code == (302 if writes else 403)
    assert SnaText.objects.exists() == writes


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"text": "  "}, "text", "Enter the words"),
    ({"text": "x" * 5_001}, "text", "Use 5,000 characters or fewer (this has 5,001)"),
    ({"text": "y" * 2_000_000}, "text", "Use 5,000 characters or fewer"),
    ({"text": "See [this](javascript:alert(1))"}, "text", "A link may go to a web page"),
    ({"text": "See [a].\n\n[a]: data:text/html;base64,AAAA"}, "text", "not “data:text"),
    ({"text": "bell\x07 in the words"}, "text", "control characters"),
    ({"cites": ""}, "cites", "Choose the finding, table or figure it rests on"),
    ({"cites": "f-invented"}, "cites", "Select a valid choice"),
    ({"cites": "ta-batches"}, "cites", "Select a valid choice"),
    ({"cites": "other"}, "item", "Choose the table or figure it rests on"),
    ({"cites": "other", "item": "ta-batches"}, "item", "Select a valid choice"),
    ({"owner": ""}, "owner", "Choose the organisation that owns it"),
    ({"owner": "999999"}, "owner", "Select a valid choice"),
    ({"measure": " "}, "measure", "Say how progress will be measured"),
    ({"measure": "m" * 301}, "measure", "Use 300 characters or fewer"),
])
def test_bad_input_is_refused_by_name_and_changes_nothing(
        client_as, build, change: dict[str, object], field: str, message: str) -> None:
    r = client_as("analyst").post("/sna/texts/add/recommendation/", _recommendation(**change))
    assert r.status_code == 400
    page = _page(r)
    assert "govuk-error-summary" in page and message in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert not SnaText.objects.exists() and not AuditEvent.objects.filter(
        action="sna_text").exists()


def test_nothing_is_written_before_a_build(client_as, demo) -> None:
    c = client_as("analyst")
    assert "Build the SNA</a> first" in _page(c.get("/sna/texts/add/finding/"))
    assert "no finished SNA build" in _page(c.get("/sna/texts/"))
    r = c.post("/sna/texts/add/finding/", {"text": "Words", "cites": "f-total"})
    assert r.status_code in (200, 400) and not SnaText.objects.exists()


def test_changed_numbers_flag_the_text_until_it_is_checked_and_saved(
        client_as, build, tmp_path: Path) -> None:
    c = client_as("analyst")
    c.post("/sna/texts/add/recommendation/", _recommendation())
    rec = SnaText.objects.get()
    newer = make_build(tmp_path / "second", 26_001.0)
    page = _page(c.get(f"/sna/texts/?area={AREA}"))
    assert "Its numbers have changed" in page and "Check and save" in page
    assert ("27,533 offences (January 2025 to December 2025) then, 26,001 offences "
            "(January 2025 to December 2025) now") in page
    form = _page(c.get(f"/sna/texts/{rec.pk}/edit/"))
    assert "Saving takes the numbers of build" in form
    assert "Its baseline now: 27,533 offences" in form
    r = c.post(f"/sna/texts/{rec.pk}/edit/", _recommendation(text="Youth workers, weekends."))
    assert r.status_code == 302
    rec.refresh_from_db()
    assert (rec.version, rec.build, rec.text) == (2, newer, "Youth workers, weekends.")
    assert rec.checked.startswith("26,001") and rec.baseline.startswith("27,533")  # kept
    assert "Up to date" in _page(c.get(f"/sna/texts/?area={AREA}"))
    c.post(f"/sna/texts/{rec.pk}/edit/", _recommendation(reset_baseline="on"))
    rec.refresh_from_db()
    assert rec.baseline.startswith("26,001") and rec.version == 3
    history = _page(c.get(f"/sna/texts/{rec.pk}/history/"))
    assert history.count("Version ") == 3 and "Youth workers, weekends." in history


def test_one_summary_per_area_resting_on_the_headline_figures(client_as, build) -> None:
    c = client_as("administrator")
    r = c.post("/sna/texts/add/summary/", {"area": AREA, "text": "Violence is steady."})
    assert r.status_code == 302
    summary = SnaText.objects.get(kind="summary")
    assert summary.cites == "t1-1-headlines" and summary.baseline == ""
    again = c.get(f"/sna/texts/add/summary/?area={AREA}")
    assert again.status_code == 302 and again["Location"] == f"/sna/texts/{summary.pk}/edit/"


def test_a_finding_and_removal_with_its_history_kept(client_as, build) -> None:
    from alliance.web.reports.texts import written_for

    c = client_as("analyst")
    c.post("/sna/texts/add/finding/", {"area": AREA, "text": "Most violence is in Northampton.",
                                       "cites": "other", "item": "t4-1-counts"})
    c.post("/sna/texts/add/recommendation/", _recommendation())
    finding = SnaText.objects.get(kind="finding")
    assert finding.cites == "t4-1-counts"
    edit = _page(c.get(f"/sna/texts/{finding.pk}/edit/"))
    assert 'value="other" checked' in edit
    assert '<option value="t4-1-counts" selected>' in edit
    written = written_for(AREA)
    assert [w.kind for w in written] == ["finding", "recommendation"]
    assert written[1].owner == "Northamptonshire Police" and written[0].baseline
    assert c.get(f"/sna/texts/{finding.pk}/remove/").status_code == 200
    assert c.post(f"/sna/texts/{finding.pk}/remove/").status_code == 302
    finding.refresh_from_db()
    assert finding.removed_at is not None
    assert [w.kind for w in written_for(AREA)] == ["recommendation"]
    assert [v.change for v in finding.versions.all()] == ["removed", "written"]
    assert c.get(f"/sna/texts/{finding.pk}/edit/").status_code == 404
    assert "Removed from the report (1)" in _page(c.get(f"/sna/texts/?area={AREA}"))
    assert c.get(f"/sna/texts/{finding.pk}/history/").status_code == 200
    assert AuditEvent.objects.filter(action="sna_text", detail__change="removed").exists()


def test_unknown_kind_and_text_are_not_found(client_as, build) -> None:
    c = client_as("analyst")
    assert c.get("/sna/texts/add/wish/").status_code == 404
    assert c.get("/sna/texts/999999/edit/").status_code == 404
    assert c.get("/sna/texts/999999/history/").status_code == 404
