"""The fixed lattice of published figures: every count that any output may show.

Suppression that holds one table at a time does not hold across tables: a district total
minus its published neighbourhoods, or a tile for January–March minus the tile for
January–February, gives a hidden count back. So nothing is published that is not a cell of
one fixed lattice, and the lattice is suppressed *as a whole* (:mod:`alliance.figures.audit`):

* **neighbourhoods** (LSOA 2021) and **IMD deciles**: all counted categories together, for each
  complete *reporting year* (calendar or financial, a setting; years do not overlap);
* **districts** (Community Safety Partnerships), **local authorities** and **the area**: each
  category and all together, for each complete reporting year, and for each month held where
  the series averages enough offences a month to be worth publishing (a series of mostly
  hidden months would only force more figures above it to be hidden). A partner's cube is
  counted in fine categories that are not published one by one: its *groups* (sums of them,
  :class:`~alliance.figures.cube.CategoryGroup`) are, at the levels each group names;
* the **counting universe** lines: rows without a location, rows placed outside the area and
  placed rows recorded by other forces, per reporting year;
* for a partner source that carries them, **people by age band and sex** (level ``who``, code
  ``'band|sex'``, either part ``all``, the band also ``under 25``) for the whole area, per
  reporting year (:mod:`alliance.figures.who`). Their base cells ``w[a, s, Y]`` meet the rest
  in two identities per year, which an attacker knows: they add up to the year's placed rows,
  and their under-25 bands to the year's under-25 categories.

Every cell is a sum of *base cells*: neighbourhood-years ``y[l, Y]`` and district-month-
category counts ``z[d, m, k]`` (a district is a CSP within one local authority). The two
meet in one identity per district and year, ``sum_l y[l, Y] = sum_{m in Y, k} z[d, m, k]``,
which an attacker knows. Because no cell splits a neighbourhood by month or category, these
base cells describe everything an attacker can learn from the lattice: any whole-number values
that satisfy the identities are the margins of some table of offences by neighbourhood, month
and category (a transportation problem always has a whole-number solution).

Periods that are not reporting years (an arbitrary span of months) exist only for roles with
record-level access, computed from the cube, never published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.figures.cube import ALL, CountCube

#: levels whose cells are sums over districts (month and year periods, each category)
UNIT_LEVELS = ("area", "lad", "csp")
#: the counting-universe lines, one cell per reporting year each
UNIVERSE_LEVELS = ("unlocated", "outside", "other_forces")
#: the level of the people-by-age-and-sex cells, and the names of their totals
WHO_LEVEL = "who"
WHO_ALL = ALL
WHO_UNDER_25 = "under 25"


def who_code(band: str, sex: str) -> str:
    """The code of a people cell: an age band (or 'under 25', 'all') and a sex (or 'all')."""
    return f"{band}|{sex}"


@dataclass(frozen=True, order=True)
class CellKey:
    """One published figure: ``level`` and ``code`` say where, ``period`` is a month
    ('2025-03') or a reporting year ('2025', '2025/26'), ``category`` a category or 'all'."""

    level: str
    code: str
    period: str
    category: str = ALL


@dataclass(frozen=True, kw_only=True)
class ReportingYear:
    label: str  # '2025' or '2025/26'
    months: tuple[str, ...]

    @property
    def description(self) -> str:
        first, last = pd.Period(self.months[0], freq="M"), pd.Period(self.months[-1], freq="M")
        kind = "calendar year" if first.month == 1 else "financial year"
        return f"{kind} {self.label} ({first:%B %Y} to {last:%B %Y})"


def reporting_years(months: Sequence[str], *, start_month: int = 1) -> tuple[ReportingYear, ...]:
    """The complete reporting years among ``months``: years starting in ``start_month``
    (1 = calendar years, 4 = financial years April–March) all twelve of whose months are held."""
    if not 1 <= start_month <= 12:
        raise ValueError(f"a reporting year starts in month 1 to 12, not {start_month}")
    held = set(months)
    if not held:
        return ()
    first = pd.Period(min(held), freq="M")
    last = pd.Period(max(held), freq="M")
    years = []
    for year in range(first.year - 1, last.year + 1):
        start = pd.Period(f"{year}-{start_month:02d}", freq="M")
        span = tuple(str(start + i) for i in range(12))
        if all(m in held for m in span):
            label = str(year) if start_month == 1 else f"{year}/{str(year + 1)[2:]}"
            years.append(ReportingYear(label=label, months=span))
    return tuple(years)


@dataclass(frozen=True, kw_only=True)
class Lattice:
    """Base cells, published cells (each a sum of base cells) and the identities.

    ``values[b]`` is the true value of base cell ``b``; ``supports[c]`` the base cells that
    published cell ``c`` adds up; ``keys`` maps each :class:`CellKey` to its cell (keys with
    the same support share a cell, e.g. a district that is a whole local authority).
    ``identities`` are (base cells, coefficients) whose weighted sum is zero.
    """

    cube: CountCube
    years: tuple[ReportingYear, ...]
    monthly: frozenset[tuple[str, str, str]]  # (level, code, category) with monthly cells
    base_names: tuple[tuple[object, ...], ...]
    values: np.ndarray
    supports: tuple[np.ndarray, ...]
    cell_keys: tuple[tuple[CellKey, ...], ...]
    keys: dict[CellKey, int]
    identities: tuple[tuple[np.ndarray, np.ndarray], ...]
    cell_values: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cell_values", np.array(
            [int(self.values[s].sum()) for s in self.supports], dtype=np.int64))

    @property
    def n_cells(self) -> int:
        return len(self.supports)

    def year(self, label: str) -> ReportingYear:
        for y in self.years:
            if y.label == label:
                return y
        raise KeyError(f"{label!r} is not a complete reporting year held "
                       f"({', '.join(y.label for y in self.years) or 'none'})")

    def cell(self, key: CellKey) -> int:
        try:
            return self.keys[key]
        except KeyError:
            raise KeyError(f"{key} is not a published figure") from None


class _Builder:
    def __init__(self) -> None:
        self.names: list[tuple[object, ...]] = []
        self.values: list[int] = []
        self.supports: list[np.ndarray] = []
        self.cell_keys: list[list[CellKey]] = []
        self.by_support: dict[bytes, int] = {}
        self.keys: dict[CellKey, int] = {}

    def base(self, name: tuple[object, ...], value: int) -> int:
        self.names.append(name)
        self.values.append(int(value))
        return len(self.names) - 1

    def cell(self, key: CellKey, support: Sequence[int]) -> None:
        members = np.array(sorted(set(support)), dtype=np.int64)
        token = members.tobytes()
        index = self.by_support.get(token)
        if index is None:
            index = len(self.supports)
            self.supports.append(members)
            self.cell_keys.append([])
            self.by_support[token] = index
        self.cell_keys[index].append(key)
        self.keys[key] = index


def _monthly_worth_publishing(series: np.ndarray, years: Sequence[ReportingYear],
                              months: Sequence[str], min_monthly_mean: float | None) -> bool:
    """Whether a unit's monthly series of a category is published at all.

    A series averaging only a few offences a month would be mostly hidden, and its hidden
    months would force yet more figures above it to be hidden; it is published by year only.
    The rule reads the published yearly totals (so applying it reveals nothing new); with no
    whole year held it reads the months held.
    """
    if min_monthly_mean is None:
        return True
    if years:
        pos = {m: i for i, m in enumerate(months)}
        means = [series[[pos[m] for m in y.months]].sum() / 12 for y in years]
        return float(np.mean(means)) >= min_monthly_mean
    return float(series.mean()) >= min_monthly_mean


def _published_at(cube: CountCube, level: str) -> dict[str, list[int]]:
    """Category key -> the category positions it adds up, for what ``level`` publishes."""
    cats = list(cube.categories)
    out = {c: [k] for k, c in enumerate(cats)} if cube.fine_published else {}
    for key, group in cube.groups.items():
        if level in group.levels:
            out[key] = [cats.index(m) for m in group.members]
    return out


def build_lattice(cube: CountCube, *, year_start: int = 1,
                  years: Sequence[ReportingYear] | None = None,
                  min_monthly_mean: float | None = None,
                  min_lsoa_mean: float | None = None) -> Lattice:
    """The lattice of ``cube``'s area for reporting years starting in ``year_start`` (or the
    given ``years``, which must not overlap). A unit's monthly series of a category is in the
    lattice only if it averages at least ``min_monthly_mean`` a month (all, when ``None``).
    Neighbourhoods are published only if the area's counted rows average at least
    ``min_lsoa_mean`` a neighbourhood a year (sparse partner data would be almost all hidden,
    and every hidden neighbourhood costs the audit; the rule reads published totals only)."""
    geo = cube.geography
    lsoa = geo.lsoa
    if years is None:
        years = reporting_years(cube.months, start_month=year_start)
    years = tuple(years)
    seen: set[str] = set()
    for year in years:
        if seen & set(year.months):
            raise ValueError("reporting years must not overlap")
        seen |= set(year.months)
    b = _Builder()
    cats = list(cube.categories)
    districts = (lsoa[["csp_code", "lad_code"]].astype(str).drop_duplicates()
                 .sort_values(["lad_code", "csp_code"]).itertuples(index=False))
    district_list = [(str(c), str(a)) for c, a in districts]
    d_members = {d: cube.lsoa_index([str(x) for x in lsoa.index[
        (lsoa["csp_code"].astype(str) == d[0]) & (lsoa["lad_code"].astype(str) == d[1])]])
        for d in district_list}
    # base cells: district-month-category
    z: dict[tuple[tuple[str, str], int, int], int] = {}
    for d in district_list:
        block = cube.placed[d_members[d]].sum(axis=0)  # [month, category]
        for m in range(len(cube.months)):
            for k in range(len(cats)):
                z[(d, m, k)] = b.base(("z", d, cube.months[m], cats[k]), int(block[m, k]))
    # base cells: neighbourhood-year
    y: dict[tuple[int, str], int] = {}
    for year in years:
        idx = cube.month_index(year.months)
        totals = cube.placed[:, idx].sum(axis=(1, 2))
        for i, code in enumerate(geo.codes):
            y[(i, year.label)] = b.base(("y", code, year.label), int(totals[i]))
    universe: dict[tuple[str, str], int] = {}
    for year in years:
        idx = cube.month_index(year.months)
        for level, counts in (("unlocated", cube.unlocated.sum(axis=1)),
                              ("outside", cube.outside), ("other_forces", cube.other_forces)):
            universe[(level, year.label)] = b.base((level, year.label), int(counts[idx].sum()))

    # published cells
    # a year's worth: a draft "year" of a few months is scaled up to twelve
    per_lsoa = [sum(b.values[v] for (_, label), v in y.items() if label == year.label)
                / len(geo.codes) * 12 / max(1, len(year.months)) for year in years]
    neighbourhoods = min_lsoa_mean is None or (bool(per_lsoa) and float(
        np.mean(per_lsoa)) >= min_lsoa_mean)
    for year in years:
        for i, code in enumerate(geo.codes):
            if neighbourhoods:
                b.cell(CellKey("lsoa", code, year.label), [y[(i, year.label)]])
        deciles = lsoa["imd_decile"]
        for dec in sorted(int(v) for v in deciles.dropna().unique()):
            members = cube.lsoa_index([str(c) for c in lsoa.index[deciles == dec]])
            b.cell(CellKey("decile", str(dec), year.label), [y[(int(i), year.label)]
                                                              for i in members])
        for level in UNIVERSE_LEVELS:
            b.cell(CellKey(level, geo.code, year.label), [universe[(level, year.label)]])
    monthly: set[tuple[str, str, str]] = set()
    for level in UNIT_LEVELS:
        for code in geo.units(level):
            mine = [d for d in district_list if level == "area"
                    or (level == "csp" and d[0] == code) or (level == "lad" and d[1] == code)]
            published = _published_at(cube, level)
            series = {cat: np.array([sum(b.values[z[(d, m, kk)]] for d in mine for kk in ks)
                                     for m in range(len(cube.months))])
                      for cat, ks in [*published.items(), (ALL, list(range(len(cats))))]}
            dense = {cat: _monthly_worth_publishing(v, years, cube.months, min_monthly_mean)
                     for cat, v in series.items()}
            by_month = [c for c in published if c in cats or cube.groups[c].monthly]
            # The total and every category, or the total alone: never the total beside some
            # categories, since their difference would publish the sparse ones month by month.
            chosen = ([*by_month, ALL] if all(dense[c] for c in [*by_month, ALL])
                      else [ALL] if dense[ALL] else [])
            for cat in chosen:
                ks = list(range(len(cats))) if cat == ALL else published[cat]
                monthly.add((level, code, cat))
                for m, month in enumerate(cube.months):
                    b.cell(CellKey(level, code, month, cat),
                           [z[(d, m, kk)] for d in mine for kk in ks])
            for year in years:
                months = cube.month_index(year.months)
                for cat, ks in published.items():
                    b.cell(CellKey(level, code, year.label, cat),
                           [z[(d, int(m), k)] for d in mine for m in months for k in ks])
                b.cell(CellKey(level, code, year.label), [
                    z[(d, int(m), k)] for d in mine for m in months for k in range(len(cats))])
    identities = _people(b, cube, years, z, district_list)
    for year in years:
        months = cube.month_index(year.months)
        for d in district_list:
            plus = [y[(int(i), year.label)] for i in d_members[d]]
            minus = [z[(d, int(m), k)] for m in months for k in range(len(cats))]
            identities.append((np.array(plus + minus, dtype=np.int64),
                               np.array([1] * len(plus) + [-1] * len(minus), dtype=np.int64)))
    return Lattice(cube=cube, years=years, monthly=frozenset(monthly),
                   base_names=tuple(b.names),
                   values=np.array(b.values, dtype=np.int64),
                   supports=tuple(b.supports),
                   cell_keys=tuple(tuple(k) for k in b.cell_keys), keys=b.keys,
                   identities=tuple(identities))


def _people(b: _Builder, cube: CountCube, years: Sequence[ReportingYear],
            z: dict[tuple[tuple[str, str], int, int], int],
            districts: Sequence[tuple[str, str]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The people-by-age-and-sex base cells and published cells of each year, and the
    identities that tie them to the district-month-category cells (see the module notes)."""
    if cube.people is None:
        return []
    cats = list(cube.categories)
    young_k = [k for k, c in enumerate(cats) if c in cube.under_25_members]
    identities = []
    for year in years:
        idx = cube.month_index(year.months)
        block = cube.people[idx].sum(axis=0)  # [band, sex]
        w = {(a, s): b.base(("w", a, s, year.label), int(block[i, j]))
             for i, a in enumerate(cube.age_bands) for j, s in enumerate(cube.sexes)}
        rows: dict[str, tuple[str, ...]] = {a: (a,) for a in cube.age_bands}
        if cube.under_25:
            rows[WHO_UNDER_25] = cube.under_25
        rows[WHO_ALL] = cube.age_bands
        for row, bands in rows.items():
            for sex in (*cube.sexes, WHO_ALL):
                sexes = cube.sexes if sex == WHO_ALL else (sex,)
                b.cell(CellKey(WHO_LEVEL, who_code(row, sex), year.label),
                       [w[(a, s)] for a in bands for s in sexes])
        for bands, ks in ((cube.age_bands, list(range(len(cats)))), (cube.under_25, young_k)):
            if not bands or not ks:
                continue
            plus = [w[(a, s)] for a in bands for s in cube.sexes]
            minus = [z[(d, int(m), k)] for d in districts for m in idx for k in ks]
            identities.append((np.array(plus + minus, dtype=np.int64),
                               np.array([1] * len(plus) + [-1] * len(minus), dtype=np.int64)))
    return identities
