"""The suppressed lattice and how figures read it.

:func:`publish` suppresses an area's whole lattice once (:func:`alliance.figures.audit.protect`);
every figure then reads its counts through :class:`Publication`, which answers with the
published value or "hidden". Statistics that use many cells at once (hot spots, concentration,
kernel density) read :meth:`Publication.lsoa_values_for_statistics`, in which each hidden
neighbourhood holds a value worked out from *published* figures only (its share, by
population, of what its district's published total leaves), so those statistics are functions
of what is published and cannot reveal a hidden count, whatever its true value.

With ``threshold=None`` (roles with record-level access) nothing is hidden, and any span of
months may be asked for: figures are then computed from the cube with the same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliance.figures.audit import Protection, protect
from alliance.figures.cube import ALL, CountCube
from alliance.figures.lattice import CellKey, Lattice, ReportingYear, build_lattice

MARKER = "[c]"
#: a unit's monthly series of a category is published if it averages at least this many times
#: the suppression threshold a month (10 a month at the usual threshold of 5)
MONTHLY_MEAN_PER_THRESHOLD = 2
#: neighbourhoods are published if the area averages at least this many times the threshold
#: a neighbourhood a year (police.uk in Northamptonshire: about 13 times; an A&E return: <1)
LSOA_MEAN_PER_THRESHOLD = 2


class NotPublished(LookupError):
    """A figure outside the published lattice was asked for by a role without record-level
    access (an arbitrary span of months, a neighbourhood by month)."""


@dataclass(frozen=True, kw_only=True)
class Period:
    """What a figure covers: a reporting year, one month, or (record-level only) any span."""

    months: tuple[str, ...]
    label: str
    key: str | None  # the lattice period ('2025', '2025/26', '2025-03'), or None

    @property
    def n_months(self) -> int:
        return len(self.months)

    @property
    def days(self) -> int:
        first = pd.Period(self.months[0], freq="M").start_time
        last = pd.Period(self.months[-1], freq="M").end_time
        return round((last - first).total_seconds() / 86_400)

    @property
    def is_year(self) -> bool:
        return self.n_months == 12


@dataclass(frozen=True, kw_only=True)
class Publication:
    lattice: Lattice
    protection: Protection
    _memo: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False,
                                                 compare=False)

    def memo(self, key: tuple[object, ...], compute: Callable[[], Any]) -> Any:
        """A statistic of this publication computed once (hot spots, say): the dashboard and
        the SNA built from one publication then show the very same result."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def cube(self) -> CountCube:
        return self.lattice.cube

    @property
    def threshold(self) -> int | None:
        return self.protection.threshold

    @property
    def record_level(self) -> bool:
        return self.protection.threshold is None

    @property
    def years(self) -> tuple[ReportingYear, ...]:
        return self.lattice.years

    # --- periods -------------------------------------------------------------------------
    def year(self, label: str) -> Period:
        y = self.lattice.year(label)
        return Period(months=y.months, label=y.description, key=y.label)

    def month(self, month: str) -> Period:
        self.cube.month_index([month])
        return Period(months=(month,), label=pd.Period(month, freq="M").strftime("%B %Y"),
                      key=month)

    def span(self, months: Sequence[str]) -> Period:
        """Any months: a reporting year or a month if it is one, else record-level only."""
        months = tuple(months)
        for y in self.lattice.years:
            if y.months == months:
                return self.year(y.label)
        if len(months) == 1:
            return self.month(months[0])
        if not self.record_level:
            raise NotPublished(
                "figures are published for whole reporting years and single months only, so "
                "that no two published figures can be subtracted to reveal a small number")
        first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
        return Period(months=months, label=f"{first:%B %Y} to {last:%B %Y}", key=None)

    # --- cells ---------------------------------------------------------------------------
    def hidden(self, key: CellKey) -> bool:
        return bool(self.protection.hidden[self.lattice.cell(key)])

    def value(self, key: CellKey) -> float:
        """The published count, or NaN where hidden."""
        c = self.lattice.cell(key)
        return float("nan") if self.protection.hidden[c] else float(self.lattice.cell_values[c])

    def true_value(self, key: CellKey) -> int:
        """The unsuppressed count: for record-level roles and for checks, never published."""
        return int(self.lattice.cell_values[self.lattice.cell(key)])

    def count(self, *, level: str, code: str, period: Period, category: str = ALL) -> float:
        """Placed offences in a unit (area, lad, csp, lsoa) over ``period``: NaN if hidden."""
        if period.key is not None:
            key = CellKey(level, code, period.key, category)
            if key in self.lattice.keys:
                return self.value(key)
        if not self.record_level:
            raise NotPublished(f"no published figure for {level} {code}, {period.label}, "
                               f"{category}")
        lsoas = self.cube.geography.lsoas_of(level, code)
        return float(self.cube.total(lsoas=lsoas, months=period.months, category=category))

    def has_monthly(self, *, level: str, code: str, category: str = ALL) -> bool:
        """Whether the unit's monthly series of ``category`` is published at all."""
        return self.record_level or (level, code, category) in self.lattice.monthly

    def sum_of(self, keys: Sequence[CellKey]) -> float:
        """A sum of published cells (a season, like-for-like months): NaN if any is hidden,
        since a sum over a hidden cell is a new relation the audit did not see."""
        if not all(k in self.lattice.keys for k in keys):
            return float("nan")
        values = [self.value(k) for k in keys]
        return float("nan") if any(np.isnan(v) for v in values) else float(sum(values))

    # --- neighbourhoods ------------------------------------------------------------------
    def lsoa_counts(self, period: Period, *, category: str = ALL) -> pd.Series:
        """Published count per LSOA of the area (NaN where hidden)."""
        codes = list(self.cube.geography.codes)
        if period.key is not None and category == ALL and any(
                y.label == period.key for y in self.lattice.years) and \
                CellKey("lsoa", codes[0], period.key) in self.lattice.keys:
            return pd.Series([self.value(CellKey("lsoa", c, period.key)) for c in codes],
                             index=codes, name="count", dtype=float)
        if not self.record_level:
            raise NotPublished("neighbourhood figures are published for all counted "
                               "categories together, for whole reporting years, where there "
                               "are enough to map")
        return self.cube.by_lsoa(months=period.months, category=category).astype(float)

    def lsoa_values_for_statistics(self, period: Period, *, category: str = ALL) -> pd.Series:
        """Per-LSOA counts for statistics over many areas: published values, and for each
        hidden LSOA its population share of the residual its smallest published enclosing
        total (district, local authority, area) leaves after the published LSOAs (or, if no
        enclosing total is published, the median published rate times its population)."""
        shown = self.lsoa_counts(period, category=category)
        if not shown.isna().any():
            return shown
        geo = self.cube.geography
        out = shown.copy()
        pop = geo.lsoa["population"].astype(float)
        for level in ("csp", "lad", "area"):
            todo = out[out.isna()].index
            if not len(todo):
                break
            column = None if level == "area" else geo.lsoa[f"{level}_code"].astype(str)
            for code in (sorted(set(column[todo])) if column is not None else [geo.code]):
                members = list(geo.lsoas_of(level, code))
                total = self.value(CellKey(level, code, str(period.key)))
                if np.isnan(total):
                    continue
                gap = [m for m in members if np.isnan(out[m])]
                residual = max(total - float(out[members].sum(skipna=True)), 0.0)
                weights = pop[gap] / float(pop[gap].sum())
                out[gap] = residual * weights
        if out.isna().any():
            # No enclosing total is published either: the median published rate stands in.
            rates = (shown / pop).dropna()
            fill = float(rates.median()) if len(rates) else 0.0
            out = out.fillna(pop * fill)
        return out

    # --- status --------------------------------------------------------------------------
    def status(self, keys: Sequence[CellKey]) -> str:
        """One line for a table's provenance: how many of its figures are hidden."""
        if self.record_level:
            return "not suppressed: record-level figures, not for publication"
        n = sum(1 for k in keys if self.hidden(k))
        assert self.threshold is not None
        if not n:
            return f"no figures hidden (counts of 1 to {self.threshold - 1} are hidden)"
        return (f"{n} figure(s) hidden as {MARKER}: counts of 1 to {self.threshold - 1}, and "
                "others where they would let one be worked out from published figures")


#: the police.uk source, whose neighbourhoods are always published (see :func:`publish`)
POLICE_UK_SOURCE = "police_uk_street"


def publish(cube: CountCube, *, threshold: int | None, year_start: int = 1,
            years: Sequence[ReportingYear] | None = None) -> Publication:
    """Build and suppress the lattice of ``cube`` (``threshold=None``: record-level).

    ``years`` replaces the reporting years, for a draft whose period is not one: its figures
    are consistent among themselves but not protected against other outputs."""
    lattice = build_lattice(cube, year_start=year_start, years=years,
                            min_monthly_mean=None if threshold is None
                            else MONTHLY_MEAN_PER_THRESHOLD * threshold,
                            # police.uk's neighbourhoods are always in its lattice (hidden
                            # where small): the SNA's maps, funnel and hot spots read them
                            min_lsoa_mean=None if threshold is None
                            or cube.source == POLICE_UK_SOURCE
                            else LSOA_MEAN_PER_THRESHOLD * threshold)
    return Publication(lattice=lattice, protection=protect(lattice, threshold=threshold))
