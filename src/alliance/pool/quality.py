"""Quality report of an import: what was read, kept, flagged and why, in one vocabulary.

Recoverable problems are flagged on the row (``alliance.sources.schema.RowFlag``) and counted
here; nothing is silently dropped or silently mapped. The report is plain data (a dict that
serialises to JSON) so the CLI, the web shell and the SNA's data-currency table all read it.

The words people see are here too, once: :data:`GLOSSARY` (loaded, kept but flagged, used with
a note, set aside, superseded) and :data:`REASONS`, each flag as a plain sentence and what it
means for the figures. Flag names are codes for JSON and logs; no screen shows them.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from alliance.sources.schema import RowFlag

#: The words for data quality, the same in the command line, the workspace and the SNA. Each
#: term says what happened to the rows, so a reader can tell whether they are in the figures.
GLOSSARY: dict[str, str] = {
    "loaded": "Rows now in the pool, used in figures and reports.",
    "kept but flagged": "Rows loaded and counted, but with a problem that keeps them out of "
                        "some figures: for example no map point, or a crime category the local "
                        "definition does not cover. Each has a reason saying what it means.",
    "used with a note": "Rows used as normal. The note records something Alliance found or "
                        "did, such as converting a 2011 LSOA code to 2021.",
    "set aside": "Rows not loaded because a value in them could not be used (partner "
                 "statistics). The quality report lists each one with its file and line.",
    "superseded": "Rows replaced by a newer copy of the same month (police.uk re-issues months "
                  "when outcomes change). They are kept for the record and no longer used.",
}


@dataclass(frozen=True, kw_only=True)
class Reason:
    """Why a row carries a quality flag, in plain words.

    ``code`` is the :class:`~alliance.sources.schema.RowFlag` name: for JSON and logs, never for
    people. ``kept_but_flagged`` says which term of :data:`GLOSSARY` the row falls under:
    True when the flag keeps the row out of some figures, False when it is "used with a note".
    """

    code: str
    label: str
    meaning: str
    kept_but_flagged: bool

    @property
    def term(self) -> str:
        return "kept but flagged" if self.kept_but_flagged else "used with a note"


#: Every row flag, in plain words, with what it means for the figures (checked against what the
#: loaders, :mod:`alliance.pool.placement` and the pool's queries do with such rows).
REASONS: dict[str, Reason] = {r.code: r for r in (
    Reason(code="NO_LOCATION", kept_but_flagged=True,
           label="No location was published",
           meaning="police.uk publishes some crimes without a location ('No Location'). The "
                   "row cannot be placed on a map or in an LSOA, so it is in no area's figures "
                   "except the SNA's total for its own force."),
    Reason(code="OUTSIDE_UK", kept_but_flagged=True,
           label="The map point is outside the UK",
           meaning="The coordinates are outside the UK, so the point is not used. The row is "
                   "placed by its published LSOA if it has one; otherwise it counts as having "
                   "no location."),
    Reason(code="OUTSIDE_AREA", kept_but_flagged=True,
           label="Placed in an LSOA outside the force's area",
           meaning="police.uk moves each crime to a nearby anonymous map point, and some land "
                   "across a force border. The row counts in the LSOA it was placed in, so it "
                   "is in that area's figures, not its own force's."),
    Reason(code="UNKNOWN_LSOA", kept_but_flagged=True,
           label="The published LSOA code is not recognised",
           meaning="The LSOA code is not in the loaded ONS geography. The row is placed by its "
                   "map point instead; without one it counts as having no location."),
    Reason(code="LSOA_MISMATCH", kept_but_flagged=False,
           label="The published LSOA differs from the map point's LSOA",
           meaning="police.uk moves each crime to a nearby anonymous map point, which can fall "
                   "across an LSOA boundary. Alliance keeps the LSOA police.uk published and "
                   "counts the row there; only its dot on a map is approximate."),
    Reason(code="UNKNOWN_CATEGORY", kept_but_flagged=True,
           label="The crime category is not in the local definition",
           meaning="The partnership's definition of serious violence does not cover this "
                   "category, so the row counts as 'unknown' and not as serious violence until "
                   "the definition is updated."),
    Reason(code="DUPLICATE_ROW", kept_but_flagged=False,
           label="An exact copy of an earlier row in the same file",
           meaning="police.uk counts every row as one crime and gives no way to tell a copy "
                   "from a second crime, so Alliance counts it too."),
    Reason(code="REPEATED_ID", kept_but_flagged=False,
           label="The crime reference is on more than one row",
           meaning="The same reference appears on more than one row of the month, as exact "
                   "copies or with different details. Each row is counted, as police.uk "
                   "counts them."),
    Reason(code="LSOA_CONVERTED", kept_but_flagged=False,
           label="A 2011 LSOA code was converted to 2021",
           meaning="The row gave a 2011 LSOA. It was converted to its 2021 LSOA with the ONS "
                   "lookup, so it counts in today's areas."),
    Reason(code="LSOA_SPLIT", kept_but_flagged=False,
           label="The 2011 LSOA was split in 2021",
           meaning="The row's 2011 LSOA became several 2021 LSOAs. The 2021 LSOA was taken "
                   "from the map point; a row without one has no 2021 LSOA and is in no area's "
                   "figures."),
    Reason(code="NO_POINT_IN_LSOA", kept_but_flagged=True,
           label="The map point is in no loaded LSOA",
           meaning="The coordinates are valid but fall outside every LSOA of the loaded "
                   "geography (for example offshore). The row counts in its published LSOA if "
                   "it has one; otherwise it counts as having no location."),
    Reason(code="NOT_GEOCODED", kept_but_flagged=True,
           label="The written location could not be placed",
           meaning="The place was given only in words, and the gazetteer found no one place "
                   "for them (or they name no place, such as 'home' or 'unknown'). The row is "
                   "counted in its source's totals but in no neighbourhood; an analyst can "
                   "place the words on the review page, and the answer is used from then on."),
    Reason(code="UNKNOWN_CODE", kept_but_flagged=False,
           label="A weapon or type of place in words no code list knows",
           meaning="The value is kept as written and counted as 'other'. If it is a local "
                   "code, tell the partner or add its meaning so next month's rows are read."),
    Reason(code="BAD_TIME", kept_but_flagged=False,
           label="The time of day could not be read",
           meaning="The row is counted by its date; it is left out of time-of-day figures."),
    Reason(code="DATE_FROM_ARRIVAL", kept_but_flagged=False,
           label="No incident date: filed by the A&E arrival date",
           meaning="The assault date was missing, so the row is counted in the month the "
                   "patient arrived at the emergency department."),
)}

#: meaning of each flag by its name (the quality report's JSON carries it beside the count)
FLAG_HELP: dict[str, str] = {code: r.meaning for code, r in REASONS.items()}

#: flags that keep a row out of some figures: the rows counted as "kept but flagged"
KEPT_BUT_FLAGGED_FLAGS: RowFlag = functools.reduce(
    operator.or_, (RowFlag[code] for code, r in REASONS.items() if r.kept_but_flagged),
    RowFlag.NONE)


def reason(code: str) -> Reason:
    """The plain words for a flag name; a name this version does not know (an old batch's
    report) still gets words, never its code."""
    return REASONS.get(code) or Reason(
        code=code, label="Another quality note",
        meaning="A check from an earlier version of Alliance flagged these rows; they are "
                "kept and counted.", kept_but_flagged=False)


@dataclass(frozen=True)
class FlaggedRows:
    """How many rows carry one reason (a row with two flags counts under both)."""

    reason: Reason
    rows: int


def flagged_rows(counts: Mapping[str, int]) -> tuple[FlaggedRows, ...]:
    """``{flag name: rows}`` as :class:`FlaggedRows`, "kept but flagged" first, most rows first;
    the order the command line and the workspace both list them in."""
    lines = [FlaggedRows(reason(code), int(n)) for code, n in counts.items() if int(n) > 0]
    return tuple(sorted(lines, key=lambda f: (not f.reason.kept_but_flagged, -f.rows,
                                              f.reason.label)))


#: the glossary's terms for flagged rows, in the order they are listed
FLAG_TERMS = ("kept but flagged", "used with a note")


def flagged_by_term(counts: Mapping[str, int]) -> list[tuple[str, list[FlaggedRows]]]:
    """:func:`flagged_rows` under their :data:`GLOSSARY` term, "kept but flagged" first; a
    term with no rows is left out."""
    lines = flagged_rows(counts)
    groups = [(term, [line for line in lines if line.reason.term == term])
              for term in FLAG_TERMS]
    return [(term, group) for term, group in groups if group]


@dataclass
class QualityReport:
    """Accumulates counts over the chunks of an import."""

    rows: int = 0
    #: rows "kept but flagged" (the batch's ``rows_set_aside``, a name kept for its history)
    set_aside: int = 0
    by_flag: Counter[str] = field(default_factory=Counter)
    by_month: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    unknown_categories: Counter[str] = field(default_factory=Counter)
    unknown_lsoas: Counter[str] = field(default_factory=Counter)
    files: list[dict[str, Any]] = field(default_factory=list)

    def add(self, chunk: pd.DataFrame) -> None:
        self.rows += len(chunk)
        flags = chunk["flags"].astype("int64").to_numpy()
        self.set_aside += int(((flags & int(KEPT_BUT_FLAGGED_FLAGS)) != 0).sum())
        for flag in RowFlag:
            if flag is RowFlag.NONE or flag.name is None:
                continue
            n = int(((flags & int(flag)) != 0).sum())
            if n:
                self.by_flag[flag.name] += n
        self.by_month.update({str(k): int(v) for k, v in chunk["month"].value_counts().items()})
        if "sv_category" in chunk:
            self.by_category.update(
                {str(k): int(v) for k, v in chunk["sv_category"].value_counts().items()})
        unknown_cat = (flags & int(RowFlag.UNKNOWN_CATEGORY)) != 0
        if unknown_cat.any():
            self.unknown_categories.update(
                chunk.loc[unknown_cat, "source_category"].fillna("(blank)").value_counts()
                .to_dict())
        unknown_lsoa = (flags & int(RowFlag.UNKNOWN_LSOA)) != 0
        if unknown_lsoa.any():
            self.unknown_lsoas.update(
                chunk.loc[unknown_lsoa, "lsoa_published"].fillna("(blank)").value_counts()
                .to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "rows_set_aside": self.set_aside,
            "flags": {k: {"rows": v, "label": reason(k).label, "meaning": reason(k).meaning,
                          "kept_but_flagged": reason(k).kept_but_flagged}
                      for k, v in sorted(self.by_flag.items())},
            "months": dict(sorted(self.by_month.items())),
            "categories": dict(sorted(self.by_category.items())),
            "unknown_categories": dict(self.unknown_categories.most_common(50)),
            "unknown_lsoas": dict(self.unknown_lsoas.most_common(50)),
            "files": self.files,
        }
