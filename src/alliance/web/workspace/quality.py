"""How an import batch's quality report reads on the Data page: the words of
:mod:`alliance.pool.quality`, never a flag's code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliance.pool.quality import FlaggedRows, flagged_by_term

KINDS = {"incidents": "Incident records", "indicators": "Partner statistics",
         "geography": "ONS geography"}
STATUSES = {"loading": "Loading", "active": "In use", "rolled_back": "Rolled back"}


@dataclass(frozen=True)
class BatchQuality:
    """A batch's counts in the glossary's terms, and its flagged rows by reason."""

    counts: list[tuple[str, int]]
    #: (term, rows by reason) for "kept but flagged" then "used with a note"
    flagged: list[tuple[str, list[FlaggedRows]]]
    #: what the reader said about the files: rows set aside (partner statistics), or notes on
    #: the input files (geography: rows left out, features merged), as a heading and lines
    listed: tuple[str, list[str]] = ("", [])


def batch_quality(row: dict[str, Any]) -> BatchQuality:
    """``row``: an :class:`~alliance.web.pool.models.ImportBatch` as ``values()`` gives it."""
    report = row.get("quality") or {}
    counts = [("read", row["rows_read"]), ("loaded", row["rows_loaded"])]
    listed: tuple[str, list[str]] = ("", [])
    if row["kind"] == "incidents":
        # an incident batch's "rows_set_aside" are loaded rows with a limiting flag
        counts.append(("kept but flagged", row["rows_set_aside"]))
    elif row["kind"] == "geography":
        counts.append(("notes on the input files", int(report.get("input_issues") or 0)))
        listed = ("Notes on the input files",
                  [f"{Path(str(n.get('file', ''))).name}, {n.get('column', '')} "
                   f"{n.get('code', '')}: {n.get('problem', '')}"
                   for n in report.get("input_issue_examples") or [] if isinstance(n, dict)])
    else:
        counts.append(("set aside", row["rows_set_aside"]))
        listed = ("Set aside", [f"{p.get('file', '')}: {p.get('problem', '')}"
                                for p in report.get("problems") or [] if isinstance(p, dict)])
    counts.append(("superseded", row["rows_superseded"]))
    flags = report.get("flags") or {}
    flagged = flagged_by_term({name: int(info.get("rows", 0)) for name, info in flags.items()
                               if isinstance(info, dict)})
    return BatchQuality(counts=counts, flagged=flagged, listed=listed)
