"""Shared input checks: every bad input gives a clear error naming the offending areas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.stats import _validate
from alliance.stats.rates import funnel_limits, proportion, rate


def test_unknown_area_codes_are_named() -> None:
    counts = pd.Series([1, 2], index=["E01026949", "E99999999"])
    with pytest.raises(ValueError, match=r"unknown area codes.*E99999999"):
        rate(counts, pd.Series([100, 100], index=counts.index), known_areas=["E01026949"])
    with pytest.raises(ValueError, match="unknown area codes"):
        proportion(counts, pd.Series([10, 10], index=counts.index), known_areas=[])
    with pytest.raises(ValueError, match="unknown area codes"):
        funnel_limits([1, 2, 3], [10, 10, 10], known_areas=[0, 1])


def test_long_lists_are_shortened() -> None:
    message = _validate.name_areas([f"A{i}" for i in range(25)])
    assert message.endswith("and 15 more") and "A0" in message


def test_infinite_fractional_and_text_values() -> None:
    with pytest.raises(ValueError, match="infinite values for areas 0"):
        rate([np.inf], [10])
    with pytest.raises(ValueError, match=r"whole numbers.*areas 0"):
        _validate.check_counts(pd.Series([1.5], name="counts"), integer=True)
    with pytest.raises(ValueError, match="must be numeric"):
        rate(["three"], [10])
    with pytest.raises(ValueError, match="empty"):
        rate([], [])


def test_same_areas_in_a_different_order() -> None:
    with pytest.raises(ValueError, match="different order"):
        rate(pd.Series([1, 2], index=["a", "b"]), pd.Series([5, 5], index=["b", "a"]))


def test_all_zero_counts_give_zero_rates_not_nan() -> None:
    result = rate([0, 0, 0], [100, 200, 300]).to_frame()
    assert (result["value"] == 0).all() and result["upper"].gt(0).all()
    assert not result.isna().any().any()
