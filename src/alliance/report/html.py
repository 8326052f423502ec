"""Render a :class:`~alliance.report.document.Report` as one self-contained, accessible HTML page.

Follows the GOV.UK guidance *Publishing accessible documents* and WCAG 2.2 AA: a language
attribute, a skip link, one <h1> and nested headings, a contents list whose links resolve,
tables with <caption> and header scopes, every chart an inline SVG with <title>/<desc>, its
description in text and its data in a table beside it, and a print stylesheet (also used by
WeasyPrint for the PDF). No scripts, no external files.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from alliance.report.document import (
    Block,
    DataRequest,
    Figure,
    Finding,
    Notice,
    Paragraph,
    Report,
    Section,
    Table,
)
from alliance.report.narrative import markdown_html
from alliance.report.wording import format_cell

PRINT_ROW_LIMIT = 40

CSS = """
:root{--text:#0b0c0c;--muted:#505a5f;--line:#b1b4b6;--focus:#ffdd00;--link:#1d70b8}
body{font-family:Arial,Helvetica,sans-serif;color:var(--text);line-height:1.5;margin:0;
font-size:1.05rem}
.skip-link{position:absolute;left:-9999px;top:0;background:var(--focus);color:var(--text);
padding:.5rem 1rem}
.skip-link:focus{left:0;z-index:10}
header,main,nav.toc,footer{max-width:58rem;margin:0 auto;padding:0 1rem}
header{border-bottom:4px solid var(--link);padding-top:1.5rem;padding-bottom:1rem}
h1{font-size:2.2rem;line-height:1.15;margin:.2rem 0}
h2{font-size:1.6rem;margin-top:2.5rem;border-top:1px solid var(--line);padding-top:1rem}
h3{font-size:1.25rem;margin-top:2rem}h4{font-size:1.1rem}
a{color:var(--link)}a:focus{outline:3px solid var(--focus);background:var(--focus)}
.meta{color:var(--muted);margin:.2rem 0}
nav.toc ol{padding-left:1.4rem}nav.toc li{margin:.15rem 0}
nav.toc ol ol{list-style:none;padding-left:1rem}
figure{margin:1.5rem 0}
svg{max-width:100%;height:auto}
figcaption,caption{font-weight:bold;text-align:left;margin:.4rem 0}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
.table-wrap{max-width:100%;overflow-x:auto}.table-wrap:focus{outline:3px solid var(--focus)}
main{overflow-wrap:break-word}
th,td{border-bottom:1px solid var(--line);padding:.3rem .6rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--text)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.source,.alt-text{color:var(--muted);font-size:.88rem;margin:.3rem 0}
.message{font-weight:bold;font-size:1.1rem;margin:.2rem 0 .6rem}
.finding{border-left:6px solid var(--link);background:#f3f2f1;padding:.6rem 1rem;margin:1rem 0}
.notice{border:3px solid #d4351c;padding:.6rem 1rem;margin:1rem 0}
details{margin:.4rem 0 1rem}summary{cursor:pointer;color:var(--link)}
footer{color:var(--muted);font-size:.88rem;border-top:1px solid var(--line);margin-top:3rem;
padding-top:1rem;padding-bottom:2rem}
@media print{
 @page{size:A4;margin:18mm 16mm 20mm;@bottom-right{content:"Page " counter(page) " of "
 counter(pages);font-size:9pt;color:#505a5f;font-family:Arial,Helvetica,sans-serif}}
 body{font-size:10.5pt}.skip-link{display:none}a{color:var(--text);text-decoration:none}
 h2{break-before:page;border-top:none}h2,h3,h4{break-after:avoid}
 nav.toc h2{break-before:auto;margin-top:3rem}
 figure,table,.finding,details{break-inside:avoid}caption{break-after:avoid}
 details.long{display:none}.table-wrap{overflow:visible}
 nav.toc a::after{content:leader('.') target-counter(attr(href),page)}
 svg{max-height:200mm}
}
"""


def _markdown(text: str) -> str:
    return markdown_html(text)  # raw HTML escaped; only http(s), mailto and #links kept


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) or bool(
        series.map(lambda v: isinstance(v, int | float) or v == "[c]").all())


def table_html(data: pd.DataFrame, caption: str, *, formats: dict[str, str] | None = None,
               row_header: bool = True) -> str:
    """An accessible HTML table: caption, column headers with scope, row headers from the index."""
    formats = formats or {}
    show_index = row_header and not isinstance(data.index, pd.RangeIndex)
    head = []
    if show_index:
        head.append(f'<th scope="col">{escape(str(data.index.name or ""))}</th>')
    numeric = {c: _is_numeric(data[c]) for c in data.columns}
    for c in data.columns:
        cls = ' class="num"' if numeric[c] else ""
        head.append(f'<th scope="col"{cls}>{escape(str(c))}</th>')
    rows = []
    for idx, row in data.iterrows():
        cells = [f'<th scope="row">{escape(str(idx))}</th>'] if show_index else []
        for j, c in enumerate(data.columns):
            value = format_cell(row[c], formats.get(str(c)))
            if not show_index and j == 0 and row_header:
                cells.append(f'<th scope="row">{escape(value)}</th>')
            else:
                cls = ' class="num"' if numeric[c] else ""
                cells.append(f"<td{cls}>{escape(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # a wide table scrolls inside its own box (focusable, named) so a phone's page never
    # scrolls sideways; print shows it whole
    return (f'<div class="table-wrap" role="region" tabindex="0" '
            f'aria-label="{escape(caption)}">'
            f"<table><caption>{escape(caption)}</caption><thead><tr>{''.join(head)}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")


#: the page's own words, by the report's language (a summary in Welsh is printed in Welsh)
WORDS = {
    "en": {"finding": "Finding", "data_for": "Data for", "description": "Description",
           "skip": "Skip to main content", "contents": "Contents", "published": "published",
           "footer": "Made with Alliance. Every number's source, period, definition and "
                     "suppression status is listed in figures.json.", "page": ""},
    "cy": {"finding": "Canfyddiad", "data_for": "Data ar gyfer", "description": "Disgrifiad",
           "skip": "Neidio i'r prif gynnwys", "contents": "Cynnwys", "published": "cyhoeddwyd",
           "footer": "Gwnaed gydag Alliance. Mae ffynhonnell, cyfnod, diffiniad a statws atal "
                     "data pob rhif wedi'u rhestru yn figures.json.",
           # the printed page number, in place of the English of CSS above
           "page": '@media print{@page{@bottom-right{content:"Tudalen " counter(page) " o " '
                   "counter(pages)}}}"},
}


def _words(lang: str) -> dict[str, str]:
    return WORDS.get(lang[:2], WORDS["en"])


def _block(block: Block, labels: dict[str, str], lang: str = "en") -> str:
    w = _words(lang)
    if isinstance(block, Paragraph):
        return _markdown(block.text)
    if isinstance(block, Notice):
        return f'<div class="notice" role="note">{_markdown(block.text)}</div>'
    if isinstance(block, Finding):
        return (f'<div class="finding" id="{block.id}"><p><strong>{w["finding"]}:</strong> '
                f'{escape(block.text)}</p><p class="source">'
                f"{escape(block.provenance.line(lang=lang))}"
                "</p></div>")
    if isinstance(block, Table):
        caption = f"{labels[block.id]}: {block.caption}"
        body = table_html(block.data, caption, formats=dict(block.column_formats),
                          row_header=block.row_header)
        return (f'<figure class="table" id="{block.id}">{body}'
                f'<p class="source">{escape(block.provenance.line(lang=lang))}</p></figure>')
    if isinstance(block, Figure):
        label = labels[block.id]
        long = " long" if len(block.data) > PRINT_ROW_LIMIT else ""
        data = table_html(block.data, f"{w['data_for']} {label}: {block.caption}",
                          formats=dict(block.column_formats))
        message = (f'<p class="message">{escape(block.message)}</p>' if block.message
                   else "")
        return (f'<figure id="{block.id}">{message}{block.svg}'
                f"<figcaption>{escape(label)}: {escape(block.caption)}</figcaption>"
                f'<p class="alt-text">{w["description"]}: {escape(block.alt_text)}</p>'
                f'<p class="source">{escape(block.provenance.line(lang=lang))}</p></figure>'
                f'<details class="figure-data{long}"><summary>{w["data_for"]} {escape(label)}'
                f"</summary>{data}</details>")
    if isinstance(block, DataRequest):
        caption = f"{labels[block.id]}: {block.caption}"
        return (f'<figure class="table" id="{block.id}">'
                f"{table_html(block.to_frame(lang=lang), caption, row_header=False)}</figure>")
    raise TypeError(f"cannot render block of type {type(block).__name__}")


def _contents(sections: tuple[Section, ...]) -> str:
    """Nested ordered lists following the section levels (a sub-list sits inside its <li>)."""
    out: list[str] = []
    stack: list[int] = []
    for s in sections:
        if not stack or s.level > stack[-1]:
            out.append("<ol>")
            stack.append(s.level)
        else:
            out.append("</li>")
            while len(stack) > 1 and s.level < stack[-1]:
                out.append("</ol></li>")
                stack.pop()
        out.append(f'<li><a href="#{s.id}">{escape(s.title)}</a>')
    while stack:
        out.append("</li></ol>")
        stack.pop()
    return "".join(out)


def render(report: Report) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    labels = report.numbers()
    w = _words(report.lang)
    parts = [f'<!DOCTYPE html><html lang="{escape(report.lang)}"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{escape(report.title)} – {escape(report.area)}</title>"
             f"<style>{CSS}{w['page']}</style></head><body>",
             f'<a class="skip-link" href="#main">{w["skip"]}</a>',
             f"<header><h1>{escape(report.title)}</h1>"]
    if report.subtitle:
        parts.append(f'<p class="meta">{escape(report.subtitle)}</p>')
    # the area once: the subtitle names it when it leads with it
    lead = [] if report.subtitle.startswith(report.area) else [escape(report.area)]
    parts.append('<p class="meta">' + " · ".join(
        [*lead, escape(report.period),
         *([f"{w['published']} {escape(report.published)}"] if report.published else [])])
        + "</p></header>")
    parts.append(f'<nav class="toc" aria-labelledby="contents"><h2 id="contents">'
                 f'{w["contents"]}</h2>{_contents(report.sections)}</nav>')
    parts.append('<main id="main" tabindex="-1">')
    for section in report.sections:
        h = section.level + 1
        parts.append(f'<section aria-labelledby="{section.id}">'
                     f'<h{h} id="{section.id}">{escape(section.title)}</h{h}>')
        parts.extend(_block(b, labels, report.lang) for b in section.blocks)
        parts.append("</section>")
    parts.append(f"</main><footer><p>{w['footer']}</p></footer></body></html>")
    return "\n".join(parts)
