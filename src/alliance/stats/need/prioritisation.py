"""Composite prioritisation indices by area, each score explained indicator by indicator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from alliance.stats import _validate

Direction = Literal["high is need", "low is need"]
Method = Literal["top share points", "z-score"]


@dataclass(frozen=True, eq=False)
class PriorityIndex:
    """A composite score per area with the contribution of each indicator.

    ``contributions`` has one column per indicator; a row sums to the area's ``score``.
    ``rank`` is 1 for the highest priority (ties share the best rank). ``method`` and
    ``settings`` record how the score was made, for printing beside it.
    """

    score: pd.Series
    rank: pd.Series
    contributions: pd.DataFrame
    method: str
    settings: dict[str, object]

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"score": self.score, "rank": self.rank})
        return frame.join(self.contributions.add_prefix("contribution: "))

    def explain(self, area: object) -> pd.Series:
        """The indicators behind one area's score, largest contribution first."""
        if area not in self.contributions.index:
            raise ValueError(f"unknown area code: {area}")
        row = self.contributions.loc[[area]].iloc[0]
        return row.sort_values(ascending=False)


def _checked(indicators: pd.DataFrame, weights: Mapping[str, float] | None,
             directions: Mapping[str, Direction] | None) -> tuple[pd.DataFrame, pd.Series]:
    if indicators.shape[1] == 0:
        raise ValueError("indicators: no columns given")
    duplicated = indicators.index[indicators.index.duplicated()].unique()
    if len(duplicated) > 0:
        raise ValueError(f"indicators: duplicated area codes: {_validate.name_areas(duplicated)}")
    if len(indicators) < 2:
        raise ValueError("a prioritisation index needs at least 2 areas")
    weight = pd.Series({c: 1.0 for c in indicators.columns}, dtype=float)
    if weights is not None:
        unknown = set(weights) - set(indicators.columns)
        if unknown:
            raise ValueError(f"weights for indicators not given: {sorted(unknown)}")
        weight.update(pd.Series(weights, dtype=float))
    if (weight < 0).any() or not np.isfinite(weight).all():
        raise ValueError("weights must be finite and not negative")
    frame = pd.DataFrame(index=indicators.index)
    for column in indicators.columns:
        values = _validate.as_series(indicators[column], name=f"indicator {column!r}")
        missing = values.index[~np.isfinite(values.to_numpy())]
        if len(missing) > 0:
            raise ValueError(f"indicator {column!r}: missing values for areas "
                             f"{_validate.name_areas(missing)}")
        direction = (directions or {}).get(column, "high is need")
        if direction not in ("high is need", "low is need"):
            raise ValueError(f"indicator {column!r}: direction must be 'high is need' or "
                             "'low is need'")
        frame[column] = values if direction == "high is need" else -values
    return frame, weight


def priority_index(
    indicators: pd.DataFrame,
    *,
    method: Method = "top share points",
    weights: Mapping[str, float] | None = None,
    directions: Mapping[str, Direction] | None = None,
    top_share: float = 0.15,
) -> PriorityIndex:
    """Combine several need indicators into one priority score per area.

    Describes relative need; it tests nothing. Each indicator must already be comparable
    between areas (rates, not raw counts, unless areas are of similar size).

    'top share points' (the "top 15%" scoring used by the London Violence Reduction Unit to
    choose priority wards): for each indicator, an area among the ``top_share`` (15%) of areas
    with the most need scores that indicator's weight (1 by default), otherwise 0; the score is
    the sum. Ties: every area tied with the last area inside the top share is included, so a
    tie never splits arbitrarily (the top group can then hold slightly more than 15%).

    'z-score': each indicator is standardised across areas, z = (value - mean) / standard
    deviation, with its sign set so that higher means more need; the score is the weighted sum
    of z. An indicator that does not vary between areas is refused.

    Parameters
    ----------
    indicators : DataFrame
        One row per area (index = area code), one column per indicator, no missing values.
    weights : mapping, keyword-only
        Weight per indicator (default 1 each).
    directions : mapping, keyword-only
        'high is need' (default) or 'low is need' per indicator (e.g. income for the latter).
    top_share : float, keyword-only
        Share of areas that score points per indicator (0.15).
    """
    frame, weight = _checked(indicators, weights, directions)
    if method == "top share points":
        if not 0 < top_share < 1:
            raise ValueError("top_share must be between 0 and 1")
        places = max(int(np.ceil(top_share * len(frame) - 1e-9)), 1)
        contributions = pd.DataFrame(index=frame.index)
        for column in frame.columns:
            threshold = frame[column].sort_values(ascending=False).iloc[places - 1]
            contributions[column] = np.where(frame[column] >= threshold, weight[column], 0.0)
        settings: dict[str, object] = {"top_share": top_share, "areas_per_indicator": places}
    elif method == "z-score":
        spread = frame.std(ddof=1)
        flat = list(spread.index[spread == 0])
        if flat:
            raise ValueError(f"indicators with the same value in every area: {flat}")
        contributions = (frame - frame.mean()) / spread * weight
        settings = {}
    else:
        raise ValueError("method must be 'top share points' or 'z-score'")
    settings.update({"weights": weight.to_dict(),
                     "directions": {c: (directions or {}).get(c, "high is need")
                                    for c in frame.columns}})
    score = contributions.sum(axis=1).rename("score")
    rank = score.rank(ascending=False, method="min").astype(int).rename("rank")
    return PriorityIndex(score=score, rank=rank, contributions=contributions, method=method,
                         settings=settings)
