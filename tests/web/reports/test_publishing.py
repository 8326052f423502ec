"""Publishing an SNA build on the public site: only administrators decide (analysts build and
write it, board viewers, partner leads and moderators read it), through a confirmation page and
a CSRF-protected POST; only a finished build of the partnership's area for a reporting year;
another build replaces it; withdrawing leaves none; every change is in the audit trail; and the
public assessment page shows the published build and nothing else, in English and Welsh."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from django.test import Client

from alliance.web.accounts.models import Role
from alliance.web.accounts.rules import RULES
from alliance.web.audit.models import AuditEvent
from alliance.web.reports.models import SnaBuild

pytestmark = pytest.mark.django_db

ROLES = [str(r) for r in Role.values]
PUBLIC = "/our-area/assessment/"


def summary_build(folder: Path, sentence: str, **fields: object) -> SnaBuild:
    """A finished build of the demo area whose summary for residents says ``sentence``."""
    from django.utils import timezone

    (folder / "data").mkdir(parents=True)
    document = {"title": "Strategic Needs Assessment: summary", "subtitle": "Serious violence",
                "area": "Northamptonshire", "period": "2024", "published": "1 November 2026",
                "sections": [{"id": "summary", "title": "Executive summary", "blocks": [
                    {"kind": "paragraph", "html": f"<p>{sentence}</p>"}]}]}
    (folder / "data" / "summary.json").write_text(json.dumps(document), encoding="utf-8")
    (folder / "index.html").write_text("<html><body>SNA</body></html>", encoding="utf-8")
    values: dict[str, object] = {
        "area_code": "E23000022", "area_name": "Northamptonshire", "period": "2024",
        "status": SnaBuild.Status.DONE, "finished_at": timezone.now(),
        "output_folder": str(folder), "pdf": False, "threshold": 5,
        "files": ["data/summary.json", "index.html"], **fields}
    return SnaBuild.objects.create(**values)


@pytest.fixture
def ready(demo, tmp_path: Path) -> SnaBuild:  # (demo: the partnership)
    return summary_build(tmp_path / "ready", "There were 4,321 offences in the year.")


def _public(client: Client, url: str = PUBLIC) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_only_administrators_may_publish() -> None:
    assert RULES["publish_sna"] == {"administrator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_publish_and_withdraw(client_as, ready: SnaBuild, role: str) -> None:
    c = client_as(role)
    allowed = role == "administrator"
    listing = c.get("/sna/").content.decode()
    page = c.get(f"/sna/builds/{ready.pk}/").content.decode()
    for body in (listing, page):
        assert (f'href="/sna/builds/{ready.pk}/publish/"' in body) == allowed
    assert "A build reaches the public site only when" in listing
    confirm = c.get(f"/sna/builds/{ready.pk}/publish/")
    assert confirm.status_code == (200 if allowed else 403)
    r = c.post(f"/sna/builds/{ready.pk}/publish/")
    ready.refresh_from_db()
    published = AuditEvent.objects.filter(action="sna_published")
    if allowed:
        assert r.status_code == 302 and r["Location"] == f"/sna/builds/{ready.pk}/"
        assert ready.published and ready.published_by_name == r.wsgi_request.user.email
        event = published.get()
        assert (event.actor_email, event.target) == (ready.published_by_name,
                                                     f"SNA build {ready.pk}")
        assert event.detail == {"area": "E23000022", "period": "2024", "replaced": None}
    else:
        assert r.status_code == 403 and not ready.published and not published.exists()
        assert AuditEvent.objects.filter(action="refused", detail__rule="publish_sna").exists()
        SnaBuild.objects.filter(pk=ready.pk).update(published_at="2026-11-01T09:00:00Z")
    # withdrawing: the same rule
    assert c.get(f"/sna/builds/{ready.pk}/withdraw/").status_code == (200 if allowed else 403)
    r = c.post(f"/sna/builds/{ready.pk}/withdraw/")
    ready.refresh_from_db()
    assert r.status_code == (302 if allowed else 403)
    assert ready.published != allowed
    assert AuditEvent.objects.filter(action="sna_withdrawn").exists() == allowed


def test_publishing_needs_the_csrf_token(client_as, ready: SnaBuild) -> None:
    c = client_as("administrator")
    c.handler.enforce_csrf_checks = True
    confirm = c.get(f"/sna/builds/{ready.pk}/publish/").content.decode()
    assert "csrfmiddlewaretoken" in confirm
    assert c.post(f"/sna/builds/{ready.pk}/publish/").status_code == 403
    ready.refresh_from_db()
    assert not ready.published and not AuditEvent.objects.filter(action="sna_published").exists()
    token = c.cookies["csrftoken"].value
    r = c.post(f"/sna/builds/{ready.pk}/publish/", {"csrfmiddlewaretoken": token})
    assert r.status_code == 302
    ready.refresh_from_db()
    assert ready.published
    SnaBuild.objects.filter(pk=ready.pk).update(published_at=ready.published_at)
    assert c.post(f"/sna/builds/{ready.pk}/withdraw/").status_code == 403
    ready.refresh_from_db()
    assert ready.published


def test_the_public_page_shows_only_the_published_build(client_as, ready: SnaBuild,
                                                        tmp_path: Path, client: Client) -> None:
    before = _public(client)
    assert "No assessment has been published yet." in before
    assert "public-unpublished" in before and "4,321" not in before
    assert "Nid oes asesiad wedi'i gyhoeddi eto." in html.unescape(_public(client, f"/cy{PUBLIC}"))
    admin = client_as("administrator")
    assert admin.post(f"/sna/builds/{ready.pk}/publish/").status_code == 302
    after = _public(client)
    assert "There were 4,321 offences in the year." in after
    assert "No assessment has been published yet." not in after
    # a newer build is not public until it is published, and then it replaces the first
    newer = summary_build(tmp_path / "newer", "There were 5,000 offences in the year.")
    assert "4,321" in _public(client)
    confirm = admin.get(f"/sna/builds/{newer.pk}/publish/").content.decode()
    assert f"It replaces build {ready.pk}" in confirm
    assert admin.post(f"/sna/builds/{newer.pk}/publish/").status_code == 302
    page = _public(client)
    assert "5,000" in page and "4,321" not in page
    ready.refresh_from_db()
    assert not ready.published
    assert AuditEvent.objects.get(action="sna_published", target=f"SNA build {newer.pk}"
                                  ).detail["replaced"] == ready.pk
    assert SnaBuild.objects.filter(published_at__isnull=False).count() == 1
    # withdrawn: no assessment at all, not the older build
    withdraw = admin.get(f"/sna/builds/{newer.pk}/withdraw/").content.decode()
    assert "Withdraw build" in withdraw and "csrfmiddlewaretoken" in withdraw
    assert admin.post(f"/sna/builds/{newer.pk}/withdraw/").status_code == 302
    assert "No assessment has been published yet." in _public(client)
    event = AuditEvent.objects.get(action="sna_withdrawn")
    assert event.target == f"SNA build {newer.pk}" and event.detail["published_since"]
    assert client.get("/our-area/assessment.pdf").status_code == 404


@pytest.mark.parametrize(("fields", "why"), [
    ({"draft": True}, "This build is a draft"),
    ({"status": SnaBuild.Status.FAILED}, "Only a finished build can be published"),
    ({"status": SnaBuild.Status.RUNNING, "finished_at": None},
     "Only a finished build can be published"),
    ({"area_code": "E06000061"}, "This build is for another area"),
    ({"threshold": 10}, "hides small numbers differently"),
    ({"files": ["index.html"]}, "has no summary for the public"),
])
def test_only_a_finished_build_of_the_area_for_a_year_is_published(
        client_as, demo, tmp_path: Path, client: Client, fields: dict[str, object],
        why: str) -> None:
    build = summary_build(tmp_path / "b", "There were 4,321 offences in the year.", **fields)
    admin = client_as("administrator")
    assert f'href="/sna/builds/{build.pk}/publish/"' not in admin.get("/sna/").content.decode()
    confirm = admin.get(f"/sna/builds/{build.pk}/publish/")
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "This build cannot be published" in body and why in body
    assert "Publish on the public site</button>" not in body
    r = admin.post(f"/sna/builds/{build.pk}/publish/")
    assert r.status_code == 400 and why in r.content.decode()
    build.refresh_from_db()
    assert not build.published
    assert not AuditEvent.objects.filter(action="sna_published").exists()
    assert "No assessment has been published yet." in _public(client)


def test_a_published_build_leaves_the_site_when_the_threshold_changes(
        client_as, ready: SnaBuild, client: Client, monkeypatch) -> None:
    assert client_as("administrator").post(f"/sna/builds/{ready.pk}/publish/").status_code == 302
    assert "4,321" in _public(client)
    monkeypatch.setenv("ALLIANCE_SUPPRESSION_THRESHOLD", "10")
    page = _public(client)
    assert "4,321" not in page and "No assessment has been published yet." in page


def test_withdrawing_a_build_that_is_not_published_changes_nothing(client_as,
                                                                   ready: SnaBuild) -> None:
    admin = client_as("administrator")
    assert "is not on the public site" in admin.get(
        f"/sna/builds/{ready.pk}/withdraw/").content.decode()
    assert admin.post(f"/sna/builds/{ready.pk}/withdraw/").status_code == 302
    assert not AuditEvent.objects.filter(action="sna_withdrawn").exists()
