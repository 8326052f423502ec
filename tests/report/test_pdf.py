"""Tests for alliance.report.pdf (WeasyPrint) on the sample report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from alliance.report import html, pdf
from alliance.report.document import Report
from tests.conftest import require_program


def test_pdf_renders_and_rasterises(sample_report: Report, tmp_path: Path) -> None:
    path = pdf.render(html.render(sample_report), tmp_path / "sna.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    pdftoppm = require_program("pdftoppm", "run scripts/browser (poppler-utils)")
    subprocess.run([pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "3", str(path),
                    str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 1000 for p in pages)


def test_pdf_needs_a_whole_document(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="whole HTML document"):
        pdf.render("<p>hi</p>", tmp_path / "x.pdf")
