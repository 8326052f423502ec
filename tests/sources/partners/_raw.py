"""Independent access to the raw partner files for tests (csv/gzip only, no reader code)."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path


def raw_rows(path: Path) -> list[dict[str, str]]:
    """Every record of a (possibly gzipped) CSV as a dict, with '_line' the physical line."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    out = []
    for rec in reader:
        if rec:
            row = dict(zip(header, rec, strict=False))
            row["_line"] = str(reader.line_num)
            out.append(row)
    return out


def one(table, **where):
    """The single table row matching every column=value given."""
    sel = table
    for col, val in where.items():
        sel = sel[sel[col] == val]
    assert len(sel) == 1, f"{len(sel)} rows match {where}"
    return sel.iloc[0]
