"""Read free text (survey answers, workshop notes) from a CSV file or a plain-text file.

Framework-free on purpose: the web upload and ``alliance voice themes`` share it, and the CLI
must not need Django to read a file. Every refusal is a :class:`FreeTextError` whose message
names the file, the line and (for CSV) the field, so a person can find and fix the problem.

- CSV: the first row is the header; one column holds the text (``column``; it may be left out
  when the file has a single column). Rows whose text is blank are skipped (someone who did not
  answer), and counted. A row with more or fewer fields than the header is refused.
- Plain text: one text per line; blank lines are skipped.
- Either way the bytes must be UTF-8 (a byte-order mark is allowed), with no NUL bytes, within
  :data:`MAX_BYTES`, with at most :data:`MAX_TEXTS` texts of at most :data:`MAX_LENGTH`
  characters, and at least one text.

Each text's id is the number of the line it starts on, so an analyst can find it in the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Literal

#: largest file accepted (a survey export with thousands of answers is well under this)
MAX_BYTES = 5 * 1024 * 1024
#: most texts per file: the language model reads about 200 texts a second on one core
MAX_TEXTS = 5_000
#: longest single text, in characters (the model reads only the first 256 word pieces anyway)
MAX_LENGTH = 5_000

Format = Literal["csv", "text"]


class FreeTextError(ValueError):
    """The file cannot be read as free text; the message says where and why."""


@dataclass(frozen=True)
class FreeText:
    """Texts read from one file, with the line each starts on as its id."""

    name: str
    format: Format
    column: str | None
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    skipped_blank: int


def guess_format(name: str) -> Format:
    """``csv`` for ``*.csv``, ``text`` for ``*.txt``; anything else is refused."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".txt"):
        return "text"
    raise FreeTextError(f"{name}: upload a .csv file (one column of free text) or a .txt file "
                        "(one text per line)")


def decode(data: bytes, *, name: str) -> str:
    """The text of ``data`` as UTF-8, or an error naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise FreeTextError(f"{name} is {len(data) / 2**20:.1f} MB; the limit is "
                            f"{MAX_BYTES // 2**20} MB")
    if data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b":
        raise FreeTextError(f"{name} is a compressed archive; upload the CSV or text file itself")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FreeTextError(f"{name}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                            "save the file as UTF-8 and upload it again") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise FreeTextError(f"{name}, line {line}: contains a NUL byte; this is not a text file")
    return text


def csv_columns(data: bytes, *, name: str) -> list[str]:
    """The header of a CSV file (to offer a choice of text column)."""
    text = decode(data, name=name)
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise FreeTextError(f"{name}, line 1: not a readable CSV header ({exc})") from None
    return [h.strip() for h in header]


def read_free_text(data: bytes, *, name: str, column: str | None = None,
                   format: Format | None = None) -> FreeText:
    """Read the texts of one uploaded or local file (see the module notes for the rules)."""
    kind = format or guess_format(name)
    text = decode(data, name=name)
    if kind == "csv":
        ids, texts, skipped, chosen = _read_csv(text, name=name, column=column)
    else:
        ids, texts, skipped, chosen = *_read_lines(text, name=name), None
    if not texts:
        where = f" in column {chosen!r}" if chosen else ""
        raise FreeTextError(f"{name}: no text found{where}; the file is empty or every "
                            "answer is blank")
    return FreeText(name=name, format=kind, column=chosen, ids=tuple(ids), texts=tuple(texts),
                    skipped_blank=skipped)


def _check(texts: list[str], text: str, *, name: str, where: str) -> None:
    if len(text) > MAX_LENGTH:
        raise FreeTextError(f"{name}, {where}: the text is {len(text):,} characters long; the "
                            f"limit is {MAX_LENGTH:,}")
    if len(texts) >= MAX_TEXTS:
        raise FreeTextError(f"{name}, {where}: more than {MAX_TEXTS:,} texts; split the file")


def _read_lines(text: str, *, name: str) -> tuple[list[str], list[str], int]:
    ids: list[str] = []
    texts: list[str] = []
    blank = skipped = 0
    for number, line in enumerate(text.splitlines(), start=1):
        cleaned = " ".join(line.split())
        if not cleaned:
            blank += 1
            continue
        _check(texts, cleaned, name=name, where=f"line {number}")
        ids.append(str(number))
        texts.append(cleaned)
        skipped, blank = skipped + blank, 0  # blank lines after the last text are not counted
    return ids, texts, skipped


def _read_csv(text: str, *, name: str, column: str | None
              ) -> tuple[list[str], list[str], int, str]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise FreeTextError(f"{name}, line 1: not a readable CSV header ({exc})") from None
    if not header or not any(header):
        raise FreeTextError(f"{name}, line 1: no header row; the first row must name the "
                            "columns")
    if column is None or not column.strip():
        if len(header) != 1:
            raise FreeTextError(f"{name}: choose the column that holds the free text; the "
                                f"columns are {', '.join(repr(h) for h in header)}")
        column = header[0]
    column = column.strip()
    if column not in header:
        raise FreeTextError(f"{name}, line 1: no column {column!r}; the columns are "
                            f"{', '.join(repr(h) for h in header)}")
    position = header.index(column)
    ids: list[str] = []
    texts: list[str] = []
    skipped = 0
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise FreeTextError(f"{name}, line {start}: malformed CSV ({exc})") from None
        if not row or (len(row) == 1 and not row[0].strip() and len(header) > 1):
            start = reader.line_num + 1
            continue  # an empty line between records
        if len(row) != len(header):
            raise FreeTextError(f"{name}, line {start}: {len(row)} fields where the header has "
                                f"{len(header)}")
        cleaned = " ".join(row[position].split())
        if cleaned:
            _check(texts, cleaned, name=name, where=f"line {start}, field {column!r}")
            ids.append(str(start))
            texts.append(cleaned)
        else:
            skipped += 1
        start = reader.line_num + 1
    return ids, texts, skipped, column
