"""Conditional-permutation counting shared by the fixed and the sequential inference.

Conditional permutation (Anselin 1995): for each area i the value y_i stays put and its k_i
neighbours' values are replaced by k_i values drawn at random, without replacement, from the
other n - 1 areas.

Like esda, one set of random draws is shared by all areas (esda draws ``permutations`` rows of
``max k`` ids once and lets area i use the first k_i of each row). Here each row is the start of
a random permutation of all n areas, one element longer than the largest neighbour count; area i
takes the first k_i elements and, if it is itself among them, swaps itself for element k_i + 1.
That is exactly a uniform draw of k_i of the other n - 1 areas. Because neighbour weights are
equal within a row (binary or row-standardised contiguity), a draw's statistic depends only on
the sum of the drawn values, so prefix sums of each row give every area's reference sums at
once: the test costs O(permutations x max k + n log permutations) instead of
O(permutations x sum k). Sharing draws between areas does not matter to the per-area tests:
each area's own draws are independent and identically distributed.

Rows are drawn with replacement and redrawn while they repeat an area (rejection sampling,
which leaves every ordered draw without repetition equally likely); when repeats would be
common (long rows on small maps) a row is instead the order of n random keys.

Ties count as "at least as extreme": draws are compared through sums of the raw values, which
are exact for counts; a tolerance of 1e-9 x k x max|y| absorbs the rounding of float sums taken
in another order. (esda compares floating-point statistics computed with fastmath, so with tied
integer counts it sometimes misses a tie; for areas with one or two neighbours its p_sim can
then differ from the exact one by a few per cent. Tested in test_local_moran.)
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Rows are drawn in chunks of about this many area ids (bounds memory).
_CHUNK_IDS = 4_000_000
#: Groups of at most this many areas compare directly instead of sorting the reference sums.
_DIRECT_COMPARE = 16


def random_prefixes(rng: np.random.Generator, n: int, length: int, rows: int) -> IntArray:
    """``rows`` independent draws of the first ``length`` entries of a uniformly random
    permutation of range(n), stored by position: entry [j, r] is the j-th area of draw r (so
    each position is one contiguous array)."""
    accept = math.prod(1 - j / n for j in range(length))
    if accept < 0.25 or length > 48:
        keys = rng.random((rows, n))
        return np.ascontiguousarray(np.argsort(keys, axis=1)[:, :length].T).astype(np.int64)
    out = rng.integers(0, n, size=(length, rows), dtype=np.int64)
    todo: IntArray | None = None
    while True:
        block = out if todo is None else out[:, todo]
        repeated = np.zeros(block.shape[1], dtype=bool)
        for a in range(1, length):
            for b in range(a):
                repeated |= block[a] == block[b]
        todo = np.flatnonzero(repeated) if todo is None else todo[repeated]
        if todo.size == 0:
            return out
        out[:, todo] = rng.integers(0, n, size=(length, todo.size), dtype=np.int64)


def _count_column(column: FloatArray, observed: FloatArray, tolerance: FloatArray,
                  up: bool) -> IntArray:
    """How many of ``column`` are >= observed - tol (``up``) or <= observed + tol, per area."""
    if observed.size <= _DIRECT_COMPARE:
        if up:
            hits = column[None, :] >= (observed - tolerance)[:, None]
        else:
            hits = column[None, :] <= (observed + tolerance)[:, None]
        return np.asarray(hits.sum(axis=1), dtype=np.int64)
    ordered = np.sort(column)
    if up:
        return ordered.size - np.searchsorted(ordered, observed - tolerance, side="left")
    return np.searchsorted(ordered, observed + tolerance, side="right").astype(np.int64)


def count_reference_at_least(
    y: FloatArray,
    cardinalities: IntArray,
    observed_sums: FloatArray,
    *,
    direction: NDArray[np.int8],
    permutations: int,
    rng: np.random.Generator,
) -> IntArray:
    """Per area, how many conditional-permutation neighbour sums are at least as extreme.

    ``direction`` +1 counts draws with sum >= observed (statistic increasing in the sum),
    -1 counts draws with sum <= observed (statistic decreasing in the sum, e.g. a local Moran
    area below the mean). Areas with direction 0 are not drawn for and get 0.
    """
    n = y.size
    larger = np.zeros(n, dtype=np.int64)
    areas = np.flatnonzero(direction != 0)
    if areas.size == 0 or permutations == 0:
        return larger
    length = min(int(cardinalities[areas].max()) + 1, n)
    tolerance = 1e-9 * np.maximum(cardinalities, 1) * float(np.max(np.abs(y)))
    groups = [(int(k), areas[cardinalities[areas] == k]) for k in np.unique(cardinalities[areas])]
    active = direction != 0
    per_chunk = max(1, _CHUNK_IDS // length)
    for start in range(0, permutations, per_chunk):
        rows = min(per_chunk, permutations - start)
        draws = random_prefixes(rng, n, length, rows)
        prefix = np.zeros((length + 1, rows))  # prefix[j]: sum of the first j drawn values
        for j in range(length):
            np.add(prefix[j], y[draws[j]], out=prefix[j + 1])
        for k, group in groups:
            for up in (True, False):
                chosen = group[direction[group] > 0] if up else group[direction[group] < 0]
                if chosen.size:
                    larger[chosen] += _count_column(prefix[k], observed_sums[chosen],
                                                    tolerance[chosen], up)
        # Draws in which area i drew itself among its first k_i: its sum there is the prefix
        # sum minus y_i plus the next element. Re-score exactly those (draw, area) cases.
        for j in range(length - 1):
            area = draws[j]
            row = np.flatnonzero(active[area] & (j < cardinalities[area]))
            if row.size == 0:
                continue
            area = area[row]
            k_area = cardinalities[area]
            old = prefix[k_area, row]
            new = old - y[area] + y[draws[k_area, row]]
            obs = observed_sums[area]
            tol = tolerance[area]
            up_area = direction[area] > 0
            old_counts = np.where(up_area, old >= obs - tol, old <= obs + tol)
            new_counts = np.where(up_area, new >= obs - tol, new <= obs + tol)
            np.add.at(larger, area, new_counts.astype(np.int64) - old_counts.astype(np.int64))
    return larger


def directed_pseudo_p(larger: IntArray, permutations: int) -> FloatArray:
    """esda's pseudo p: (min(#>=, #<) + 1) / (permutations + 1), one tail, the observed side."""
    folded = np.minimum(larger, permutations - larger)
    return np.asarray((folded + 1.0) / (permutations + 1.0), dtype=float)
