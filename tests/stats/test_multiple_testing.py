"""Tests for alliance.stats.multiple_testing against statsmodels' ``multipletests``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from alliance.stats.multiple_testing import Correction, adjust_p_values


@pytest.mark.parametrize("method", ["fdr_bh", "holm"])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_equals_statsmodels_multipletests(method: Correction, alpha: float) -> None:
    """Reference: statsmodels.stats.multitest.multipletests(p, alpha, method)."""
    rng = np.random.default_rng(7)
    # A realistic mixture: mostly null (uniform) plus some real signals, with ties.
    p = np.concatenate([rng.uniform(size=400), rng.beta(0.2, 8, size=100), [0.01] * 5, [1.0]])
    rng.shuffle(p)
    reject, q_ref, _, _ = multipletests(p, alpha=alpha, method=method)
    result = adjust_p_values(p, method=method, alpha=alpha)
    np.testing.assert_allclose(result.q, q_ref, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(result.significant, reject)


def test_worked_example_benjamini_hochberg() -> None:
    """Hand-computed BH example: p = (0.01, 0.04, 0.03, 0.20), n = 4.

    Sorted: 0.01*4/1 = 0.04, 0.03*4/2 = 0.06, 0.04*4/3 = 0.0533, 0.20*4/4 = 0.20; the running
    minimum from the top gives q = (0.04, 0.0533, 0.0533, 0.20) for sorted order.
    """
    result = adjust_p_values([0.01, 0.04, 0.03, 0.20])
    np.testing.assert_allclose(result.q, [0.04, 0.16 / 3, 0.16 / 3, 0.20])
    assert result.significant.tolist() == [True, False, False, False]


def test_holm_worked_example() -> None:
    """Holm: sorted p (0.01, 0.03, 0.04, 0.2) times (4, 3, 2, 1), running maximum."""
    result = adjust_p_values([0.01, 0.04, 0.03, 0.20], method="holm")
    np.testing.assert_allclose(result.q, [0.04, 0.09, 0.09, 0.2])


def test_none_passes_through_and_frame_has_labels() -> None:
    result = adjust_p_values([0.2, 0.01], method="none", labels=["E01", "E02"])
    frame = result.to_frame()
    assert frame.index.tolist() == ["E01", "E02"]
    assert frame["q"].tolist() == [0.2, 0.01]
    assert frame["significant"].tolist() == [False, True]


def test_bad_p_values_are_named() -> None:
    with pytest.raises(ValueError, match="E02"):
        adjust_p_values([0.1, float("nan")], labels=["E01", "E02"])
    with pytest.raises(ValueError, match="outside"):
        adjust_p_values([0.1, 1.5])
    with pytest.raises(ValueError, match="nothing"):
        adjust_p_values([])
    with pytest.raises(ValueError, match="unknown correction"):
        unknown: Any = "bonferroni"
        adjust_p_values([0.1], method=unknown)
    with pytest.raises(ValueError, match="alpha"):
        adjust_p_values([0.1], alpha=1.0)
