"""Every CSV the product writes goes through here, so no cell can run as a spreadsheet formula.

A spreadsheet opening a CSV treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``), and a tab or carriage return at the
start can smuggle one past a naive check. Free text in Alliance's CSVs comes from people
outside the analyst's control (a resident's comment, a partner's location text, a member's
e-mail address in the audit trail), so every text cell is *neutralised* by the OWASP rule
(https://owasp.org/www-community/attacks/CSV_Injection): a cell that begins with one of
``= + - @ \\t \\r`` - also after leading spaces - gets a single quote in front, which every
spreadsheet shows as text and none evaluates.

Numbers stay numbers
--------------------
A value that *is* a number (``int``, ``float``, ``Decimal``, NumPy numbers, a numeric pandas
column) is written as the number it is: ``-1.5`` is data, not a formula, and a spreadsheet reads
it as the number -1.5 without evaluating anything. Text that is exactly a plain decimal number
(``-1``, ``+2.5``, ``-3e-4``: optional sign, digits, optional fraction and exponent, nothing
else) is left alone for the same reason - Polis's ``-1`` votes, a negative change written as
text. Anything else that starts with a sign (``-2+3``, ``+44 1234 567890``, ``-@x``) is
neutralised. Column names and index labels are cells too and get the same treatment.

Reading back
------------
:func:`restore` undoes the quote for a reader of Alliance's own files (the Polis round trip):
``'=x`` becomes ``=x`` again. Text that genuinely starts with a quote followed by one of the
trigger characters is therefore read without its quote; that ambiguity is the price of the
rule and is accepted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from numbers import Number
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

__all__ = ["TRIGGERS", "csv_text", "neutralise", "neutralise_frame", "restore", "rows_writer",
           "write_frame"]

#: the characters that make a spreadsheet read a cell as a formula (OWASP)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_LEADING = re.compile(r"^[ \u00a0]*")


def _dangerous(text: str) -> bool:
    if not text:
        return False
    if text[0] in ("\t", "\r"):
        return True
    body = text[_LEADING.match(text).end():]  # type: ignore[union-attr]
    if not body or body[0] not in TRIGGERS:
        return False
    return _PLAIN_NUMBER.fullmatch(body.strip()) is None


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: text that could start a formula gets a ``'``.

    Numbers, dates and missing values are returned unchanged (see the module notes); any
    other object is judged by the text csv and pandas would write for it.
    """
    if isinstance(value, str):
        return "'" + value if _dangerous(value) else value
    if value is None or isinstance(value, bool | Number | Decimal | np.generic | date | time):
        return value
    text = str(value)
    return "'" + text if _dangerous(text) else value


def restore(value: str) -> str:
    """Undo :func:`neutralise` for a value read back from one of Alliance's own CSVs."""
    if value.startswith("'") and _dangerous(value[1:]):
        return value[1:]
    return value


def _neutral_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(neutralise(v) for v in t) for t in index],
                                         names=[neutralise(n) for n in index.names])
    if pd.api.types.is_numeric_dtype(index.dtype) or pd.api.types.is_bool_dtype(index.dtype):
        return index.rename(neutralise(index.name))
    return pd.Index([neutralise(v) for v in index], name=neutralise(index.name),
                    dtype=object)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell, column name and index label neutralised.

    Numeric, boolean and datetime columns are kept as they are (and keep their dtype), so the
    CSV still carries numbers.
    """
    out = frame.copy()
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        kind = series.dtype
        if (pd.api.types.is_numeric_dtype(kind) or pd.api.types.is_bool_dtype(kind)
                or pd.api.types.is_datetime64_any_dtype(kind)
                or isinstance(kind, pd.PeriodDtype | pd.IntervalDtype)):
            continue
        if isinstance(kind, pd.CategoricalDtype):
            series = series.astype(object)
        out.isetitem(position, series.map(neutralise, na_action="ignore").astype(object)
                     .to_numpy())
    out.columns = _neutral_labels(frame.columns)
    out.index = _neutral_labels(frame.index)
    return out


def write_frame(frame: pd.DataFrame | pd.Series, target: str | Path | IO[str] | None = None,
                **options: Any) -> str | None:
    """``frame.to_csv(target, **options)`` with every text cell neutralised first.

    Returns the CSV text when ``target`` is None, like pandas.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    safe = neutralise_frame(frame)
    text: str | None = safe.to_csv(target, **options)
    return text


class _SafeWriter:
    """A ``csv.writer`` whose every row is neutralised."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def rows_writer(handle: IO[str] | Any, **options: Any) -> _SafeWriter:
    """A csv writer over ``handle`` (a file, a StringIO, a Django response) that neutralises."""
    return _SafeWriter(handle, **options)


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]], **options: Any) -> str:
    """A whole CSV as text (header first), every cell neutralised."""
    buffer = io.StringIO()
    writer = rows_writer(buffer, **options)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
