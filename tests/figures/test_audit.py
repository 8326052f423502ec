"""Suppression of the whole lattice against an attacker who knows everything published.

The attacker here is written independently of :mod:`alliance.figures.audit`: it models the
offences themselves, one unknown per neighbourhood, month and category (not the lattice's base
cells), reads every published cell through what its key *means* (a unit, a period, a category),
and knows the rules: zero is shown, a hidden count is at least 1, counts are whole. For every
primary cell it finds the narrowest range by integer programming (scipy's HiGHS). Reference
for the criterion: the ONS *Disclosure control guidance for tables produced from
administrative sources* and the tau-Argus manual (protection intervals, "audit").
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from alliance.figures.cube import ALL, CategoryGroup, CountCube
from alliance.figures.lattice import CellKey
from alliance.figures.publication import Publication, publish
from tests.figures.synthetic import synthetic_cube

THRESHOLD = 5


def _members(cube: CountCube, pub: Publication, key: CellKey) -> np.ndarray:
    """The (lsoa, month, category) unknowns a published cell adds up, from its meaning."""
    geo = cube.geography
    lsoa = geo.lsoa
    if key.level in ("lsoa", "area", "lad", "csp"):
        codes = [key.code] if key.level == "lsoa" else list(geo.lsoas_of(key.level, key.code))
    elif key.level == "decile":
        codes = [str(c) for c in lsoa.index[lsoa["imd_decile"].astype(int) == int(key.code)]]
    else:
        raise AssertionError(key.level)
    years = {y.label: y.months for y in pub.years}
    months = years.get(key.period, (key.period,))
    cats = list(cube.members(key.category))  # a category, a group of them, or all
    n_l, n_m, n_k = cube.placed.shape
    li = [list(geo.codes).index(c) for c in codes]
    mi = [list(cube.months).index(m) for m in months]
    ki = [list(cube.categories).index(c) for c in cats]
    grid = np.array(np.meshgrid(li, mi, ki, indexing="ij")).reshape(3, -1)
    return np.ravel_multi_index(grid, (n_l, n_m, n_k))


def attacker_ranges(cube: CountCube, pub: Publication,
                    extra: tuple[tuple[np.ndarray, float], ...] = ()
                    ) -> dict[CellKey, tuple[float, float]]:
    """The narrowest range of each primary cell given every published cell and ``extra``
    published figures (the unknowns they add up, their value), e.g. quarters."""
    n = cube.placed.size
    rows, low, high = [], [], []
    for members, value in extra:
        row = np.zeros(n)
        row[members] = 1
        rows.append(row)
        low.append(value)
        high.append(value)
    primaries = []
    for c, keys in enumerate(pub.lattice.cell_keys):
        key = next((k for k in keys if k.level not in ("unlocated", "outside",
                                                       "other_forces")), None)
        if key is None:
            continue
        members = _members(cube, pub, key)
        row = np.zeros(n)
        row[members] = 1
        rows.append(row)
        if pub.protection.hidden[c]:
            low.append(1.0)
            high.append(np.inf)
            if pub.protection.primary[c]:
                primaries.append((key, members))
        else:
            value = float(pub.lattice.cell_values[c])
            low.append(value)
            high.append(value)
    constraint = LinearConstraint(np.array(rows), np.array(low), np.array(high))
    out = {}
    for key, members in primaries:
        objective = np.zeros(n)
        objective[members] = 1
        opts = {"integrality": np.ones(n), "bounds": Bounds(0, np.inf),
                "constraints": [constraint]}
        lo = milp(objective, **opts)
        hi = milp(-objective, **opts)
        assert lo.status == 0, "the published figures must be consistent"
        out[key] = (float(lo.fun), float("inf") if hi.status != 0 else float(-hi.fun))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_primary_cell_can_be_narrowed_below_the_threshold(seed: int) -> None:
    cube = synthetic_cube(seed, n_lsoa=10, months=12)
    pub = publish(cube, threshold=THRESHOLD)
    assert pub.protection.primary.any(), "the synthetic area must have small counts"
    ranges = attacker_ranges(cube, pub)
    narrow = {k: r for k, r in ranges.items() if r[1] - r[0] < THRESHOLD}
    assert narrow == {}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_partner_groups_protect_their_small_counts_too(seed: int) -> None:
    """A partner's cube: fine categories never published alone, their sums (a weapon, the
    under-25s, a core measure's under-25 view) published at the area, councils and districts,
    one group at the area only; the attacker reads each group cell as the sum it is."""
    cube = synthetic_cube(seed, n_lsoa=10, months=12, categories=4, mean=1.2)
    cats = list(cube.categories)
    groups = {"sharp": CategoryGroup(label="Sharp", members=(cats[0], cats[1])),
              "u25": CategoryGroup(label="Under 25", members=(cats[0], cats[2])),
              "sharp_u25": CategoryGroup(label="Sharp, under 25", members=(cats[0],),
                                         levels=("area",), monthly=False)}
    cube = dataclasses.replace(cube, groups=groups, fine_published=False)
    pub = publish(cube, threshold=THRESHOLD)
    keys = {k.category for keys in pub.lattice.cell_keys for k in keys}
    assert keys >= {"sharp", "u25", "sharp_u25", ALL} and not keys & set(cats)
    assert pub.protection.primary.any()
    narrow = {k: r for k, r in attacker_ranges(cube, pub).items() if r[1] - r[0] < THRESHOLD}
    assert narrow == {}


def test_attacker_recovers_a_count_when_only_primary_suppression_is_applied() -> None:
    """The attacker is not toothless: without secondary suppression it recovers cells."""
    cube = synthetic_cube(5, n_lsoa=10, months=12)
    pub = publish(cube, threshold=THRESHOLD)
    only_primary = Publication(lattice=pub.lattice, protection=type(pub.protection)(
        hidden=pub.protection.primary.copy(), primary=pub.protection.primary,
        threshold=THRESHOLD))
    ranges = attacker_ranges(cube, only_primary)
    assert any(hi - lo < THRESHOLD for lo, hi in ranges.values())


def test_zero_is_never_hidden_and_small_counts_always_are() -> None:
    cube = synthetic_cube(6, n_lsoa=10, months=12)
    pub = publish(cube, threshold=THRESHOLD)
    values = pub.lattice.cell_values
    assert not pub.protection.hidden[values == 0].any()
    assert pub.protection.hidden[(values >= 1) & (values < THRESHOLD)].all()


def test_record_level_hides_nothing() -> None:
    cube = synthetic_cube(7, n_lsoa=8, months=12)
    pub = publish(cube, threshold=None)
    assert not pub.protection.hidden.any()
