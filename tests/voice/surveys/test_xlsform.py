"""XLSForm import and export: the subset round-trips, ODK's reader accepts what we write, and
everything outside the subset is refused naming the row and the feature."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from alliance.voice.surveys import XLSFormError, load_definition, read_xlsform, write_xlsform
from alliance.voice.surveys.xpath import XPathError, parse_relevant, write_relevant
from tests.voice.surveys.test_definition import example


def workbook(rows: list[list[str]], choices: list[list[str]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    if choices is not None:
        c = book.create_sheet("choices")
        for row in choices:
            c.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_round_trip_of_the_example() -> None:
    original = load_definition(example())
    again = read_xlsform(write_xlsform(original), filename="feeling_safe.xlsx")
    assert again.title == original.title
    assert [(q.id, q.type, q.required, q.show_if, q.page, q.choices, q.demographic)
            for q in again.questions] == [
        (q.id, q.type, q.required, q.show_if, q.page, q.choices, q.demographic)
        for q in original.questions]


def test_what_we_write_is_a_valid_xlsform_for_odk() -> None:
    content = write_xlsform(load_definition(example()))
    form = workbook_to_json(get_xlsform(io.BytesIO(content)), form_name="f", warnings=[])
    names = [c["name"] for c in form["children"]]
    assert "unsafe_place" in names and "worries" in names


def test_text_starting_with_equals_is_written_as_text_not_a_formula() -> None:
    raw = example()
    raw["questions"][0]["label"] = "=HYPERLINK(\"http://x\")"
    content = write_xlsform(load_definition(raw))
    cell = openpyxl.load_workbook(io.BytesIO(content))["survey"]["C2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\")", "s")
    again = read_xlsform(content, filename="f.xlsx")
    assert again.questions[0].label == "=HYPERLINK(\"http://x\")"


HEADER = ["type", "name", "label", "relevant", "required", "constraint"]
YN = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]


def test_a_kobo_style_form_reads() -> None:
    content = workbook([HEADER,
                        ["start", "start", "", "", "", ""],
                        ["select_one yn", "safe", "Do you feel safe?", "", "yes", ""],
                        ["begin_group", "more", "More", "${safe} = 'no'", "", ""],
                        ["integer", "times", "How many times?", "", "", ". >= 0 and . <= 50"],
                        ["text", "why", "Why?", "${times} != ''", "", ""],
                        ["end_group", "", "", "", "", ""],
                        ["geopoint", "where", "Where?", "", "", ""]], YN)
    d = read_xlsform(content, filename="kobo.xlsx")
    assert [q.id for q in d.questions] == ["safe", "times", "why", "where"]
    assert d.question("times").max == 50 and d.question("times").integer
    assert d.question("why").show_if == {"all": [{"question": "safe", "equals": "no"},
                                                 {"question": "times", "answered": True}]}
    assert d.question("where").type == "pin"


@pytest.mark.parametrize(("rows", "words"), [
    ([HEADER, ["calculate", "c", "C", "", "", ""]], "survey row 2 (c): the question type"),
    ([HEADER, ["text", "a", "A", "", "", ""], ["image", "pic", "Photo", "", "", ""]],
     "survey row 3 (pic): the question type 'image' is not supported"),
    ([HEADER, ["select_one yn", "a", "A", "", "", ""],
      ["text", "b", "B", "${a} > 'x'", "", ""]], "row 3 (b): relevant"),
    ([HEADER, ["select_one yn", "a", "A", "", "", ""],
      ["text", "b", "B", "${a} = 'maybe'", "", ""]], "'maybe' is not a choice of 'a'"),
    ([HEADER, ["text", "b", "B", "${zz} = 'x'", "", ""]], "[row : 2]"),
    ([HEADER, ["text", "b", "B", "${c} = 'x'", "", ""], ["select_one yn", "c", "C", "", "", ""]],
     "'c' is not an earlier question"),
    ([HEADER, ["begin_repeat", "r", "R", "", "", ""], ["text", "b", "B", "", "", ""],
      ["end_repeat", "", "", "", "", ""]], "repeat"),
    ([HEADER, ["integer", "n", "N", "", "", ". mod 2 = 0"]], "constraint '. mod 2 = 0'"),
    ([HEADER, ["select_one missing", "a", "A", "", "", ""]], "missing"),
])
def test_outside_the_subset_is_refused_by_row(rows: list[list[str]], words: str) -> None:
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(workbook(rows, YN), filename="f.xlsx")
    assert words in str(caught.value)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken zip", b"\xff\xfe garbage" * 50,
                                     "type,name,label\nbogus,\u00e9,x".encode("cp1252")])
def test_broken_files_are_refused(content: bytes) -> None:
    with pytest.raises(XLSFormError, match=r"f\.xlsx"):
        read_xlsform(content, filename="f.xlsx")


def test_relevant_subset_round_trips() -> None:
    for text in ("${a} = 'x'", "selected(${b}, 'y') and not(${a} != 'x')",
                 "(${a} = 'x' or ${a} = 'y') and ${c} != ''"):
        cond = parse_relevant(text)
        assert parse_relevant(write_relevant(cond)) == cond
    assert parse_relevant("string-length(${t}) > 0") == {"question": "t", "answered": True}
    for bad in ("${a} + 1", "count(${a}) = 1", "${a} = 'x' and", "'x'"):
        with pytest.raises(XPathError):
            parse_relevant(bad)
