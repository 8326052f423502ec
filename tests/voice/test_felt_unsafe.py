"""Felt unsafe against recorded violence: agreement statistics and the places that differ."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alliance.voice.felt_unsafe import AS_EXPECTED, FELT, RECORDED, compare_felt_and_recorded


def areas(seed: int, n: int = 30, pins: int = 400, *, odd: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pop = rng.integers(1200, 2500, size=n).astype(float)
    recorded = rng.gamma(2.0, 20.0, size=n).round()
    share = (recorded + 0.5) / (recorded + 0.5).sum()
    if odd:  # area 0: people fear it though little is recorded; area 1: the reverse
        recorded[0], recorded[1] = 1.0, recorded.max() * 3
        share = (recorded + 0.5) / (recorded + 0.5).sum()
        share[0], share[1] = 0.2, 0.0005
        share /= share.sum()
    counts = rng.multinomial(pins, share)
    return pd.DataFrame({"pins": counts, "recorded": recorded, "population": pop},
                        index=[f"E0500{k:04d}" for k in range(n)])


def test_finds_the_places_that_differ() -> None:
    result = compare_felt_and_recorded(areas(1))
    assert result.areas.loc["E05000000", "verdict"] == FELT
    assert result.areas.loc["E05000001", "verdict"] == RECORDED
    assert (result.areas["verdict"] == AS_EXPECTED).sum() >= 20


def test_rho_is_scipy_spearman_of_the_rates() -> None:
    frame = areas(2, odd=False)
    result = compare_felt_and_recorded(frame)
    ref = stats.spearmanr(frame["pins"] / frame["population"],
                          frame["recorded"] / frame["population"]).statistic
    assert result.rho == pytest.approx(ref, abs=1e-12)
    assert result.rho_low <= result.rho <= result.rho_high
    assert result.rho_low > 0.3  # pins drawn from the recorded pattern agree with it


@pytest.mark.parametrize("seed", [3, 4, 5, 6])
def test_no_false_alarms_when_pins_follow_recorded_violence(seed: int) -> None:
    """Under H0 the BH procedure keeps false calls rare: at most one area in 30."""
    result = compare_felt_and_recorded(areas(seed, odd=False))
    assert (result.areas["verdict"] != AS_EXPECTED).sum() <= 1


def test_interval_is_stable_across_seeds() -> None:
    frame = areas(7)
    a = compare_felt_and_recorded(frame, seed=1)
    b = compare_felt_and_recorded(frame, seed=2)
    assert a.rho_low == pytest.approx(b.rho_low, abs=0.05)
    assert a.dissimilarity_high == pytest.approx(b.dissimilarity_high, abs=0.03)


def test_no_pins_says_so() -> None:
    frame = areas(8)
    frame["pins"] = 0
    result = compare_felt_and_recorded(frame)
    assert result.sentence() == "Nobody has marked a place where they feel unsafe yet."


def test_bad_input_refused() -> None:
    with pytest.raises(ValueError, match="population above 0"):
        compare_felt_and_recorded(pd.DataFrame({"pins": [1, 2, 3], "recorded": [1, 2, 3],
                                                "population": [0, 1, 1]}))
