"""What every published figure is counted from: the count cube of an area and its geography.

The *counting universe* is the same for every figure, on every page and in every file:

* **placed** — counted rows whose location lies in one of the area's LSOAs (2021), whichever
  force recorded them. Every count, rate, map, hot spot and trend counts these, and only these,
  so a district's figures add up to the area's and the dashboard agrees with the SNA.
* **unlocated** — rows the area's own force published without a location (police.uk "No
  Location"). They happened in the area but cannot be placed in any part of it; they are
  reported beside the placed count, never mixed into it.
* **placed outside** — rows the area's own force recorded that police.uk's map points put in a
  neighbouring area. They are counted where they were placed.

:class:`CountCube` holds placed counts by LSOA, month and category, and the unlocated and
outside counts by month, for the months held; nothing here is suppressed (see
:mod:`alliance.figures.lattice`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: the key of "every counted category" in every table of figures
ALL = "all"
GEOGRAPHY_COLUMNS = ("name", "population", "csp_code", "csp_name", "lad_code", "lad_name",
                     "imd_decile")
UNIVERSE_NOTE = ("Counts are of offences placed in the area's neighbourhoods (LSOAs); "
                 "offences published without a location are reported separately and are not "
                 "in any count, rate or map.")


@dataclass(frozen=True, kw_only=True)
class AreaGeography:
    """The LSOAs (2021) of an area and the units above them.

    ``lsoa`` is indexed by LSOA code with columns :data:`GEOGRAPHY_COLUMNS`: name, resident
    population (whole people), Community Safety Partnership and local authority (code and
    name) and IMD decile. Every LSOA nests in exactly one CSP and one local authority.
    """

    code: str
    name: str
    level: str
    lsoa: pd.DataFrame

    def __post_init__(self) -> None:
        missing = [c for c in GEOGRAPHY_COLUMNS if c not in self.lsoa.columns]
        if missing:
            raise ValueError(f"area geography: missing column(s) {missing}")
        if self.lsoa.empty:
            raise ValueError(f"area geography: {self.name} has no LSOAs")
        if self.lsoa.index.has_duplicates:
            raise ValueError("area geography: duplicated LSOA codes "
                             f"{sorted(set(self.lsoa.index[self.lsoa.index.duplicated()]))[:5]}")
        pop = pd.to_numeric(self.lsoa["population"], errors="coerce")
        bad = list(self.lsoa.index[pop.isna() | (pop <= 0)])
        if bad:
            raise ValueError(f"area geography: no positive population for LSOAs {bad[:10]}")

    # The geography is read-only once made, so what is derived from it is worked out once per
    # object (every dashboard request asks for the units and their LSOAs).

    @functools.cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.lsoa.index)

    @functools.cached_property
    def _units(self) -> dict[str, dict[str, str]]:
        out = {}
        for level in ("lad", "csp"):
            pairs = (self.lsoa[[f"{level}_code", f"{level}_name"]].drop_duplicates()
                     .sort_values(f"{level}_name"))
            out[level] = {str(c): str(n) for c, n in pairs.itertuples(index=False)}
        return out

    @functools.cached_property
    def _members(self) -> dict[str, dict[str, tuple[str, ...]]]:
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for level in ("lad", "csp"):
            groups: dict[str, list[str]] = {}
            for lsoa, code in zip(self.lsoa.index, self.lsoa[f"{level}_code"].astype(str),
                                  strict=True):
                groups.setdefault(code, []).append(str(lsoa))
            out[level] = {code: tuple(members) for code, members in groups.items()}
        return out

    def units(self, level: str) -> dict[str, str]:
        """Code -> name of the units of ``level`` ('area', 'lad', 'csp'), in a stable order."""
        if level == "area":
            return {self.code: self.name}
        if level not in ("lad", "csp"):
            raise ValueError(f"no unit level {level!r}: use area, lad or csp")
        return dict(self._units[level])

    def lsoas_of(self, level: str, code: str) -> tuple[str, ...]:
        if level == "area":
            if code != self.code:
                raise KeyError(f"{code} is not the area {self.code}")
            return self.codes
        if level == "lsoa":
            return (code,)
        members = self._members[level].get(code, ()) if level in self._members else None
        if members is None:
            members = tuple(str(c) for c in
                            self.lsoa.index[self.lsoa[f"{level}_code"].astype(str) == code])
        if not members:
            raise KeyError(f"no {level} {code} in {self.name}")
        return members

    def population(self, lsoas: Sequence[str] | None = None) -> int:
        pop = self.lsoa["population"] if lsoas is None else self.lsoa.loc[list(lsoas),
                                                                           "population"]
        return round(float(pop.sum()))


#: the levels a category group may be published at (see :class:`CategoryGroup`)
GROUP_LEVELS = ("area", "lad", "csp")


@dataclass(frozen=True, kw_only=True)
class CategoryGroup:
    """A published sum of the cube's categories ("knife or sharp object, under 25").

    Partner data are counted in fine categories (weapon by age band by sex, say) that are
    never published one by one; what is published are their sums: one per weapon, per age
    band, per sex, a core measure and its under-25 view. ``levels`` are the units the sum is
    published for (the area, local authorities, Community Safety Partnerships) and
    ``monthly`` whether its months may be (where busy enough).
    """

    label: str
    members: tuple[str, ...]
    levels: tuple[str, ...] = GROUP_LEVELS
    monthly: bool = True


@dataclass(frozen=True, kw_only=True)
class CountCube:
    """Counts of an area's counted rows, unsuppressed: the one source of every figure.

    Attributes
    ----------
    geography : the area and its LSOAs.
    months : every month held, in order ('YYYY-MM'); months missing in the middle are not held
        (gaps, never zeros).
    categories : category key -> label, in the order tables show them.
    placed : int array [lsoa, month, category] of rows placed in each LSOA.
    unlocated : int array [month, category] of the area's own force's rows with no location.
    outside : int array [month] of the area's own force's rows placed outside the area.
    other_forces : int array [month] of placed rows recorded by other forces (in ``placed``).
    batches : the import batches the counts came from.
    groups : published sums of categories (:class:`CategoryGroup`), by key.
    fine_published : whether each category is published on its own (police.uk's few broad
        categories: yes; a partner's fine categories: no, only their ``groups``).
    source : the pooled source counted; ``all_label`` what "all" of it is called.
    people : int array [month, age band, sex] of the same placed rows by the person's
        (victim's, patient's) age band and sex, or None when the source carries neither
        (:mod:`alliance.figures.who`); ``age_bands`` and ``sexes`` label its axes,
        ``under_25`` are the bands wholly under 25 and ``under_25_members`` the categories
        that count the same rows as those bands (the identity that ties the two together).
    """

    geography: AreaGeography
    months: tuple[str, ...]
    categories: Mapping[str, str]
    placed: np.ndarray
    unlocated: np.ndarray
    outside: np.ndarray
    other_forces: np.ndarray
    batches: tuple[int, ...] = ()
    groups: Mapping[str, CategoryGroup] = field(default_factory=dict)
    fine_published: bool = True
    source: str = "police_uk_street"
    all_label: str = "all counted"
    people: np.ndarray | None = None
    age_bands: tuple[str, ...] = ()
    sexes: tuple[str, ...] = ()
    under_25: tuple[str, ...] = ()
    under_25_members: tuple[str, ...] = ()
    _month_pos: dict[str, int] = field(init=False, repr=False, compare=False)
    _lsoa_pos: dict[str, int] = field(init=False, repr=False, compare=False)
    _cat_pos: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n_l, n_m, n_k = len(self.geography.codes), len(self.months), len(self.categories)
        if self.placed.shape != (n_l, n_m, n_k):
            raise ValueError(f"placed counts have shape {self.placed.shape}, expected "
                             f"{(n_l, n_m, n_k)}")
        if list(self.months) != sorted(set(self.months)):
            raise ValueError("months must be distinct and in order")
        object.__setattr__(self, "_month_pos", {m: i for i, m in enumerate(self.months)})
        object.__setattr__(self, "_lsoa_pos", {c: i for i, c in
                                               enumerate(self.geography.codes)})
        object.__setattr__(self, "_cat_pos", {c: i for i, c in enumerate(self.categories)})
        self._check_people()
        for key, group in self.groups.items():
            unknown = [m for m in group.members if m not in self._cat_pos]
            if key in self._cat_pos or key == ALL or unknown or not group.members:
                raise ValueError(f"category group {key!r}: a category's key, or members not "
                                 f"in the cube ({unknown[:5]})")

    def _check_people(self) -> None:
        if self.people is None:
            return
        shape = (len(self.months), len(self.age_bands), len(self.sexes))
        if self.people.shape != shape:
            raise ValueError(f"people counts have shape {self.people.shape}, expected {shape}")
        # the same rows counted two ways: a month's people must add up to its placed rows
        placed = self.placed.sum(axis=(0, 2))
        people = self.people.sum(axis=(1, 2))
        if not np.array_equal(placed, people):
            bad = [m for m, a, b in zip(self.months, placed, people, strict=True) if a != b]
            raise ValueError(f"people counts do not add up to the placed rows in {bad[:5]}")
        if set(self.under_25) - set(self.age_bands):
            raise ValueError(f"under-25 bands {self.under_25} not among {self.age_bands}")
        if set(self.under_25_members) - set(self.categories):
            raise ValueError("under-25 categories not in the cube")
        if self.under_25_members:
            cats = [i for i, c in enumerate(self.categories) if c in self.under_25_members]
            bands = [i for i, a in enumerate(self.age_bands) if a in self.under_25]
            if not np.array_equal(self.placed[:, :, cats].sum(axis=(0, 2)),
                                  self.people[:, bands, :].sum(axis=(1, 2))):
                raise ValueError("the under-25 categories and age bands count different rows")

    @classmethod
    def from_counts(cls, *, geography: AreaGeography, months: Sequence[str],
                    categories: Mapping[str, str], placed: pd.DataFrame,
                    unlocated: pd.DataFrame | None = None, outside: pd.DataFrame | None = None,
                    other_forces: pd.DataFrame | None = None,
                    batches: Sequence[int] = (), groups: Mapping[str, CategoryGroup] | None = None,
                    fine_published: bool = True, source: str = "police_uk_street",
                    all_label: str = "all counted", people: pd.DataFrame | None = None,
                    age_bands: Sequence[str] = (), sexes: Sequence[str] = (),
                    under_25: Sequence[str] = (),
                    under_25_members: Sequence[str] = ()) -> CountCube:
        """Build the cube from long count tables.

        ``placed``: columns lsoa21_code, month, category, count (rows of months not in
        ``months`` or categories not in ``categories`` are an error, not dropped silently);
        ``unlocated``: month, category, count; ``outside`` and ``other_forces``: month, count;
        ``people`` (the placed rows again): month, age_band, sex, count.
        """
        months = tuple(sorted(set(months)))
        codes = geography.codes
        cats = dict(categories)
        cube = np.zeros((len(codes), len(months), len(cats)), dtype=np.int64)
        m_pos = {m: i for i, m in enumerate(months)}
        l_pos = {c: i for i, c in enumerate(codes)}
        k_pos = {c: i for i, c in enumerate(cats)}
        if len(placed):
            _check_keys(placed["lsoa21_code"], l_pos, "LSOA", "placed counts")
            _check_keys(placed["month"], m_pos, "month", "placed counts")
            _check_keys(placed["category"], k_pos, "category", "placed counts")
            np.add.at(cube, (placed["lsoa21_code"].map(l_pos).to_numpy(dtype=int),
                             placed["month"].map(m_pos).to_numpy(dtype=int),
                             placed["category"].map(k_pos).to_numpy(dtype=int)),
                      placed["count"].to_numpy(dtype=np.int64))
        unloc = np.zeros((len(months), len(cats)), dtype=np.int64)
        if unlocated is not None and len(unlocated):
            _check_keys(unlocated["month"], m_pos, "month", "unlocated counts")
            _check_keys(unlocated["category"], k_pos, "category", "unlocated counts")
            np.add.at(unloc, (unlocated["month"].map(m_pos).to_numpy(dtype=int),
                              unlocated["category"].map(k_pos).to_numpy(dtype=int)),
                      unlocated["count"].to_numpy(dtype=np.int64))
        who = None
        if people is not None:
            a_pos = {a: i for i, a in enumerate(age_bands)}
            s_pos = {x: i for i, x in enumerate(sexes)}
            who = np.zeros((len(months), len(a_pos), len(s_pos)), dtype=np.int64)
            if len(people):
                _check_keys(people["month"], m_pos, "month", "people counts")
                _check_keys(people["age_band"], a_pos, "age band", "people counts")
                _check_keys(people["sex"], s_pos, "sex", "people counts")
                np.add.at(who, (people["month"].map(m_pos).to_numpy(dtype=int),
                                people["age_band"].map(a_pos).to_numpy(dtype=int),
                                people["sex"].map(s_pos).to_numpy(dtype=int)),
                          people["count"].to_numpy(dtype=np.int64))
        return cls(geography=geography, months=months, categories=cats, placed=cube,
                   unlocated=unloc, outside=_by_month(outside, m_pos, "outside counts"),
                   other_forces=_by_month(other_forces, m_pos, "other forces' counts"),
                   batches=tuple(sorted(int(b) for b in batches)), groups=dict(groups or {}),
                   fine_published=fine_published, source=source, all_label=all_label,
                   people=who, age_bands=tuple(age_bands), sexes=tuple(sexes),
                   under_25=tuple(under_25), under_25_members=tuple(under_25_members))

    def month_index(self, months: Sequence[str]) -> np.ndarray:
        missing = [m for m in months if m not in self._month_pos]
        if missing:
            raise KeyError(f"months not held: {', '.join(missing[:6])}")
        return np.array([self._month_pos[m] for m in months], dtype=int)

    def lsoa_index(self, codes: Sequence[str]) -> np.ndarray:
        return np.array([self._lsoa_pos[c] for c in codes], dtype=int)

    def category_index(self, category: str) -> np.ndarray:
        """Positions of the categories ``category`` adds up: one, a group's, or all."""
        return np.array([self._cat_pos[c] for c in self.members(category)], dtype=int)

    def members(self, category: str) -> tuple[str, ...]:
        """The categories a category key, a group key or :data:`ALL` adds up."""
        if category == ALL:
            return tuple(self.categories)
        if category in self.groups:
            return self.groups[category].members
        if category not in self._cat_pos:
            raise KeyError(f"no category {category!r}; categories: "
                           f"{', '.join([*self.categories, *self.groups])}")
        return (category,)

    @property
    def published_categories(self) -> dict[str, str]:
        """Key -> label of what is published: the categories (if published one by one) and
        the groups, in the order tables show them (not :data:`ALL`)."""
        out = dict(self.categories) if self.fine_published else {}
        out.update({k: g.label for k, g in self.groups.items()})
        return out

    def total(self, *, lsoas: Sequence[str], months: Sequence[str], category: str) -> int:
        """Placed rows in ``lsoas`` over ``months`` of ``category`` (or :data:`ALL`)."""
        block = self.placed[np.ix_(self.lsoa_index(lsoas), self.month_index(months),
                                   self.category_index(category))]
        return int(block.sum())

    def by_lsoa(self, *, months: Sequence[str], category: str) -> pd.Series:
        block = self.placed[:, self.month_index(months)][:, :, self.category_index(category)]
        return pd.Series(block.sum(axis=(1, 2)), index=list(self.geography.codes), name="count")


def _check_keys(values: pd.Series, known: Mapping[str, int], what: str, table: str) -> None:
    unknown = sorted({str(v) for v in values.unique()} - set(known))
    if unknown:
        raise ValueError(f"{table}: unknown {what}(s) {unknown[:10]}")


def _by_month(frame: pd.DataFrame | None, m_pos: Mapping[str, int], table: str) -> np.ndarray:
    out = np.zeros(len(m_pos), dtype=np.int64)
    if frame is not None and len(frame):
        _check_keys(frame["month"], m_pos, "month", table)
        np.add.at(out, frame["month"].map(m_pos).to_numpy(dtype=int),
                  frame["count"].to_numpy(dtype=np.int64))
    return out
