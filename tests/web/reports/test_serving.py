"""A build's files: the report opens in the browser under a strict policy, the Word and PDF
versions and the data tables download, and nothing outside the build can be reached."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from alliance.web.audit.models import AuditEvent
from alliance.web.reports.models import SnaBuild
from alliance.web.reports.views import report_policy

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, str]:
    pairs = (d.partition(" ") for d in policy.split("; "))
    return {name: value for name, _, value in pairs}


def test_the_report_opens_in_the_browser_not_as_a_download(client_as, finished) -> None:
    r = client_as("board_viewer").get(f"/sna/builds/{finished.pk}/index.html")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/html; charset=utf-8"
    assert r["Content-Disposition"].startswith("inline")
    assert r.content == (Path(finished.output_folder) / "index.html").read_bytes()
    policy = _directives(r["Content-Security-Policy"])
    css = b"body{font-family:Arial,sans-serif}h1{color:#1d70b8}"
    digest = base64.b64encode(hashlib.sha256(css).digest()).decode()
    # its own <style> by hash, and nothing else: no script, no outside request, no framing
    assert policy == {"default-src": "'none'", "style-src": f"'sha256-{digest}'",
                      "img-src": "data:", "base-uri": "'none'", "form-action": "'none'",
                      "frame-ancestors": "'none'", "sandbox": ""}
    assert AuditEvent.objects.filter(action="export",
                                     target=f"SNA build {finished.pk} index.html").exists()


def test_every_style_block_is_allowed_by_its_own_hash() -> None:
    html = b"<style>a{}</style><p>x</p><STYLE media='print'>b{}</STYLE>"
    styles = _directives(report_policy(html))["style-src"].split()
    assert len(styles) == 2 and all(s.startswith("'sha256-") for s in styles)
    assert _directives(report_policy(b"<p>no styles</p>"))["style-src"] == "'none'"


def test_other_files_download(client_as, finished) -> None:
    c = client_as("partner_lead")
    docx = c.get(f"/sna/builds/{finished.pk}/sna.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"] == ("application/vnd.openxmlformats-officedocument."
                                    "wordprocessingml.document")
    assert docx["Content-Disposition"] == (
        f'attachment; filename="sna-e23000022-{finished.pk}-sna.docx"')
    table = c.get(f"/sna/builds/{finished.pk}/data/t1-1.csv")
    assert table["Content-Type"] == "text/csv; charset=utf-8"
    assert table["Content-Disposition"] == (
        f'attachment; filename="sna-e23000022-{finished.pk}-data-t1-1.csv"')
    assert b"".join(table.streaming_content) == b"month,count\n2024-01,[c]\n"
    assert AuditEvent.objects.filter(action="export",
                                     target=f"SNA build {finished.pk} sna.docx").exists()


@pytest.mark.parametrize("name", ["../secret.txt", "data/../../secret.txt", "sna.pdf",
                                  "data/figures.json", "%2e%2e/secret.txt", "/etc/passwd"])
def test_only_the_files_the_build_wrote_are_served(client_as, finished, name: str) -> None:
    r = client_as("analyst").get(f"/sna/builds/{finished.pk}/{name}")
    assert r.status_code == 404
    assert b"not part of any build" not in r.content


def test_a_file_replaced_by_a_link_out_of_the_folder_is_refused(client_as, finished,
                                                                tmp_path: Path) -> None:
    folder = Path(finished.output_folder)
    (folder / "sna.docx").unlink()
    (folder / "sna.docx").symlink_to(tmp_path / "secret.txt")
    assert client_as("analyst").get(f"/sna/builds/{finished.pk}/sna.docx").status_code == 404


def test_an_unfinished_build_serves_nothing(client_as, finished) -> None:
    SnaBuild.objects.filter(pk=finished.pk).update(status=SnaBuild.Status.RUNNING)
    c = client_as("analyst")
    assert c.get(f"/sna/builds/{finished.pk}/index.html").status_code == 404
    assert c.get(f"/sna/builds/{finished.pk}/sna.docx").status_code == 404


def test_the_welsh_report_opens_in_the_browser_under_the_same_policy(client_as, finished
                                                                     ) -> None:
    folder = Path(finished.output_folder)
    welsh = ('<!DOCTYPE html><html lang="cy"><head><style>body{font-family:Arial}</style>'
             "</head><body><h1>Asesiad</h1></body></html>")
    (folder / "index.cy.html").write_text(welsh, encoding="utf-8")
    (folder / "sna.cy.docx").write_bytes(b"PK\x03\x04 dogfen Word")
    finished.files = [*finished.files, "index.cy.html", "sna.cy.docx"]
    finished.save()
    c = client_as("board_viewer")
    r = c.get(f"/sna/builds/{finished.pk}/index.cy.html")
    assert r.status_code == 200 and r["Content-Disposition"] == 'inline; filename="index.cy.html"'
    assert r.content == welsh.encode()
    assert "sandbox" in r["Content-Security-Policy"]
    assert AuditEvent.objects.filter(action="export",
                                     target=f"SNA build {finished.pk} index.cy.html").exists()
    # the build's page offers it in Welsh, and the Welsh Word document as a download
    page = c.get(f"/sna/builds/{finished.pk}/").content.decode()
    assert f'href="/sna/builds/{finished.pk}/index.cy.html" hreflang="cy"' in page
    assert "Download the Word document in Welsh (DOCX)" in page
    assert client_as("analyst").get(f"/sna/builds/{finished.pk}/sna.cy.docx").status_code == 200
    # a build that wrote no Welsh has none to open
    (folder / "index.cy.html").unlink()
    assert c.get(f"/sna/builds/{finished.pk}/index.cy.html").status_code == 404
