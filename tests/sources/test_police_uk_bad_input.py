"""Broken police.uk files are refused whole, naming file, line and field.

Each case is a broken copy of a real Northamptonshire file built in tmp_path. Both the row
reader (``read``) and the columnar path (``aggregate_lsoa_month``) must refuse it.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from alliance.sources.errors import SourceFileError
from alliance.sources.police_uk import aggregate_lsoa_month, discover, read
from tests.sources.policeuk_helpers import edit_line, raw_bytes, street_file, write_csv

NAME = "2025-01-northamptonshire-street.csv"


@pytest.fixture(scope="module")
def good() -> bytes:
    return raw_bytes("northamptonshire", "2025-01")


def refuse(path: Path) -> list[SourceFileError]:
    """The errors raised by read() (before any chunk) and by aggregate_lsoa_month()."""
    (file,) = discover([path])
    errors = []
    chunks = read(file, chunk_rows=100)
    with pytest.raises(SourceFileError) as from_read:
        next(chunks)
    errors.append(from_read.value)
    with pytest.raises(SourceFileError) as from_aggregate:
        aggregate_lsoa_month([file], category_map={})
    errors.append(from_aggregate.value)
    return errors


def replace_field(position: int, value: bytes) -> Callable[[bytes], bytes]:
    def edit(line: bytes) -> bytes:
        fields = line.split(b",")
        fields[position] = value
        return b",".join(fields)

    return edit


def test_month_not_yyyy_mm(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 17, replace_field(1, b"2025/01"))
    for error in refuse(write_csv(tmp_path, NAME, data)):
        assert str(error) == (
            "2025-01-northamptonshire-street.csv, line 17, field 'Month': expected YYYY-MM, "
            "got '2025/01'")


def test_month_not_matching_file_name(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 5000, replace_field(1, b"2025-02"))
    for error in refuse(write_csv(tmp_path, NAME, data)):
        assert (error.line, error.field) == (5000, "Month")
        assert "'2025-02' does not match the file name month '2025-01'" in error.message


def test_wrong_column_count(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 17, lambda line: line + b",extra")
    for error in refuse(write_csv(tmp_path, NAME, data)):
        assert error.line == 17
        assert "expected 12 fields (as in the header), found 13" in error.message


def test_too_few_columns(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 300, lambda line: line.rsplit(b",", 2)[0])
    for error in refuse(write_csv(tmp_path, NAME, data)):
        assert error.line == 300 and "found 10" in error.message


def test_not_utf8_names_line_and_field(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 17, lambda line: line.replace(b"On or near ", b"On or n\xe9ar ", 1))
    for error in refuse(write_csv(tmp_path, NAME, data)):
        assert (error.line, error.field) == (17, "Location")
        assert "not valid UTF-8 (byte 0xe9)" in error.message


def test_renamed_column(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 1, lambda line: line.replace(b"Crime type", b"Crime Type"))
    for error in refuse(write_csv(tmp_path, NAME, data)):
        assert (error.line, error.field) == (1, "Crime type")
        assert "missing column(s) ['Crime type']" in error.message
        assert "unexpected column(s) ['Crime Type']" in error.message


def test_missing_column(tmp_path: Path, good: bytes) -> None:
    lines = good.split(b"\n")
    cut = [b",".join(line.split(b",")[:-1]) if line else line for line in lines]
    for error in refuse(write_csv(tmp_path, NAME, b"\n".join(cut))):
        assert error.field == "Context" and error.line == 1


def test_empty_file(tmp_path: Path) -> None:
    for error in refuse(write_csv(tmp_path, NAME, b"")):
        assert "the file is empty" in error.message


def test_header_only(tmp_path: Path, good: bytes) -> None:
    header = good.split(b"\n", 1)[0] + b"\n"
    for error in refuse(write_csv(tmp_path, NAME, header)):
        assert "header only" in error.message and error.line == 1


def test_bad_longitude_read(tmp_path: Path, good: bytes) -> None:
    data = edit_line(good, 42, replace_field(4, b"abc"))
    (file,) = discover([write_csv(tmp_path, NAME, data)])
    with pytest.raises(SourceFileError) as caught:
        next(read(file))
    assert (caught.value.line, caught.value.field) == (42, "Longitude")


def test_truncated_gzip(tmp_path: Path) -> None:
    stored = street_file("northamptonshire", "2025-01").read_bytes()
    path = write_csv(tmp_path, NAME + ".gz", stored[: len(stored) // 2])
    for error in refuse(path):
        assert error.file == NAME + ".gz"
        assert "truncated or damaged gzip file" in error.message


def test_fault_on_last_line_yields_nothing(tmp_path: Path, good: bytes) -> None:
    """Validation runs over the whole file before the first chunk."""
    last = good.rstrip(b"\n").count(b"\n") + 1
    data = edit_line(good, last, replace_field(1, b"2024-12"))
    (file,) = discover([write_csv(tmp_path, NAME, data)])
    produced = []
    with pytest.raises(SourceFileError) as caught:
        for chunk in read(file, chunk_rows=10):
            produced.append(chunk)
    assert produced == [] and caught.value.line == last


def test_truncated_zip(tmp_path: Path, good: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"2025-01/{NAME}", good)
    path = write_csv(tmp_path, "2025-01.zip", buffer.getvalue()[:-200])
    with pytest.raises(SourceFileError, match="truncated or damaged zip archive"):
        discover([path])


def test_corrupt_zip_member(tmp_path: Path, good: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(f"2025-01/{NAME}", good)
    data = bytearray(buffer.getvalue())
    data[len(data) // 2] ^= 0xFF  # a flipped byte: the member's CRC no longer matches
    path = write_csv(tmp_path, "2025-01.zip", bytes(data))
    (file,) = discover([path])
    with pytest.raises(SourceFileError, match="truncated or damaged zip archive"):
        next(read(file))


def test_named_file_that_is_not_police_uk(tmp_path: Path, good: bytes) -> None:
    path = write_csv(tmp_path, "crimes.csv", good)
    with pytest.raises(SourceFileError, match=r"not a police\.uk file name"):
        discover([path])
    assert discover([tmp_path]) == []  # inside a folder it is passed over


def test_gzip_of_broken_copy_is_refused_the_same(tmp_path: Path, good: bytes) -> None:
    data = gzip.compress(edit_line(good, 17, replace_field(1, b"2025/01")))
    for error in refuse(write_csv(tmp_path, NAME + ".gz", data)):
        assert (error.line, error.field) == (17, "Month")


def test_two_copies_of_one_month_are_refused(tmp_path: Path, good: bytes) -> None:
    write_csv(tmp_path, NAME, good)
    write_csv(tmp_path, NAME + ".gz", gzip.compress(good))
    with pytest.raises(SourceFileError, match=r"second street file for northamptonshire 2025-01"):
        discover([tmp_path])
