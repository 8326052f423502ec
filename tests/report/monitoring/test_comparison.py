"""The scorecard beside England and similar areas, the 12 months a quarter is judged over, and
a Home Office core measure computed from a partner source's lattice."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from alliance.figures.cube import CategoryGroup
from alliance.figures.measures import MeasureSpec, measure_value
from alliance.figures.publication import publish
from alliance.report.monitoring import MeasureInput, score
from alliance.report.monitoring import comparison as comparison_module
from alliance.report.monitoring.sections import chance_note
from alliance.stats.rates.comparators import compare_figure, figure_interval
from alliance.stats.rates.target import against_target
from tests.figures.synthetic import synthetic_cube

ROBBERY = ("police_uk_street", frozenset({"cat0"}))


@pytest.fixture(scope="module")
def pub():  # type: ignore[no-untyped-def]
    return publish(synthetic_cube(7, n_lsoa=8, months=24, categories=1, mean=6.0), threshold=5)


@pytest.fixture
def as_robbery(monkeypatch: pytest.MonkeyPatch) -> None:
    """The synthetic busy category stands for police.uk robbery."""
    monkeypatch.setitem(comparison_module.NATIONAL_EQUIVALENT, ROBBERY,
                        ("prc_robbery_rate", "robbery recorded by the police (ONS)"))


def _rows(value_england: float, *, start: str = "2024-10-01", end: str = "2025-09-30",
          similar: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    rows = [{"area_code": "E92000001", "area_name": "England", "period": "YE Sep 2025",
             "period_start": start, "period_end": end, "value": value_england,
             "numerator": None, "denominator": None}]
    for code, (num, den) in (similar or {}).items():
        rows.append({"area_code": code, "area_name": code, "period": "YE Sep 2025",
                     "period_start": start, "period_end": end, "value": num / den * 1000,
                     "numerator": num, "denominator": den})
    return pd.DataFrame(rows)


def _measure(**changes: object) -> MeasureInput:
    base: dict[str, object] = dict(key="rob", title="Robbery", kind="pooled",
                                   spec=MeasureSpec(key="rob", title="Robbery",
                                                    categories=("cat0",)),
                                   baseline_period="2024", target=1.0)
    return MeasureInput(**{**base, **changes})  # type: ignore[arg-type]


def test_a_quarter_is_judged_over_the_12_months_ending_with_it(pub, as_robbery) -> None:  # type: ignore[no-untyped-def]
    m = _measure(comparators=_rows(0.5))
    s = score(pub, m, period="2025-Q3", start="2025-07")
    assert s.value is not None and s.value.months == ("2025-07", "2025-08", "2025-09")
    assert s.judged is not None and s.judged.months[0] == "2024-10" and len(s.judged.months) == 12
    direct = measure_value(pub, m.spec, "12 months to 2025-09")  # type: ignore[arg-type]
    monthly = [measure_value(pub, m.spec, f"{x}").count  # type: ignore[arg-type]
               for x in s.judged.months]
    assert s.judged.count == direct.count == sum(monthly)
    expected = against_target(value=direct.rate.value, lower=direct.rate.lower,
                              upper=direct.rate.upper, target=1.0, polarity="low is good")
    assert s.target is not None and s.target.rag == expected.rag
    assert "Judged over the 12 months to September 2025" in s.against_target
    # A whole reporting year is its own lattice cell, not a sum of months.
    year = measure_value(pub, m.spec, "12 months to 2025-12")  # type: ignore[arg-type]
    assert year.count == measure_value(pub, m.spec, "2025").count  # type: ignore[arg-type]


def test_without_12_months_held_the_quarter_alone_is_rated_and_says_so(pub, as_robbery) -> None:  # type: ignore[no-untyped-def]
    s = score(pub, _measure(comparators=_rows(0.5)), period="2024-Q2", start="2024-04")
    assert s.value is not None and s.judged is s.value  # July 2023 on is not held
    assert s.target is not None and s.target.rag != "not rated"
    assert "alone" in s.against_target and "time of year" in s.against_target
    assert s.comparisons is not None and s.comparisons.england is None
    assert "not all published" in s.england


def test_england_is_compared_over_the_same_12_months_by_the_fingertips_rule(
        pub, as_robbery) -> None:  # type: ignore[no-untyped-def]
    s0 = score(pub, _measure(comparators=_rows(0.5)), period="2025-Q3", start="2025-07")
    judged = s0.judged
    assert judged is not None and judged.shown
    # The one comparator function gives the same verdict on the same interval.
    for england in (judged.rate.lower * 0.5, judged.rate.value, judged.rate.upper * 2):
        s = score(pub, _measure(comparators=_rows(england)), period="2025-Q3", start="2025-07")
        c = s.comparisons
        assert c is not None and c.england is not None
        direct = compare_figure(figure_interval(value=judged.rate.value, kind="rate",
                                                published=(judged.rate.lower,
                                                           judged.rate.upper)),
                                {"England": england})[0]
        assert c.england.result == direct.result
        expected = ("higher" if england < judged.rate.lower else
                    "lower" if england > judged.rate.upper else "similar")
        assert c.england.result == expected
        assert (expected.capitalize() if expected != "similar" else "Similar to England") \
            in s.england
        assert "No list of similar areas" in s.similar
    assert "That is worse." in score(pub, _measure(comparators=_rows(judged.rate.lower * 0.5)),
                                     period="2025-Q3", start="2025-07").england


def test_no_england_figure_for_other_months_or_for_the_local_definition(
        pub, as_robbery) -> None:  # type: ignore[no-untyped-def]
    old = _rows(0.5, start="2019-01-01", end="2019-12-31").assign(period="YE Dec 2019")
    s = score(pub, _measure(comparators=old), period="2025-Q3", start="2025-07")
    assert s.comparisons is not None and s.comparisons.england is None
    assert "No England figure for the 12 months to September 2025" in s.england
    assert "YE Dec 2019" in s.england
    local = _measure(spec=MeasureSpec(key="all", title="All"), comparators=_rows(0.5))
    assert "local definition" in score(pub, local, period="2025-Q3", start="2025-07").england


def test_similar_areas_are_pooled_counts_not_a_mean_of_rates(pub, as_robbery) -> None:  # type: ignore[no-untyped-def]
    groups = {"E23000001": (900, 1_000_000), "E23000002": (10, 100_000)}
    m = _measure(comparators=_rows(0.5, similar=groups), similar=tuple(groups))
    s = score(pub, m, period="2025-Q3", start="2025-07")
    c = s.comparisons
    assert c is not None and c.similar is not None
    assert c.similar.comparator_value == pytest.approx(910 / 1_100_000 * 1000)
    assert c.similar.comparator_value != pytest.approx((0.9 + 0.1) / 2)
    assert "similar areas'" in s.similar and "per 1,000 residents a year" in s.similar
    missing = _measure(comparators=_rows(0.5, similar=groups),
                       similar=(*groups, "E23000003"))
    assert "not every one" in score(pub, missing, period="2025-Q3", start="2025-07").similar


def test_a_core_measure_is_computed_from_its_partner_source(pub) -> None:  # type: ignore[no-untyped-def]
    cube = synthetic_cube(11, n_lsoa=8, months=24, mean=3.0)
    partner = publish(dataclasses.replace(
        cube, source="istv_ae", fine_published=False, all_label="All attendances",
        groups={"sharp": CategoryGroup(label="Knife or sharp object", members=("cat0", "cat1"))}),
        threshold=5)
    spec = MeasureSpec(key="c1", title="Knife attendances", categories=("sharp",),
                       source="istv_ae")
    year = measure_value(partner, spec, "2025")
    assert year.count == partner.count(level="area", code=partner.cube.geography.code,
                                       period=partner.year("2025"), category="sharp")
    m = MeasureInput(key="c1", title="Knife attendances", kind="pooled", spec=spec, core=True,
                     publication=partner, baseline_period="2024", target=2.0)
    s = score(pub, m, period="2025", start="2025-01")
    assert s.value is not None and s.value.count == year.count
    assert s.judged is s.value and "none is published" in s.england
    with pytest.raises(KeyError, match="istv_ae"):
        measure_value(pub, spec, "2025")  # never silently counted from police.uk


def test_the_chance_note_counts_the_judgements() -> None:
    assert "about 1 in 20 of them" in chance_note(3)
    assert "about 2 would" in chance_note(40)
    assert "No measure" in chance_note(0)
