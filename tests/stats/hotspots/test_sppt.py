"""SPPT against the ``sppt`` package (Andresen's test, Python port) on real police.uk counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from alliance.stats.hotspots.sppt import spatial_point_pattern_test


@pytest.fixture(scope="module")
def before_after(northants_crimes: pd.DataFrame, northants_lsoas: Any) -> pd.DataFrame:
    """Violence per LSOA, Jan–Apr 2024 (base) and Jan–Apr 2025 (test)."""
    violent = northants_crimes[northants_crimes["Crime type"] == "Violence and sexual offences"]
    months = violent["Month"]
    base = violent[months.between("2024-01", "2024-04")]["LSOA code"].value_counts()
    test = violent[months.between("2025-01", "2025-04")]["LSOA code"].value_counts()
    index = northants_lsoas.index
    return pd.DataFrame({
        "lsoa": index,
        "base": base.reindex(index, fill_value=0).to_numpy(),
        "test": test.reindex(index, fill_value=0).to_numpy(),
    })


@pytest.mark.parametrize(("fix_base", "use_percentages"),
                         [(False, True), (True, True), (False, False)])
def test_equals_sppt_package(
    before_after: pd.DataFrame, fix_base: bool, use_percentages: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Reference: sppt.sppt(data, group_col, count_col=[base, test], B=200, seed=171717)."""
    import sppt

    ref = sppt.sppt(before_after, group_col="lsoa", count_col=["base", "test"], B=200,
                    seed=171717, check_overlap=True, fix_base=fix_base,
                    use_percentages=use_percentages, create_maps=False)
    capsys.readouterr()  # sppt prints its summary
    ours = spatial_point_pattern_test(
        before_after.set_index("lsoa")["base"], before_after.set_index("lsoa")["test"],
        bootstrap=200, seed=171717, fix_base=fix_base, use_percentages=use_percentages)
    data = ref.data.set_index("lsoa").loc[list(ours.ids)]
    np.testing.assert_allclose(ours.base_lower, data["base_L"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.base_upper, data["base_U"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.test_lower, data["test_L"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.test_upper, data["test_U"], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ours.overlap, data["intervals_overlap"] == 1)
    # Direction: ours follows the quantity compared (shares when use_percentages), sppt's the
    # raw counts; they differ only where the count and the share moved opposite ways.
    share_change = ours.test / ours.test.sum() - ours.base / ours.base.sum()
    expected = np.sign(share_change) if use_percentages else np.sign(ours.test - ours.base)
    np.testing.assert_array_equal(ours.direction, np.where(ours.overlap, 0, expected))
    same_way = np.sign(share_change) == np.sign(ours.test - ours.base)
    if not use_percentages:
        same_way[:] = True
    np.testing.assert_array_equal(ours.direction[same_way],
                                  data["SIndex_Bivariate"].to_numpy()[same_way])
    assert ours.s_index == pytest.approx(ref.s_index, abs=1e-15)
    assert ours.robust_s_index == pytest.approx(ref.robust_s_index, abs=1e-15)


def test_robust_index_ignores_empty_areas() -> None:
    """Worked example: 2 empty areas always 'overlap' (0 = 0) and inflate S, not robust S."""
    index = ["A", "B", "C", "D", "E"]
    base = pd.Series([50, 50, 0, 0, 0], index=index)
    test = pd.Series([0, 100, 0, 0, 0], index=index)
    result = spatial_point_pattern_test(base, test, seed=1)
    assert result.to_frame().loc["A", "direction"] == -1
    assert result.to_frame().loc["B", "direction"] == 1
    assert result.s_index == pytest.approx(3 / 5)
    assert result.robust_s_index == 0.0


def test_direction_follows_the_share_when_shares_are_compared() -> None:
    """Area A's count rises (400 -> 500) while the total triples, so its share falls from 40%
    to about 17%: with shares compared it is a fall (-1), with counts compared a rise (+1)."""
    index = ["A", "B", "C", "D"]
    base = pd.Series([400, 200, 200, 200], index=index)
    test = pd.Series([500, 1500, 500, 500], index=index)
    shares = spatial_point_pattern_test(base, test, bootstrap=500, seed=4)
    counts = spatial_point_pattern_test(base, test, bootstrap=500, seed=4,
                                        use_percentages=False)
    assert not shares.overlap[0] and shares.direction[0] == -1
    assert not counts.overlap[0] and counts.direction[0] == 1
    assert shares.direction[1] == 1  # B: share 20% -> 50%


def test_bad_input_named() -> None:
    a = pd.Series([1, 2], index=["A", "B"])
    with pytest.raises(ValueError, match="only in base: B"):
        spatial_point_pattern_test(a, pd.Series([1], index=["A"]))
    with pytest.raises(ValueError, match=r"whole numbers.*B"):
        spatial_point_pattern_test(a, pd.Series([1, -2], index=["A", "B"]))
    with pytest.raises(ValueError, match=r"whole numbers.*A"):
        spatial_point_pattern_test(pd.Series([1.5, 2], index=["A", "B"]), a)
