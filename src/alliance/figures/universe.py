"""The counting universe of a reporting year, stated beside every total that needs it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alliance.figures.lattice import CellKey
from alliance.figures.publication import Period, Publication


@dataclass(frozen=True, kw_only=True)
class Universe:
    """Placed offences and what is not in them, for one reporting year (NaN when hidden)."""

    placed: float
    unlocated: float
    outside: float
    other_forces: float

    def sentence(self, area: str) -> str:
        def n(v: float) -> str:
            return "[c]" if np.isnan(v) else f"{v:,.0f}"

        return (f"Counts are of the {n(self.placed)} offences placed in {area}'s "
                f"neighbourhoods (LSOAs), {n(self.other_forces)} of them recorded by other "
                f"forces. A further {n(self.unlocated)} were published by the area's force "
                f"without a location and {n(self.outside)} were placed by police.uk's map "
                "points in neighbouring areas; those are in no count, rate or map here.")


def universe(pub: Publication, *, period: Period) -> Universe:
    code = pub.cube.geography.code
    if period.key is None or not any(y.label == period.key for y in pub.years):
        if not pub.record_level:
            return Universe(placed=pub.count(level="area", code=code, period=period),
                            unlocated=np.nan, outside=np.nan, other_forces=np.nan)
        idx = pub.cube.month_index(period.months)
        return Universe(placed=pub.count(level="area", code=code, period=period),
                        unlocated=float(pub.cube.unlocated[idx].sum()),
                        outside=float(pub.cube.outside[idx].sum()),
                        other_forces=float(pub.cube.other_forces[idx].sum()))
    return Universe(placed=pub.value(CellKey("area", code, period.key)),
                    unlocated=pub.value(CellKey("unlocated", code, period.key)),
                    outside=pub.value(CellKey("outside", code, period.key)),
                    other_forces=pub.value(CellKey("other_forces", code, period.key)))
