"""SNA page tests reuse the workspace fixtures (the demo partnership, signed-in clients, a
loaded month) and add a finished build whose files are small stand-ins on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.workspace.conftest import (  # noqa: F401  (fixtures)
    _fast_hashing,
    client_as,
    demo,
    one_month,
)

#: a self-contained report like alliance.report.html writes: inline <style>, inline SVG
REPORT = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SNA</title>"
          "<style>body{font-family:Arial,sans-serif}h1{color:#1d70b8}</style></head><body>"
          "<h1>Strategic Needs Assessment</h1><figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
          "width=\"40\" height=\"20\" role=\"img\"><title>A bar</title><rect width=\"30\" "
          "height=\"10\" fill=\"#1d70b8\"/></svg></figure></body></html>")


@pytest.fixture
def finished(demo, tmp_path: Path):  # noqa: F811 (the imported fixture, by pytest name)
    """A finished workspace build of the demo area, with its files in its own folder."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alliance.web.reports.models import SnaBuild

    folder = tmp_path / "build"
    (folder / "data").mkdir(parents=True)
    (folder / "index.html").write_text(REPORT, encoding="utf-8")
    (folder / "sna.docx").write_bytes(b"PK\x03\x04 a word document")
    (folder / "data" / "t1-1.csv").write_text("month,count\n2024-01,[c]\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not part of any build", encoding="utf-8")
    analyst = get_user_model().objects.get(email=demo.emails["analyst"])
    return SnaBuild.objects.create(
        area_code="E23000022", area_name="Northamptonshire", period="2024-01",
        status=SnaBuild.Status.DONE, started_by=analyst, started_by_name=analyst.email,
        finished_at=timezone.now(), output_folder=str(folder), pdf=False, threshold=5,
        files=["data/t1-1.csv", "index.html", "sna.docx"])
