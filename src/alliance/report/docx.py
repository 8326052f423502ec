"""Render a :class:`~alliance.report.document.Report` as an editable Word document.

Uses Word's own styles (Title, Heading 1–3, Caption, List Bullet and a table style) so that the
navigation pane, the table of contents (a real TOC field, updated when the document is opened)
and "Insert caption" numbering (SEQ fields) work for the analyst who edits the draft. A
partnership's own template (.docx or .dotx saved as .docx) can be given: its styles, page set-up
and headers/footers are kept and its body text replaced.

Charts are embedded as SVG (Word 2016+ and LibreOffice 7+ show it sharp) with a PNG fallback for
older readers, made with ``rsvg-convert`` when it is installed, otherwise a plain placeholder
that says where the chart is. Every picture carries its alternative text.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from alliance.report.document import (
    DataRequest,
    Figure,
    Finding,
    Notice,
    Paragraph,
    Report,
    Table,
)
from alliance.report.html import PRINT_ROW_LIMIT
from alliance.report.wording import format_cell

FIGURE_WIDTH_CM = 16.0
_SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")
#: a Markdown link: Word shows its text (the report's links point inside the web page)
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_NUMBERED = re.compile(r"^\s*\d+[.)] ")
_ITEM = re.compile(r"^\s*(?:[-*]|\d+[.)]) (.*)$")

#: the document's own words, by the report's language
WORDS = {
    "en": {"lang": "en-GB", "published": "published", "contents": "Contents",
           "toc": "Right-click and choose Update Field to build the table of contents.",
           "finding": "Finding", "table": "Table", "figure": "Figure", "data_for": "Data for",
           "rows": "The {n} rows of data for {label} are in figures.json.",
           "chart": "{label}: open in Word 2016 or later to see the chart"},
    "cy": {"lang": "cy-GB", "published": "cyhoeddwyd", "contents": "Cynnwys",
           "toc": "De-gliciwch a dewis Diweddaru Maes i lunio'r tabl cynnwys.",
           "finding": "Canfyddiad", "table": "Tabl", "figure": "Ffigur",
           "data_for": "Data ar gyfer",
           "rows": "Mae {n} rhes o ddata {label} yn figures.json.",
           "chart": "{label}: agorwch yn Word 2016 neu'n ddiweddarach i weld y siart"},
}


def _set_lang(element: BaseOxmlElement, tag: str) -> None:
    """Give every run under ``element`` the language ``tag`` (so Word's proofing and a
    screen reader read it as that language)."""
    for r in element.iter(qn("w:r")):
        r_pr = r.get_or_add_rPr()
        for old in r_pr.findall(qn("w:lang")):
            r_pr.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        r_pr.append(lang)


def _default_lang(document: docx.document.Document, tag: str) -> None:
    """The document's default language (docDefaults), as Word's File > Options sets it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    r_pr = rpr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        rpr_default.append(r_pr)
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    r_pr.append(lang)


class _English:
    """Marks what a report in another language left in English (``lang`` en-GB)."""

    def __init__(self, document: docx.document.Document, english: frozenset[str]) -> None:
        self.body = document.element.body
        self.english = english
        self.start = len(self.body)

    def mark(self, text: str) -> None:
        """Mark what was added since the last call if ``text`` is English; start afresh."""
        if self.english and text in self.english:
            for element in list(self.body)[self.start:]:
                _set_lang(element, "en-GB")
        self.start = len(self.body)

    def skip(self) -> None:
        self.start = len(self.body)


def _ensure_styles(document: docx.document.Document, table_style: str) -> str:
    """Add any style a user template lacks, so rendering never fails on a custom template."""
    styles = document.styles
    names = {s.name for s in styles}
    for level in (1, 2, 3):
        name = f"Heading {level}"
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.bold = True
            style.font.size = Pt({1: 16, 2: 13, 3: 12}[level])
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            style.element.get_or_add_pPr().append(outline)
    for name, italic in (("Caption", False), ("Title", False), ("List Bullet", False),
                         ("List Number", False)):
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.bold = not name.startswith("List")
            style.font.italic = italic
    if table_style in names:
        return table_style
    found = next((n for n in ("Table Grid", "Light List Accent 1", "Normal Table") if n in names),
                 None)
    if found is None:
        found = styles.add_style(table_style, WD_STYLE_TYPE.TABLE).name
    return found


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (TOC, SEQ …) with a result Word replaces when fields are updated."""
    def char(kind: str) -> BaseOxmlElement:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _inline_markdown(paragraph: DocxParagraph, text: str) -> None:
    text = _LINK.sub(lambda m: m.group(1), text)
    for piece in _INLINE.split(text):
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        elif piece:
            paragraph.add_run(piece)


def _markdown(document: docx.document.Document, text: str) -> None:
    """Paragraphs, bullet and numbered lists, bold, italic and links (as their text): the
    Markdown analysts use in narratives and the partnership in its own words."""
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = chunk.splitlines()
        if all(re.match(r"^\s*[-*] ", ln) for ln in lines):
            for ln in lines:
                _inline_markdown(document.add_paragraph(style="List Bullet"),
                                 re.sub(r"^\s*[-*] ", "", ln))
        elif all(_NUMBERED.match(ln) for ln in lines):
            for ln in lines:
                _inline_markdown(document.add_paragraph(style="List Number"),
                                 _NUMBERED.sub("", ln))
        else:
            _inline_markdown(document.add_paragraph(), " ".join(ln.strip() for ln in lines))


def _paragraphs(document: docx.document.Document, text: str, english: _English) -> None:
    """:func:`_markdown` part by part (and list item by item), each marked if English."""
    english.skip()
    if not english.english or text in english.english:
        _markdown(document, text)
        english.mark(text)
        return
    for part in re.split(r"\n\s*\n", text.strip()):
        lines = part.splitlines()
        if part not in english.english and all(_ITEM.match(ln) for ln in lines):
            for ln in lines:  # one list paragraph each
                _markdown(document, ln)
                m = _ITEM.match(ln)
                english.mark(m[1] if m else ln)
        else:
            _markdown(document, part)
            english.mark(part)


def _caption(document: docx.document.Document, kind: str, label: str, caption: str) -> None:
    p = document.add_paragraph(style="Caption")
    p.add_run(f"{kind} ")
    _field(p, f"SEQ {kind} \\* ARABIC", label.split()[-1])
    p.add_run(f": {caption}")


def _source(document: docx.document.Document, line: str) -> None:
    run = document.add_paragraph().add_run(line)
    run.font.size = Pt(8.5)


def _table(document: docx.document.Document, data: pd.DataFrame, style: str,
           formats: dict[str, str], row_header: bool = True,
           english: frozenset[str] = frozenset()) -> None:
    show_index = row_header and not isinstance(data.index, pd.RangeIndex)
    headers = ([str(data.index.name or "")] if show_index else []) + [str(c) for c in data.columns]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles[style]
    for cell, name in zip(table.rows[0].cells, headers, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
        if name in english:
            _set_lang(cell._tc, "en-GB")
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")  # repeat the header row on each page
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for idx, row in data.iterrows():
        raw = ([idx] if show_index else []) + [row[c] for c in data.columns]
        values = ([str(idx)] if show_index else []) + [
            format_cell(row[c], formats.get(str(c))) for c in data.columns]
        cells = table.add_row().cells
        for k, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if english and isinstance(raw[k], str) and raw[k] in english:
                _set_lang(cell._tc, "en-GB")
            is_number = bool(re.fullmatch(r"[−+\-]?[\d,.]+%?|\[c\]", value))
            if is_number and k > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _fallback_png(svg: str, message: str) -> bytes:
    converter = shutil.which("rsvg-convert")
    if converter:
        done = subprocess.run([converter, "--format=png", "--zoom=2"], input=svg.encode(),
                              capture_output=True, check=False, timeout=60)
        if done.returncode == 0 and done.stdout:
            return done.stdout
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 300), "white")
    ImageDraw.Draw(image).text((20, 140), message, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _figure(document: docx.document.Document, figure: Figure, label: str,
            placeholder: str) -> None:
    fallback = _fallback_png(figure.svg, placeholder)
    paragraph = document.add_paragraph()
    inline_run = paragraph.add_run()
    inline_run.add_picture(io.BytesIO(fallback), width=Cm(FIGURE_WIDTH_CM))
    package = document.part.package
    part = Part(PackURI(package.next_partname("/word/media/image%d.svg")), "image/svg+xml",
                figure.svg.encode("utf-8"), package)
    rel_id = document.part.relate_to(part, RT.IMAGE)
    blip = inline_run._r.xpath(".//a:blip")[0]
    blip.append(parse_xml(
        '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<a:ext uri="{_SVG_EXT_URI}"><asvg:svgBlip '
        'xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:embed="{rel_id}"/></a:ext></a:extLst>'))
    doc_pr = inline_run._r.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", figure.alt_text)
    doc_pr.set("title", figure.caption)


def render(report: Report, path: Path, *, template: Path | None = None,
           table_style: str = "Table Grid", english: frozenset[str] = frozenset()) -> Path:
    """Write the report as .docx at ``path``; ``template`` is a .docx whose styles are used.

    A report in Welsh (``lang`` 'cy') is written in Welsh, its default language cy-GB, with
    the text it left in English (``english``) marked en-GB."""
    if template is not None:
        template = Path(template)
        if not template.is_file():
            raise FileNotFoundError(f"Word template not found: {template}")
        document = docx.Document(str(template))
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    else:
        document = docx.Document()
    table_style = _ensure_styles(document, table_style)
    labels = report.numbers()
    w = WORDS.get(report.lang[:2], WORDS["en"])
    _default_lang(document, w["lang"])
    en = _English(document, english)

    document.add_paragraph(report.title, style="Title")
    en.mark(report.title)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
        en.mark(report.subtitle)
    document.add_paragraph(f"{report.area} · {report.period}"
                           + (f" · {w['published']} {report.published}" if report.published
                              else ""))
    # "TOC Heading" looks like Heading 1 but is not listed in the contents itself.
    toc_style = "TOC Heading" if "TOC Heading" in {s.name for s in document.styles} else None
    document.add_paragraph(w["contents"], style=toc_style or "Heading 1")
    _field(document.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', w["toc"])
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    lang = report.lang

    for section in report.sections:
        en.skip()
        document.add_heading(section.title, level=section.level)
        en.mark(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _paragraphs(document, block.text, en)
            elif isinstance(block, Notice):
                document.add_paragraph().add_run(block.text).bold = True
                en.mark(block.text)
            elif isinstance(block, Finding):
                p = document.add_paragraph()
                p.add_run(f"{w['finding']}: ").bold = True
                run = p.add_run(block.text)
                if block.text in english:
                    _set_lang(run._r, "en-GB")
                _source(document, block.provenance.line(lang=lang))
            elif isinstance(block, Table):
                en.skip()
                _caption(document, w["table"], labels[block.id], block.caption)
                en.mark(block.caption)
                _table(document, block.data, table_style, dict(block.column_formats),
                       block.row_header, english)
                _source(document, block.provenance.line(lang=lang))
            elif isinstance(block, Figure):
                en.skip()
                if block.message:
                    document.add_paragraph().add_run(block.message).bold = True
                    en.mark(block.message)
                _figure(document, block, labels[block.id],
                        w["chart"].format(label=labels[block.id]))
                _caption(document, w["figure"], labels[block.id], block.caption)
                en.mark(block.caption)
                _source(document, block.provenance.line(lang=lang))
                if len(block.data) <= PRINT_ROW_LIMIT:
                    document.add_paragraph(f"{w['data_for']} {labels[block.id]}",
                                           style="Caption")
                    _table(document, block.data, table_style, dict(block.column_formats),
                           english=english)
                else:
                    _source(document, w["rows"].format(n=len(block.data),
                                                       label=labels[block.id]))
            elif isinstance(block, DataRequest):
                en.skip()
                _caption(document, w["table"], labels[block.id], block.caption)
                en.mark(block.caption)
                _table(document, block.to_frame(lang=lang), table_style, {},
                       row_header=False, english=english)
            else:
                raise TypeError(f"cannot render block of type {type(block).__name__}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
