"""Kish's effective n and design effect, effective-n Wilson intervals, representation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.voice.weighting import representation, weight_diagnostics, weighted_proportions


def test_kish_values_by_hand() -> None:
    # Kish (1965): n_eff = (sum w)^2 / sum w^2; weights 1,1,2,4 -> 64 / 22
    d = weight_diagnostics(np.array([1.0, 1.0, 2.0, 4.0]))
    assert d.n_effective == pytest.approx(64 / 22)
    assert d.design_effect == pytest.approx(4 / (64 / 22))
    assert d.margin_of_error == pytest.approx(1.959964 * np.sqrt(0.25 / (64 / 22)), rel=1e-6)
    assert d.largest == pytest.approx(2.0)


def test_equal_weights_cost_nothing() -> None:
    d = weight_diagnostics(np.ones(400))
    assert d.design_effect == pytest.approx(1.0)
    assert d.margin_of_error == pytest.approx(0.049, abs=5e-4)  # the familiar ±4.9% at n=400


def test_weightipy_efficiency_agrees() -> None:
    import weightipy as wp

    w = pd.Series(np.random.default_rng(2).gamma(2.0, size=300))
    d = weight_diagnostics(w)
    assert 100 * d.n_effective / d.n == pytest.approx(wp.weighting_efficiency(w), rel=1e-9)


def test_weighted_shares_with_equal_weights_are_plain_wilson() -> None:
    """With weights of 1 the interval is the PHE Wilson interval of the count (stats.rates)."""
    from alliance.stats.rates import proportion

    chosen = pd.DataFrame({"yes": [True] * 30 + [False] * 70})
    out = weighted_proportions(chosen, pd.Series(np.ones(100)))
    ref = proportion(pd.Series([30]), pd.Series([100]))
    assert out.loc["yes", "share"] == pytest.approx(0.3)
    assert out.loc["yes", "lower"] == pytest.approx(float(ref.lower.iloc[0]), abs=1e-9)
    assert out.loc["yes", "upper"] == pytest.approx(float(ref.upper.iloc[0]), abs=1e-9)


def test_representation_names_the_groups_heard_too_little() -> None:
    answers = pd.Series(["65+"] * 120 + ["45-64"] * 60 + ["16-24"] * 5 + [None] * 4)
    rep = representation(answers, {"16-24": 14_000, "45-64": 32_000, "65+": 21_000},
                         margin="age")
    assert rep.under_represented == ["16-24"]
    assert "16-24 (3% of respondents, 21% of residents)" in rep.sentence("age")
    assert rep.sentence() == rep.sentence("age")  # templates call it without arguments
    assert int(rep.table["respondents"].sum()) == 185


def test_representation_does_not_cry_wolf_on_small_samples() -> None:
    rep = representation(pd.Series(["a", "b", "b"]), {"a": 1, "b": 1}, margin="g")
    assert rep.under_represented == []
    assert rep.sentence("sex") == "No sex group was clearly under-represented among respondents."
