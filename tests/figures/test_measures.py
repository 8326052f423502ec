"""Outcome measures: one truth with the count and rate functions, quarters as sums of
published months that reveal nothing, every period computed, hidden counts change nothing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliance.figures import counts
from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.measures import (
    BY_YEAR_ONLY,
    HIDDEN,
    NOT_HELD,
    SHOWN,
    MeasureSpec,
    every_period,
    measure_monthly,
    measure_table,
    measure_value,
    quarter_months,
    quarters_held,
)
from alliance.figures.publication import publish
from tests.figures.synthetic import synthetic_cube
from tests.figures.test_audit import THRESHOLD, _members, attacker_ranges
from tests.figures.test_publication import _poisoned


@pytest.fixture(scope="module")
def pub():  # type: ignore[no-untyped-def]
    return publish(synthetic_cube(42, n_lsoa=8, months=24, mean=4.0), threshold=5)


def test_a_year_is_the_count_and_rate_functions_figure(pub) -> None:  # type: ignore[no-untyped-def]
    geo = pub.cube.geography
    year = pub.years[-1].label
    for level, code in [("area", geo.code), *[("csp", c) for c in geo.units("csp")]]:
        for cat in [ALL, *pub.cube.categories]:
            spec = MeasureSpec(key="m", title="m", level=level, code=code,
                               categories=() if cat == ALL else (cat,))
            v = measure_value(pub, spec, year)
            r = counts.rate(pub, level=level, code=code, period=pub.year(year), category=cat)
            assert (math.isnan(v.rate.value) and math.isnan(r.value)) or (
                (v.rate.value, v.rate.lower, v.rate.upper) == (r.value, r.lower, r.upper))


def test_quarters_are_sums_of_published_months(pub) -> None:  # type: ignore[no-untyped-def]
    assert quarter_months("2025-Q3") == ("2025-07", "2025-08", "2025-09")
    assert quarters_held(pub) == tuple(f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4))
    spec = MeasureSpec(key="all", title="All")
    geo = pub.cube.geography
    for q in quarters_held(pub):
        v = measure_value(pub, spec, q)
        months = [pub.value(CellKey("area", geo.code, m)) for m in quarter_months(q)]
        if any(np.isnan(months)):
            assert v.state == HIDDEN and math.isnan(v.count)
        else:
            assert v.state == SHOWN and v.count == sum(months)
            assert v.rate.annualised  # a quarter is put on a yearly footing by days
    assert measure_value(pub, spec, "2023-Q1").state == NOT_HELD


def test_a_sparse_series_is_published_by_year_only(pub) -> None:  # type: ignore[no-untyped-def]
    geo = pub.cube.geography
    sparse = [(lvl, code, c) for lvl in ("csp",) for code in geo.units(lvl)
              for c in pub.cube.categories
              if not pub.has_monthly(level=lvl, code=code, category=c)]
    assert sparse, "the synthetic area has a sparse district series"
    level, code, cat = sparse[0]
    spec = MeasureSpec(key="s", title="s", level=level, code=code, categories=(cat,))
    assert measure_value(pub, spec, "2025-Q3").state == BY_YEAR_ONLY
    assert measure_value(pub, spec, "2025-07").state == BY_YEAR_ONLY
    assert measure_value(pub, spec, pub.years[-1].label).state in (SHOWN, HIDDEN)
    assert measure_monthly(pub, spec).isna().all()


def test_several_categories_add_up_and_every_period_is_computed(pub) -> None:  # type: ignore[no-untyped-def]
    cats = tuple(pub.cube.categories)[:2]
    spec = MeasureSpec(key="two", title="Two", categories=cats)
    table = measure_table(pub, spec)
    assert list(table["period"]) == list(every_period(pub))
    assert set(table["kind"]) == {"year", "quarter", "month"}
    year = pub.years[-1].label
    geo = pub.cube.geography
    parts = [pub.value(CellKey("area", geo.code, year, c)) for c in cats]
    assert measure_value(pub, spec, year).count == pytest.approx(sum(parts))
    with pytest.raises(KeyError, match="no category"):
        measure_value(pub, MeasureSpec(key="x", title="x", categories=("nope",)), year)
    with pytest.raises(ValueError, match="unit"):
        MeasureSpec(key="x", title="x", level="lsoa")


def test_record_level_gets_any_period_from_the_cube(pub) -> None:  # type: ignore[no-untyped-def]
    record = publish(pub.cube, threshold=None)
    v = measure_value(record, MeasureSpec(key="a", title="a"), "2025-Q3")
    assert v.record_level and v.state == SHOWN
    assert v.count == pub.cube.placed[:, 18:21].sum()


@pytest.mark.parametrize("seed", [43, 48])
def test_no_measure_moves_when_hidden_counts_do(seed: int) -> None:
    pub = publish(synthetic_cube(seed, n_lsoa=10, months=12, mean=3.0), threshold=5)
    assert pub.protection.hidden.any()
    poisoned = _poisoned(pub)
    geo = pub.cube.geography
    for level, code in [("area", geo.code), *[("csp", c) for c in geo.units("csp")]]:
        for cats in [(), *[(c,) for c in pub.cube.categories]]:
            spec = MeasureSpec(key="m", title="m", level=level, code=code, categories=cats)
            a, b = measure_table(pub, spec), measure_table(poisoned, spec)
            assert a.fillna(-1).equals(b.fillna(-1))
            assert measure_monthly(pub, spec).fillna(-1).equals(
                measure_monthly(poisoned, spec).fillna(-1))


@pytest.mark.parametrize("seed", [40, 43, 48])
def test_an_attacker_holding_every_quarter_learns_nothing_more(seed: int) -> None:
    """The attacker of tests/figures/test_audit.py, given every shown quarterly figure of every
    unit and category on top of the lattice, narrows no small count below the threshold."""
    cube = synthetic_cube(seed, n_lsoa=10, months=12, mean=3.0)
    pub = publish(cube, threshold=THRESHOLD)
    assert pub.protection.primary.any()
    geo = cube.geography
    extra = []
    for level, code in [("area", geo.code), *[("csp", c) for c in geo.units("csp")],
                        *[("lad", c) for c in geo.units("lad")]]:
        for cat in [ALL, *cube.categories]:
            spec = MeasureSpec(key="q", title="q", level=level, code=code,
                               categories=() if cat == ALL else (cat,))
            for q in quarters_held(pub):
                v = measure_value(pub, spec, q)
                if v.shown:
                    members = np.concatenate([_members(cube, pub, CellKey(level, code, m, cat))
                                              for m in quarter_months(q)])
                    extra.append((members, v.count))
    assert extra
    ranges = attacker_ranges(cube, pub, tuple(extra))
    assert {k: r for k, r in ranges.items() if r[1] - r[0] < THRESHOLD} == {}


def test_change_is_the_count_functions_change_for_one_category(pub) -> None:  # type: ignore[no-untyped-def]
    """A measure of one category compares periods exactly as counts.change does."""
    from alliance.figures.measures import measure_change

    geo = pub.cube.geography
    spec = MeasureSpec(key="all", title="All")
    ours = measure_change(pub, spec, before="2024-Q3", after="2025-Q3")
    ref = counts.change(pub, level="area", code=geo.code, before=quarter_months("2024-Q3"),
                        after=quarter_months("2025-Q3"))
    assert (ours.verdict, ours.before, ours.after) == (ref.verdict, ref.before, ref.after)
    if ours.shown:
        assert (ours.ratio, ours.lower, ours.upper) == pytest.approx(
            (ref.ratio, ref.lower, ref.upper), rel=1e-9)
    with pytest.raises(ValueError, match="does not end before"):
        measure_change(pub, spec, before="2025-Q3", after="2025-Q1")
