"""Comparing a published figure with England and the region, as Fingertips does.

Reference: OHID Fingertips indicator 90284 (hospital admissions caused by unintentional and
deliberate injuries in children aged 0 to 14), the standard Fingertips export in
shared/data/partners/dfe_csc/la_hospital_admissions_2324.csv.gz: every upper-tier local authority,
2010/11 to 2023/24, with Fingertips' own "Compared to England value or percentiles" flag. The
indicator's polarity is "lower is better", so Better = lower than England, Worse = higher.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.sources.partners import fingertips
from alliance.sources.partners.notes import published_comparison, published_interval
from alliance.stats.rates import compare_figure, figure_interval, pooled_value
from tests.conftest import require_shared

VERDICT = {"lower": "Better", "higher": "Worse", "similar": "Similar"}


@pytest.fixture(scope="module")
def admissions() -> pd.DataFrame:
    path = require_shared("partners", "dfe_csc", "la_hospital_admissions_2324.csv.gz")
    table = fingertips.read(path).table
    persons = table[table["breakdown"].eq("") & table["value"].notna()]
    england_rows = persons[persons["area_code"] == "E92000001"]
    # the export repeats England's row (once per area type); every copy has the same value
    assert (england_rows.groupby("period")["value"].nunique() == 1).all()
    england = england_rows.drop_duplicates("period").set_index("period")["value"]
    areas = persons[persons["area_level"] == "utla"].copy()
    areas["england"] = areas["period"].map(england)
    areas["flag"] = areas["notes"].map(published_comparison)
    return areas[areas["flag"].isin(VERDICT.values())]


def _ours(row: pd.Series, *, use_published: bool) -> str:
    interval = figure_interval(
        value=row["value"], kind="rate", multiplier=10_000, numerator=row["numerator"],
        denominator=row["denominator"],
        published=published_interval(row["notes"]) if use_published else None)
    (result,) = compare_figure(interval, {"England": row["england"]})
    return VERDICT.get(result.result, result.result)


def test_published_intervals_reproduce_every_fingertips_flag(admissions: pd.DataFrame) -> None:
    """With the published 95% interval, the rule gives Fingertips' flag on every row."""
    assert len(admissions) > 2000
    ours = admissions.apply(_ours, axis=1, use_published=True)
    assert (ours == admissions["flag"]).all()


def test_intervals_from_published_counts_agree_almost_always(admissions: pd.DataFrame) -> None:
    """From the published count and denominator (Byar's), the flags agree on at least 99% of
    rows. They cannot agree on all: NHS Digital rounds HES counts to the nearest 5 before
    publication, while Fingertips computed the value and interval from the unrounded count, so
    an interval rebuilt from the rounded count moves by up to a few admissions' worth."""
    rows = admissions[admissions["numerator"].notna() & admissions["denominator"].notna()]
    ours = rows.apply(_ours, axis=1, use_published=False)
    agree = float((ours == rows["flag"]).mean())
    assert agree >= 0.99
    # Where they differ, England lies within 5% of the rebuilt interval's nearer limit (the
    # widest gap is Rutland, whose 45 admissions a rounding to 5 moves the most).
    differ = rows[ours != rows["flag"]]
    for _, row in differ.iterrows():
        interval = figure_interval(value=row["value"], kind="rate", multiplier=10_000,
                                   numerator=row["numerator"], denominator=row["denominator"])
        assert interval.lower is not None and interval.upper is not None
        gap = min(abs(interval.lower - row["england"]), abs(interval.upper - row["england"]))
        assert gap / row["england"] < 0.05


def test_rule_moves_from_higher_to_similar_to_lower() -> None:
    interval = figure_interval(value=10.0, kind="rate", multiplier=1000, numerator=500,
                               denominator=50_000)
    assert interval.method == "Byar's"
    assert interval.lower is not None and interval.upper is not None
    grid = np.linspace(interval.lower - 1, interval.upper + 1, 41)
    results = [compare_figure(interval, {"England": float(c)})[0].result for c in grid]
    order = {"higher": 0, "similar": 1, "lower": 2}
    assert [order[r] for r in results] == sorted(order[r] for r in results)
    assert compare_figure(interval, {"England": 10.0})[0].result == "similar"


def test_no_interval_without_consistent_counts() -> None:
    # a standardised rate is not count / population: not compared, and the reason is given
    dsr = figure_interval(value=612.0, kind="rate", multiplier=100_000, numerator=500,
                          denominator=100_000)
    assert not dsr.has_interval and "standardised" in dsr.reason
    (result,) = compare_figure(dsr, {"England": 650.0})
    assert result.result == "not compared" and "standardised" in result.basis
    bare = figure_interval(value=17.8, kind="percentage")
    assert "no count" in bare.reason
    counts = figure_interval(value=629.0, kind="count")
    assert not counts.has_interval


def test_percentage_uses_wilson_and_publisher_verdict_when_no_interval() -> None:
    share = figure_interval(value=25.0, kind="percentage", numerator=50, denominator=200)
    assert share.method == "Wilson score"
    assert share.lower == pytest.approx(19.5, abs=0.1) and share.upper == pytest.approx(31.4,
                                                                                       abs=0.1)
    bare = figure_interval(value=867.0, kind="rate", multiplier=100_000)
    england, region = compare_figure(bare, {"England": 636.0, "East Midlands": None},
                                     published_verdict="Worse", polarity="low is good")
    assert (england.result, england.basis) == ("higher", "as published")
    assert region.result == "not compared" and "no East Midlands value" in region.basis


def test_pooled_group_value() -> None:
    assert pooled_value([10, 30], [1000, 1000], multiplier=1000) == pytest.approx(20.0)
    assert pooled_value([10, None], [1000, 1000], multiplier=1000) is None
    with pytest.raises(ValueError, match="finite"):
        figure_interval(value=float("nan"), kind="rate", multiplier=1000)
