"""Gi* against esda ``G_Local(y, w, star=True)`` on real Northamptonshire and E&W graphs."""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest

from alliance.stats.hotspots import AreaGraph, gi_star, queen_contiguity
from tests.conftest import require_shared
from tests.stats.hotspots.conftest import monte_carlo_tolerance


def _esda_g_local(y: np.ndarray, graph: Any, **kwargs: Any) -> Any:
    import esda

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(y, graph, star=True, **kwargs)


@pytest.mark.parametrize("transform", ["R", "B"])
def test_z_and_p_norm_equal_esda_northants(
    violence_counts: pd.Series, northants_queen: Any, transform: Literal["R", "B"]
) -> None:
    """Reference: esda.G_Local(y, queen, star=True, transform=...) — Zs, Gs, p_norm (x2)."""
    ref = _esda_g_local(violence_counts.to_numpy(), northants_queen, transform=transform,
                        permutations=0)
    ours = gi_star(violence_counts, northants_queen, permutations=0, transform=transform)
    np.testing.assert_allclose(ours.g, ref.Gs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.z, ref.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.p_norm, 2 * ref.p_norm, rtol=0, atol=1e-9)
    assert ours.tested_p == "p_norm"


@pytest.mark.slow  # esda's numba compilation and 9,999 permutations take ~30 s
def test_permutation_p_agrees_with_esda_within_monte_carlo_error(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    """Reference: esda.G_Local(..., permutations=9999).p_sim; tolerance in conftest."""
    permutations = 9999
    ref = _esda_g_local(violence_counts.to_numpy(), northants_queen, permutations=permutations,
                        seed=11, n_jobs=1)
    ours = gi_star(violence_counts, northants_queen, permutations=permutations, seed=5)
    tolerance = monte_carlo_tolerance(np.asarray(ref.p_sim, dtype=float), permutations)
    assert np.all(np.abs(ours.p_sim - ref.p_sim) <= tolerance)
    # Same seed, same answer.
    again = gi_star(violence_counts, northants_queen, permutations=permutations, seed=5)
    np.testing.assert_array_equal(ours.p_sim, again.p_sim)
    np.testing.assert_array_equal(ours.p_sim_two_sided, np.minimum(1, 2 * ours.p_sim))


def test_labels_follow_significance_and_sign(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    """With 9999 permutations the county-town centres come out hot; labels match q and z."""
    result = gi_star(violence_counts, northants_queen, permutations=9999, seed=3)
    frame = result.to_frame()
    assert (frame["label"] == "hot").sum() > 0
    assert frame["significant"].equals(frame["q"] <= 0.05)
    hot = frame[frame["label"] == "hot"]
    assert (hot["z"] > 0).all()
    # The area with most violence (a town centre) is among the hot spots.
    assert violence_counts.idxmax() in hot.index


def test_warns_when_permutations_too_few_for_fdr(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    """999 permutations cannot reach FDR significance over 443 areas here: say so, and say
    how many would do under any correction (2 / (P + 1) <= 0.05 / 443 needs P >= 17,719)."""
    with pytest.warns(UserWarning, match=r"more permutations \(permutations=99999 is enough"):
        result = gi_star(violence_counts, northants_queen, permutations=999, seed=1)
    assert not result.significant.any()


def test_input_order_and_index_are_kept(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    shuffled = violence_counts.sample(frac=1.0, random_state=2)
    a = gi_star(violence_counts, northants_queen, permutations=0).to_frame()
    b = gi_star(shuffled, northants_queen, permutations=0).to_frame()
    assert list(b.index) == list(shuffled.index)
    pd.testing.assert_frame_equal(a.loc[b.index], b)


def test_w_and_our_queen_graph_give_the_same_answer(
    violence_counts: pd.Series, northants_queen: Any, northants_lsoas: Any
) -> None:
    """libpysal W, libpysal Graph and our queen_contiguity are interchangeable."""
    w = northants_queen.to_W()
    ours = queen_contiguity(northants_lsoas.geometry.to_numpy(), northants_lsoas.index)
    ref = gi_star(violence_counts, northants_queen, permutations=99, seed=1)
    for graph in (w, ours):
        other = gi_star(violence_counts, graph, permutations=99, seed=1)
        np.testing.assert_allclose(other.z, ref.z, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(other.p_sim, ref.p_sim)


def test_england_and_wales_35672_lsoas_equal_esda() -> None:
    """Reference: esda.G_Local(star=True) on queen contiguity of all 35,672 E&W LSOAs.

    Values: Census 2021 usual residents per LSOA. The one island (no neighbour) is left out
    by us (warned and reported); esda is run on the same graph without it.
    """
    import geopandas as gpd

    lsoas = gpd.read_file(require_shared("geo", "boundaries", "lsoa21_ew_bsc.gpkg"))
    lsoas = lsoas.set_index("lsoa21_code")
    residents = pd.read_csv(
        require_shared("geo", "census2021", "census21_usual_residents_lsoa21_ew_derived.csv.gz")
    ).set_index("lsoa21_code")["total_residents"].astype(float)
    residents = residents.reindex(lsoas.index)
    graph = queen_contiguity(lsoas.geometry.to_numpy(), lsoas.index)
    islands = [graph.ids[i] for i in np.flatnonzero(graph.cardinalities == 0)]
    assert len(islands) >= 1
    with pytest.warns(UserWarning, match="islands"):
        ours = gi_star(residents, graph, permutations=0)
    assert ours.islands == tuple(islands)
    # Offshore groups (e.g. the Isle of Wight) are tested but reported as disconnected.
    assert 0 < len(ours.disconnected) < 1000
    frame = ours.to_frame()
    assert (frame.loc[islands, "label"] == "island (not tested)").all()
    assert frame.loc[islands, "z"].isna().all()

    from libpysal.graph import Graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lib_graph = Graph.build_contiguity(lsoas, rook=False)
    np.testing.assert_array_equal(
        lib_graph.cardinalities.reindex(list(graph.ids)).to_numpy(), graph.cardinalities
    )
    kept = [a for a in lsoas.index if a not in set(islands)]
    sub = lib_graph.subgraph(kept)
    ref = _esda_g_local(residents.loc[list(sub.unique_ids)].to_numpy(), sub, permutations=0)
    tested = frame.drop(index=islands).loc[list(sub.unique_ids)]
    np.testing.assert_allclose(tested["z"], ref.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(tested["p_norm"], 2 * ref.p_norm, rtol=0, atol=1e-9)


def _triangle_plus_island() -> AreaGraph:
    return AreaGraph(
        ids=("A", "B", "C", "D"),
        indptr=np.array([0, 2, 4, 6, 6]),
        indices=np.array([1, 2, 0, 2, 0, 1]),
        weights=np.ones(6),
        self_weights=np.zeros(4),
    )


def test_bad_input_names_the_areas(violence_counts: pd.Series, northants_queen: Any) -> None:
    nan = violence_counts.copy()
    nan.iloc[3] = np.nan
    with pytest.raises(ValueError, match=str(nan.index[3])):
        gi_star(nan, northants_queen)
    negative = violence_counts.copy()
    negative.iloc[5] = -1
    with pytest.raises(ValueError, match=f"non-negative.*{negative.index[5]}"):
        gi_star(negative, northants_queen)
    with pytest.raises(ValueError, match=f"in graph but no value: {violence_counts.index[0]}"):
        gi_star(violence_counts.iloc[1:], northants_queen)
    renamed = violence_counts.rename(index={violence_counts.index[0]: "E99999999"})
    with pytest.raises(ValueError, match="not in graph: E99999999"):
        gi_star(renamed, northants_queen)
    with pytest.raises(ValueError, match="same value"):
        gi_star(violence_counts * 0 + 4, northants_queen)
    single = AreaGraph(ids=("A",), indptr=np.array([0, 0]), indices=np.array([], dtype=np.int64),
                       weights=np.array([]), self_weights=np.zeros(1))
    with pytest.raises(ValueError, match="at least two"):
        gi_star(pd.Series([3.0], index=["A"]), single)
    with pytest.raises(ValueError, match="values for a graph"):
        gi_star([1.0, 2.0], northants_queen)
    doubled = pd.concat([violence_counts, violence_counts.iloc[:1]])
    with pytest.raises(ValueError, match=f"duplicated area codes in values: {doubled.index[0]}"):
        gi_star(doubled, northants_queen)
    with pytest.raises(ValueError, match="unknown correction"):
        unknown: Any = "bonferroni"
        gi_star(violence_counts, northants_queen, correction=unknown)


def test_correction_applies_to_the_permutation_p(
    violence_counts: pd.Series, northants_queen: Any
) -> None:
    """q is Holm/BH of p_sim_two_sided (reference: statsmodels multipletests)."""
    from statsmodels.stats.multitest import multipletests

    result = gi_star(violence_counts, northants_queen, permutations=9999, seed=8,
                     correction="holm")
    _, q_ref, _, _ = multipletests(result.p_sim_two_sided, method="holm")
    np.testing.assert_allclose(result.q, q_ref)
    assert result.tested_p == "p_sim_two_sided"


def test_island_is_reported_and_left_out() -> None:
    values = pd.Series([5.0, 1.0, 2.0, 9.0], index=["A", "B", "C", "D"])
    with pytest.warns(UserWarning, match="islands.*D"):
        result = gi_star(values, _triangle_plus_island(), permutations=9, seed=0)
    assert result.islands == ("D",)
    assert result.label[3] == "island (not tested)"
    assert np.isnan(result.z[3]) and not np.isnan(result.z[:3]).any()
