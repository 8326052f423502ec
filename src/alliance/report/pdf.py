"""Render the report's HTML to PDF with WeasyPrint, using the HTML's print stylesheet.

WeasyPrint draws the inline SVG itself (no browser needed) and fills the contents list's page
numbers from the ``target-counter`` rule in :data:`alliance.report.html.CSS`. The PDF is tagged
with the document language and title taken from the HTML.
"""

from __future__ import annotations

from pathlib import Path


def render(html: str, path: Path) -> Path:
    """Write ``html`` (from :func:`alliance.report.html.render`) as a PDF at ``path``."""
    if "<html" not in html[:500].lower():
        raise ValueError("render() expects a whole HTML document from alliance.report.html")
    from weasyprint import HTML  # imported here: loading WeasyPrint's fonts takes a moment

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path, pdf_tags=True)
    return path
