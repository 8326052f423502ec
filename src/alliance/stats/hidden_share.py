"""How much violence police data misses: health-service assaults with no police record near them.

For every A&E assault attendance (or ambulance assault call-out) with a place and a date, the
question is whether *any* police record lies within ``metres`` of it and within ``days`` of its
date. Only places and dates are compared, never people: no identifier, age or name is read, and
the answer is counted, never stored against a person. The share with no police record nearby
is the part of violence police data does not show (the Cardiff Model's finding: in published
matching studies only about a quarter to a third of ED-treated violence appears in police
records; ``shared/reference/istv_isb1594.md``).

Police records are matched at the precision they have: a local police extract has dates and
points, so the window is ``days`` either side; police.uk has only months and anonymised map
points (snapped to street centres), so its window is the same month and a radius of
:data:`SNAP_METRES` at least.

This is a descriptive share, not a test: its 95% interval is Wilson's score interval for a
binomial proportion (two-sided), computed by ``statsmodels.stats.proportion.proportion_confint``
(method ``"wilson"``), the reference the tests compare with. The window is a choice, stated with
every figure; a wider window finds more matches by chance, so the share is a lower bound on
what police data misses only if the window is tight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from statsmodels.stats.proportion import proportion_confint

#: the radius (metres) and days either side used unless told otherwise
DEFAULT_METRES = 250.0
DEFAULT_DAYS = 1
#: police.uk points are snapped to anonymous map points: never match them more tightly
SNAP_METRES = 500.0


@dataclass(frozen=True, kw_only=True)
class Window:
    """What counts as "near": within ``metres`` and ``days`` (None: the same month)."""

    metres: float = DEFAULT_METRES
    days: int | None = DEFAULT_DAYS

    def describe(self) -> str:
        when = f"{self.days} day{'s' if self.days != 1 else ''} either side" \
            if self.days is not None else "the same month"
        return f"within {self.metres:,.0f} metres and {when}"


def without_police_record(events: pd.DataFrame, police: pd.DataFrame, *,
                          window: Window) -> np.ndarray:
    """True for each event with no police record near it (see the module notes).

    ``events`` and ``police``: columns ``easting``, ``northing`` (British National Grid) and
    ``occurred_date`` (``window.days`` set) or ``month`` (``window.days`` None). Events without
    a point or date are not judged (the caller leaves them out); they must not be passed.
    """
    for frame, name in ((events, "events"), (police, "police")):
        if frame[["easting", "northing"]].isna().any().any():
            raise ValueError(f"{name}: every row needs a point")
    out = np.ones(len(events), dtype=bool)
    if not len(events) or not len(police):
        return out
    tree = cKDTree(police[["easting", "northing"]].to_numpy(dtype=float))
    near = tree.query_ball_point(events[["easting", "northing"]].to_numpy(dtype=float),
                                 r=window.metres)
    if window.days is None:
        theirs = police["month"].astype(str).to_numpy()
        mine = events["month"].astype(str).to_numpy()
        for i, hits in enumerate(near):
            out[i] = not any(theirs[j] == mine[i] for j in hits)
        return out
    theirs_day = pd.to_datetime(police["occurred_date"]).to_numpy("datetime64[D]")
    mine_day = pd.to_datetime(events["occurred_date"]).to_numpy("datetime64[D]")
    limit = np.timedelta64(window.days, "D")
    for i, hits in enumerate(near):
        if hits:
            out[i] = not bool((np.abs(theirs_day[hits] - mine_day[i]) <= limit).any())
    return out


@dataclass(frozen=True)
class Share:
    """Events with no police record nearby out of all events judged, with a 95% interval."""

    hidden: int
    events: int

    @property
    def share(self) -> float:
        return self.hidden / self.events if self.events else float("nan")

    def interval(self, alpha: float = 0.05) -> tuple[float, float]:
        if not self.events:
            return float("nan"), float("nan")
        low, high = proportion_confint(self.hidden, self.events, alpha=alpha, method="wilson")
        return float(low), float(high)


def shares(hidden: np.ndarray, groups: pd.Series) -> pd.DataFrame:
    """Counts per group: ``events``, ``hidden`` (no police record nearby), ``seen``."""
    frame = pd.DataFrame({"group": groups.to_numpy(), "hidden": hidden.astype(int)})
    out = frame.groupby("group").agg(events=("hidden", "size"), hidden=("hidden", "sum"))
    out["seen"] = out["events"] - out["hidden"]
    return out
