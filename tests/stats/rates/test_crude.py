"""Crude rates against PHStatsMethods ``ph_rate`` and published exact Poisson limits."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PHStatsMethods import ph_rate

from alliance.stats.rates import rate


def test_matches_phstatsmethods_ph_rate() -> None:
    """Reference: PHStatsMethods.ph_rate (PHE Fingertips method: exact below 10, Byar's from 10)."""
    counts = pd.Series([1, 5, 9, 10, 11, 57, 1234], index=[f"E0100000{i}" for i in range(7)])
    pops = pd.Series([1500, 1600, 1700, 1800, 2000, 15_000, 250_000], index=counts.index)
    ours = rate(counts, pops).to_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ph_rate(pd.DataFrame({"area": counts.index, "n": counts.values, "d": pops.values}),
                      "n", "d", group_cols="area", confidence=[0.95, 0.998])
    ref = ref.set_index("area").loc[counts.index]
    np.testing.assert_allclose(ours["value"], ref["Value"], rtol=1e-12)
    np.testing.assert_allclose(ours["lower"], ref["lower_95_ci"], rtol=1e-9)
    np.testing.assert_allclose(ours["upper"], ref["upper_95_ci"], rtol=1e-9)
    wide = rate(counts, pops, confidence=0.998).to_frame()
    np.testing.assert_allclose(wide["lower"], ref["lower_99_8_ci"], rtol=1e-9)
    np.testing.assert_allclose(wide["upper"], ref["upper_99_8_ci"], rtol=1e-9)
    assert list(ours["method"][:3]) == ["exact Poisson (chi-square)"] * 3
    assert ours["method"].iloc[3] == "Byar's"


@pytest.mark.parametrize(("events", "lower", "upper"),
                         [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.624, 11.668)])
def test_exact_limits_match_garwood_table(events: int, lower: float, upper: float) -> None:
    """Reference: exact Poisson 95% limits (Garwood 1936), as tabulated in Armitage & Berry."""
    result = rate([events], [1.0], multiplier=1)
    assert result.lower.iloc[0] == pytest.approx(lower, abs=6e-4)
    assert result.upper.iloc[0] == pytest.approx(upper, abs=6e-4)


def test_index_preserved_and_zero_events_are_not_nan() -> None:
    result = rate(pd.Series([0, 3], index=["a", "b"]), pd.Series([100, 100], index=["a", "b"]))
    assert list(result.value.index) == ["a", "b"]
    assert not result.to_frame()[["value", "lower", "upper"]].isna().any().any()


@pytest.mark.parametrize(
    ("counts", "pops", "message"),
    [
        ([1, np.nan], [10, 10], "missing.*area 1|areas 1"),
        ([1, -2], [10, 10], "negative values for areas 1"),
        ([1, 2], [10, 0], "above zero.*areas 1"),
        ([1, 2], [10, np.nan], "missing denominator for areas 1"),
        ([1, 2], [10], "1 values but 2 areas"),
    ],
)
def test_bad_input_names_the_area(counts: list[float], pops: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rate(counts, pops)


def test_duplicated_and_misaligned_area_codes() -> None:
    with pytest.raises(ValueError, match="duplicated area codes: A"):
        rate(pd.Series([1, 2], index=["A", "A"]), pd.Series([5, 5], index=["A", "A"]))
    with pytest.raises(ValueError, match="only in counts: B"):
        rate(pd.Series([1, 2], index=["A", "B"]), pd.Series([5, 5], index=["A", "C"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=20),
       st.floats(0.8, 0.999))
def test_interval_contains_rate_and_widens_with_confidence(counts: list[int],
                                                           confidence: float) -> None:
    """Property: lower <= rate <= upper, and a higher confidence never narrows the interval."""
    pops = [max(c, 1) * 50 for c in counts]
    narrow = rate(counts, pops, confidence=confidence)
    wide = rate(counts, pops, confidence=min(confidence + 0.0009, 0.9999))
    assert (narrow.lower <= narrow.value + 1e-9).all()
    assert (narrow.value <= narrow.upper + 1e-9).all()
    assert (wide.lower <= narrow.lower + 1e-9).all() and (wide.upper >= narrow.upper - 1e-9).all()
