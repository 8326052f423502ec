"""Tests for alliance.report.docx: real Word styles, TOC and caption fields, SVG pictures with
alternative text, and a user template's styles honoured (checked by reopening the file with
python-docx)."""

from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.shared import RGBColor

from alliance.report import docx as report_docx
from alliance.report.document import Figure, Paragraph, Provenance, Report, Section


def test_sample_report_uses_word_styles(sample_report: Report, tmp_path: Path) -> None:
    path = report_docx.render(sample_report, tmp_path / "sna.docx")
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Title"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Executive summary", "The overall picture"]
    assert any(p.style.name == "TOC Heading" and p.text == "Contents" for p in document.paragraphs)
    assert any(p.style.name == "Heading 2" and p.text == "Concentration"
               for p in document.paragraphs)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Table 1: Offences by community safety partnership and quarter" in captions
    assert any(c.startswith("Figure 2: Rate per 1,000") for c in captions)
    assert document.tables and all(t.style.name == "Table Grid" for t in document.tables)
    body = document.element.body.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert "SEQ Table" in body and "SEQ Figure" in body
    assert "w:tblHeader" in body
    assert body.count("asvg:svgBlip") == 5
    descriptions = [d.get("descr") for d in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(descriptions) == 5 and all(descriptions)
    svg_parts = [p for p in document.part.package.iter_parts()
                 if p.content_type == "image/svg+xml"]
    assert len(svg_parts) == 5
    assert "updateFields" in document.settings.element.xml
    # formatted counts reach the Word table as text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "25,422" in cells


def test_user_template_is_honoured(tmp_path: Path) -> None:
    template = docx.Document()
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x8A, 0x1F, 0x11)
    template.styles["Normal"].font.name = "Georgia"
    template.add_paragraph("Template body text that must not survive")
    template_path = tmp_path / "partnership.docx"
    template.save(str(template_path))
    report = Report(title="SNA", area="A", period="2025", sections=(
        Section(id="s", title="Summary", blocks=(Paragraph(text="Some **bold** text."),)),))
    out = docx.Document(str(report_docx.render(report, tmp_path / "out.docx",
                                               template=template_path)))
    assert out.styles["Heading 1"].font.color.rgb == RGBColor(0x8A, 0x1F, 0x11)
    assert out.styles["Normal"].font.name == "Georgia"
    texts = [p.text for p in out.paragraphs]
    assert "Template body text that must not survive" not in texts
    bold = [r.text for p in out.paragraphs for r in p.runs if r.bold]
    assert "bold" in bold


def test_missing_template_is_named(tmp_path: Path) -> None:
    report = Report(title="SNA", area="A", period="2025", sections=())
    with pytest.raises(FileNotFoundError, match=r"nope\.docx"):
        report_docx.render(report, tmp_path / "x.docx", template=tmp_path / "nope.docx")


def test_placeholder_picture_without_rsvg(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Without rsvg-convert the SVG is still embedded, with a plain PNG fallback."""
    monkeypatch.setattr(report_docx.shutil, "which", lambda name: None)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" '
           'height="10"><title>t</title><desc>d</desc></svg>')
    figure = Figure(id="f", caption="Chart", svg=svg, alt_text="A chart",
                    data=pd.DataFrame({"x": [1]}), provenance=Provenance(source="test"))
    report = Report(title="SNA", area="A", period="2025", sections=(
        Section(id="s", title="S", blocks=(figure,)),))
    out = docx.Document(str(report_docx.render(report, tmp_path / "p.docx")))
    assert out.element.body.xml.count("asvg:svgBlip") == 1
