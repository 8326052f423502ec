"""Seed-stable permutation inference for many areas at once (sequential multiple Monte Carlo).

With a fixed number of permutations P the smallest two-sided p is 2 / (P + 1), and areas whose
exact permutation p lies near the multiple-testing threshold fall on either side of it from one
seed to the next: with 9,999 permutations the Northamptonshire hot spots ranged from 3 to 13
over 20 seeds. This module decides instead, with a stated error probability, what the *exact*
conditional-permutation p-values would decide, in the spirit of Gandy & Hahn's MMCTest:

1. For each area the tested tail is fixed before sampling: the side of the conditional mean
   on which its neighbours' observed sum lies. Its exact one-tailed p is
   pi_i = P(S* >= s_i) (or <= on the lower side), S* the sum of k_i values drawn without
   replacement from the other n - 1 areas; the exact two-sided p is min(1, 2 pi_i).
2. Draws come in rounds: ``first_batch`` per area, then as many again each round (doubling the
   total) up to ``max_permutations``. After each round every area has a Clopper–Pearson
   interval for pi_i at level 1 - delta, delta = error_rate / (areas x rounds), so by Bonferroni
   all intervals of all areas in all rounds hold together with probability >= 1 - error_rate.
   Each area keeps the intersection of its intervals so far (still valid on that event), so
   the bounds only tighten.
3. The correction (Benjamini–Hochberg, Holm or none — all monotone: smaller p-values never
   reject fewer) is applied to the upper bounds (areas significant for certain) and to the
   lower bounds (areas that might be). Areas in neither set are decided; only the undecided
   ones are sampled again.
4. When no area is undecided the decisions equal those of the exact p-values whenever every
   interval holds, i.e. with probability >= 1 - error_rate, whatever the seed. Areas still
   undecided at the cap are reported as undecided (never silently labelled).

Each round draws conditional permutations for the undecided areas only (shared rows, as in
:mod:`._permutation`; each area's own draws are independent of each other), so an area's
sampling stops as soon as its decision is settled.

Reference: Gandy, A. & Hahn, G. (2014). MMCTest — a safe algorithm for implementing multiple
Monte Carlo tests. Scand. J. Statist. 41(4), 1083–1101; Gandy, A. & Hahn, G. (2016). A
framework for Monte Carlo based multiple testing. Scand. J. Statist. 43(4), 1046–1063.
Clopper, C. J. & Pearson, E. S. (1934) Biometrika 26(4), 404–413.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from alliance.stats.hotspots._permutation import count_reference_at_least
from alliance.stats.multiple_testing import Correction, adjust_p_values

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

@dataclass(frozen=True, kw_only=True)
class SequentialTests:
    """Per-area outcome of the sequential procedure (arrays in the order of the areas given).

    ``p`` is the two-sided estimate min(1, 2 (c + 1) / (m + 1)) clipped into
    [``p_lower``, ``p_upper``], the simultaneous interval for the exact two-sided p.
    ``significant`` and ``undecided`` are exclusive; ``critical_p`` is the correction's
    threshold for the areas decided significant (see :func:`critical_p`).
    """

    successes: IntArray
    draws: IntArray
    p_one_tail: FloatArray
    p: FloatArray
    p_lower: FloatArray
    p_upper: FloatArray
    significant: BoolArray
    undecided: BoolArray
    critical_p: float
    rounds: int
    delta: float


def schedule(first_batch: int, max_permutations: int) -> list[int]:
    """Cumulative draws per area after each round: first_batch, doubling, capped."""
    totals = [min(first_batch, max_permutations)]
    while totals[-1] < max_permutations:
        totals.append(min(2 * totals[-1], max_permutations))
    return totals


def critical_p(correction: Correction, alpha: float, n: int, rejected: int) -> float:
    """The p-value threshold of a correction once ``rejected`` of ``n`` tests are rejected:
    a test is significant exactly when its p is at or below it.

    Benjamini–Hochberg: alpha R / n (alpha / n, the first step, when R = 0). Holm: alpha /
    (n - R) (alpha when every test is rejected). None: alpha.
    """
    if correction == "fdr_bh":
        return alpha * max(rejected, 1) / n
    if correction == "holm":
        return alpha / (n - rejected) if rejected < n else alpha
    return alpha


def clopper_pearson(successes: IntArray, draws: IntArray,
                    delta: float) -> tuple[FloatArray, FloatArray]:
    """Two-sided Clopper–Pearson interval for a binomial probability at level 1 - delta."""
    from scipy.special import betaincinv

    c = successes.astype(float)
    m = draws.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(c > 0, betaincinv(c, m - c + 1, delta / 2), 0.0)
        upper = np.where(c < m, betaincinv(c + 1, m - c, 1 - delta / 2), 1.0)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def smallest_upper_bound(max_permutations: int, first_batch: int, areas: int,
                         error_rate: float) -> float:
    """The smallest two-sided p upper bound reachable at the cap (no draw as extreme)."""
    delta = error_rate / (max(areas, 1) * len(schedule(first_batch, max_permutations)))
    return min(1.0, 2.0 * -math.expm1(math.log(delta / 2) / max_permutations))


def sequential_tests(
    y: FloatArray,
    cardinalities: IntArray,
    observed_sums: FloatArray,
    tail: NDArray[np.int8],
    *,
    correction: Correction,
    alpha: float,
    error_rate: float,
    first_batch: int,
    max_permutations: int,
    seed: int | None,
) -> SequentialTests:
    """Run the sequential procedure (module notes) for every area.

    ``tail`` +1 tests the upper tail of the neighbours' sum, -1 the lower; 0 marks an area
    whose p is 1 by construction (not sampled).
    """
    n = y.size
    totals = schedule(first_batch, max_permutations)
    delta = error_rate / (n * len(totals))
    rng = np.random.default_rng(seed)
    successes = np.zeros(n, dtype=np.int64)
    draws = np.zeros(n, dtype=np.int64)
    lower = np.zeros(n)
    upper = np.ones(n)
    fixed_one = tail == 0
    lower[fixed_one] = 1.0
    active = ~fixed_one
    rounds = 0
    sure = maybe = np.zeros(n, dtype=bool)
    for total in totals:
        todo = np.flatnonzero(active)
        if todo.size == 0:
            break
        rounds += 1
        batch = total - int(draws[todo[0]])
        successes += count_reference_at_least(y, cardinalities, observed_sums,
                                              direction=np.where(active, tail, 0).astype(np.int8),
                                              permutations=batch, rng=rng)
        draws[todo] = total
        low, high = clopper_pearson(successes[todo], draws[todo], delta)
        lower[todo] = np.maximum(lower[todo], np.minimum(1.0, 2 * low))
        upper[todo] = np.minimum(upper[todo], np.minimum(1.0, 2 * high))
        sure = adjust_p_values(upper, method=correction, alpha=alpha).significant
        maybe = adjust_p_values(lower, method=correction, alpha=alpha).significant
        active = maybe & ~sure
    undecided = maybe & ~sure
    with np.errstate(invalid="ignore", divide="ignore"):
        one_tail = np.where(draws > 0, (successes + 1.0) / (draws + 1.0), 1.0)
    p = np.clip(np.minimum(1.0, 2 * one_tail), lower, upper)
    return SequentialTests(
        successes=successes, draws=draws, p_one_tail=np.where(fixed_one, 1.0, one_tail), p=p,
        p_lower=lower, p_upper=upper, significant=sure, undecided=undecided,
        critical_p=critical_p(correction, alpha, n, int(sure.sum())), rounds=rounds,
        delta=delta,
    )
