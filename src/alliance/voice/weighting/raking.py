"""Raking (iterative proportional fitting) of respondent weights to population margins.

Why our own ~80 lines and not a library call: the one maintained Python implementation that
is correct under pandas 3 (``weightipy`` ≥ 0.4.2, a fork of Quantipy's RIM) prints to standard
output, renames categories, stops on a relative-improvement rule rather than on the margins,
and carries its whole engine for one loop; ``balance``'s ``rake`` silently ignores trimming
(facebookresearch/balance#69). The algorithm here is the same RIM loop (Deming & Stephan 1940;
the anesrake cap-and-rescale trimming of Pasek 2012) and is tested equal to ``weightipy`` to
1e-6, with and without trimming (``tests/voice/weighting/test_raking.py``); ADR 0009 says why.

The loop, for margins m = 1..M with target shares t_mk summing to one::

    w ← 1 (or the design weights)
    repeat:
        for each margin m, for each category k:  w_i ← w_i · t_mk · n / Σ_{i∈k} w_i
        if max_weight: while max w > max_weight: w ← min(w, max_weight); w ← w / mean(w)
    until every weighted margin is within ``tolerance`` of its target (or, with trimming,
    the weights stop changing)

Weights are returned with mean 1 (they sum to the number of respondents), so ``max_weight=5``
means no respondent counts for more than five average respondents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


class RakingError(ValueError):
    """The margins cannot be reached with these respondents; the message says which and why."""


def _targets(sample: pd.DataFrame, margins: Mapping[str, Mapping[Any, float]],
             ) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Per margin: its name, each respondent's category number and the target shares."""
    if not margins:
        raise RakingError("no margins to weight to")
    prepared = []
    for name, shares in margins.items():
        if name not in sample.columns:
            raise RakingError(f"margin {name!r}: the respondents have no such column")
        column = sample[name]
        if column.isna().any():
            raise RakingError(f"margin {name!r}: {int(column.isna().sum())} respondent(s) have "
                              "no value; give them a category or leave them out first")
        labels = list(shares)
        values = np.array([float(shares[k]) for k in labels])
        if not np.all(np.isfinite(values)) or (values < 0).any() or values.sum() <= 0:
            raise RakingError(f"margin {name!r}: targets must be non-negative numbers with a "
                              "positive total")
        codes = pd.Index(labels).get_indexer(pd.Index(column))
        if (codes < 0).any():
            unknown = sorted({str(v) for v in column[codes < 0]})
            raise RakingError(f"margin {name!r}: respondent category {unknown[0]!r} has no "
                              f"target (targets: {', '.join(map(str, labels))})")
        present = np.bincount(codes, minlength=len(labels))
        empty = [str(labels[k]) for k in range(len(labels)) if present[k] == 0 and values[k] > 0]
        if empty:
            raise RakingError(f"margin {name!r}: no respondent is in {empty[0]!r}, so its "
                              "target cannot be met; merge it with a neighbouring category")
        prepared.append((name, codes.astype(np.intp), values / values.sum()))
    return prepared


def rake(sample: pd.DataFrame, margins: Mapping[str, Mapping[Any, float]], *,
         max_weight: float | None = None, design_weights: pd.Series | None = None,
         tolerance: float = 1e-10, max_iterations: int = 2000) -> pd.Series:
    """One weight per respondent so that the weighted sample matches every margin.

    Parameters
    ----------
    sample : DataFrame, one row per respondent, with a column per margin (its category).
    margins : ``{column: {category: target share or count}}``; each margin is scaled to sum
        to one, so population counts can be passed as they are.
    max_weight : keyword-only; trim weights above this multiple of the mean weight after each
        sweep, rescaling to mean 1 (anesrake trimming). Margins are then met only as closely as
        the cap allows. Must be above 1.
    design_weights : keyword-only; starting weights (default 1 for everyone).
    tolerance : stop when every weighted margin share is within this of its target (without
        trimming) or when no weight moves by more than this (with trimming).

    Returns
    -------
    Series of weights with the sample's index, mean 1.

    Raises
    ------
    RakingError
        A margin column is missing or has gaps, a respondent's category has no target, a
        target category has no respondent, ``max_weight`` is not above 1, or the loop did not
        converge in ``max_iterations`` sweeps (the margins contradict each other).
    """
    n = len(sample)
    if n == 0:
        raise RakingError("no respondents to weight")
    if max_weight is not None and not max_weight > 1:
        raise RakingError("max_weight must be above 1 (the mean weight)")
    prepared = _targets(sample, margins)
    weights = (np.ones(n) if design_weights is None
               else design_weights.reindex(sample.index).to_numpy(dtype=float).copy())
    if not np.all(np.isfinite(weights)) or (weights <= 0).any():
        raise RakingError("design weights must be positive numbers")
    weights *= n / weights.sum()
    for _ in range(max_iterations):
        before = weights.copy()
        for _name, codes, shares in prepared:
            current = np.bincount(codes, weights=weights, minlength=len(shares))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(current > 0, shares * n / current, 0.0)
            weights *= factor[codes]
        if max_weight is not None:
            while weights.max() > max_weight * (1 + 1e-12):
                np.minimum(weights, max_weight, out=weights)
                weights *= n / weights.sum()
            if np.abs(weights - before).max() < tolerance:
                break
        elif _worst_gap(weights, prepared, n) < tolerance:
            break
    else:
        raise RakingError(f"the weights did not settle in {max_iterations} rounds: the margins "
                          "may contradict each other (check that they describe one population)")
    return pd.Series(weights, index=sample.index, name="weight")


def _worst_gap(weights: np.ndarray, prepared: list[tuple[str, np.ndarray, np.ndarray]],
               n: int) -> float:
    return max(float(np.abs(np.bincount(codes, weights=weights, minlength=len(shares)) / n
                            - shares).max()) for _name, codes, shares in prepared)
