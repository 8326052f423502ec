"""Shared helpers for the police.uk tests: where the real files are, and broken copies of them."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from tests.conftest import require_shared

NORTHANTS_MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"] + [
    f"2025-{m:02d}" for m in range(1, 13)
]


def street_dir(force: str) -> Path:
    return require_shared("policeuk", "street", force)


def street_file(force: str, month: str) -> Path:
    return require_shared("policeuk", "street", force, f"{month}-{force}-street.csv.gz")


def raw_bytes(force: str, month: str) -> bytes:
    return gzip.decompress(street_file(force, month).read_bytes())


def write_csv(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def edit_line(data: bytes, line: int, edit: Callable[[bytes], bytes]) -> bytes:
    """``data`` with 1-based ``line`` replaced by ``edit(line_bytes)`` (line ending kept)."""
    lines = data.split(b"\n")
    lines[line - 1] = edit(lines[line - 1])
    return b"\n".join(lines)
