"""Andresen's Spatial Point Pattern Test (SPPT) for before/after comparisons of areas.

Has the *pattern* of crime across areas changed between two periods (or between two crime
types)? For each area the test compares the share of all events that fall in it ("4 % of the
county's violence was in this LSOA before, 7 % after"). The base and test shares each get a
bootstrap confidence interval (resampling the events with replacement, ``bootstrap`` times);
areas whose intervals overlap are "similar". The S-index is the share of similar areas
(1 = identical patterns; Andresen suggests S >= 0.8 means broadly similar). The robust S-index
leaves out areas with no events in either period, which otherwise inflate S.

What it estimates: per-area similarity of the two spatial distributions and the overall
S-index. It is a descriptive comparison, not a single test with a p-value: there is no null
distribution for S, intervals are two-sided at ``conf_level`` per area, and **no
multiple-testing correction** is applied (as in Andresen's test) — with many areas some
non-overlaps are expected by chance, so read S and the map, not single areas.

Computation follows the ``sppt`` package (Python port of Andresen's R package
``sppt.aggregated.data``) exactly, including its random stream: events are expanded from the
counts in input order and resampled with ``numpy.random.default_rng(seed + i).multinomial``
(i = 0 for the base, 1 for the test), so the same seed gives the same intervals as
``sppt.sppt(data, count_col=[base, test], seed=seed, check_overlap=True)``.

References
----------
Andresen, M. A. (2009). Testing for similarity in area-based spatial patterns: a nonparametric
Monte Carlo approach. Applied Geography 29(3), 333–345. Andresen, M. A. (2016). An area-based
nonparametric spatial point pattern test: the test, its applications, and the future.
Methodological Innovations 9. Wheeler, A. P., Steenbeek, W. & Andresen, M. A. (2018) on the
robust S-index.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class SpptResult:
    """Per-area intervals, overlap and direction, plus the S-indices.

    ``direction`` is 0 where the intervals overlap, otherwise the sign of the change in the
    quantity compared: the area's share of all events (test share minus base share) when
    ``use_percentages`` is true, the raw count otherwise. (sppt's ``SIndex_Bivariate`` always
    takes the sign of the raw count difference, so with shares it can call an area "up" whose
    share fell while the total rose; the two agree when counts are compared.)
    """

    ids: tuple[str, ...]
    base: NDArray[np.int64]
    test: NDArray[np.int64]
    base_lower: FloatArray
    base_upper: FloatArray
    test_lower: FloatArray
    test_upper: FloatArray
    overlap: NDArray[np.bool_]
    direction: NDArray[np.int64]
    s_index: float
    robust_s_index: float
    bootstrap: int
    conf_level: float
    fix_base: bool
    use_percentages: bool

    def to_frame(self) -> pd.DataFrame:
        """One row per area, indexed by area code."""
        import pandas as pd

        return pd.DataFrame(
            {
                "base": self.base, "test": self.test, "base_lower": self.base_lower,
                "base_upper": self.base_upper, "test_lower": self.test_lower,
                "test_upper": self.test_upper, "overlap": self.overlap,
                "direction": self.direction,
            },
            index=pd.Index(self.ids, name="area"),
        )


def _counts(series: Any, name: str) -> NDArray[np.int64]:
    values = np.asarray(series, dtype=float)
    ids = [str(i) for i in series.index]
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
    if bad.any():
        named = [ids[i] for i in np.flatnonzero(bad)[:10]]
        raise ValueError(
            f"{name} counts must be whole numbers >= 0; bad for areas: {', '.join(named)}")
    return values.astype(np.int64)


def _compared(counts: NDArray[np.int64], use_percentages: bool) -> FloatArray:
    """The quantity the intervals are about: per-area share of all events (%) or the count."""
    values = counts.astype(np.float64)
    if not use_percentages:
        return values
    total = values.sum()
    return values / total * 100.0 if total > 0 else np.zeros(values.size)


def _bootstrap_interval(
    counts: NDArray[np.int64], *, bootstrap: int, seed: int | None, conf_level: float,
    use_percentages: bool,
) -> tuple[FloatArray, FloatArray]:
    n = int(counts.sum())
    lower = np.zeros(counts.size)
    upper = np.zeros(counts.size)
    if n == 0:
        return lower, upper
    rng = np.random.default_rng(seed)
    # One multinomial draw over the n individual events per replicate (as sppt / R rmultinom).
    draws = rng.multinomial(n, np.full(n, 1.0 / n), size=bootstrap).astype(np.float64)
    occupied = np.flatnonzero(counts > 0)
    starts = np.concatenate([[0], np.cumsum(counts[occupied])[:-1]])
    per_area = np.add.reduceat(draws, starts, axis=1).T  # (occupied areas, bootstrap)
    if use_percentages:
        per_area = per_area / per_area.sum(axis=0, keepdims=True) * 100.0
    tail = (1.0 - conf_level) / 2.0
    lower[occupied] = np.quantile(per_area, tail, axis=1)
    upper[occupied] = np.quantile(per_area, 1.0 - tail, axis=1)
    return lower, upper


def spatial_point_pattern_test(
    base: Any,
    test: Any,
    *,
    bootstrap: int = 200,
    seed: int | None = None,
    conf_level: float = 0.95,
    fix_base: bool = False,
    use_percentages: bool = True,
) -> SpptResult:
    """Compare the spatial pattern of two sets of area counts (see the module notes).

    Parameters
    ----------
    base, test : pandas Series of event counts indexed by area code, same areas (any order;
        the result follows ``base``'s order).
    bootstrap : number of bootstrap replicates (sppt's ``B``, default 200).
    seed : random seed (base uses ``seed``, test ``seed + 1``, as sppt).
    conf_level : per-area two-sided confidence level of the intervals.
    fix_base : keep the base shares exact (no interval) and ask whether each lies inside the
        test interval — Andresen's original form when the base is a full population.
    use_percentages : compare shares of all events (default) rather than raw counts.

    Raises
    ------
    ValueError
        Areas in one series but not the other, duplicated codes, negative/fractional/missing
        counts (naming the areas), no areas, or options out of range.
    """
    if not 0 < conf_level < 1 or bootstrap < 1:
        raise ValueError("conf_level must be in (0, 1) and bootstrap >= 1")
    base_ids = [str(i) for i in base.index]
    test_ids = [str(i) for i in test.index]
    if not base_ids:
        raise ValueError("no areas given")
    for name, ids in (("base", base_ids), ("test", test_ids)):
        if len(set(ids)) != len(ids):
            dup = sorted(code for code, times in Counter(ids).items() if times > 1)
            raise ValueError(f"duplicated area codes in {name}: {', '.join(dup[:10])}")
    if set(base_ids) != set(test_ids):
        only_base = sorted(set(base_ids) - set(test_ids))
        only_test = sorted(set(test_ids) - set(base_ids))
        raise ValueError(
            f"base and test cover different areas; only in base: {', '.join(only_base[:10])}; "
            f"only in test: {', '.join(only_test[:10])}")
    base_counts = _counts(base, "base")
    test_counts = _counts(test.reindex(base.index), "test")
    if fix_base:
        base_lower = base_upper = _compared(base_counts, use_percentages)
    else:
        base_lower, base_upper = _bootstrap_interval(
            base_counts, bootstrap=bootstrap, seed=seed, conf_level=conf_level,
            use_percentages=use_percentages)
    test_lower, test_upper = _bootstrap_interval(
        test_counts, bootstrap=bootstrap, seed=None if seed is None else seed + 1,
        conf_level=conf_level, use_percentages=use_percentages)
    if fix_base:
        overlap = (base_lower >= test_lower) & (base_upper <= test_upper)
    else:
        overlap = np.maximum(base_lower, test_lower) <= np.minimum(base_upper, test_upper)
    direction = np.where(overlap, 0, np.sign(_compared(test_counts, use_percentages)
                                             - _compared(base_counts, use_percentages)))
    direction = direction.astype(np.int64)
    nonzero = (base_counts > 0) | (test_counts > 0)
    robust = float(overlap[nonzero].mean()) if nonzero.any() else float("nan")
    return SpptResult(
        ids=tuple(base_ids), base=base_counts, test=test_counts, base_lower=base_lower,
        base_upper=base_upper, test_lower=test_lower, test_upper=test_upper, overlap=overlap,
        direction=direction, s_index=float(overlap.mean()), robust_s_index=robust,
        bootstrap=bootstrap, conf_level=conf_level, fix_base=fix_base,
        use_percentages=use_percentages,
    )
