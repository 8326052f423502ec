"""Concentration: Gini and top shares against textbook values and the pairwise definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.stats.concentration import concentration


def test_gini_textbook_values() -> None:
    """Reference: the Gini mean-difference definition G = sum|x_i - x_j| / (2 n^2 mean);
    for 1..5 it is 4/15, for one area holding everything among 4 it is 3/4."""
    assert concentration([1, 2, 3, 4, 5]).gini == pytest.approx(4 / 15)
    assert concentration([0, 0, 0, 7]).gini == pytest.approx(0.75)
    assert concentration([3, 3, 3]).gini == pytest.approx(0.0)
    rng = np.random.default_rng(1)
    x = rng.poisson(3, 200).astype(float)
    pairwise = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert concentration(x).gini == pytest.approx(pairwise)


def test_top_share_interpolates_and_reports_ties() -> None:
    counts = pd.Series([50.0] + [10.0] * 9 + [0.0] * 10, index=[f"a{i}" for i in range(20)])
    result = concentration(counts, top=[0.05, 0.10]).to_frame()
    # top 5% of 20 areas = 1 area = the 50 events of 140
    assert result.loc[0, "event_share"] == pytest.approx(50 / 140)
    # top 10% = 2 areas: 50 + one of the nine tied 10s, whichever is taken
    assert result.loc[1, "event_share"] == pytest.approx(60 / 140)
    assert result.loc[1, "tied_at_threshold"] == 9
    fractional = concentration([5, 4, 3, 2, 1, 0, 0], top=[0.1]).to_frame()
    assert fractional.loc[0, "event_share"] == pytest.approx(0.7 * 5 / 15)


def test_lorenz_curve_ends() -> None:
    lorenz = concentration([1, 2, 3]).lorenz
    assert lorenz.iloc[0].tolist() == [0.0, 0.0] and lorenz.iloc[-1].tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("counts", "message"), [([1.0, np.nan], "NaN"), ([1, -1], "negative"),
                                                 ([0, 0], "zero for every area"),
                                                 ([4], "at least 2 areas")])
def test_bad_input(counts: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        concentration(counts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=2, max_size=60).filter(lambda xs: sum(xs) > 0))
def test_gini_bounds_and_order_invariance(counts: list[int]) -> None:
    """Property: 0 <= Gini < 1, unchanged by reordering areas; top shares rise with p."""
    result = concentration(counts)
    assert -1e-12 <= result.gini < 1
    assert concentration(counts[::-1]).gini == pytest.approx(result.gini)
    shares = result.top_shares["event_share"].to_numpy()
    assert np.all(np.diff(shares) >= -1e-12)
