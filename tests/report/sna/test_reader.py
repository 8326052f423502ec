"""The SNA in the reader's order, on small synthetic inputs: the summary, key findings and the
partnership's recommendations first, the annexes last; a summary in plain words; every chart
with a sentence saying what it shows; the partnership's own words placed, and flagged when the
numbers they rest on change, as narratives are."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import docx
import pytest

from alliance.report.document import Figure, Notice, Paragraph
from alliance.report.sna import build_report, section, write_sna
from alliance.report.written import WrittenText, baseline_of, entry_fingerprint, label_of
from tests.report.sna.conftest import make_inputs

ANNEXES = ["annexes", "methods", "data-currency", "definition", "suppression", "licences",
           "batches", "glossary"]
#: method words that belong in the chapters and annexes, not the summary
JARGON = re.compile(r"quasi-Poisson|Gi\*|Getis|Benjamini|p = |z-score|phi|Poisson|CI ")


def _written(report_dir: Path, *items: tuple[str, str, str, dict[str, str]]
             ) -> tuple[WrittenText, ...]:
    """Texts written against the build in ``report_dir`` (as the workspace captures them
    from its figures.json): (kind, cites, text, extra fields)."""
    figures = json.loads((report_dir / "data" / "figures.json").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in figures["figures"]}
    out = []
    for n, (kind, cites, text, extra) in enumerate(items, start=1):
        entry = entries[cites]
        out.append(WrittenText(key=f"{kind}-{n}", kind=kind, text=text,  # type: ignore[arg-type]
                               cites=cites, fingerprint=entry_fingerprint(entry),
                               baseline=baseline_of(entry), cited_label=label_of(entry),
                               written="1 November 2026", **extra))
    return tuple(out)


def test_summary_findings_and_recommendations_come_first(inputs) -> None:  # type: ignore[no-untyped-def]
    ids = [s.id for s in build_report(inputs, period="2025").sections]
    assert ids[:4] == ["summary", "key-findings", "recommendations", "about"]
    assert ids[-len(ANNEXES):] == ANNEXES
    chapters = ids[4:-len(ANNEXES)]
    assert chapters[:3] == ["context", "overall", "core-measures"]
    assert "recommendations" not in chapters  # once, near the front


def test_the_draft_notice_opens_the_summary(inputs) -> None:  # type: ignore[no-untyped-def]
    first = build_report(inputs, period="2025-03:2025-08", draft=True).sections[0]
    assert first.id == "summary" and isinstance(first.blocks[0], Notice)


def test_the_summary_says_what_changed_where_and_for_whom_in_plain_words(inputs) -> None:  # type: ignore[no-untyped-def]
    summary = section(build_report(inputs, period="2025"), "summary")
    text = " ".join(b.text for b in summary.blocks if isinstance(b, Paragraph))
    assert text.startswith("In calendar year 2025, ")
    assert "Offences in January–December 2025 numbered" in text  # what changed
    assert "consistent with the figures" in text or "between" in text  # uncertainty in words
    assert "neighbourhoods" in text and "Testshire" in text  # where
    assert "Who the victims and suspects are" in text  # for whom (no deprivation ratio:
    # the least deprived tenth's count is hidden here; the real build says it)
    assert not JARGON.search(text), JARGON.search(text)
    table = next(b for b in summary.blocks if getattr(b, "id", "") == "t1-1-headlines")
    assert "Rate per 1,000 residents a year" in set(table.data["Measure"])


def test_key_findings_are_plain_and_link_to_their_chapter(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025")
    listed = section(report, "key-findings").blocks[-1].text
    items = listed.splitlines()
    assert items[0].startswith("1. ") and "(police.uk proxy)" in items[0]
    assert items[0].endswith("([The overall picture of serious violence](#f-total))")
    findings = {b.id for _, b in report.blocks() if b.__class__.__name__ == "Finding"}
    assert len(items) == len(findings)
    assert not any("quasi-Poisson" in i for i in items)


def test_every_chart_says_what_it_shows(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025")
    figures = [b for _, b in report.blocks() if isinstance(b, Figure)]
    assert len(figures) >= 8
    for f in figures:
        assert f.message.strip() and re.search(r"\d|[Nn]one|\bNo\b", f.message), (f.id, f.message)
    funnel = next(f for f in figures if f.id == "f4-2-funnel")
    assert "far above" in funnel.message and "far below" in funnel.message  # both sides
    assert "Above 99.8%" in funnel.svg and "Below 99.8%" in funnel.svg


def test_no_recommendations_yet_says_where_to_write_them(inputs) -> None:  # type: ignore[no-untyped-def]
    recs = section(build_report(inputs, period="2025"), "recommendations")
    assert "written in the workspace" in recs.blocks[0].text
    assert "narrative/recommendations.md" not in recs.blocks[0].text


def test_the_partnerships_words_are_placed_and_flagged_when_numbers_change(
        tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_sna(make_inputs(), first, period="2025", pdf=False)
    written = _written(
        first,
        ("summary", "t1-1-headlines", "Violence is concentrated in the north-west square.", {}),
        ("finding", "f-total", "Most violence is in one square.", {}),
        ("recommendation", "f-concentration", "Put **youth workers** in the north-west "
         "square.", {"owner": "Testshire Council", "measure": "Share in the busiest 10%"}),
        ("recommendation", "f-total", "Light the paths.",
         {"owner": "Testshire Police", "measure": "Offences a year"}))
    out = tmp_path / "again"
    again = write_sna(dataclasses.replace(make_inputs(), written=written), out, period="2025",
                      pdf=False)
    assert [c.status for c in again.written] == ["current"] * 4
    summary = section(again.report, "summary")
    assert [b.text for b in summary.blocks if isinstance(b, Paragraph)] == [
        "Violence is concentrated in the north-west square."]
    assert not any(isinstance(b, Notice) for b in summary.blocks)
    assert "1. Most violence is in one square. ([The overall picture" in \
        section(again.report, "key-findings").blocks[-1].text
    recs = section(again.report, "recommendations")
    body = "\n".join(b.text for b in recs.blocks if isinstance(b, Paragraph))
    assert "**Recommendation 1**\n\nPut **youth workers**" in body
    assert "- **Owner:** Testshire Council" in body
    assert "- **Baseline:** 22,000.0% " not in body  # values worded by their unit
    assert "- **Baseline:** " in body and "% of located offences (January 2025" in body
    assert "(#f-concentration)" in body
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<strong>youth workers</strong>" in page and 'href="#f-concentration"' in page
    words = [p.text for p in docx.Document(str(out / "sna.docx")).paragraphs]
    assert "Owner: Testshire Council" in words and not any("](#" in w for w in words)
    status = json.loads((out / "data" / "narrative_status.json").read_text(encoding="utf-8"))
    assert [w["status"] for w in status["written"]] == ["current"] * 4

    changed = write_sna(dataclasses.replace(make_inputs(monthly=(31, 12, 8, 6, 5, 4, 3, 2, 0)),
                                            written=written), out, period="2025", pdf=False)
    assert [c.status for c in changed.written] == ["changed"] * 4
    assert isinstance(section(changed.report, "summary").blocks[0], Notice)
    notices = [b.text for b in section(changed.report, "recommendations").blocks
               if isinstance(b, Notice)]
    assert len(notices) == 2 and notices[1].startswith("Recommendation 2: The numbers this "
                                                       "recommendation rests on have changed")
    assert "offences (January 2025 to December 2025) then" in notices[1]
    assert any(n.startswith("Finding 1: ") for n in
               (b.text for b in section(changed.report, "key-findings").blocks
                if isinstance(b, Notice)))


def test_a_text_whose_finding_left_the_report_is_flagged(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_sna(make_inputs(), first, period="2025", pdf=False)
    (rec,) = _written(first, ("recommendation", "f-total", "Light the paths.",
                              {"owner": "Testshire Police", "measure": "Offences a year"}))
    gone = dataclasses.replace(rec, cites="f-no-longer-drafted")
    report = build_report(dataclasses.replace(make_inputs(), written=(gone,)), period="2025")
    recs = section(report, "recommendations")
    assert isinstance(recs.blocks[1], Notice)
    assert "which is no longer in this report" in recs.blocks[1].text
    assert "(no longer in this report)" in recs.blocks[2].text


@pytest.mark.parametrize("kind", ["finding", "recommendation"])
def test_the_partnerships_words_may_rest_on_a_table(tmp_path: Path, kind: str) -> None:
    first = tmp_path / "first"
    write_sna(make_inputs(), first, period="2025", pdf=False)
    extra = {"owner": "Testshire Police", "measure": "Robberies a year"} \
        if kind == "recommendation" else {}
    written = _written(first, (kind, "t4-1-counts", "Robbery is steady.", extra))
    report = build_report(dataclasses.replace(make_inputs(), written=written), period="2025")
    target = "recommendations" if kind == "recommendation" else "key-findings"
    text = "\n".join(b.text for b in section(report, target).blocks
                     if isinstance(b, Paragraph))
    assert "Robbery is steady." in text and "(#t4-1-counts)" in text
