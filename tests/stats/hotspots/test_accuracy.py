"""Hit rate, PAI, PEI and RRI on small worked examples (formulas in the module notes)."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.stats.hotspots.accuracy import hotspot_accuracy

# Ten equal cells; later events per cell; earlier events per cell.
LATER = pd.Series([10, 8, 6, 4, 2, 0, 0, 0, 0, 0],
                  index=[f"c{i}" for i in range(10)], dtype=float)
EARLIER = pd.Series([5, 10, 5, 0, 5, 0, 0, 0, 5, 0], index=LATER.index, dtype=float)


def test_worked_example_equal_cells() -> None:
    """Hot spots c1, c2 (2 of 10 cells) hold 8 + 6 = 14 of 30 later events.

    Hit rate 14/30; PAI (14/30)/(2/10) = 2.333; the best two cells hold 10 + 8 = 18, so
    PEI 14/18 = 0.778; earlier the hot spots held 15 of 30 events, so RRI (14/15)/(30/30).
    (Chainey et al. 2008; Hunt 2016; Levine 2008.)
    """
    result = hotspot_accuracy(LATER, ["c1", "c2"], earlier_counts=EARLIER)
    assert result.hit_rate == pytest.approx(14 / 30)
    assert result.pai == pytest.approx((14 / 30) / (2 / 10))
    assert result.max_capturable == 18
    assert result.pei == pytest.approx(14 / 18)
    assert result.rri == pytest.approx((14 / 15) / (30 / 30))
    assert result.to_frame().loc["pai", "value"] == pytest.approx(7 / 3)


def test_perfect_map_has_pei_one() -> None:
    result = hotspot_accuracy(LATER, ["c0", "c1"])
    assert result.pei == 1.0 and result.rri is None


def test_unequal_areas_fill_densest_first() -> None:
    """Areas A (2 km², 10 events), B (1 km², 8), C (1 km², 1); hot spot C alone (1 km²).

    Densest first: B (8/km²) fills the 1 km², so n* = 8 and PEI = 1/8. PAI = (1/19)/(1/4).
    """
    later = pd.Series({"A": 10.0, "B": 8.0, "C": 1.0})
    area = pd.Series({"A": 2.0, "B": 1.0, "C": 1.0})
    result = hotspot_accuracy(later, ["C"], cell_area=area)
    assert result.max_capturable == pytest.approx(8)
    assert result.pei == pytest.approx(1 / 8)
    assert result.pai == pytest.approx((1 / 19) / (1 / 4))
    # Hot spot A (2 km²): the best 2 km² are B (8 events) plus half of A (5 events) = 13.
    result = hotspot_accuracy(later, ["A"], cell_area=area)
    assert result.max_capturable == pytest.approx(13)


def test_bad_input_named() -> None:
    with pytest.raises(ValueError, match="not in later_counts: zz"):
        hotspot_accuracy(LATER, ["zz"])
    with pytest.raises(ValueError, match="no hot-spot"):
        hotspot_accuracy(LATER, [])
    with pytest.raises(ValueError, match=r"non-negative.*c3"):
        hotspot_accuracy(LATER.where(LATER.index != "c3", -1), ["c1"])
    with pytest.raises(ValueError, match="earlier_counts missing for: c9"):
        hotspot_accuracy(LATER, ["c1"], earlier_counts=EARLIER.drop("c9"))
