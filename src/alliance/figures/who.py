"""Who: a partner source's people (patients, victims) by age band and sex, as published.

One function, :func:`who_table`, gives the table for a reporting year; the SNA's "who"
chapter and any other output read it and nothing else. Its cells are cells of the source's
own lattice (:mod:`alliance.figures.lattice`, level ``who``): each age band by each sex, each
band's and each sex's total, the under-25 bands together (the split the core measures use) and
the whole year. They are suppressed together with every other figure of the source, so no
hidden cell can be worked out from the table's own totals, from the source's year total or
under-25 total published on the dashboard and in the scorecard, or from anything else
published (:mod:`alliance.figures.audit`: counts of 1 to ``threshold - 1`` hidden, with any
cell that would let one be narrowed below the threshold).

Cells are published for the whole area only, for whole reporting years only: the same rows
split by place or month as well would multiply the audit's work and leave little to show.
With record-level access any span of months is computed from the cube, unsuppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.figures.lattice import WHO_ALL, WHO_LEVEL, WHO_UNDER_25, CellKey, who_code
from alliance.figures.publication import NotPublished, Period, Publication

#: how the table names its totals
ALL_AGES, ALL_SEXES, UNDER_25_LABEL = "All ages", "All", "Under 25"


@dataclass(frozen=True, kw_only=True)
class WhoTable:
    """People by age band (rows: each band, 'Under 25', 'All ages') and sex (columns: each
    sex, 'All'); NaN where hidden. ``keys`` are the lattice cells shown (for the status
    line); ``record_level``: unsuppressed, not for publication."""

    source: str
    period: Period
    counts: pd.DataFrame
    keys: tuple[CellKey, ...]
    record_level: bool

    @property
    def n_hidden(self) -> int:
        return int(self.counts.isna().to_numpy().sum())

    def cell(self, row: str, column: str = ALL_SEXES) -> float:
        """One published count by its labels (NaN where hidden)."""
        return float(_at(self.counts, row, column))

    def shares(self) -> pd.DataFrame:
        """Each cell as a percentage of the year's total (NaN where the cell or the total is
        hidden): a function of published cells only."""
        total = self.cell(ALL_AGES)
        if np.isnan(total) or total == 0:
            return self.counts * np.nan
        return self.counts / total * 100

    def share(self, row: str, column: str = ALL_SEXES) -> float:
        """One cell as a percentage of the year's total (NaN where not published)."""
        return float(_at(self.shares(), row, column)) if row in self.counts.index and \
            column in self.counts.columns else float("nan")


def _at(frame: pd.DataFrame, row: str, column: str) -> float:
    values = frame.to_numpy(dtype=float)
    return float(values[list(frame.index).index(row), list(frame.columns).index(column)])


def carries_people(pub: Publication) -> bool:
    """Whether the source has people cells: it carries an age band or a sex."""
    return pub.cube.people is not None


def _rows(pub: Publication) -> dict[str, str]:
    cube = pub.cube
    rows = {a: a for a in cube.age_bands}
    if cube.under_25:
        rows[WHO_UNDER_25] = UNDER_25_LABEL
    rows[WHO_ALL] = ALL_AGES
    return rows


def _columns(pub: Publication) -> dict[str, str]:
    return {**{s: s.capitalize() for s in pub.cube.sexes}, WHO_ALL: ALL_SEXES}


def _from_cube(pub: Publication, period: Period, row: str, column: str) -> float:
    cube = pub.cube
    assert cube.people is not None
    block = cube.people[cube.month_index(period.months)].sum(axis=0)
    bands = (cube.age_bands if row == WHO_ALL else cube.under_25 if row == WHO_UNDER_25
             else (row,))
    sexes = cube.sexes if column == WHO_ALL else (column,)
    a = [cube.age_bands.index(x) for x in bands]
    s = [cube.sexes.index(x) for x in sexes]
    return float(block[np.ix_(a, s)].sum())


def who_table(pub: Publication, *, period: Period) -> WhoTable | None:
    """The people table of ``pub``'s source for ``period`` (None: the source carries no age
    or sex). Without record-level access ``period`` must be a reporting year
    (:class:`NotPublished` otherwise)."""
    if not carries_people(pub):
        return None
    rows, columns = _rows(pub), _columns(pub)
    keys: list[CellKey] = []
    values = np.full((len(rows), len(columns)), np.nan)
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            key = CellKey(WHO_LEVEL, who_code(row, column), str(period.key))
            if period.key is not None and key in pub.lattice.keys:
                keys.append(key)
                values[i, j] = pub.value(key)
            elif pub.record_level:
                values[i, j] = _from_cube(pub, period, row, column)
            else:
                raise NotPublished(f"people by age and sex are published for whole reporting "
                                   f"years only, not {period.label}")
    counts = pd.DataFrame(values, index=list(rows.values()), columns=list(columns.values()))
    counts.index.name = "Age band"
    return WhoTable(source=pub.cube.source, period=period, counts=counts, keys=tuple(keys),
                    record_level=pub.record_level)


def status(pub: Publication, table: WhoTable) -> str:
    """The table's suppression line for its provenance."""
    return pub.status(list(table.keys))
