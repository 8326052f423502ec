"""Local Moran's I (LISA) clusters and outliers for areas.

Local Moran asks, for each area: is this area similar to its neighbours (a high area among
high neighbours, HH, or low among low, LL — a cluster) or unlike them (HL, LH — an outlier),
more than a random arrangement of the same values would give?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from alliance.stats.hotspots._inference import (
    DEFAULT_ERROR_RATE,
    DEFAULT_MAX_PERMUTATIONS,
    infer,
    options,
)
from alliance.stats.hotspots._local import (
    LocalResult,
    prepare,
    two_sided_normal_p,
    uniform_row_weights,
)
from alliance.stats.multiple_testing import Correction

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
QUADRANTS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass(frozen=True, kw_only=True)
class LocalMoranResult(LocalResult):
    """Local Moran per area, in the order of the input values.

    Attributes
    ----------
    i : local Moran's I_i (esda ``Is``).
    z_analytic : (I_i - E[I_i]) / sd(I_i) under total randomisation (esda ``EI``, ``VI``;
        Sokal et al. 1998, eqs. A3–A4). ``z`` is the signed normal equivalent of the p that
        decided (positive: more alike than chance, a cluster; negative: an outlier).
    quadrant : 'HH', 'LH', 'LL' or 'HL' (area above/below the mean, neighbours' average
        above/below the mean), as esda's ``q`` 1–4; '' for islands.
    label : the quadrant if significant, else 'not significant', 'undecided' (sequential mode,
        cap reached) or 'island (not tested)'.

    The other inference attributes are described in :class:`LocalResult`.
    """

    i: FloatArray
    quadrant: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per area, indexed by area code."""
        return self._frame({"i": self.i}, {"quadrant": list(self.quadrant)})


def local_moran(
    values: Any,
    graph: Any,
    *,
    permutations: int | None = None,
    seed: int | None = None,
    correction: Correction = "fdr_bh",
    alpha: float = 0.05,
    transform: Literal["R", "B"] = "R",
    max_permutations: int = DEFAULT_MAX_PERMUTATIONS,
    error_rate: float = DEFAULT_ERROR_RATE,
) -> LocalMoranResult:
    """Local Moran's I with HH/LL/HL/LH labels, permutation inference and FDR correction.

    What it estimates
        I_i = (n - 1) z_i sum_j w_ij z_j / sum_k z_k^2, with z the values standardised by
        their mean and (population) standard deviation: positive when area i and its
        neighbours are on the same side of the mean, negative when on opposite sides.
    Null hypothesis
        Spatial randomness: values are exchangeable between areas.
    Inference and sidedness
        Two-sided, by conditional permutation, exactly as :func:`~alliance.stats.hotspots.gi_star`
        (same ``permutations`` modes: ``None`` = sequential and seed-stable, the default; an
        integer = esda's fixed mode; 0 = analytic). ``z_analytic``/``p_norm``: analytic moments
        under total randomisation (as esda ``EI``/``VI``), two-sided normal p. The published
        ``z`` is the signed normal equivalent of the deciding p (|z| >= ``z_critical`` exactly
        when significant). An area exactly at the mean (z_i = 0) has I_i = 0 in every
        permutation and gets p = 1 (esda reports 1/(P+1) there).
    Correction
        Benjamini–Hochberg FDR by default, ``"holm"`` or ``"none"`` possible.
    Weights
        As esda ``Moran_Local(y, w, transformation=...)``: ``"R"`` (default) row-standardises,
        ``"B"`` uses 1 for every link. Neighbour weights must be equal within each row; the
        graph must not carry self-weights.
    Islands and bad input
        As :func:`~alliance.stats.hotspots.gi_star`: islands are left out and named; missing
        values, mismatched ids, one area or all-equal values raise ``ValueError``. Negative
        values are allowed.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association — LISA. Geographical Analysis
    27(2), 93–115. Sokal, R. R., Oden, N. L. & Thomson, B. A. (1998). Local spatial
    autocorrelation in a biological model. Geographical Analysis 30(4), 331–354. esda
    ``Moran_Local`` (PySAL) for the computation followed.
    """
    opts = options(permutations=permutations, seed=seed, correction=correction, alpha=alpha,
                   max_permutations=max_permutations, error_rate=error_rate)
    if transform not in ("R", "B"):
        raise ValueError(f"transform must be 'R' or 'B', got {transform!r}")
    prep = prepare(values, graph, statistic="local Moran", allow_negative=True)
    g_graph, y = prep.graph, prep.y
    if (g_graph.self_weights != 0).any():
        raise ValueError("local_moran needs a graph without self-weights (diagonal)")
    k = g_graph.cardinalities
    w_nb = uniform_row_weights(g_graph)
    w_nb = 1.0 / k if transform == "R" else np.ones_like(w_nb)
    n = y.size
    z = (y - y.mean()) / y.std()
    rows = g_graph.row_of()
    neighbour_sum_z = np.bincount(rows, weights=z[g_graph.indices], minlength=n)
    lag = w_nb * neighbour_sum_z
    moran_i = (n - 1) * z * lag / (z * z).sum()
    # Total-randomisation moments exactly as esda.Moran_Local.__moments.
    m2 = (z * z).sum() / n
    b2 = ((z**4).sum() / n) / m2**2
    wi = k * w_nb
    wi2 = k * w_nb**2
    expected = -wi / (n - 1)
    variance = wi2 * (n - b2) / (n - 1)
    variance += (wi**2 - wi2) * (2 * b2 - n) / ((n - 1) * (n - 2))
    variance -= expected**2
    z_score = (moran_i - expected) / np.sqrt(variance)
    quadrant_code = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    # The statistic moves with the neighbours' sum when z_i > 0, against it when z_i < 0.
    # Sums of the raw values keep ties exact for counts.
    neighbour_sum_y = np.asarray(
        np.bincount(rows, weights=y[g_graph.indices], minlength=n), dtype=np.float64)
    tests = infer(prep, z_analytic=z_score, p_norm=two_sided_normal_p(z_score),
                  neighbour_sums=neighbour_sum_y, statistic_direction=np.sign(z).astype(np.int8),
                  opts=opts)
    position = prep.position
    quadrant = [QUADRANTS[int(quadrant_code[p])] if p >= 0 else "" for p in position]
    label = [
        "island (not tested)" if p < 0 else "undecided" if undecided
        else (quad if sig else "not significant")
        for p, quad, sig, undecided in zip(position, quadrant, tests.significant,
                                           tests.undecided, strict=True)
    ]
    return LocalMoranResult(
        **vars(tests), ids=prep.ids, i=prep.in_input_order(moran_i),
        z_analytic=prep.in_input_order(z_score), quadrant=tuple(quadrant), label=tuple(label),
        inference=opts.mode, correction=correction, alpha=alpha, permutations=opts.permutations,
        max_permutations=opts.max_permutations, error_rate=error_rate, seed=seed,
        transform=transform, islands=prep.islands, disconnected=prep.disconnected,
    )
