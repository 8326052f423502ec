"""Reading free text from CSV and plain-text files: good files, and every refusal named."""

from __future__ import annotations

import pytest

from alliance.voice.themes import reading
from alliance.voice.themes.reading import FreeTextError, csv_columns, read_free_text


def test_csv_column_is_read_with_line_numbers_as_ids() -> None:
    data = (b"respondent,answer,age\n1,More youth clubs,16\n2,,17\n"
            b'3,"Better lighting,\nand CCTV",15\n4,  Police   on foot ,18\n')
    found = read_free_text(data, name="survey.csv", column="answer")
    assert found.texts == ("More youth clubs", "Better lighting, and CCTV", "Police on foot")
    assert found.ids == ("2", "4", "6")  # the line each record starts on
    assert found.skipped_blank == 1 and found.column == "answer" and found.format == "csv"
    assert csv_columns(data, name="survey.csv") == ["respondent", "answer", "age"]


def test_a_single_column_csv_needs_no_column_and_a_bom_is_fine() -> None:
    found = read_free_text("\ufeffnotes\nfirst\nsecond\n".encode(), name="notes.csv")
    assert found.texts == ("first", "second") and found.column == "notes"


def test_plain_text_is_one_text_per_line() -> None:
    found = read_free_text(b"first note\n\n  second   note\n\n\n", name="workshop.txt")
    assert found.texts == ("first note", "second note")
    assert found.ids == ("1", "3") and found.skipped_blank == 1


@pytest.mark.parametrize(("data", "name", "column", "message"), [
    (b"a,b\n1,2,3\n", "x.csv", "a", r"x.csv, line 2: 3 fields where the header has 2"),
    (b"a,b\n1,2\n", "x.csv", None, r"x.csv: choose the column .* 'a', 'b'"),
    (b"a,b\n1,2\n", "x.csv", "c", r"x.csv, line 1: no column 'c'"),
    (b"ok\nfine\n\xff\xfe broken\n", "x.txt", None, r"x.txt, line 3: not UTF-8"),
    (b"ok\nbad\x00byte\n", "x.txt", None, r"x.txt, line 2: contains a NUL byte"),
    (b"", "x.txt", None, r"x.txt: no text found"),
    (b"answer\n\n \n", "x.csv", "answer", r"x.csv: no text found in column 'answer'"),
    (b"a\n\"unterminated\n", "x.csv", "a", r"x.csv, line 2: malformed CSV"),
    (b"PK\x03\x04....", "x.csv", None, r"compressed archive"),
    (b"hello", "x.xlsx", None, r"x.xlsx: upload a .csv file"),
])
def test_bad_files_are_refused_with_file_and_line(data: bytes, name: str, column: str | None,
                                                   message: str) -> None:
    with pytest.raises(FreeTextError, match=message):
        read_free_text(data, name=name, column=column)


def test_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FreeTextError, match=r"x\.txt, line 2: the text is 5,001 characters"):
        read_free_text(b"short\n" + b"a" * 5001 + b"\n", name="x.txt")
    monkeypatch.setattr(reading, "MAX_TEXTS", 2)
    with pytest.raises(FreeTextError, match=r"x\.txt, line 3: more than 2 texts"):
        read_free_text(b"a\nb\nc\n", name="x.txt")
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    with pytest.raises(FreeTextError, match="the limit is 0 MB"):
        read_free_text(b"a" * 11, name="x.txt")
