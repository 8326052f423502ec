"""Tests for alliance.report.narrative: analyst text survives regeneration, and is flagged when
the numbers beneath it change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from alliance.report import html
from alliance.report.document import Notice, Paragraph, Provenance, Report, Section, Table
from alliance.report.narrative import (
    apply_narratives,
    draft_narratives,
    load_narratives,
    section_fingerprint,
    write_narrative,
)

PROV = Provenance(source="police.uk")


def _report(corby: int) -> Report:
    table = Table(id="t", caption="Counts", provenance=PROV,
                  data=pd.DataFrame({"Offences": [corby, 40]}, index=["Corby", "Kettering"]))
    return Report(title="SNA", area="N", period="2025", sections=(
        Section(id="where", title="Where", blocks=(
            Paragraph(text="Drafted: Corby had the most."), table,
            Paragraph(text="Drafted second paragraph."))),
        Section(id="when", title="When", blocks=(Paragraph(text="Drafted timing."),)),
    ))


def test_narrative_replaces_drafted_text(tmp_path: Path) -> None:
    report = _report(50)
    write_narrative(tmp_path, report.sections[0], "Analyst: Corby **leads**.",
                    written=date(2026, 1, 5))
    result = apply_narratives(report, tmp_path)
    blocks = result.report.sections[0].blocks
    assert result.applied == ("where",) and result.stale == () and result.orphans == ()
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table"]
    assert blocks[0].text == "Analyst: Corby **leads**." and not blocks[0].drafted
    assert result.report.sections[1].blocks[0].text == "Drafted timing."
    assert "Analyst: Corby <strong>leads</strong>." in html.render(result.report)


def test_changed_numbers_flag_the_narrative(tmp_path: Path) -> None:
    write_narrative(tmp_path, _report(50).sections[0], "Corby had 50.",
                    written=date(2026, 1, 5))
    result = apply_narratives(_report(51), tmp_path)
    assert result.stale == ("where",)
    notice = result.report.sections[0].blocks[0]
    assert isinstance(notice, Notice) and "2026-01-05" in notice.text
    assert list(result.to_frame()["status"]) == ["stale"]
    # float noise below 10 significant digits is not a change
    def rate_section(value: float) -> Section:
        table = Table(id="r", caption="Rate", provenance=PROV,
                      data=pd.DataFrame({"Rate": [value]}, index=["Corby"]))
        return Section(id="rates", title="Rates", blocks=(table,))

    assert section_fingerprint(rate_section(0.1 + 0.2)) == section_fingerprint(rate_section(0.3))
    assert section_fingerprint(rate_section(0.3)) != section_fingerprint(rate_section(0.31))


def test_orphans_and_drafting(tmp_path: Path) -> None:
    report = _report(50)
    made = draft_narratives(report, tmp_path)
    assert sorted(p.name for p in made) == ["when.md", "where.md"]
    assert load_narratives(tmp_path)["where"].text == (
        "Drafted: Corby had the most.\n\nDrafted second paragraph.")
    assert draft_narratives(report, tmp_path) == []  # never overwrites the analyst's file
    (tmp_path / "old-section.md").write_text(
        "---\nsection: old-section\nfingerprint: x\n---\nGone.\n")
    assert apply_narratives(report, tmp_path).orphans == ("old-section",)


@pytest.mark.parametrize("content, message", [
    ("no front matter", "line 1"),
    ("---\nsection: where\nfingerprint: x\n", "not closed"),
    ("---\nsection where\n---\n", "line 2"),
    ("---\nsection: where\n---\n", "fingerprint"),
    ("---\nsection: when\nfingerprint: x\n---\n", "names section 'when'"),
])
def test_malformed_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "where.md").write_text(content)
    with pytest.raises(ValueError, match=message) as info:
        load_narratives(tmp_path)
    assert "where.md" in str(info.value)


def test_missing_folder_means_no_narratives(tmp_path: Path) -> None:
    assert load_narratives(tmp_path / "none") == {}
    with pytest.raises(ValueError, match="empty"):
        write_narrative(tmp_path, _report(1).sections[0], "  ")


# --- links: only http(s), mailto and in-document links stay live ----------------------------

HOSTILE_LINKS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "\tjavascript:alert(1)", "java\tscript:alert(1)", "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "&amp;#106;avascript:alert(1)",
    "javascript&colon;alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,x", "vbscript:msgbox(1)", "VBScript:msgbox(1)", "file:///etc/passwd",
    "//evil.example/x", "relative/page.html", "\u200bjavascript:alert(1)",
]


@pytest.mark.parametrize("target", HOSTILE_LINKS)
def test_hostile_link_targets_are_not_links(target: str) -> None:
    from alliance.report.narrative import markdown_html, safe_link

    assert not safe_link(target)
    for text in (f"See [x]({target}) now.", f"See [x][r] now.\n\n[r]: {target}",
                 f"![pic]({target})"):
        out = markdown_html(text)
        assert "<a " not in out and "<img" not in out, out
        assert "href" not in out and "src=" not in out, out


@pytest.mark.parametrize(("target", "expected"), [
    ("https://www.gov.uk/x", 'href="https://www.gov.uk/x"'),
    ("HTTP://example.org", 'href="HTTP://example.org"'),
    ("mailto:analyst@example.org", 'href="mailto:analyst@example.org"'),
    ("#where", 'href="#where"'),
])
def test_safe_links_stay_live(target: str, expected: str) -> None:
    from alliance.report.narrative import markdown_html

    out = markdown_html(f"Read [the guidance]({target}).")
    assert f"<a {expected}>the guidance</a>" in out


def test_link_text_survives_and_narrative_in_report_is_safe(tmp_path: Path) -> None:
    report = _report(50)
    write_narrative(tmp_path, report.sections[0],
                    "Click [here](javascript:alert(1)) or [the data](#t).")
    page = html.render(apply_narratives(report, tmp_path).report)
    assert "javascript:" not in page
    assert "<span>here</span>" in page and '<a href="#t">the data</a>' in page
