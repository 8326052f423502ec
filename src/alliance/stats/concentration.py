"""How concentrated events are in few areas: Lorenz curve, Gini, share in the top areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.stats import _validate

DEFAULT_TOP = (0.01, 0.05, 0.10)


@dataclass(frozen=True, eq=False)
class Concentration:
    """Concentration of events across areas.

    Attributes
    ----------
    gini : float
        0 when every area has the same count, approaching 1 when one area has them all.
    lorenz : DataFrame
        Cumulative share of areas (``area_share``, from the lowest count up) against cumulative
        share of events (``event_share``), starting at (0, 0).
    top_shares : DataFrame
        One row per top fraction: ``top_fraction``, ``areas`` (fraction x number of areas, can
        be fractional), ``event_share``, ``threshold_count`` (count of the last area included)
        and ``tied_at_threshold`` (areas sharing that count).
    areas, events : int, float
        Number of areas and total events; ``areas_with_events`` counts areas above zero.
    """

    gini: float
    lorenz: pd.DataFrame
    top_shares: pd.DataFrame
    areas: int
    events: float
    areas_with_events: int

    def to_frame(self) -> pd.DataFrame:
        frame = self.top_shares.copy()
        frame["gini"] = self.gini
        frame["areas_total"] = self.areas
        frame["events_total"] = self.events
        frame["areas_with_events"] = self.areas_with_events
        return frame


def concentration(
    counts: _validate.ArrayLike,
    *,
    top: Sequence[float] = DEFAULT_TOP,
) -> Concentration:
    """Lorenz curve, Gini coefficient and share of events in the top 1%, 5% and 10% of areas.

    Describes how unevenly events are spread over areas (the "law of crime concentration",
    Weisburd 2015). It is descriptive: no hypothesis is tested. Counts are used as they are, not
    divided by population, so a large area can rank high just by being large.

    Gini (population form): sum over all pairs |x_i - x_j| / (2 n^2 mean), equal to twice the
    area between the Lorenz curve and the diagonal. With fewer events than areas, Gini cannot
    reach 0 even if events fall at random (Bernasco & Steenbeek 2017): read it beside
    ``areas_with_events``.

    Ties: the share held by the top p of areas is read off the Lorenz curve at 1 - p, by linear
    interpolation, so p x n need not be whole. "Top 5% of 443 areas" is 22.15 areas: the 22
    highest counts plus 0.15 of the 23rd. Areas tied on the same count contribute the same
    whichever of them is taken, so the share does not depend on how ties are ordered; the
    result reports how many areas are tied at the threshold.

    Raises
    ------
    ValueError
        NaN, negative or infinite counts (naming the areas), duplicated areas, a single area,
        all-zero counts, a top fraction outside (0, 1].
    """
    values = _validate.as_series(counts, name="counts")
    _validate.check_unique_areas(values)
    _validate.check_counts(values)
    _validate.check_min_areas(values, 2, purpose="Concentration")
    _validate.check_not_all_zero(values, purpose="Concentration")
    bad = [p for p in top if not 0 < p <= 1]
    if bad:
        raise ValueError(f"top fractions must be in (0, 1]: {bad}")
    ascending = np.sort(values.to_numpy())
    n = len(ascending)
    total = float(ascending.sum())
    area_share = np.arange(n + 1) / n
    event_share = np.r_[0.0, np.cumsum(ascending) / total]
    # Gini from the sorted values: (2 sum(i x_(i)) / (n sum x)) - (n + 1) / n, i = 1..n.
    ranks = np.arange(1, n + 1)
    gini = float(2 * np.sum(ranks * ascending) / (n * total) - (n + 1) / n)
    descending = ascending[::-1]
    rows = []
    for fraction in top:
        share = 1 - float(np.interp(1 - fraction, area_share, event_share))
        whole = max(int(np.ceil(fraction * n - 1e-9)), 1)
        threshold = float(descending[whole - 1])
        rows.append({"top_fraction": fraction, "areas": fraction * n, "event_share": share,
                     "threshold_count": threshold,
                     "tied_at_threshold": int(np.sum(ascending == threshold))})
    return Concentration(
        gini=gini,
        lorenz=pd.DataFrame({"area_share": area_share, "event_share": event_share}),
        top_shares=pd.DataFrame(rows),
        areas=n,
        events=total,
        areas_with_events=int(np.sum(ascending > 0)),
    )
