"""The share of health-service assaults with no police record nearby (alliance.stats.hidden_share).

Reference for the interval: Wilson (1927), "Probable inference, the law of succession, and
statistical inference", JASA 22:209-212, the score interval written out below; Newcombe (1998),
Statistics in Medicine 17:857-872, table I, gives 81/263 -> 0.2553 to 0.3662 (method 3).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from alliance.stats.hidden_share import Share, Window, shares, without_police_record


def _wilson(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_interval_matches_newcombe_and_the_written_out_wilson_formula() -> None:
    low, high = Share(hidden=81, events=263).interval()
    assert low == pytest.approx(0.2553, abs=5e-4) and high == pytest.approx(0.3662, abs=5e-4)
    for x, n in [(0, 10), (10, 10), (3, 40), (250, 1000)]:
        assert Share(hidden=x, events=n).interval() == pytest.approx(_wilson(x, n), abs=1e-9)


def _brute(events: pd.DataFrame, police: pd.DataFrame, window: Window) -> np.ndarray:
    out = []
    for _, e in events.iterrows():
        near = False
        for _, p in police.iterrows():
            close = math.hypot(e.easting - p.easting, e.northing - p.northing) <= window.metres
            if window.days is None:
                when = e.month == p.month
            else:
                when = abs((pd.Timestamp(e.occurred_date) - pd.Timestamp(p.occurred_date)).days
                           ) <= window.days
            near = near or (close and when)
        out.append(not near)
    return np.array(out)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_a_brute_force_search_of_every_pair(seed: int) -> None:
    rng = np.random.default_rng(seed)

    def frame(n: int) -> pd.DataFrame:
        days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
        return pd.DataFrame({"easting": rng.uniform(0, 3000, n),
                             "northing": rng.uniform(0, 3000, n),
                             "occurred_date": days, "month": days.strftime("%Y-%m")})

    events, police = frame(60), frame(150)
    for window in (Window(), Window(metres=500, days=3), Window(metres=400, days=None)):
        got = without_police_record(events, police, window=window)
        assert (got == _brute(events, police, window)).all()
    # a wider window never finds fewer police records nearby
    narrow = without_police_record(events, police, window=Window(metres=200, days=1))
    wide = without_police_record(events, police, window=Window(metres=800, days=7))
    assert (wide <= narrow).all()


def test_no_police_data_hides_everything_and_points_are_required() -> None:
    events = pd.DataFrame({"easting": [1.0], "northing": [2.0], "occurred_date": ["2024-01-01"]})
    empty = events.iloc[:0]
    assert without_police_record(events, empty, window=Window()).tolist() == [True]
    with pytest.raises(ValueError, match="events: every row needs a point"):
        without_police_record(events.assign(easting=[None]), events, window=Window())
    table = shares(np.array([True, False, True]), pd.Series(["a", "a", "b"]))
    assert table.loc["a"].tolist() == [2, 1, 1] and table.loc["b"].tolist() == [1, 1, 0]
    assert Window(metres=250, days=1).describe() == "within 250 metres and 1 day either side"
    assert math.isnan(Share(hidden=0, events=0).share)
