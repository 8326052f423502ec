"""Proportions against PHStatsMethods ``ph_proportion`` and Newcombe's published example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PHStatsMethods import ph_proportion

from alliance.stats.rates import proportion


def test_newcombe_worked_example() -> None:
    """Reference: Newcombe RG (1998) Stat Med 17:857, example 81/263: Wilson 0.2553 to 0.3662."""
    result = proportion([81], [263])
    assert result.lower.iloc[0] == pytest.approx(0.2553, abs=1e-4)
    assert result.upper.iloc[0] == pytest.approx(0.3662, abs=1e-4)


def test_matches_phstatsmethods_ph_proportion() -> None:
    """Reference: PHStatsMethods.ph_proportion (Wilson score, PHE Fingertips)."""
    num = pd.Series([0, 3, 48, 750, 10_000], index=list("abcde"))
    den = pd.Series([100, 40, 10_000, 10_000, 10_000], index=num.index)
    ours = proportion(num, den).to_frame()
    ref = ph_proportion(pd.DataFrame({"g": num.index, "n": num.values, "d": den.values}),
                        "n", "d", group_cols="g").set_index("g")
    np.testing.assert_allclose(ours["value"], ref["Value"])
    np.testing.assert_allclose(ours["lower"], ref["lower_95_ci"], atol=1e-12)
    np.testing.assert_allclose(ours["upper"], ref["upper_95_ci"], atol=1e-12)


def test_numerator_above_denominator_is_refused() -> None:
    with pytest.raises(ValueError, match="exceeds denominators for areas x"):
        proportion(pd.Series([5], index=["x"]), pd.Series([4], index=["x"]))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_stays_in_unit_interval(pair: tuple[int, int]) -> None:
    """Property: 0 <= lower <= p <= upper <= 1 for every numerator 0..n."""
    numerator, denominator = pair
    result = proportion([numerator], [denominator])
    assert 0 <= result.lower.iloc[0] <= result.value.iloc[0] + 1e-12
    assert result.value.iloc[0] <= result.upper.iloc[0] + 1e-12 <= 1 + 1e-12
