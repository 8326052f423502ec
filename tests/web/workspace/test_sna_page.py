"""The SNA builder page: analysts build, everyone downloads, board viewers cannot start one."""

from __future__ import annotations

import pytest

from alliance.web.audit.models import AuditEvent
from alliance.web.dashboards.models import SnaBuild

pytestmark = pytest.mark.django_db


def test_analyst_builds_and_board_viewer_downloads(one_month, client_as) -> None:
    from alliance.web.dashboards.services import loaded_months

    months = loaded_months()
    analyst = client_as("analyst")
    r = analyst.post("/dashboard/sna/", {"area": "E23000022",
                                         "period": f"{months[0]}:{months[-1]}"})
    assert r.status_code == 302
    build = SnaBuild.objects.get()
    assert build.status == "done", build.message
    assert set(build.files) >= {"html", "docx"}
    assert one_month.batch_id in build.batch_ids
    board = client_as("board_viewer")
    page = board.get("/dashboard/sna/").content.decode()
    assert "Build the SNA" not in page
    assert f'HTML<span class="govuk-visually-hidden"> of build {build.pk}' in page
    html = board.get(f"/dashboard/sna/{build.pk}/html/")
    assert html.status_code == 200 and b"<html" in b"".join(html.streaming_content)[:2000].lower()
    assert AuditEvent.objects.filter(action="export", target=f"SNA build {build.pk} html").exists()
    assert board.post("/dashboard/sna/", {"area": "E23000022", "period": "2024"}).status_code == 403


def test_bad_period_is_explained(client_as) -> None:
    r = client_as("analyst").post("/dashboard/sna/", {"area": "E23000022", "period": "soon"})
    assert r.status_code == 400
    assert b"govuk-error-summary" in r.content and b"soon" in r.content
    assert not SnaBuild.objects.exists()
