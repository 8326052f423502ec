"""The who-table (people by age band and sex) publishes through the lattice's suppression.

The attacker here is written independently of :mod:`alliance.figures.audit`: it knows the rules
(zeros shown, a hidden count is at least 1, whole numbers, which age bands are under 25) and
holds every figure the source publishes, the who-table beside the year's totals, the under-25
totals, the weapon sums, every month and neighbourhood, with one unknown per neighbourhood,
month, fine category, age band and sex, and works out by integer programming (HiGHS) the
narrowest range of every hidden small count.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from alliance.figures.cube import ALL
from alliance.figures.lattice import UNIVERSE_LEVELS, WHO_LEVEL
from alliance.figures.publication import NotPublished, publish
from alliance.figures.who import ALL_AGES, ALL_SEXES, UNDER_25_LABEL, who_table
from alliance.pool import measures
from tests.figures.people import people_rows
from tests.figures.synthetic import synthetic_cube

THRESHOLD = 5


class _Attacker:
    """Unknowns x[lsoa, month, category, band, sex] that the rules allow (a fine category's
    age half and the band agree); one row per published figure."""

    def __init__(self, pub) -> None:  # type: ignore[no-untyped-def]
        cube = pub.cube
        geo = cube.geography
        young = set(measures.under_25_members(measures.ISTV))
        self.vars = [(lsoa, m, k, a, s) for lsoa in geo.codes for m in cube.months
                     for k in cube.categories for a in cube.age_bands for s in cube.sexes
                     if (k in young) == (a in cube.under_25)]
        self.pub, self.rows, self.values, self.small = pub, [], [], []
        frame = pd.DataFrame(self.vars, columns=["lsoa", "month", "cat", "band", "sex"])
        frame = frame.merge(geo.lsoa[["csp_code", "lad_code", "imd_decile"]].astype(str),
                            left_on="lsoa", right_index=True, how="left")
        self.frame = frame

    def members(self, key) -> np.ndarray:  # type: ignore[no-untyped-def]
        f, cube = self.frame, self.pub.cube
        months = ([key.period] if len(key.period) == 7 and "-" in key.period
                  else list(self.pub.lattice.year(key.period).months))
        keep = f["month"].isin(months)
        if key.level == WHO_LEVEL:
            band, sex = key.code.split("|")
            bands = (cube.age_bands if band == ALL else cube.under_25
                     if band == "under 25" else (band,))
            keep &= f["band"].isin(bands) & f["sex"].isin(
                cube.sexes if sex == ALL else (sex,))
        else:
            keep &= f["cat"].isin(cube.members(key.category))
            if key.level in ("lsoa", "csp", "lad"):
                column = {"lsoa": "lsoa", "csp": "csp_code", "lad": "lad_code"}[key.level]
                keep &= f[column] == key.code
            elif key.level == "decile":
                keep &= f["imd_decile"] == key.code
        return np.flatnonzero(keep.to_numpy())

    def collect(self, truth: pd.DataFrame) -> None:
        true = truth.set_index(["lsoa21_code", "month", "category", "age_band", "sex"])[
            "count"].groupby(level=[0, 1, 2, 3, 4]).sum()
        values = np.array([true.get(v, 0) for v in self.vars], dtype=float)
        for key in self.pub.lattice.keys:
            if key.level in UNIVERSE_LEVELS:
                continue  # rows outside the counted universe: not in these unknowns
            members = self.members(key)
            shown = self.pub.value(key)
            assert math.isnan(shown) or shown == values[members].sum(), key
            self.rows.append(members)
            self.values.append(shown)
            if math.isnan(shown) and 1 <= values[members].sum() < THRESHOLD:
                self.small.append((key, members))

    def narrow(self) -> list[tuple[object, float, float]]:
        n = len(self.vars)
        matrix = lil_matrix((len(self.rows), n))
        for r, members in enumerate(self.rows):
            matrix[r, members] = 1
        low = np.array([1.0 if math.isnan(v) else v for v in self.values])
        high = np.array([np.inf if math.isnan(v) else v for v in self.values])
        opts = {"integrality": np.ones(n), "bounds": Bounds(0, np.inf),
                "constraints": [LinearConstraint(matrix.tocsr(), low, high)]}
        out = []
        for key, members in self.small:
            objective = np.zeros(n)
            objective[members] = 1
            lo, hi = milp(objective, **opts), milp(-objective, **opts)
            assert lo.status == 0, "the published figures must be consistent"
            high_value = np.inf if hi.status != 0 else float(-hi.fun)
            if high_value - float(lo.fun) < THRESHOLD:
                out.append((key, float(lo.fun), high_value))
        return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_small_count_is_recoverable_from_everything_the_source_publishes(
        seed: int) -> None:
    cube, rows = people_rows(seed, mean=1.5)
    pub = publish(cube, threshold=THRESHOLD)
    attacker = _Attacker(pub)
    attacker.collect(rows)
    assert any(k.level == WHO_LEVEL for k, _ in attacker.small), "small age-sex cells exist"
    assert attacker.narrow() == []


def test_shown_cells_are_the_true_counts_and_small_ones_are_hidden() -> None:
    cube, rows = people_rows(4, mean=3.0)
    pub = publish(cube, threshold=THRESHOLD)
    table = who_table(pub, period=pub.year("2024"))
    assert table is not None
    truth = rows.pivot_table(index="age_band", columns="sex", values="count", aggfunc="sum",
                             fill_value=0).reindex(index=list(measures.AGE_BANDS),
                                                   columns=list(measures.SEXES), fill_value=0)
    truth.columns = [c.capitalize() for c in truth.columns]
    truth[ALL_SEXES] = truth.sum(axis=1)
    truth.loc[UNDER_25_LABEL] = truth.loc[list(measures.UNDER_25)].sum()
    truth.loc[ALL_AGES] = truth.loc[list(measures.AGE_BANDS)].sum()
    shown = table.counts
    assert list(shown.index) == [*measures.AGE_BANDS, UNDER_25_LABEL, ALL_AGES]
    for band in shown.index:
        for sex in shown.columns:
            value, true = shown.loc[band, sex], int(truth.loc[band, sex])
            if math.isnan(value):
                assert true != 0, "zeros are always shown"
            else:
                assert value == true and not 1 <= true < THRESHOLD, (band, sex)
    # the year's total is the total the dashboard and the scorecard publish
    assert shown.loc[ALL_AGES, ALL_SEXES] == pub.value(
        next(k for k in pub.lattice.keys if k.level == "area" and k.period == "2024"
             and k.category == ALL))
    assert table.n_hidden > 0 and (table.shares().stack().dropna() <= 100).all()


def test_record_level_gives_any_months_unsuppressed_and_a_board_viewer_whole_years() -> None:
    cube, rows = people_rows(5, mean=2.0)
    open_pub = publish(cube, threshold=None)
    spring = open_pub.span(["2024-03", "2024-04", "2024-05"])
    table = who_table(open_pub, period=spring)
    assert table is not None and table.record_level and table.n_hidden == 0
    mine = rows[rows["month"].isin(spring.months)]
    assert table.counts.loc[ALL_AGES, ALL_SEXES] == len(mine)
    assert table.counts.loc["18-24", "Female"] == len(
        mine[(mine["age_band"] == "18-24") & (mine["sex"] == "female")])
    closed = publish(cube, threshold=THRESHOLD)
    with pytest.raises(NotPublished):
        who_table(closed, period=closed.month("2024-03"))


def test_a_source_without_age_or_sex_has_no_table() -> None:
    pub = publish(synthetic_cube(1, n_lsoa=6, months=12), threshold=THRESHOLD)
    assert who_table(pub, period=pub.year("2024")) is None


def test_people_must_count_the_placed_rows_again() -> None:
    cube, rows = people_rows(6)
    wrong = rows.groupby(["month", "age_band", "sex"], as_index=False)["count"].sum()
    wrong.loc[0, "count"] += 1
    with pytest.raises(ValueError, match="do not add up"):
        type(cube).from_counts(
            geography=cube.geography, months=cube.months, categories=cube.categories,
            placed=rows.groupby(["lsoa21_code", "month", "category"], as_index=False)[
                "count"].sum(), people=wrong, age_bands=cube.age_bands, sexes=cube.sexes)
    young = rows.assign(age_band=rows["age_band"].replace({"0-17": "25-34"}))
    with pytest.raises(ValueError, match="under-25"):
        type(cube).from_counts(
            geography=cube.geography, months=cube.months, categories=cube.categories,
            placed=rows.groupby(["lsoa21_code", "month", "category"], as_index=False)[
                "count"].sum(),
            people=young.groupby(["month", "age_band", "sex"], as_index=False)["count"].sum(),
            age_bands=cube.age_bands, sexes=cube.sexes, under_25=cube.under_25,
            under_25_members=cube.under_25_members)


def test_the_attacker_finds_what_primary_suppression_alone_leaves_open() -> None:
    """The attack can fail: hiding only the counts of 1 to 4 leaves some worked out from the
    totals beside them."""
    from alliance.figures.audit import Protection
    from alliance.figures.publication import Publication

    cube, rows = people_rows(1, mean=1.5)
    pub = publish(cube, threshold=THRESHOLD)
    primary = pub.protection.primary
    naive = Publication(lattice=pub.lattice, protection=Protection(
        hidden=primary.copy(), primary=primary, threshold=THRESHOLD))
    attacker = _Attacker(naive)
    attacker.collect(rows)
    assert any(key.level == WHO_LEVEL for key, _, _ in attacker.narrow())


def test_the_audit_short_rows_give_the_attacker_the_same_ranges() -> None:
    """While the year's total is visible, the audit states 'people add up to it' instead of
    'people add up to the placed rows' (quicker): every hidden cell's range is the same as with
    the identity itself."""
    import dataclasses

    from alliance.figures.audit import _Relations, attacker_ranges

    cube, _ = people_rows(2, mean=1.5)
    pub = publish(cube, threshold=THRESHOLD)
    lattice = pub.lattice
    plain = dataclasses.replace(lattice, base_names=tuple(
        ("v", *n[1:]) if n[0] == "w" else n for n in lattice.base_names))
    assert len(_Relations(lattice).short) == 2 and not _Relations(plain).short  # one year
    hidden = pub.protection.hidden
    cells = [int(c) for c in np.flatnonzero(hidden)]
    assert attacker_ranges(lattice, hidden, cells) == attacker_ranges(plain, hidden, cells)
