"""A checker for English left on a Welsh page: the visible text (not scripts or styles, and not
inside an element marked as another language than the page's, such as ``lang="en"``), with
proper names taken out, searched for common English words that are not also Welsh, and for
any English text of the public pages' catalogue."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: common English words that are not Welsh words too ("a", "i", "am", "at", "is", "we", "map" are)
_WORDS = """
the and of to are was were be been for with by this that these those from on it its
or not our you your which has have had all each per what where how when who can will
more than into about only also their there they them here other some most less such any
offences offence rate rates residents resident year years month months hidden hide
neighbourhood neighbourhoods spot spots table tables show period area areas district
category summary assessment download change violence police figures figure number numbers
small large between likely interval worked whole published publish read see statement
website page pages contact email working days before after rise fall clear lower higher
cold hot skip main content language support links accessibility serious partnership
"""
ENGLISH = frozenset(_WORDS.split())
SKIP_TAGS = {"script", "style", "title", "desc", "head"}
WORD = re.compile(r"[A-Za-zÀ-ÿŵŷŴŶ']+")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []
        self.page_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "rect", "path", "circle",
                   "line", "polygon", "polyline", "use", "source"}:
            return
        lang = dict(attrs).get("lang")
        if tag == "html":  # the page's language: parts in another language are not checked
            self.page_lang = (lang or "")[:2]
            lang = None
        hidden = (tag in SKIP_TAGS or (lang is not None and lang[:2] != self.page_lang)
                  or (bool(self.stack) and self.stack[-1][1]))
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.text.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(" ".join(parser.text).split())


def without_names(text: str, names: list[str]) -> str:
    """``text`` with each proper name taken out, whole words only and ignoring case (maps letter
    district names in capitals); names of under three letters are left, so that a stray code
    cannot blank out the page."""
    for name in sorted({n.strip() for n in names}, key=len, reverse=True):
        if len(name) >= 3:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


def english_left(page: str, *, names: list[str], catalogue: list[str]) -> list[str]:
    """English words and catalogue strings on ``page`` once the proper ``names`` are taken
    out (longest first, so 'West Northamptonshire 032E' goes before 'Northamptonshire')."""
    text = without_names(visible_text(page), names)
    found = sorted({f"{w} (in '…{text[max(0, m.start() - 30):m.end() + 30]}…')"
                    for m in WORD.finditer(text) if (w := m.group(0)).lower() in ENGLISH})
    found += [s for s in catalogue if len(s) > 12 and s in text]
    return found
