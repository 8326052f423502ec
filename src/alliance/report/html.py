"""Render a :class:`~alliance.report.document.Report` as one self-contained, accessible HTML page.

Follows the GOV.UK guidance *Publishing accessible documents* and WCAG 2.2 AA: a language
attribute, a skip link, one <h1> and nested headings, a contents list whose links resolve,
tables with <caption> and header scopes, every chart an inline SVG with <title>/<desc>, its
description in text and its data in a table beside it, and a print stylesheet (also used by
WeasyPrint for the PDF). No scripts, no external files.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from alliance.report.document import (
    Block,
    DataRequest,
    Figure,
    Finding,
    Notice,
    Paragraph,
    Provenance,
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


def _en(text: object, english: frozenset[str]) -> str:
    """' lang="en"' for text left in English in a report in another language."""
    return ' lang="en"' if isinstance(text, str) and text in english else ""


def table_html(data: pd.DataFrame, caption: str, *, formats: dict[str, str] | None = None,
               row_header: bool = True, english: frozenset[str] = frozenset(),
               caption_lang: str = "") -> str:
    """An accessible HTML table: caption, column headers with scope, row headers from the index.

    In a report in Welsh, ``english`` holds the text left in English: each heading or cell
    holding it is marked ``lang="en"`` (as is the caption, by ``caption_lang``)."""
    formats = formats or {}
    show_index = row_header and not isinstance(data.index, pd.RangeIndex)
    head = []
    if show_index:
        name = str(data.index.name or "")
        head.append(f'<th scope="col"{_en(name, english)}>{escape(name)}</th>')
    numeric = {c: _is_numeric(data[c]) for c in data.columns}
    for c in data.columns:
        cls = ' class="num"' if numeric[c] else ""
        head.append(f'<th scope="col"{cls}{_en(str(c), english)}>{escape(str(c))}</th>')
    rows = []
    for idx, row in data.iterrows():
        cells = ([f'<th scope="row"{_en(idx, english)}>{escape(str(idx))}</th>']
                 if show_index else [])
        for j, c in enumerate(data.columns):
            value = format_cell(row[c], formats.get(str(c)))
            lang = _en(row[c], english)
            if not show_index and j == 0 and row_header:
                cells.append(f'<th scope="row"{lang}>{escape(value)}</th>')
            else:
                cls = ' class="num"' if numeric[c] else ""
                cells.append(f"<td{cls}{lang}>{escape(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # a wide table scrolls inside its own box (focusable, named) so a phone's page never
    # scrolls sideways; print shows it whole
    lang = f' lang="{escape(caption_lang)}"' if caption_lang else ""
    return (f'<div class="table-wrap" role="region" tabindex="0" '
            f'aria-label="{escape(caption)}">'
            f"<table><caption{lang}>{escape(caption)}</caption><thead><tr>{''.join(head)}</tr>"
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


_LIST_ITEM = re.compile(r"^(\d+\.|-|\*) (.*)$")


def _paragraph(text: str, english: frozenset[str]) -> str:
    """Markdown text; in a report in Welsh each part (or list item) left in English is marked
    ``lang="en"``, as :func:`alliance.report.sna.translate.welsh_report` split it."""
    if not english:
        return _markdown(text)
    if text in english:
        return f'<div lang="en">{_markdown(text)}</div>'
    out = []
    for part in text.split("\n\n"):
        items = [_LIST_ITEM.match(line) for line in part.split("\n")]
        if part in english:
            out.append(f'<div lang="en">{_markdown(part)}</div>')
        elif all(items) and any(m[2] in english for m in items if m):
            tag = "ol" if items[0] and items[0][1][0].isdigit() else "ul"
            lis = [f"<li{_en(m[2], english)}>"
                   + _markdown(m[2]).removeprefix("<p>").removesuffix("</p>") + "</li>"
                   for m in items if m]
            out.append(f"<{tag}>" + "".join(lis) + f"</{tag}>")
        else:
            out.append(_markdown(part))
    return "\n".join(out)


def _source(p: Provenance, lang: str, english: frozenset[str]) -> str:
    """The line under a table, figure or finding, escaped, each English value marked."""
    def value(text: str) -> str:
        return f"<span{_en(text, english)}>{escape(text)}</span>" if text in english \
            else escape(text)
    return f'<p class="source">{p.line(lang=lang, words=escape, value=value)}</p>'


def _block(block: Block, labels: dict[str, str], lang: str = "en",
           english: frozenset[str] = frozenset()) -> str:
    w = _words(lang)
    if isinstance(block, Paragraph):
        return _paragraph(block.text, english)
    if isinstance(block, Notice):
        return f'<div class="notice" role="note">{_paragraph(block.text, english)}</div>'
    if isinstance(block, Finding):
        return (f'<div class="finding" id="{block.id}"><p><strong>{w["finding"]}:</strong> '
                f'<span{_en(block.text, english)}>{escape(block.text)}</span></p>'
                f"{_source(block.provenance, lang, english)}</div>")
    if isinstance(block, Table):
        caption = f"{labels[block.id]}: {block.caption}"
        body = table_html(block.data, caption, formats=dict(block.column_formats),
                          row_header=block.row_header, english=english,
                          caption_lang="en" if block.caption in english else "")
        return (f'<figure class="table" id="{block.id}">{body}'
                f"{_source(block.provenance, lang, english)}</figure>")
    if isinstance(block, Figure):
        label = labels[block.id]
        long = " long" if len(block.data) > PRINT_ROW_LIMIT else ""
        data = table_html(block.data, f"{w['data_for']} {label}: {block.caption}",
                          formats=dict(block.column_formats), english=english,
                          caption_lang="en" if block.caption in english else "")
        message = (f'<p class="message"{_en(block.message, english)}>'
                   f"{escape(block.message)}</p>" if block.message else "")
        # a drawing in a report in another language keeps the labels it was drawn with
        svg = (block.svg.replace("<svg", '<svg lang="en"', 1) if english and lang[:2] != "en"
               else block.svg)
        return (f'<figure id="{block.id}">{message}{svg}'
                f"<figcaption>{escape(label)}: <span{_en(block.caption, english)}>"
                f"{escape(block.caption)}</span></figcaption>"
                f'<p class="alt-text">{w["description"]}: <span{_en(block.alt_text, english)}>'
                f"{escape(block.alt_text)}</span></p>"
                f"{_source(block.provenance, lang, english)}</figure>"
                f'<details class="figure-data{long}"><summary>{w["data_for"]} {escape(label)}'
                f"</summary>{data}</details>")
    if isinstance(block, DataRequest):
        caption = f"{labels[block.id]}: {block.caption}"
        body = table_html(block.to_frame(lang=lang), caption, row_header=False,
                          english=english,
                          caption_lang="en" if block.caption in english else "")
        return f'<figure class="table" id="{block.id}">{body}</figure>'
    raise TypeError(f"cannot render block of type {type(block).__name__}")


def _contents(sections: tuple[Section, ...], english: frozenset[str] = frozenset()) -> str:
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
        out.append(f'<li><a href="#{s.id}"{_en(s.title, english)}>{escape(s.title)}</a>')
    while stack:
        out.append("</li></ol>")
        stack.pop()
    return "".join(out)


def render(report: Report, *, english: frozenset[str] = frozenset()) -> str:
    """The whole report as one HTML document (UTF-8 text).

    ``english``: in a report in another language (Welsh), the text left in English (see
    :func:`alliance.report.sna.translate.welsh_report`), each place it appears marked
    ``lang="en"`` so that a screen reader reads it as English (WCAG 2.2, 3.1.2)."""
    labels = report.numbers()
    w = _words(report.lang)
    parts = [f'<!DOCTYPE html><html lang="{escape(report.lang)}"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{escape(report.title)} – {escape(report.area)}</title>"
             f"<style>{CSS}{w['page']}</style></head><body>",
             f'<a class="skip-link" href="#main">{w["skip"]}</a>',
             f"<header><h1{_en(report.title, english)}>{escape(report.title)}</h1>"]
    if report.subtitle:
        parts.append(f'<p class="meta"{_en(report.subtitle, english)}>'
                     f"{escape(report.subtitle)}</p>")
    # the area once: the subtitle names it when it leads with it
    lead = [] if report.subtitle.startswith(report.area) else [escape(report.area)]
    parts.append('<p class="meta">' + " · ".join(
        [*lead, escape(report.period),
         *([f"{w['published']} {escape(report.published)}"] if report.published else [])])
        + "</p></header>")
    parts.append(f'<nav class="toc" aria-labelledby="contents"><h2 id="contents">'
                 f'{w["contents"]}</h2>{_contents(report.sections, english)}</nav>')
    parts.append('<main id="main" tabindex="-1">')
    for section in report.sections:
        h = section.level + 1
        parts.append(f'<section aria-labelledby="{section.id}">'
                     f'<h{h} id="{section.id}"{_en(section.title, english)}>'
                     f"{escape(section.title)}</h{h}>")
        parts.extend(_block(b, labels, report.lang, english) for b in section.blocks)
        parts.append("</section>")
    parts.append(f"</main><footer><p>{w['footer']}</p></footer></body></html>")
    return "\n".join(parts)
