"""Raking equals an independent implementation (weightipy >= 0.4.2, Quantipy's RIM) to 1e-6.

weightipy stops on a relative-improvement rule; it is run here with a tiny convergence
criterion and many iterations, and without the anesrake cap correction (which adds 0.0001 to
the cap), so both implementations reach the same fixed point.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.voice.weighting import RakingError, rake, weight_diagnostics

AGE = {"16-24": 0.14, "25-44": 0.33, "45-64": 0.32, "65+": 0.21}
SEX = {"female": 0.51, "male": 0.49}
AREA = {"north": 0.3, "south": 0.45, "west": 0.25}


def sample(seed: int, n: int = 600) -> pd.DataFrame:
    """A skewed sample: older people and women answer more, as in real consultations."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.choice(list(AGE), size=n, p=[0.05, 0.25, 0.37, 0.33]),
        "sex": rng.choice(list(SEX), size=n, p=[0.64, 0.36]),
        "area": rng.choice(list(AREA), size=n, p=[0.5, 0.3, 0.2]),
    }, index=pd.RangeIndex(100, 100 + n))


def weightipy_weights(frame: pd.DataFrame, margins: dict, cap: float | None) -> np.ndarray:
    import weightipy as wp

    scheme = wp.scheme_from_dict({k: {c: 100 * s for c, s in v.items()}
                                  for k, v in margins.items()},
                                 rim_params={"convcrit": 1e-14, "max_iterations": 20000,
                                             "cap": cap or 0})
    scheme.anesrake_cap_correction = False
    return wp.weight(frame.reset_index(drop=True), scheme).to_numpy()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("cap", [None, 3.0])
def test_equals_weightipy(seed: int, cap: float | None) -> None:
    frame = sample(seed)
    margins = {"age": AGE, "sex": SEX, "area": AREA}
    ours = rake(frame, margins, max_weight=cap, tolerance=1e-13)
    assert list(ours.index) == list(frame.index)
    np.testing.assert_allclose(ours.to_numpy(), weightipy_weights(frame, margins, cap),
                               rtol=0, atol=1e-6)


def test_meets_every_margin_and_keeps_the_mean() -> None:
    frame = sample(7)
    weights = rake(frame, {"age": AGE, "sex": SEX, "area": AREA})
    assert weights.mean() == pytest.approx(1.0, abs=1e-12)
    for column, target in (("age", AGE), ("sex", SEX), ("area", AREA)):
        shares = weights.groupby(frame[column]).sum() / weights.sum()
        for category, share in target.items():
            assert shares[category] == pytest.approx(share, abs=1e-9)


def test_trimming_caps_weights_and_costs_less_precision() -> None:
    frame = sample(4)
    margins = {"age": AGE, "sex": SEX}
    free = rake(frame, margins)
    capped = rake(frame, margins, max_weight=2.0)
    assert free.max() > 2.0
    assert capped.max() <= 2.0 + 1e-9
    assert weight_diagnostics(capped).n_effective > weight_diagnostics(free).n_effective


def test_counts_work_as_well_as_shares() -> None:
    frame = sample(5)
    as_counts = {"age": {k: v * 70_000 for k, v in AGE.items()}}
    np.testing.assert_allclose(rake(frame, as_counts), rake(frame, {"age": AGE}), atol=1e-12)


def test_stable_across_row_order() -> None:
    frame = sample(6)
    shuffled = frame.sample(frac=1.0, random_state=3)
    margins = {"age": AGE, "sex": SEX, "area": AREA}
    a = rake(frame, margins)
    b = rake(shuffled, margins).reindex(frame.index)
    np.testing.assert_allclose(a, b, atol=1e-9)


def test_no_worse_than_unweighted_on_the_margins() -> None:
    """The weighted sample is closer to the population than the raw sample on every margin."""
    frame = sample(8)
    weights = rake(frame, {"age": AGE, "sex": SEX}, max_weight=4.0)
    for column, target in (("age", AGE), ("sex", SEX)):
        raw = frame[column].value_counts(normalize=True)
        weighted = weights.groupby(frame[column]).sum() / weights.sum()
        gap_raw = sum(abs(raw[k] - v) for k, v in target.items())
        gap_weighted = sum(abs(weighted[k] - v) for k, v in target.items())
        assert gap_weighted <= gap_raw


@pytest.mark.parametrize(("frame", "margins", "words"), [
    (pd.DataFrame({"age": ["16-24", "25-44"]}), {"sex": SEX}, "no such column"),
    (pd.DataFrame({"age": ["16-24", None]}), {"age": AGE}, "no value"),
    (pd.DataFrame({"age": ["16-24", "90+"]}), {"age": AGE}, r"'90\+' has no target"),
    (pd.DataFrame({"age": ["16-24", "25-44"]}), {"age": AGE}, "no respondent is in '45-64'"),
    (pd.DataFrame({"age": ["16-24"]}), {"age": {"16-24": -1}}, "non-negative"),
    (pd.DataFrame({"age": []}), {"age": AGE}, "no respondents"),
])
def test_refusals_say_why(frame: pd.DataFrame, margins: dict, words: str) -> None:
    with pytest.raises(RakingError, match=words):
        rake(frame, margins)


def test_cap_must_be_above_the_mean() -> None:
    with pytest.raises(RakingError, match="above 1"):
        rake(sample(1), {"age": AGE}, max_weight=1.0)
