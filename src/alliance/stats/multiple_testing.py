"""Multiple-testing correction: Benjamini–Hochberg false discovery rate and Holm.

When a map tests every area ("is this LSOA a hot spot?"), hundreds of tests are run at once and,
at the 5 % level, about one area in twenty looks "significant" by chance alone. A correction
turns each raw p-value into an adjusted value (a *q-value*) that can be compared with the
chosen level ``alpha`` directly.

* ``"fdr_bh"`` (default) — Benjamini & Hochberg (1995) step-up procedure. Among the areas
  flagged, the expected share of false alarms is at most ``alpha``. This is the usual choice for
  hot-spot maps: it keeps power while stopping the "one in twenty" flood. Valid for independent
  or positively dependent tests (Benjamini & Yekutieli 2001), which is the usual situation for
  neighbouring areas.
* ``"holm"`` — Holm (1979) step-down procedure. The chance of *any* false alarm across all the
  tests is at most ``alpha`` (family-wise error rate). Stricter; valid under any dependence.
* ``"none"`` — no correction; q equals p. Only for exploration, and say so in the output.

The numbers equal ``statsmodels.stats.multitest.multipletests(p, alpha, method)`` for
``method="fdr_bh"`` and ``method="holm"`` (tested).

References
----------
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
powerful approach to multiple testing. JRSS B 57(1), 289–300.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statist.
6(2), 65–70.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    import pandas as pd

Correction = Literal["fdr_bh", "holm", "none"]
CORRECTIONS: tuple[str, ...] = ("fdr_bh", "holm", "none")


@dataclass(frozen=True, kw_only=True)
class CorrectionResult:
    """Adjusted p-values (q-values) and the decision for each test.

    Attributes
    ----------
    p : raw p-values, in input order.
    q : adjusted p-values in input order (never above 1).
    significant : ``q <= alpha`` decision, computed as the procedure defines it.
    method : the correction used.
    alpha : the error rate controlled (FDR for ``fdr_bh``, FWER for ``holm``).
    labels : optional names of the tests (e.g. area codes), in input order.
    """

    p: NDArray[np.float64]
    q: NDArray[np.float64]
    significant: NDArray[np.bool_]
    method: str
    alpha: float
    labels: tuple[str, ...] | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per test: ``p``, ``q``, ``significant``, indexed by label if given."""
        import pandas as pd

        index = pd.Index(self.labels, name="label") if self.labels is not None else None
        return pd.DataFrame(
            {"p": self.p, "q": self.q, "significant": self.significant}, index=index
        )


def _validated(p_values: ArrayLike, labels: Sequence[str] | None) -> NDArray[np.float64]:
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise ValueError(f"p-values must be one-dimensional, got shape {p.shape}")
    if p.size == 0:
        raise ValueError("no p-values given: nothing to correct")
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        where = np.flatnonzero(bad)[:10]
        names = [labels[i] if labels is not None else f"position {i}" for i in where]
        raise ValueError(
            f"{int(bad.sum())} p-value(s) are missing or outside [0, 1]: "
            + ", ".join(f"{n}={p[i]!r}" for n, i in zip(names, where, strict=True))
        )
    return p


def adjust_p_values(
    p_values: ArrayLike,
    *,
    method: Correction = "fdr_bh",
    alpha: float = 0.05,
    labels: Sequence[str] | None = None,
) -> CorrectionResult:
    """Adjust a family of p-values for multiple testing.

    Parameters
    ----------
    p_values : the raw p-values of the tests (one per area), each in [0, 1].
    method : ``"fdr_bh"`` (Benjamini–Hochberg, default), ``"holm"`` or ``"none"``.
    alpha : the level at which ``significant`` is decided (0 < alpha < 1).
    labels : optional names for the tests, used in errors and ``to_frame``.

    Returns
    -------
    CorrectionResult
        ``q`` are the adjusted p-values: BH q_(i) = min_{j>=i} p_(j) n / j, Holm
        q_(i) = max_{j<=i} (n - j + 1) p_(j), both capped at 1 (p sorted ascending).

    Raises
    ------
    ValueError
        For NaN/infinite/out-of-range p-values (naming them), empty input, an unknown method,
        or alpha outside (0, 1).
    """
    if method not in CORRECTIONS:
        raise ValueError(f"unknown correction {method!r}; choose one of {CORRECTIONS}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if labels is not None and len(labels) != len(np.asarray(p_values)):
        raise ValueError(f"{len(labels)} labels for {len(np.asarray(p_values))} p-values")
    p = _validated(p_values, labels)
    n = p.size
    order = np.argsort(p)
    p_sorted = p[order]
    if method == "none":
        q_sorted = p_sorted.copy()
        reject_sorted = p_sorted <= alpha
    elif method == "fdr_bh":
        ecdf_factor = np.arange(1, n + 1) / n
        # Step-up: every test ranked at or below the largest rank meeting p <= alpha*rank/n.
        reject_sorted = p_sorted <= ecdf_factor * alpha
        if reject_sorted.any():
            reject_sorted[: np.flatnonzero(reject_sorted).max()] = True
        q_sorted = np.minimum.accumulate((p_sorted / ecdf_factor)[::-1])[::-1]
    else:  # holm
        # Step-down: stop at the first test with p > alpha / (n - rank + 1).
        not_reject = p_sorted > alpha / np.arange(n, 0, -1)
        if not_reject.any():
            not_reject[np.flatnonzero(not_reject).min():] = True
        reject_sorted = ~not_reject
        q_sorted = np.maximum.accumulate(p_sorted * np.arange(n, 0, -1))
    q_sorted = np.minimum(q_sorted, 1.0)
    q = np.empty(n)
    q[order] = q_sorted
    significant = np.empty(n, dtype=bool)
    significant[order] = reject_sorted
    return CorrectionResult(
        p=p, q=q, significant=significant, method=method, alpha=alpha,
        labels=tuple(str(x) for x in labels) if labels is not None else None,
    )
