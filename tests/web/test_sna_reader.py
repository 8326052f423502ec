"""The real Northamptonshire SNA read from the top, as a partnership manager would: its first
PDF pages, the executive summary, key findings and a map saved as pictures in
test-artefacts/sna-reader/ (git-ignored) for a person to look at, and checked here: summary
first and in plain words, places named (never LSOA codes), every chart with its sentence.

Data: the 16 police.uk street-level months for Northamptonshire in shared/data/policeuk
(through the package's ``built`` fixture: calendar year 2025, with its PDF).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report.conftest import ARTEFACTS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SHOTS = ARTEFACTS / "sna-reader"
LSOA_CODE = re.compile(r"\bE0[12]\d{6}\b")


def _section_text(html: str, section: str) -> str:
    start = html.index(f'<section aria-labelledby="{section}">')
    body = html[start:html.index("</section>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", body,
                                                                flags=re.S)))


def test_the_pdf_opens_with_the_summary_and_ends_with_the_annexes(built) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed")
    pdf = built["dir"] / "sna.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("pdf-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "4", str(pdf),
                    str(SHOTS / "pdf-page")], check=True)
    assert len(list(SHOTS.glob("pdf-page-*.png"))) == 4
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    first = next(i for i, p in enumerate(pages) if "In calendar year 2025, " in p)
    assert first <= 2, "the summary is on the first pages"
    findings = next(i for i, p in enumerate(pages) if re.search(r"^\s*Key findings\s*$", p,
                                                                 re.M) and i > 0)
    methods = next(i for i, p in enumerate(pages) if "Annex A: methods" in p and i > 1)
    assert first <= findings < methods and methods > len(pages) // 2


def test_the_summary_reads_in_plain_words_with_places_named(built) -> None:  # type: ignore[no-untyped-def]
    html = (built["dir"] / "index.html").read_text(encoding="utf-8")
    summary = _section_text(html, "summary")
    assert "In calendar year 2025, " in summary and "per 1,000 residents a year" in summary
    assert re.search(r"about \d+% (fewer|more)", summary), "what changed, in words"
    assert "consistent with the figures" in summary or "(between" in summary  # uncertainty
    assert re.search(r"all in Northampton \(.*Castle.*ward", summary), "where, by name"
    assert "most deprived fifth" in summary and "times as high as" in summary  # for whom
    assert not LSOA_CODE.search(summary)
    assert not re.search(r"quasi-Poisson|Getis|Benjamini|Spiegelhalter", summary)
    key = _section_text(html, "key-findings")
    assert "The overall picture of serious violence" in key and not LSOA_CODE.search(key)
    order = [m for m in re.findall(r'<h2 id="([a-z-]+)"', html) if m != "contents"]
    assert order[:4] == ["summary", "key-findings", "recommendations", "about"]
    assert order[-1] == "annexes"
    figures = html.count("<figure id=\"f")
    assert html.count('<p class="message">') == figures >= 9


def test_screenshots_of_the_summary_findings_and_maps(built) -> None:  # type: ignore[no-untyped-def]
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian chromium missing: run scripts/browser")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium),
                                    args=["--no-sandbox", "--headless", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.goto((built["dir"] / "index.html").as_uri())
        page.screenshot(path=str(SHOTS / "01-first-screen.png"))
        for name, selector in (("02-summary", "section[aria-labelledby='summary']"),
                               ("03-key-findings", "section[aria-labelledby='key-findings']"),
                               ("04-recommendations",
                                "section[aria-labelledby='recommendations']"),
                               ("05-rate-map", "#f6-1-map"), ("06-hot-spots", "#f6-3-gi"),
                               ("07-density", "#f6-2-kde"), ("08-funnel", "#f4-2-funnel")):
            page.locator(selector).first.screenshot(path=str(SHOTS / f"{name}.png"))
        browser.close()
    for png in SHOTS.glob("0*.png"):
        assert png.stat().st_size > 5_000, png.name
