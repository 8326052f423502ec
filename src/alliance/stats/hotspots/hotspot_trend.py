"""Classify grid cells over several periods: emerging, persistent, intermittent, former, none.

Given one density surface per period (same grid, oldest first), each cell is first marked *hot*
in a period when its density is in the top ``hot_share`` (default 5 %) of that period's cells
with any density. The pattern of hot periods then gives one class, checked in this order:

1. **none** — never hot.
2. **persistent** — hot in at least ``persistent_share`` (default 75 %) of periods, including
   the latest.
3. **emerging** — hot in the latest period, and never hot in the earlier half of the periods
   (the first floor(T / 2)).
4. **former** — not hot in any period of the later half (it was hot only early on).
5. **intermittent** — everything else: on and off.

With two periods: hot-hot is persistent, cold-hot emerging, hot-cold former. This is a
descriptive classification of where concentrations sit, in the spirit of ArcGIS's Emerging Hot
Spot Analysis (which uses Gi* and Mann–Kendall); it has no significance test, so small changes
between periods can move a cell across the threshold — read it with the surfaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    import pandas as pd

CLASSES: tuple[str, ...] = ("none", "persistent", "emerging", "former", "intermittent")


@dataclass(frozen=True, kw_only=True)
class HotspotTrend:
    """Per cell: the class and the hot/not-hot history.

    Attributes
    ----------
    category : (ny, nx) array of class names.
    hot : (T, ny, nx) booleans, hot in each period.
    thresholds : the density above which a cell was hot, per period.
    """

    category: NDArray[np.str_]
    hot: NDArray[np.bool_]
    thresholds: tuple[float, ...]
    hot_share: float
    persistent_share: float

    def to_frame(self) -> pd.DataFrame:
        """One row per cell (row-major): row, column, category, periods hot."""
        import pandas as pd

        ny, nx = self.category.shape
        rows, cols = np.divmod(np.arange(ny * nx), nx)
        return pd.DataFrame({
            "row": rows, "column": cols, "category": self.category.ravel(),
            "periods_hot": self.hot.sum(axis=0).ravel(),
        })


def classify_hotspot_trend(
    surfaces: Sequence[ArrayLike],
    *,
    hot_share: float = 0.05,
    persistent_share: float = 0.75,
) -> HotspotTrend:
    """Classify cells across periods (see the module notes for the rules).

    Parameters
    ----------
    surfaces : one 2-D density array per period, all the same shape, oldest first (e.g.
        ``kernel_density(...).density`` for each quarter, computed on the same extent).
    hot_share : share of each period's non-zero cells counted as hot (0 < share < 1).
    persistent_share : share of periods a persistent cell must be hot in.
    """
    if len(surfaces) < 2:
        raise ValueError("at least two periods are needed to classify change")
    stack = np.stack([np.asarray(s, dtype=float) for s in surfaces])
    if stack.ndim != 3:
        raise ValueError("each surface must be a 2-D grid, all of the same shape")
    if not 0 < hot_share < 1 or not 0 < persistent_share <= 1:
        raise ValueError("hot_share must be in (0, 1) and persistent_share in (0, 1]")
    bad = ~np.isfinite(stack) | (stack < 0)
    if bad.any():
        periods = sorted(set(np.nonzero(bad)[0].tolist()))
        raise ValueError(f"missing or negative densities in period(s) {periods}")
    periods_n = stack.shape[0]
    thresholds: list[float] = []
    hot = np.zeros(stack.shape, dtype=bool)
    for t in range(periods_n):
        positive = stack[t][stack[t] > 0]
        if positive.size == 0:
            thresholds.append(float("inf"))
            continue
        threshold = float(np.quantile(positive, 1 - hot_share))
        thresholds.append(threshold)
        hot[t] = (stack[t] >= threshold) & (stack[t] > 0)
    early = hot[: periods_n // 2].any(axis=0)
    late = hot[periods_n // 2:].any(axis=0)
    share = hot.mean(axis=0)
    last = hot[-1]
    category = np.full(stack.shape[1:], "intermittent", dtype=object)
    category[~late & early] = "former"
    category[last & ~early] = "emerging"
    category[(share >= persistent_share) & last] = "persistent"
    category[~hot.any(axis=0)] = "none"
    return HotspotTrend(category=category.astype(str), hot=hot, thresholds=tuple(thresholds),
                        hot_share=hot_share, persistent_share=persistent_share)
