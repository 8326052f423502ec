"""Local Moran against esda ``Moran_Local`` on the real Northamptonshire queen graph."""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest

from alliance.stats.hotspots import AreaGraph, local_moran
from tests.conftest import require_shared
from tests.stats.hotspots.conftest import monte_carlo_tolerance

QUADRANT = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def _esda(y: np.ndarray, graph: Any, **kwargs: Any) -> Any:
    import esda

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.Moran_Local(y, graph, **kwargs)


@pytest.mark.parametrize("transform", ["R", "B"])
def test_statistic_z_and_quadrants_equal_esda(
    violence_counts: pd.Series, northants_queen: Any, transform: Literal["R", "B"]
) -> None:
    """Reference: esda.Moran_Local — Is, (Is - EI)/sqrt(VI) and quadrant q."""
    ref = _esda(violence_counts.to_numpy(), northants_queen, transformation=transform,
                permutations=0)
    ours = local_moran(violence_counts, northants_queen, permutations=0, transform=transform)
    np.testing.assert_allclose(ours.i, ref.Is, rtol=0, atol=1e-9)
    z_ref = (ref.Is - ref.EI) / np.sqrt(ref.VI)
    np.testing.assert_allclose(ours.z, z_ref, rtol=0, atol=1e-9)
    from scipy import stats

    np.testing.assert_allclose(ours.p_norm, 2 * stats.norm.sf(np.abs(z_ref)), rtol=0, atol=1e-9)
    assert list(ours.quadrant) == [QUADRANT[int(q)] for q in ref.q]


@pytest.mark.slow  # esda's numba compilation and 9,999 permutations take ~30 s
def test_permutation_p_agrees_with_esda(violence_counts: pd.Series, northants_queen: Any) -> None:
    """Reference: esda.Moran_Local(permutations=9999).p_sim, tolerance as for Gi*.

    Values: violence per 1,000 residents (Census 2021), which has no ties. With tied integer
    counts esda's floating-point (fastmath) comparison drops some exact ties from its ">="
    count, so it differs from the exact count by more than Monte Carlo error for areas with
    one or two neighbours; see the next test for the tie handling.
    """
    residents = pd.read_csv(
        require_shared("geo", "census2021", "census21_usual_residents_lsoa21_ew_derived.csv.gz")
    ).set_index("lsoa21_code")["total_residents"]
    rate = violence_counts / residents.reindex(violence_counts.index) * 1000
    permutations = 9999
    ref = _esda(rate.to_numpy(), northants_queen, permutations=permutations, seed=4)
    ours = local_moran(rate, northants_queen, permutations=permutations, seed=9)
    tolerance = monte_carlo_tolerance(np.asarray(ref.p_sim, dtype=float), permutations)
    assert np.all(np.abs(ours.p_sim - ref.p_sim) <= tolerance)


def test_ties_counted_exactly_for_one_neighbour_areas(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    """With one neighbour j the conditional-permutation distribution is known exactly.

    I_i moves with the single drawn value, so #(I_sim >= I_i) / P estimates the share of the
    other n - 1 areas whose value is >= y_j (if y_i is above the mean) or <= y_j (below),
    ties included; p_sim folds it to the smaller tail.
    """
    permutations = 9999
    result = local_moran(violence_counts, northants_queen, permutations=permutations, seed=1)
    y = violence_counts.to_numpy()
    adjacency = northants_queen.adjacency
    checked = 0
    for position, area in enumerate(violence_counts.index):
        neighbours = adjacency.loc[area]
        if len(neighbours) != 1:
            continue
        neighbour_value = violence_counts[neighbours.index[0]]
        others = np.delete(y, position)
        above_mean = y[position] > y.mean()
        share = np.mean(others >= neighbour_value if above_mean else others <= neighbour_value)
        exact = min(share, 1 - share)
        standard_error = np.sqrt(exact * (1 - exact) / permutations)
        assert abs(result.p_sim[position] - exact) <= 5 * standard_error + 2 / permutations
        checked += 1
    assert checked >= 2


def test_labels_are_significant_quadrants(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    frame = local_moran(violence_counts, northants_queen, permutations=9999, seed=2).to_frame()
    assert frame["significant"].any()
    sig = frame[frame["significant"]]
    assert (sig["label"] == sig["quadrant"]).all()
    assert (frame.loc[~frame["significant"], "label"] == "not significant").all()
    assert set(frame["quadrant"]) <= {"HH", "LH", "LL", "HL"}


def test_negative_values_allowed_but_nan_named(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    centred = violence_counts - violence_counts.mean()
    local_moran(centred, northants_queen, permutations=0)
    bad = violence_counts.copy()
    bad.iloc[0] = np.nan
    with pytest.raises(ValueError, match=str(bad.index[0])):
        local_moran(bad, northants_queen)


def test_self_weights_rejected() -> None:
    graph = AreaGraph(ids=("A", "B"), indptr=np.array([0, 1, 2]), indices=np.array([1, 0]),
                      weights=np.ones(2), self_weights=np.ones(2))
    with pytest.raises(ValueError, match="self-weights"):
        local_moran(pd.Series([1.0, 2.0], index=["A", "B"]), graph)
