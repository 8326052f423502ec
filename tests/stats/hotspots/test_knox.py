"""Knox near-repeat test: worked example, exact expectation, and planted near repeats.

police.uk gives only the month of each crime, so no real file supports day-level near-repeat
analysis; these tests use small hand-made or simulated events (stated in each test).
"""

from __future__ import annotations

import numpy as np
import pytest

from alliance.stats.hotspots.knox import knox_test


def test_worked_example_observed_table() -> None:
    """Four events, counted by hand.

    A(0,0) day 0, B(0,0) day 3, C(100,0) day 10, D(1000,0) day 40. Distance bands 0–200 m
    (one band, plus 'same location'), time bands 0–7 and 8–14 days.
    Pairs: AB d=0 dt=3; AC d=100 dt=10; AD d=1000 dt=40; BC d=100 dt=7; BD 1000/37; CD 900/30.
    """
    points = [[0, 0], [0, 0], [100, 0], [1000, 0]]
    result = knox_test(points, [0, 3, 10, 40], distance_bandwidth=200, distance_bands=1,
                       time_bandwidth=7, time_bands=2, permutations=99, seed=0)
    assert result.distance_bands == ("same location", "0-200 m", ">200 m")
    assert result.time_bands == ("0-7 days", ">7-14 days", ">14 days")
    np.testing.assert_array_equal(result.observed, [[1, 0, 0], [1, 1, 0], [0, 0, 3]])
    frame = result.to_frame()
    assert frame.loc[("0-200 m", ">7-14 days"), "observed"] == 1
    assert frame["p"].between(0.01, 1).all()


def test_expected_equals_exact_permutation_expectation() -> None:
    """Under date shuffling E[count(d, t)] = pairs(d) x pairs(t) / all pairs exactly.

    Simulated events (uniform in a 2 km square over a year). Monte Carlo mean of 999
    shuffles must sit within 5 standard errors of that exact value.
    """
    rng = np.random.default_rng(4)
    points = rng.uniform(0, 2000, (300, 2))
    days = rng.integers(0, 365, 300)
    result = knox_test(points, days, distance_bandwidth=100, distance_bands=3,
                       time_bandwidth=7, time_bands=4, permutations=999, seed=1,
                       same_location=False)
    total_pairs = 300 * 299 / 2
    exact = np.outer(result.observed.sum(axis=1), result.observed.sum(axis=0)) / total_pairs
    # Pair counts are over-dispersed relative to Poisson (pairs share events), so allow
    # three times the Poisson standard error of a 999-shuffle mean.
    standard_error = np.sqrt(np.maximum(exact, 1) / 999) * 3
    assert np.all(np.abs(result.expected - exact) <= 5 * standard_error)


def test_planted_near_repeats_are_detected() -> None:
    """Simulated burglaries: 200 background events plus 60 repeats within 100 m and 7 days."""
    rng = np.random.default_rng(9)
    base_xy = rng.uniform(0, 5000, (200, 2))
    base_day = rng.integers(0, 365, 200)
    source = rng.integers(0, 200, 60)
    repeat_xy = base_xy[source] + rng.uniform(-50, 50, (60, 2))
    repeat_day = base_day[source] + rng.integers(1, 7, 60)
    result = knox_test(np.vstack([base_xy, repeat_xy]), np.concatenate([base_day, repeat_day]),
                       distance_bandwidth=100, distance_bands=4, time_bandwidth=7,
                       time_bands=4, permutations=199, seed=2, metric="euclidean")
    near_row = result.distance_bands.index("0-100 m")
    assert result.time_bands[0] == "0-7 days"
    assert result.knox_ratio[near_row, 0] > 3
    assert result.p[near_row, 0] <= 0.01
    far_row = result.distance_bands.index(">300-400 m")
    assert result.p[far_row, result.time_bands.index(">21-28 days")] > 0.01


def test_dates_as_datetime64_and_bad_rows() -> None:
    dates = np.array(["2025-01-01", "2025-01-03", "2025-02-01"], dtype="datetime64[D]")
    result = knox_test([[0, 0], [10, 0], [20, 0]], dates, distance_bandwidth=50,
                       distance_bands=1, time_bandwidth=7, time_bands=1, permutations=9)
    assert result.observed.sum() == 3
    with pytest.raises(ValueError, match=r"rows \[1\]"):
        knox_test(np.array([[0, 0], [np.nan, 0], [20, 0]]), [1, 2, 3], distance_bandwidth=50,
                  distance_bands=1, time_bandwidth=7, time_bands=1)
    with pytest.raises(ValueError, match="at least 3"):
        knox_test([[0, 0]], [1], distance_bandwidth=50, distance_bands=1, time_bandwidth=7,
                  time_bands=1)
