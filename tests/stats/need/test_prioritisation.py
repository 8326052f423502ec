"""Prioritisation indices: top-15% points and z-score composites, explained per indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.stats.need import priority_index


def _indicators() -> pd.DataFrame:
    index = pd.Index([f"W{i:02d}" for i in range(20)])
    return pd.DataFrame({"violence_rate": np.arange(20.0),
                         "youth_share": np.r_[np.arange(19.0), 18.0],
                         "income": np.arange(20.0)[::-1]}, index=index)


def test_top_share_points_with_weights_directions_and_ties() -> None:
    """Worked by hand: 15% of 20 areas = 3 areas per indicator."""
    result = priority_index(_indicators(), weights={"violence_rate": 2.0},
                            directions={"income": "low is need"})
    frame = result.to_frame()
    assert frame.loc["W19", "contribution: violence_rate"] == 2.0
    assert frame.loc["W16", "contribution: violence_rate"] == 0.0
    # youth_share: 18, 18 tied at the top, then 17: all three in, plus nothing else
    assert result.contributions["youth_share"].sum() == 3.0
    # income 'low is need': the areas with the lowest income values score
    assert result.contributions.loc[["W17", "W18", "W19"], "income"].tolist() == [1.0] * 3
    assert result.score["W19"] == 2.0 + 1.0 + 1.0 and result.rank["W19"] == 1
    assert (result.contributions.sum(axis=1) == result.score).all()
    assert result.explain("W19").index[0] == "violence_rate"


def test_tie_at_threshold_includes_all_tied() -> None:
    frame = pd.DataFrame({"x": [5.0, 4.0, 4.0, 4.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]},
                         index=list("abcdefghij"))
    result = priority_index(frame)  # 15% of 10 = 2 places; three areas tie on 4
    assert result.contributions["x"].sum() == 4.0


def test_z_score_composite() -> None:
    data = _indicators()
    result = priority_index(data, method="z-score", directions={"income": "low is need"})
    z = (data - data.mean()) / data.std()
    z["income"] = -z["income"]
    np.testing.assert_allclose(result.contributions, z)
    np.testing.assert_allclose(result.score, z.sum(axis=1))


def test_bad_indicators() -> None:
    data = _indicators()
    data.iloc[2, 1] = np.nan
    with pytest.raises(ValueError, match="missing values for areas W02"):
        priority_index(data)
    with pytest.raises(ValueError, match="duplicated area codes: W00"):
        priority_index(_indicators().rename(index={"W01": "W00"}))
    with pytest.raises(ValueError, match="same value in every area"):
        priority_index(_indicators().assign(flat=1.0), method="z-score")
    with pytest.raises(ValueError, match="unknown area code"):
        priority_index(_indicators()).explain("nowhere")
