"""Inference shared by the local statistics: analytic, fixed permutations or sequential.

The three modes (chosen by ``permutations``):

* ``None`` (default) — **sequential**, seed-stable: :mod:`._sequential` draws conditional
  permutations per area until each decision is settled, so the labels equal those of the exact
  permutation p-values with probability >= 1 - ``error_rate``, whatever the seed.
* a whole number P > 0 — **fixed**, as esda: P shared conditional permutations and esda's
  pseudo p (:func:`._permutation.count_reference_at_least`). Labels near the threshold move with the
  seed; a warning says so when the smallest attainable p cannot pass the first correction step.
* 0 — **analytic**: the normal approximation only.

In every mode the published z is the signed normal equivalent of the p that decided, so it
agrees with the label (see :class:`._local.LocalResult`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from alliance.stats.hotspots._local import FloatArray, Inference, Prepared, names
from alliance.stats.hotspots._permutation import count_reference_at_least, directed_pseudo_p
from alliance.stats.hotspots._sequential import (
    critical_p,
    sequential_tests,
    smallest_upper_bound,
)
from alliance.stats.multiple_testing import CORRECTIONS, Correction, adjust_p_values

DEFAULT_MAX_PERMUTATIONS = 10_000_000
DEFAULT_ERROR_RATE = 1e-3
FIRST_BATCH = 1_000


@dataclass(frozen=True, kw_only=True)
class Options:
    """Validated inference options of a local statistic."""

    permutations: int | None
    seed: int | None
    correction: Correction
    alpha: float
    max_permutations: int
    error_rate: float

    @property
    def mode(self) -> str:
        if self.permutations is None:
            return "sequential"
        return "analytic" if self.permutations == 0 else "fixed"


def options(*, permutations: int | None, seed: int | None, correction: Correction,
            alpha: float, max_permutations: int, error_rate: float) -> Options:
    """Check the options, naming the one that is wrong."""
    whole = (int, np.integer)
    if permutations is not None and (not isinstance(permutations, whole) or permutations < 0):
        raise ValueError(f"permutations must be None (sequential) or a whole number >= 0, got "
                         f"{permutations!r}")
    if not isinstance(max_permutations, whole) or max_permutations < FIRST_BATCH:
        raise ValueError(f"max_permutations must be a whole number >= {FIRST_BATCH}, got "
                         f"{max_permutations!r}")
    if not 0 < error_rate < 0.5:
        raise ValueError(f"error_rate must be between 0 and 0.5, got {error_rate}")
    if correction not in CORRECTIONS:
        raise ValueError(f"unknown correction {correction!r}; choose one of {CORRECTIONS}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    return Options(permutations=None if permutations is None else int(permutations), seed=seed,
                   correction=correction, alpha=alpha, max_permutations=int(max_permutations),
                   error_rate=error_rate)


def normal_equivalent(p: FloatArray) -> FloatArray:
    """|z| with P(|Z| >= |z|) = p, for standard normal Z (0 for p = 1)."""
    return np.asarray(-ndtri(np.asarray(p, dtype=float) / 2), dtype=float)


def infer(prep: Prepared, *, z_analytic: FloatArray, p_norm: FloatArray,
          neighbour_sums: FloatArray, statistic_direction: NDArray[np.int8],
          opts: Options) -> Inference:
    """Decide every tested area (graph order in, caller's order out).

    ``neighbour_sums`` are the observed sums of the neighbours' values; ``statistic_direction``
    is +1 where the statistic grows with that sum, -1 where it falls (local Moran below the
    mean) and 0 where it cannot move (p = 1).
    """
    n = prep.y.size
    k = prep.graph.cardinalities
    nan = np.full(n, np.nan)
    undecided = np.zeros(n, dtype=bool)
    draws = np.zeros(n, dtype=np.int64)
    p_lower = p_upper = p_sim = nan
    if opts.mode == "analytic":
        tested_p, p_tested, sign = "p_norm", p_norm, np.sign(z_analytic)
    elif opts.mode == "fixed":
        permutations = int(opts.permutations or 0)
        larger = count_reference_at_least(prep.y, k, neighbour_sums,
                                          direction=statistic_direction,
                                          permutations=permutations,
                                          rng=np.random.default_rng(opts.seed))
        p_sim = np.where(statistic_direction == 0, 1.0, directed_pseudo_p(larger, permutations))
        tested_p, p_tested = "p_sim_two_sided", np.minimum(1.0, 2.0 * p_sim)
        sign = np.where(larger <= permutations - larger, 1.0, -1.0)
        draws[:] = permutations
        _warn_fixed_floor(permutations, n, opts)
    else:
        _warn_sequential_floor(n, opts)
        # The tested tail: the side of the conditional mean of the neighbours' sum on which
        # the observed sum lies (k_i values drawn from the other n - 1 areas).
        mean_sum = k * (prep.y.sum() - prep.y) / (n - 1)
        sum_tail = np.where(neighbour_sums >= mean_sum, 1, -1).astype(np.int8)
        sum_tail[statistic_direction == 0] = 0
        seq = sequential_tests(prep.y, k, neighbour_sums, sum_tail, correction=opts.correction,
                               alpha=opts.alpha, error_rate=opts.error_rate,
                               first_batch=FIRST_BATCH, max_permutations=opts.max_permutations,
                               seed=opts.seed)
        tested_p, p_tested = "p_sim_two_sided", seq.p
        sign = (statistic_direction * sum_tail).astype(float)
        p_sim, p_lower, p_upper = seq.p_one_tail, seq.p_lower, seq.p_upper
        undecided, draws = seq.undecided, seq.draws
    adjusted = adjust_p_values(p_tested, method=opts.correction, alpha=opts.alpha)
    significant = adjusted.significant & ~undecided
    if opts.mode == "sequential":
        significant = seq.significant
    p_crit = critical_p(opts.correction, opts.alpha, n, int(significant.sum()))
    z = z_analytic if opts.mode == "analytic" else sign * normal_equivalent(p_tested)
    z = np.where(undecided, np.nan, z)
    if undecided.any():
        _warn_undecided(prep, undecided, opts)
    significant_out = np.zeros(prep.position.size, dtype=bool)
    significant_out[prep.tested] = significant[prep.position[prep.tested]]
    undecided_out = np.zeros(prep.position.size, dtype=bool)
    undecided_out[prep.tested] = undecided[prep.position[prep.tested]]
    draws_out = np.zeros(prep.position.size, dtype=np.int64)
    draws_out[prep.tested] = draws[prep.position[prep.tested]]
    order = prep.in_input_order
    return Inference(
        z=order(z), p_norm=order(p_norm), p_sim=order(p_sim),
        p_sim_two_sided=order(p_tested if tested_p == "p_sim_two_sided" else nan),
        p_lower=order(p_lower), p_upper=order(p_upper), q=order(adjusted.q),
        significant=significant_out, undecided=undecided_out, draws=draws_out,
        tested_p=tested_p, p_critical=p_crit, z_critical=float(normal_equivalent(
            np.array([p_crit]))[0]),
    )


def _first_step(opts: Options, n: int) -> float:
    """The largest p that can be significant when it is the only small one."""
    return critical_p(opts.correction, opts.alpha, n, 0)


def _warn_fixed_floor(permutations: int, n: int, opts: Options) -> None:
    """Warn whenever 2 / (P + 1) cannot pass the correction's first step (alpha / n for
    Benjamini–Hochberg and Holm): areas are then flagged only if enough of them share the
    smallest p, and which ones are flagged depends on the seed."""
    floor = 2.0 / (permutations + 1)
    first = _first_step(opts, n)
    if floor <= first:
        return
    enough = 9
    while 2.0 / (enough + 1) > first:
        enough = enough * 10 + 9
    warnings.warn(
        f"with {permutations} permutations the smallest two-sided p-value is {floor:.2g}, above "
        f"the first step of the correction over {n} areas ({first:.2g}): an area can only be "
        "significant if many share that smallest p, and which areas are flagged depends on "
        f"the seed. Use more permutations (permutations={enough} is enough for any correction) "
        "or leave permutations unset for the seed-stable sequential test.",
        UserWarning,
        stacklevel=4,  # the caller of gi_star / local_moran
    )


def _warn_sequential_floor(n: int, opts: Options) -> None:
    bound = smallest_upper_bound(opts.max_permutations, FIRST_BATCH, n, opts.error_rate)
    first = _first_step(opts, n)
    if bound <= first:
        return
    needed = opts.max_permutations
    while smallest_upper_bound(needed, FIRST_BATCH, n, opts.error_rate) > first:
        needed *= 2
    warnings.warn(
        f"with at most {opts.max_permutations:,} permutations per area no p-value can be shown "
        f"below {bound:.2g}, above the first step of the correction over {n} areas "
        f"({first:.2g}): areas can be flagged only if many are extreme together, and some "
        f"may stay undecided. Raise max_permutations (about {needed:,} is enough).",
        UserWarning,
        stacklevel=4,  # the caller of gi_star / local_moran
    )


def _warn_undecided(prep: Prepared, undecided: NDArray[np.bool_], opts: Options) -> None:
    ids = np.array(prep.graph.ids)
    warnings.warn(
        f"{int(undecided.sum())} area(s) are undecided after {opts.max_permutations:,} "
        "permutations each (their exact p-value is too close to the threshold to settle): "
        f"{names(list(ids), undecided)}. They are labelled 'undecided', not significant; "
        "raise max_permutations to settle them.",
        UserWarning,
        stacklevel=4,  # the caller of gi_star / local_moran
    )


__all__ = ["DEFAULT_ERROR_RATE", "DEFAULT_MAX_PERMUTATIONS", "Inference", "Options", "infer",
           "options"]
