"""Hostile police.uk inputs are refused with a clear message and bounded memory: impossible or
future months, huge lines and fields, zip and gzip bombs of repeated rows, bad CRCs.

Each case is built from a real Northamptonshire file."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from alliance import clock
from alliance.sources import limits
from alliance.sources.errors import SourceFileError
from alliance.sources.months import MonthError, check_day, check_month
from alliance.sources.police_uk import discover, read
from tests.sources.policeuk_helpers import raw_bytes, write_csv

NAME = "2025-01-northamptonshire-street.csv"
TODAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def good() -> bytes:
    return raw_bytes("northamptonshire", "2025-01")


def header_and_row(good: bytes) -> tuple[bytes, bytes]:
    lines = good.split(b"\n")
    return lines[0] + b"\n", lines[1] + b"\n"


def first_error(path: Path) -> SourceFileError:
    with pytest.raises(SourceFileError) as caught:
        for file in discover([path]):
            for _ in read(file):
                pass
    return caught.value


# --- months ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("month", "message"), [
    ("2025-13", "2025-13 is not a month: the month must be 01 to 12"),
    ("2025-00", "2025-00 is not a month: the month must be 01 to 12"),
    ("2039-02", "2039-02 is in the future (this month is 2026-12)"),
    ("2027-01", "2027-01 is in the future (this month is 2026-12)"),
    ("2010-11", "2010-11 is before December 2010, the first month accepted (police.uk starts "
                "then)"),
    ("25-01", "'25-01' is not a month: write it as YYYY-MM, like 2025-01"),
    ("", "'' is not a month"),
])
def test_impossible_future_and_early_months_are_refused(month: str, message: str) -> None:
    with clock.frozen(TODAY), pytest.raises(MonthError) as caught:
        check_month(month)
    assert str(caught.value).startswith(message)


def test_real_months_pass_and_the_clock_decides_what_is_future() -> None:
    with clock.frozen(TODAY):
        assert check_month("2026-12") == "2026-12"
        assert check_month("2010-12") == "2010-12"
        assert check_day(date(2026, 12, 6)) == date(2026, 12, 6)
        with pytest.raises(MonthError, match="2026-12-07 is in the future"):
            check_day(date(2026, 12, 7))
    with clock.frozen(date(2040, 1, 1)):
        assert check_month("2039-02") == "2039-02"


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "2039-02", "2009-05"])
def test_a_file_named_for_an_impossible_month_is_refused(tmp_path: Path, good: bytes,
                                                         month: str) -> None:
    data = good.replace(b",2025-01,", f",{month},".encode())
    path = write_csv(tmp_path, f"{month}-northamptonshire-street.csv", data)
    with clock.frozen(TODAY):
        for where in (path, tmp_path):  # named, or found in a folder
            with pytest.raises(SourceFileError) as caught:
                discover([where])
            assert caught.value.field == "Month"
            assert f"the month in the file name: {month}" in str(caught.value)


# --- lines, fields, repeats --------------------------------------------------------------------

def test_a_huge_line_is_refused_before_it_is_held(tmp_path: Path, good: bytes) -> None:
    header, row = header_and_row(good)
    huge = row.replace(b",On or near", b"," + b"x" * (5 << 20) + b" On or near", 1)
    error = first_error(write_csv(tmp_path, NAME, header + row + huge + row))
    assert error.line == 3 and "longer than 65,536 characters" in error.message


def test_a_huge_field_across_lines_is_refused_naming_the_field(tmp_path: Path,
                                                               good: bytes) -> None:
    header, row = header_and_row(good)
    fields = row.rstrip(b"\n").split(b",")
    fields[6] = b'"' + b"\n".join([b"y" * 1000] * 20) + b'"'  # Location over 20 lines
    error = first_error(write_csv(tmp_path, NAME, header + row + b",".join(fields) + b"\n"))
    assert (error.line, error.field) == (3, "Location")
    assert "the limit is 10,000" in error.message


def test_a_run_of_identical_rows_is_refused(tmp_path: Path, good: bytes) -> None:
    header, row = header_and_row(good)
    error = first_error(write_csv(tmp_path, NAME, header + row * 1500))
    assert error.line == 1002
    assert "more than 1,000 identical rows one after another (from line 2)" in error.message


def test_alternating_copies_are_refused_by_their_share(tmp_path: Path, good: bytes) -> None:
    lines = good.split(b"\n")
    pair = lines[1] + b"\n" + lines[2] + b"\n"
    error = first_error(write_csv(tmp_path, NAME, lines[0] + b"\n" + pair * 800))
    assert "1,598 of its 1,600 rows are exact copies" in error.message


def test_real_files_pass_every_limit() -> None:
    from tests.sources.policeuk_helpers import NORTHANTS_MONTHS, street_file

    for month in NORTHANTS_MONTHS:
        (file,) = discover([street_file("northamptonshire", month)])
        assert sum(len(c) for c in read(file)) > 5000


# --- archives ----------------------------------------------------------------------------------

def test_a_zip_of_one_repeated_row_is_refused_before_extracting(tmp_path: Path,
                                                                good: bytes) -> None:
    """The attack: a small zip that expands to a million copies of one row."""
    header, row = header_and_row(good)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=9) as archive:
        archive.writestr(f"2025-01/{NAME}", header + row * 200_000)
    assert len(buffer.getvalue()) < 1 << 20
    path = write_csv(tmp_path, "2025-01.zip", buffer.getvalue())
    with pytest.raises(SourceFileError) as caught:
        discover([path])
    assert caught.value.file == f"2025-01.zip!2025-01/{NAME}"
    assert "refused as a possible zip bomb" in caught.value.message


def test_a_gzip_bomb_stops_while_streaming(tmp_path: Path, good: bytes) -> None:
    header, row = header_and_row(good)
    data = gzip.compress(header + row * 200_000, compresslevel=9)
    path = write_csv(tmp_path, NAME + ".gz", data)
    # the reader stops at the run of copies; the checksum pass (which reads every byte, and
    # comes first in a load) stops at the expansion limit
    assert "identical rows" in first_error(path).message
    (file,) = discover([path])
    with pytest.raises(SourceFileError, match="refused as a possible zip bomb"):
        file.sha256()


def test_a_bad_crc_names_the_member(tmp_path: Path, good: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(f"2025-01/{NAME}", good)
    data = bytearray(buffer.getvalue())
    data[len(data) // 2] ^= 0x01
    error = first_error(write_csv(tmp_path, "2025-01.zip", bytes(data)))
    assert error.file == f"2025-01.zip!2025-01/{NAME}"
    assert "CRC" in error.message or "damaged" in error.message


def test_read_member_turns_damage_into_a_message(good: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", good)
    data = bytearray(buffer.getvalue())
    data[60] ^= 0xFF
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive, \
            pytest.raises(SourceFileError) as caught:
        limits.read_member(archive, "comments.csv", file="export.zip")
    assert str(caught.value).startswith("export.zip!comments.csv: damaged inside the zip")
