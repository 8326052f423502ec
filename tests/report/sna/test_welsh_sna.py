"""The whole SNA in Welsh (index.cy.html, sna.cy.docx, sna.cy.pdf) on small synthetic inputs:
the same built report put into Welsh, so the same numbers; every piece of English it leaves
marked ``lang="en"`` (HTML) or en-GB (Word), so the Welsh checker finds no unmarked English;
the renderers' own words in Welsh; and what is left listed in data/welsh_left.json."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest

from alliance.report.sna import write_sna
from alliance.report.sna.build import WELSH_DOCX, WELSH_HTML, WELSH_LEFT, WELSH_PDF
from tests.report.sna.conftest import make_inputs
from tests.report.sna.test_reader import _written
from tests.web.public.welsh import english_left, visible_text

NUMBER = re.compile(r"(?<![\w-])[−+-]?\d(?:[\d,]*\d)?(?:\.\d+)?%?")


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    first = tmp_path_factory.mktemp("english-first")
    write_sna(make_inputs(), first, period="2025", pdf=False)
    # the partnership's own words (which stay English, marked) beside what the tool drafts
    written = _written(
        first,
        ("summary", "t1-1-headlines", "Violence is concentrated in the north-west square.", {}),
        ("finding", "f-total", "Most violence is in one square.", {}))
    out = tmp_path_factory.mktemp("welsh-sna")
    result = write_sna(dataclasses.replace(make_inputs(), written=written), out,
                       period="2025", pdf=True)
    return {"out": out, "result": result,
            "en": (out / "index.html").read_text(encoding="utf-8"),
            "cy": (out / WELSH_HTML).read_text(encoding="utf-8"),
            "left": json.loads((out / "data" / WELSH_LEFT).read_text(encoding="utf-8"))}


def test_the_welsh_edition_is_written_beside_the_english(built) -> None:  # type: ignore[no-untyped-def]
    files = built["result"].files
    for name in (WELSH_HTML, WELSH_DOCX, WELSH_PDF, f"data/{WELSH_LEFT}"):
        assert name in files and files[name].stat().st_size > 0
    assert built["cy"].startswith('<!DOCTYPE html><html lang="cy">')
    assert (built["out"] / WELSH_PDF).read_bytes().startswith(b"%PDF")
    # the page's own words are Welsh
    for words in ("Neidio i'r prif gynnwys", "Cynnwys", "Tabl 1", "Ffigur 1", "Ffynhonnell:"):
        assert words in built["cy"]


class _Sections(HTMLParser):
    """Every <section>'s heading text and lang, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h2", "h3", "h4"} and dict(attrs).get("id"):
            self._in = dict(attrs).get("lang") or ""
            self.headings.append(("", self._in))

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            text, lang = self.headings[-1]
            self.headings[-1] = (text + data, lang)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h2", "h3", "h4"}:
            self._in = None


def _headings(page: str) -> list[tuple[str, str]]:
    parser = _Sections()
    parser.feed(page)
    return [h for h in parser.headings if h[0] not in {"Contents", "Cynnwys"}]


def test_every_english_piece_left_is_marked_so_the_checker_finds_none(built) -> None:  # type: ignore[no-untyped-def]
    """The checker of the Welsh public pages, on the whole Welsh SNA: what is not marked
    English has no English words in it but proper names."""
    names = ["Testshire", "North Testshire", "South Testshire", "police.uk", "data.police.uk",
             "Getis", "Ord", "Lorenz", "Kendall", "figures.json",
             "alliance load indicators --from PATH"]  # a command, typed as it is
    names += [f"Testshire {i:03d}A" for i in range(9)]
    assert english_left(built["cy"], names=names, catalogue=[]) == []
    # and the checker does find English when it is not marked (so the test can fail)
    unmarked = built["cy"].replace(' lang="en"', "")
    if built["left"]["words_left"]:
        assert english_left(unmarked, names=names, catalogue=[]) != []


def test_the_welsh_edition_has_the_same_sections_and_numbers(built) -> None:  # type: ignore[no-untyped-def]
    en, cy = _headings(built["en"]), _headings(built["cy"])
    assert len(en) == len(cy) and len(en) > 15
    assert cy[0] == ("Crynodeb gweithredol", "")
    # the same numbers, table by table (cells formatted once, by the same functions)
    for table_en, table_cy in zip(re.findall(r"<tbody>.*?</tbody>", built["en"], re.S),
                                  re.findall(r"<tbody>.*?</tbody>", built["cy"], re.S),
                                  strict=True):
        assert NUMBER.findall(re.sub(r"<[^>]+>", " ", table_en)) == \
            NUMBER.findall(re.sub(r"<[^>]+>", " ", table_cy))
    # every number in the Welsh text is one the English prints
    assert set(NUMBER.findall(visible_text(built["cy"]))) <= \
        set(NUMBER.findall(visible_text(built["en"]))) | {"1", "2", "3"}


def test_what_is_left_in_english_is_listed_and_is_the_partnerships_own_words(built) -> None:  # type: ignore[no-untyped-def]
    left = built["left"]
    summary = left["sections"][0]["english"]
    assert "Violence is concentrated in the north-west square." in summary
    assert '<li lang="en">Most violence is in one square.' in built["cy"]
    assert left["words_left"] == sum(s["words"] for s in left["sections"])
    assert left["sections"][0]["id"] == "summary"
    pieces = [p for s in left["sections"] for p in s["english"]]
    page = html.unescape(built["cy"])
    for piece in pieces:  # each listed piece is in the Welsh page (markdown aside)
        assert piece.split("\n")[0][:40] in page or "*" in piece or "[" in piece


def _docx_xml(path) -> str:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode() + z.read("word/styles.xml").decode()


def test_the_welsh_word_document_is_welsh_with_english_marked(built) -> None:  # type: ignore[no-untyped-def]
    xml = _docx_xml(built["out"] / WELSH_DOCX)
    english = _docx_xml(built["out"] / "sna.docx")
    assert '<w:lang w:val="cy-GB"/>' in xml and '<w:lang w:val="en-GB"/>' in english
    assert "Cynnwys" in xml and "Crynodeb gweithredol" in xml
    assert "SEQ Tabl" in xml and "SEQ Table" in english
    if built["left"]["words_left"]:  # what is English is marked so, run by run
        assert xml.count('w:val="en-GB"') > 0
