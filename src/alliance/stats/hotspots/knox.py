"""Near-repeat Knox test over distance x time bands, as Ratcliffe's Near Repeat Calculator.

Near repeats: after a burglary or a shooting, is a further event *close by* and *soon after*
more likely than chance? The Knox test counts pairs of events by how far apart they are
(distance bands) and how far apart in time (time bands), and compares each cell of that table
with what the same events would give if their dates were shuffled among them.

What it estimates
    For each (distance band, time band): observed pairs, the expected number under
    shuffling (mean over ``permutations`` shuffles), and the Knox ratio observed / expected
    (1.5 = 50 % more pairs than chance).
Null hypothesis
    Space and time are independent: any event's date could equally have belonged to any other
    event (dates are permuted across events, locations stay fixed).
Sidedness
    One-sided, for *more* pairs than chance (near repeats): p = (number of shuffles with at
    least the observed count + 1) / (permutations + 1), as the Near Repeat Calculator.
Correction
    None: the table has several cells and each p is as printed; the Near Repeat Calculator
    reports them uncorrected too. Read a band pattern (e.g. the first two weeks within 200 m),
    not a single cell, or apply ``alliance.stats.multiple_testing.adjust_p_values``.
Bands (Near Repeat Calculator conventions)
    With distance bandwidth s and B_d bands: "same location" (distance 0, optional), then
    (0, s], (s, 2s], ..., and "beyond" (> B_d s). Time bandwidth t days and B_t bands:
    [0, t], (t, 2t], ..., and "beyond". Distances Euclidean or Manhattan (metres).

Reference
---------
Knox, G. (1964). The detection of space-time interactions. Applied Statistics 13, 25–29.
Ratcliffe, J. H. (2009). Near Repeat Calculator (version 1.3). Temple University, Philadelphia
and the National Institute of Justice. Johnson, S. D. et al. (2007). Space–time patterns of
risk: a cross national assessment of residential burglary victimization. J. Quant. Criminol.
23, 201–219.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class KnoxResult:
    """The Knox table: rows are distance bands, columns time bands.

    ``observed``, ``expected``, ``knox_ratio``, ``p`` are (distance bands, time bands) arrays;
    ``distance_bands`` and ``time_bands`` are their labels.
    """

    distance_bands: tuple[str, ...]
    time_bands: tuple[str, ...]
    observed: NDArray[np.int64]
    expected: FloatArray
    knox_ratio: FloatArray
    p: FloatArray
    permutations: int
    n_events: int

    def to_frame(self) -> pd.DataFrame:
        """One row per (distance band, time band): observed, expected, knox_ratio, p."""
        import pandas as pd

        index = pd.MultiIndex.from_product([self.distance_bands, self.time_bands],
                                           names=["distance_band", "time_band"])
        return pd.DataFrame({
            "observed": self.observed.ravel(), "expected": self.expected.ravel(),
            "knox_ratio": self.knox_ratio.ravel(), "p": self.p.ravel(),
        }, index=index)


def _band(values: FloatArray, width: float, bands: int, *, same_band: bool) -> NDArray[np.int64]:
    """Band index: [0 -> 'same' if same_band], (0, w] -> first, ..., beyond -> last."""
    index = np.maximum(np.ceil(values / width - 1e-9).astype(np.int64) - 1, 0)
    index = np.minimum(index, bands)  # 'beyond'
    if same_band:
        index = np.where(values == 0, 0, index + 1)
    return index


def knox_test(
    points: ArrayLike,
    days: ArrayLike,
    *,
    distance_bandwidth: float,
    distance_bands: int,
    time_bandwidth: float,
    time_bands: int,
    permutations: int = 999,
    seed: int | None = None,
    metric: Literal["euclidean", "manhattan"] = "manhattan",
    same_location: bool = True,
) -> KnoxResult:
    """Knox near-repeat test with Monte Carlo significance (see the module notes).

    Parameters
    ----------
    points : (n, 2) event locations in metres (BNG).
    days : (n,) event dates as day numbers (e.g. ``(date - first_date).days``) or
        ``datetime64[D]`` values.
    distance_bandwidth, distance_bands : width (metres) and number of distance bands.
    time_bandwidth, time_bands : width (days) and number of time bands.
    permutations : number of date shuffles (the Calculator offers 20 to 999).
    seed : random seed.
    metric : "manhattan" (the Calculator's default, closer to street distance) or "euclidean".
    same_location : add a distance-0 band, as the Calculator does.
    """
    from scipy.spatial import cKDTree

    xy = np.asarray(points, dtype=float)
    day_in = np.asarray(days)
    if np.issubdtype(day_in.dtype, np.datetime64):
        day_in = day_in.astype("datetime64[D]").astype(np.int64)
    t = np.asarray(day_in, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2 or t.shape != (xy.shape[0],):
        raise ValueError("points must be (n, 2) and days (n,) for the same n events")
    if xy.shape[0] < 3:
        raise ValueError("the Knox test needs at least 3 events")
    bad = ~np.isfinite(xy).all(axis=1) | ~np.isfinite(t)
    if bad.any():
        raise ValueError(f"missing coordinates or dates for event rows "
                         f"{np.flatnonzero(bad)[:10].tolist()}")
    if min(distance_bandwidth, time_bandwidth) <= 0 or min(distance_bands, time_bands) < 1:
        raise ValueError("bandwidths must be positive and band counts at least 1")
    if permutations < 1:
        raise ValueError("permutations must be at least 1")
    if metric not in ("euclidean", "manhattan"):
        raise ValueError(f"metric must be 'euclidean' or 'manhattan', got {metric!r}")
    n = xy.shape[0]
    reach = distance_bandwidth * distance_bands
    pairs = cKDTree(xy).query_pairs(reach, p=1 if metric == "manhattan" else 2,
                                    output_type="ndarray")
    first, second = pairs[:, 0], pairs[:, 1]
    gap = np.abs(xy[first] - xy[second])
    distance = gap.sum(axis=1) if metric == "manhattan" else np.hypot(gap[:, 0], gap[:, 1])
    d_band = _band(distance, distance_bandwidth, distance_bands, same_band=same_location)
    n_d = distance_bands + 1 + int(same_location)
    n_t = time_bands + 1
    # Pairs per time band over *all* pairs do not change when dates are shuffled.
    sorted_t = np.sort(t)
    within = []
    for edge in np.arange(1, time_bands + 1) * time_bandwidth:
        # pairs with |dt| <= edge
        reach_index = np.searchsorted(sorted_t, sorted_t + edge + 1e-9, side="right")
        within.append(int((reach_index - np.arange(n) - 1).sum()))
    total_pairs = n * (n - 1) // 2
    all_by_time = np.diff(np.concatenate([[0], within, [total_pairs]]))

    def table(times: FloatArray) -> NDArray[np.int64]:
        t_band = _band(np.abs(times[first] - times[second]), time_bandwidth, time_bands,
                       same_band=False)
        counts = np.bincount(d_band * n_t + t_band, minlength=n_d * n_t).reshape(n_d, n_t)
        counts[-1] = all_by_time - counts[:-1].sum(axis=0)  # 'beyond' distance
        return counts

    observed = table(t)
    rng = np.random.default_rng(seed)
    at_least = np.zeros((n_d, n_t), dtype=np.int64)
    total = np.zeros((n_d, n_t))
    for _ in range(permutations):
        simulated = table(rng.permutation(t))
        at_least += simulated >= observed
        total += simulated
    expected = total / permutations
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    p = np.asarray((at_least + 1.0) / (permutations + 1.0), dtype=np.float64)

    def span(i: int, width: float, unit: str) -> str:
        lo, hi = i * width, (i + 1) * width
        return f"{_fmt(lo)}-{_fmt(hi)} {unit}" if i == 0 else f">{_fmt(lo)}-{_fmt(hi)} {unit}"

    d_labels = (["same location"] if same_location else []) + [
        span(i, distance_bandwidth, "m") for i in range(distance_bands)
    ] + [f">{_fmt(reach)} m"]
    t_labels = [span(i, time_bandwidth, "days") for i in range(time_bands)] + [
        f">{_fmt(time_bandwidth * time_bands)} days"]
    return KnoxResult(
        distance_bands=tuple(d_labels), time_bands=tuple(t_labels), observed=observed,
        expected=expected, knox_ratio=ratio, p=p, permutations=permutations, n_events=n,
    )


def _fmt(value: float) -> str:
    return str(int(value)) if math.isclose(value, round(value)) else f"{value:g}"
