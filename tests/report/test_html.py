"""Tests for alliance.report.html on the sample report built from real police.uk numbers.

Reference: WCAG 2.2 AA and GOV.UK *Publishing accessible documents* (lang attribute, skip
link, heading order, contents links that resolve, text alternatives, table captions/scopes).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from alliance.report import html
from alliance.report.document import Paragraph, Report, Section


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.headings: list[int] = []
        self.stack: list[str] = []
        self.svg_titles: list[bool] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self.svg_titles.append(False)
        if tag == "title" and self.svg_titles and "svg" in self.stack:
            self.svg_titles[-1] = True
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass


@pytest.fixture(scope="module")
def page(sample_report: Report) -> str:
    return html.render(sample_report)


def test_document_structure(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in page
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "@media print" in page
    assert len(page) < 400_000


def test_anchors_resolve_and_ids_are_unique(page: str) -> None:
    parsed = _Collector()
    parsed.feed(page)
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids"
    for href in parsed.hrefs:
        if href.startswith("#"):
            assert href[1:] in parsed.ids, f"broken link {href}"
    for section in ("summary", "overall", "where", "hotspots", "gaps"):
        assert f'href="#{section}"' in page


def test_headings_do_not_skip_levels(page: str) -> None:
    parsed = _Collector()
    parsed.feed(page)
    assert parsed.headings[0] == 1 and parsed.headings.count(1) == 1
    for before, after in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert after <= before + 1


def test_every_svg_has_a_title_and_a_data_table(page: str) -> None:
    parsed = _Collector()
    parsed.feed(page)
    assert parsed.svg_titles and all(parsed.svg_titles)
    assert page.count("<svg") == 5
    assert page.count("<summary>Data for Figure") == 5
    assert page.count("<caption>") == 5 + 2  # five figure-data tables, two tables
    assert '<th scope="col"' in page and '<th scope="row"' in page


def test_provenance_and_suppression_shown(page: str) -> None:
    assert page.count("Source: police.uk street-level crime") >= 6
    assert "suppression:" in page


def test_markdown_is_rendered_and_raw_html_escaped() -> None:
    report = Report(title="T", area="A", period="P", sections=(
        Section(id="s", title="S", blocks=(
            Paragraph(text="**Bold** and <script>alert(1)</script>\n\n- one\n- two"),)),))
    page = html.render(report)
    assert "<strong>Bold</strong>" in page and "<li>one</li>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_nested_contents_list_is_valid() -> None:
    sections = tuple(Section(id=f"s{i}", title=f"S{i}", level=lv)
                     for i, lv in enumerate([1, 2, 3, 2, 1]))
    page = html.render(Report(title="T", area="A", period="P", sections=sections))
    toc = page[page.index('<nav'):page.index('</nav>')]
    assert toc.count("<ol>") == toc.count("</ol>") == 3
    assert toc.count("<li>") == toc.count("</li>") == 5
    assert "</ol><ol>" not in toc
