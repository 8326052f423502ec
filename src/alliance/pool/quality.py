"""Quality report of an import: what was read, kept, flagged and why.

Recoverable problems are flagged on the row (``alliance.sources.schema.RowFlag``) and counted
here; nothing is silently dropped or silently mapped. The report is plain data (a dict that
serialises to JSON) so the CLI, the web shell and the SNA's data-currency table all read it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from alliance.sources.schema import RowFlag

FLAG_HELP: dict[str, str] = {
    "NO_LOCATION": "published without coordinates ('No Location'): kept in totals, not mapped",
    "OUTSIDE_UK": "coordinates outside the UK: point set aside, row kept",
    "OUTSIDE_AREA": "placed in an LSOA outside the force area (police.uk snap points)",
    "UNKNOWN_LSOA": "published LSOA code not in the loaded geography",
    "LSOA_MISMATCH": "published LSOA differs from the LSOA the point falls in "
                     "(snap points, generalised boundaries); the published code is kept",
    "UNKNOWN_CATEGORY": "category not in the local definition: counted as 'unknown'",
    "DUPLICATE_ROW": "exact copy of an earlier row in the same file (kept: police.uk counts it)",
    "REPEATED_ID": "the Crime ID occurs on more than one row in the month (rows differ)",
    "LSOA_CONVERTED": "2011 LSOA code converted to 2021 through the ONS lookup",
    "LSOA_SPLIT": "2011 LSOA split in 2021: the 2021 LSOA was taken from the point",
    "NO_POINT_IN_LSOA": "valid coordinates outside every loaded LSOA polygon",
}

#: flags that mean a row cannot be used for its purpose without care ("set aside").
SET_ASIDE_FLAGS = (RowFlag.NO_LOCATION | RowFlag.OUTSIDE_UK | RowFlag.OUTSIDE_AREA
                   | RowFlag.UNKNOWN_LSOA | RowFlag.UNKNOWN_CATEGORY | RowFlag.NO_POINT_IN_LSOA)


@dataclass
class QualityReport:
    """Accumulates counts over the chunks of an import."""

    rows: int = 0
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
        self.set_aside += int(((flags & int(SET_ASIDE_FLAGS)) != 0).sum())
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
            "flags": {k: {"rows": v, "meaning": FLAG_HELP.get(k, "")}
                      for k, v in sorted(self.by_flag.items())},
            "months": dict(sorted(self.by_month.items())),
            "categories": dict(sorted(self.by_category.items())),
            "unknown_categories": dict(self.unknown_categories.most_common(50)),
            "unknown_lsoas": dict(self.unknown_lsoas.most_common(50)),
            "files": self.files,
        }
