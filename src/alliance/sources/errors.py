"""Errors and row-level problems raised by the source readers.

A *file* that cannot be trusted (truncated archive, renamed columns, bytes that are not UTF-8,
a month that contradicts the file name, a line with the wrong number of fields) is refused
whole with :class:`SourceFileError`, which names the file, the line and the field so that an
analyst can open the file and see the fault. A *row* that is usable but odd (no location,
point outside the UK, a repeated reference) is kept, flagged, and may be described by a
:class:`Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["info", "warning", "error"]


class SourceFileError(Exception):
    """A source file was refused as a whole.

    Parameters
    ----------
    file
        Display name of the file (for a zip member: ``archive.zip!member.csv``).
    line
        1-based line number in the (uncompressed) file, header = line 1; None if the fault is
        not tied to a line (e.g. a truncated archive).
    field
        Column name involved, or None.
    message
        What is wrong, in words an analyst understands (what was expected, what was found).
    """

    def __init__(
        self, *, file: str, message: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts) + f": {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only __init__: keep the error picklable (multiprocessing, task queues)
        return (_rebuild, (self.file, self.message, self.line, self.field))


def _rebuild(file: str, message: str, line: int | None, field: str | None) -> SourceFileError:
    return SourceFileError(file=file, message=message, line=line, field=field)


@dataclass(frozen=True)
class Problem:
    """A recoverable issue with one row (the row is kept and flagged)."""

    file: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.severity}: {self.message}"
