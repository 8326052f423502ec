"""alliance.privacy.csv_output: no CSV cell the product writes can run as a formula (OWASP CSV
injection rule), and numbers still read back as numbers."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.privacy.csv_output import (
    TRIGGERS,
    csv_text,
    neutralise,
    neutralise_frame,
    restore,
    rows_writer,
    write_frame,
)

ATTACKS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1",
           "  =HYPERLINK(\"http://x\")", "\u00a0@x", "=", "-", "+", "@", "-@x", "+44 1234 567890"]


@pytest.mark.parametrize("cell", ATTACKS)
def test_formula_cells_are_quoted(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1", "+2.5", "-3e-4", "-.5", " -1.5", "12", "text",
                                  "a=b", "", "'already", "e-mail@x.test"])
def test_plain_text_and_numbers_as_text_are_unchanged(cell: str) -> None:
    assert neutralise(cell) == cell


@pytest.mark.parametrize("value", [-1, -1.5, np.int64(-3), np.float64(-0.25), True, None,
                                   float("nan")])
def test_numbers_stay_numbers(value: object) -> None:
    assert neutralise(value) is value


def test_frame_keeps_numeric_columns_numeric_and_quotes_text() -> None:
    frame = pd.DataFrame({"change": [-1.5, 2.0], "votes": [-1, 1],
                          "person": ["=HYPERLINK(\"x\")", "ann@x.test"],
                          "=evil": ["ok", None]},
                         index=pd.Index(["-area", "Corby"], name="@where"))
    text = write_frame(frame, lineterminator="\n")
    assert text is not None
    back = pd.read_csv(io.StringIO(text), index_col=0)
    assert back["change"].tolist() == [-1.5, 2.0]  # read back as numbers
    assert back["votes"].dtype.kind == "i"
    assert back["person"].tolist() == ["'=HYPERLINK(\"x\")", "ann@x.test"]
    assert list(back.columns)[-1] == "'=evil"
    assert back.index.tolist() == ["'-area", "Corby"] and back.index.name == "'@where"
    # the original frame is not modified
    assert frame["person"].iloc[0].startswith("=")


def test_categorical_and_series_are_covered() -> None:
    series = pd.Series(pd.Categorical(["=a", "b"]), name="c")
    text = write_frame(series, index=False, lineterminator="\n")
    assert text == "c\n'=a\nb\n"
    assert neutralise_frame(pd.DataFrame({"x": pd.array([1, None], dtype="Int64")}))[
        "x"].dtype == "Int64"


def test_rows_writer_and_csv_text() -> None:
    buffer = io.StringIO()
    writer = rows_writer(buffer, lineterminator="\n")
    writer.writerow(["=1", -1, "-1", "x"])
    assert buffer.getvalue() == "'=1,-1,-1,x\n"
    assert csv_text(["@h"], [["+1+1"]], lineterminator="\n") == "'@h\n'+1+1\n"


def test_restore_undoes_the_quote_for_our_own_files() -> None:
    for cell in ATTACKS:
        assert restore(neutralise(cell)) == cell
    assert restore("'plain") == "'plain"


@given(st.text(max_size=40))
def test_no_cell_a_spreadsheet_would_evaluate(text: str) -> None:
    """Property: the written cell never starts (after spaces) with a trigger, unless it is a
    plain number, and the round trip gives the text back."""
    cell = neutralise(text)
    row = next(csv.reader(io.StringIO(csv_text(["h"], [[text]]).split("\r\n", 1)[1],
                                      newline="")), [""])
    written = row[0] if row else ""
    stripped = written.lstrip(" \u00a0")
    if stripped[:1] in TRIGGERS or written[:1] in ("\t", "\r"):
        assert pd.notna(pd.to_numeric(stripped.strip(), errors="coerce"))
    if not text.startswith("'"):
        assert restore(cell) == text


#: writers allowed to bypass the module: (path under src/alliance, why)
BYPASS = {
    "privacy/csv_output.py": "the module itself",
    "geo/download.py": "re-creates ONS's published tables for the geography loader to read",
    "web/pool/download.py": "hashes the downloaded month, writes nothing",
}


def test_every_csv_the_product_writes_goes_through_the_module() -> None:
    import re
    from pathlib import Path

    import alliance

    root = Path(alliance.__file__).parent
    pattern = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(|DictWriter\(")
    offenders = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                       if pattern.search(p.read_text(encoding="utf-8"))
                       and str(p.relative_to(root)) not in BYPASS)
    assert offenders == [], f"write CSV through alliance.privacy.csv_output: {offenders}"
