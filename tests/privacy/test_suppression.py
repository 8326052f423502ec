"""Tests for alliance.privacy.suppression.

Reference: ONS *Disclosure control guidance for tables produced from administrative sources*
(small counts 1–4 suppressed, zeros shown, secondary suppression so that no cell can be
derived by differencing) and the tau-Argus manual (the attacker's feasible interval per cell).
The attacks below are written independently of the module: they read only the published table.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space
from scipy.optimize import linprog

from alliance.privacy.suppression import MARKER, suppress_counts


def _equations(published: pd.DataFrame, margins: str) -> tuple[list[tuple[int, int]], np.ndarray,
                                                                  np.ndarray]:
    """The attacker's linear system over the hidden cells: A x = b, from the published table."""
    grid = published.to_numpy(dtype=object)
    hidden = [(r, c) for r in range(grid.shape[0]) for c in range(grid.shape[1])
              if grid[r, c] == MARKER]
    pos = {cell: k for k, cell in enumerate(hidden)}
    n_rows, n_cols = grid.shape
    lines = []
    if margins in ("rows", "both"):
        lines += [([(r, c) for c in range(n_cols - 1)], (r, n_cols - 1)) for r in range(n_rows)]
    if margins in ("columns", "both"):
        lines += [([(r, c) for r in range(n_rows - 1)], (n_rows - 1, c)) for c in range(n_cols)]
    a_rows, b = [], []
    for members, total in lines:
        coef = np.zeros(len(hidden))
        known = 0.0
        for cell in members:
            if cell in pos:
                coef[pos[cell]] += 1
            else:
                known += float(grid[cell])
        if total in pos:
            coef[pos[total]] -= 1
        else:
            known -= float(grid[total])
        a_rows.append(coef)
        b.append(-known)
    return hidden, np.array(a_rows).reshape(len(a_rows), len(hidden)), np.array(b)


def _attack_intervals(published: pd.DataFrame, margins: str) -> dict[tuple[int, int],
                                                                      tuple[float, float]]:
    hidden, a, b = _equations(published, margins)
    out = {}
    for k, cell in enumerate(hidden):
        obj = np.zeros(len(hidden))
        obj[k] = 1
        lo = linprog(obj, A_eq=a, b_eq=b, bounds=[(1, None)] * len(hidden), method="highs")
        hi = linprog(-obj, A_eq=a, b_eq=b, bounds=[(1, None)] * len(hidden), method="highs")
        assert lo.status == 0, "the published table must be consistent"
        out[cell] = (lo.fun, np.inf if hi.status == 3 else -hi.fun)
    return out


def test_primary_hides_one_to_four_and_shows_zero() -> None:
    """ONS guidance: 1–4 suppressed, 0 and 5+ shown."""
    counts = pd.Series([0, 1, 4, 5, 12], index=list("abcde"), name="n")
    result = suppress_counts(counts, threshold=5)
    assert list(result.published["n"]) == [0, MARKER, MARKER, 5, 12]
    assert list(result.reasons["n"]) == ["", "primary", "primary", "", ""]
    assert result.n_primary == 2 and result.n_secondary == 0
    assert "2 cell(s)" in result.status


def test_threshold_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_SUPPRESSION_THRESHOLD", "3")
    result = suppress_counts(pd.Series([1, 2, 3, 4], name="n"))
    assert list(result.mask["n"]) == [True, True, False, False]


def test_row_with_one_small_cell_gets_a_secondary() -> None:
    """Hand-worked: row a = 3 + 20 + 40 = 63; publishing 63, 20 and 40 would reveal 3."""
    counts = pd.DataFrame({"x": [3, 10], "y": [20, 30], "z": [40, 50]}, index=["a", "b"])
    result = suppress_counts(counts, threshold=5, margins="rows")
    assert result.reasons.loc["a", "x"] == "primary"
    assert result.reasons.loc["a", "y"] == "secondary"  # the smallest other cell in the row
    assert result.published.loc["a", "Total"] == 63
    assert not result.mask.loc["b"].any()


def test_total_hidden_when_only_zeros_remain() -> None:
    counts = pd.DataFrame({"x": [3, 9], "y": [0, 8]}, index=["a", "b"])
    result = suppress_counts(counts, threshold=5, margins="both")
    intervals = _attack_intervals(result.published, "both")
    assert all(hi - lo >= 4 for (lo, hi) in intervals.values())


tables = st.integers(2, 4).flatmap(lambda r: st.integers(2, 4).flatmap(
    lambda c: st.lists(st.lists(st.one_of(st.integers(0, 6), st.integers(5, 60)),
                                min_size=c, max_size=c), min_size=r, max_size=r)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=tables, margins=st.sampled_from(["rows", "columns", "both"]))
def test_hidden_cells_cannot_be_recovered(rows: list[list[int]], margins: str) -> None:
    """Attack every published table: (1) linear algebra — a primary cell is exactly determined
    iff every null-space vector of the margin equations is zero at that cell; (2) interval
    reasoning — linear programmes give the tightest range using the margins and that hidden
    cells are at least 1 (zeros are shown). Neither may pin a primary cell down."""
    counts = pd.DataFrame(rows, columns=[f"c{j}" for j in range(len(rows[0]))],
                          index=[f"r{i}" for i in range(len(rows))])
    result = suppress_counts(counts, threshold=5, margins=margins)  # type: ignore[arg-type]
    hidden, a, _ = _equations(result.published, margins)
    primary = result.reasons.to_numpy() == "primary"
    assert result.mask.to_numpy()[primary].all()
    full = result.values.to_numpy()
    truth = counts.to_numpy()
    if margins in ("rows", "both"):
        truth = np.hstack([truth, truth.sum(axis=1, keepdims=True)])
    if margins in ("columns", "both"):
        truth = np.vstack([truth, truth.sum(axis=0, keepdims=True)])
    shown = ~np.isnan(full)
    assert np.array_equal(full[shown], truth[shown])
    if not hidden:
        return
    kernel = null_space(a) if a.size else np.eye(len(hidden))
    intervals = _attack_intervals(result.published, margins)
    for k, cell in enumerate(hidden):
        lo, hi = intervals[cell]
        assert lo - 1e-6 <= truth[cell] <= hi + 1e-6, "the attack itself must be sound"
        if primary[cell]:
            assert np.abs(kernel[k]).max() > 1e-9, f"cell {cell} recoverable exactly"
            assert hi - lo >= 4 - 1e-6, f"cell {cell} narrowed to [{lo}, {hi}]"


def test_every_margin_line_with_a_hidden_cell_has_two() -> None:
    """The classic rule: no row or column (totals included) with exactly one hidden cell."""
    rng = np.random.default_rng(7)
    for _ in range(30):
        counts = pd.DataFrame(rng.choice([0, 1, 2, 3, 8, 15, 40], size=(5, 4)))
        result = suppress_counts(counts, threshold=5, margins="both")
        mask = result.mask.to_numpy()
        for line in itertools.chain(mask, mask.T):
            assert line.sum() != 1


def test_rates_from_hidden_counts_are_hidden() -> None:
    counts = pd.DataFrame({"n": [2, 30, 40]}, index=["a", "b", "c"])
    result = suppress_counts(counts, threshold=5)
    rates = pd.DataFrame({"n": [0.4, 6.1, 8.0]}, index=["a", "b", "c"])
    masked = result.mask_like(rates)
    assert np.isnan(masked.loc["a", "n"]) and masked.loc["b", "n"] == 6.1
    series = result.mask_like(pd.Series([0.4, 6.1, 8.0], index=["a", "b", "c"]))
    assert np.isnan(series["a"])
    with pytest.raises(KeyError, match="no count"):
        result.mask_like(pd.Series([1.0], index=["zz"]))


@pytest.mark.parametrize("bad, message", [
    (pd.DataFrame({"n": [1.0, np.nan]}, index=["a", "b"]), "'b'/'n'=nan"),
    (pd.DataFrame({"n": [3, -1]}, index=["a", "b"]), "'b'/'n'=-1"),
    (pd.DataFrame({"n": [2.5, 1]}, index=["a", "b"]), "'a'/'n'=2.5"),
    (pd.DataFrame({"n": [1, 2]}, index=["a", "a"]), "duplicated"),
    (pd.DataFrame({"n": []}), "empty"),
])
def test_bad_input_is_named(bad: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        suppress_counts(bad, threshold=5)


def test_to_frame_is_long() -> None:
    result = suppress_counts(pd.DataFrame({"x": [1, 9], "y": [9, 9]}), threshold=5,
                             margins="both")
    long = result.to_frame()
    assert set(long.columns) >= {"value", "published", "hidden", "reason"}
    assert len(long) == 9
