"""How well did a hot-spot map predict later events? Hit rate, PAI, PEI and RRI.

A hot-spot map picks some cells or areas. Later events then fall inside or outside them:

* **Hit rate** = n / N: the share of later events inside the hot spots.
* **PAI** (Predictive Accuracy Index, Chainey, Tompson & Uhlig 2008) = (n / N) / (a / A): hit
  rate per share of the study area flagged. 1 = no better than chance; higher is better.
* **PEI** (Predictive Efficiency Index, Hunt 2016) = n / n*: events captured as a share of the
  most that *any* choice of the same area could have captured (n*, the best cells picked in
  hindsight from the later events). 1 = perfect for that area; comparable across map sizes.
  For equal cells n* is the sum of the k busiest cells (k = number of hot-spot cells). For areas
  of unequal size n* is computed by filling the same area with the densest areas first and a
  fraction of the next (an upper bound of the whole-area optimum, so PEI is never overstated).
* **RRI** (Recapture Rate Index, Levine 2008, CrimeStat) = (n / n_earlier) / (N / N_earlier):
  how many more later events the hot spots hold per earlier event, relative to the whole area;
  needs the earlier period's counts (the data the map was built from). Above 1: the hot spots
  recaptured a growing share.

These are descriptive measures of a map's performance; they have no null hypothesis or
p-value, and no correction applies.

References
----------
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for predicting
spatial patterns of crime. Security Journal 21, 4–28. Hunt, J. M. (2016). Do crime hot spots
move? Exploring the effects of the modifiable areal unit problem and modifiable temporal unit
problem on crime hot spot stability. PhD thesis, American University (PEI). Levine, N. (2008).
The "hottest" part of a hotspot: comments on "The utility of hotspot mapping for predicting
spatial patterns of crime". Security Journal 21, 295–302 (RRI).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, kw_only=True)
class HotspotAccuracy:
    """The four measures and the counts behind them."""

    hit_rate: float
    pai: float
    pei: float
    rri: float | None
    events_in_hotspots: float
    events_total: float
    hotspot_area: float
    total_area: float
    max_capturable: float
    hotspot_cells: int

    def to_frame(self) -> pd.DataFrame:
        """One row per measure (``measure``, ``value``)."""
        import pandas as pd

        values = {
            "hit_rate": self.hit_rate, "pai": self.pai, "pei": self.pei, "rri": self.rri,
            "events_in_hotspots": self.events_in_hotspots, "events_total": self.events_total,
            "hotspot_area": self.hotspot_area, "total_area": self.total_area,
            "max_capturable": self.max_capturable, "hotspot_cells": self.hotspot_cells,
        }
        return pd.DataFrame({"value": values}).rename_axis("measure")


def _series(values: Any, name: str) -> pd.Series:
    import pandas as pd

    series = pd.Series(values, dtype=float)
    series.index = series.index.map(str)
    if series.index.has_duplicates:
        dup = sorted(set(series.index[series.index.duplicated()]))
        raise ValueError(f"duplicated codes in {name}: {', '.join(dup[:10])}")
    bad = ~np.isfinite(series.to_numpy()) | (series.to_numpy() < 0)
    if bad.any():
        raise ValueError(f"{name} must be finite and non-negative; bad for: "
                         f"{', '.join(series.index[bad][:10])}")
    return series


def hotspot_accuracy(
    later_counts: Any,
    hotspots: Iterable[Any],
    *,
    cell_area: Any = None,
    earlier_counts: Any = None,
) -> HotspotAccuracy:
    """Hit rate, PAI, PEI and (with earlier counts) RRI of a hot-spot map.

    Parameters
    ----------
    later_counts : Series (or mapping) of events in the evaluation period per cell/area code,
        covering the whole study area (zeros included).
    hotspots : codes of the cells/areas the map flagged.
    cell_area : area of each cell (Series/mapping by code) or one number for equal cells;
        default 1 per cell (equal cells).
    earlier_counts : events per code in the period the map was built from (for RRI).

    Raises
    ------
    ValueError
        Hot-spot codes not in ``later_counts`` (named), no hot spots, no later events,
        negative or missing counts/areas, or codes missing from ``cell_area``/``earlier_counts``.
    """
    later = _series(later_counts, "later_counts")
    chosen = sorted({str(h) for h in hotspots})
    if not chosen:
        raise ValueError("no hot-spot cells given")
    unknown = sorted(set(chosen) - set(later.index))
    if unknown:
        raise ValueError(f"hot-spot codes not in later_counts: {', '.join(unknown[:10])}")
    if later.sum() <= 0:
        raise ValueError("no later events: accuracy is undefined")
    if cell_area is None or isinstance(cell_area, int | float):
        area = later * 0 + (1.0 if cell_area is None else float(cell_area))
    else:
        area = _series(cell_area, "cell_area")
        missing = sorted(set(later.index) - set(area.index))
        if missing:
            raise ValueError(f"cell_area missing for: {', '.join(missing[:10])}")
        area = area.reindex(later.index)
    if (area <= 0).any():
        raise ValueError(f"cell areas must be positive; not for: "
                         f"{', '.join(area.index[area <= 0][:10])}")
    in_hot = later.index.isin(chosen)
    n, total_events = float(later[in_hot].sum()), float(later.sum())
    a, total_area = float(area[in_hot].sum()), float(area.sum())
    hit_rate = n / total_events
    pai = hit_rate / (a / total_area)
    # n*: the most events any selection of the same area could hold (densest first; the
    # last area taken fractionally, which is exact for equal cells).
    density_order = np.argsort(-(later / area).to_numpy(), kind="stable")
    cum_area = np.cumsum(area.to_numpy()[density_order])
    cum_events = np.cumsum(later.to_numpy()[density_order])
    full = int(np.searchsorted(cum_area, a * (1 + 1e-12), side="right"))
    best = cum_events[full - 1] if full else 0.0
    if full < len(cum_area):
        prev_area = cum_area[full - 1] if full else 0.0
        nxt = density_order[full]
        best += (a - prev_area) / area.iloc[nxt] * later.iloc[nxt]
    pei = n / best if best > 0 else float("nan")
    rri: float | None = None
    if earlier_counts is not None:
        earlier = _series(earlier_counts, "earlier_counts")
        missing = sorted(set(later.index) - set(earlier.index))
        if missing:
            raise ValueError(f"earlier_counts missing for: {', '.join(missing[:10])}")
        earlier = earlier.reindex(later.index)
        n_earlier = float(earlier[in_hot].sum())
        if n_earlier <= 0:
            raise ValueError("the hot spots held no earlier events: RRI is undefined")
        rri = (n / n_earlier) / (total_events / float(earlier.sum()))
    return HotspotAccuracy(
        hit_rate=hit_rate, pai=pai, pei=pei, rri=rri, events_in_hotspots=n,
        events_total=total_events, hotspot_area=a, total_area=total_area,
        max_capturable=float(best), hotspot_cells=len(chosen),
    )
