"""RAG against a target: the Fingertips benchmark rule with polarity, on PHE intervals."""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest
from PHStatsMethods import ph_rate

from alliance.stats.rates.target import against_target


def _phe_interval(count: int, population: int) -> tuple[float, float, float]:
    """Reference interval: PHStatsMethods.ph_rate (exact Poisson below 10, Byar's from 10),
    per 1,000."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ph_rate(pd.DataFrame({"a": ["x"], "n": [count], "d": [population]}), "n", "d",
                      group_cols="a", multiplier=1000)
    row = ref.iloc[0]
    return float(row["Value"]), float(row["lower_95_ci"]), float(row["upper_95_ci"])


@pytest.mark.parametrize(("count", "target", "polarity", "rag"), [
    # 900 offences in 100,000 residents: 9.0 (8.43 to 9.60) per 1,000
    (900, 10.0, "low is good", "green"),   # wholly below a target of 10
    (900, 9.2, "low is good", "amber"),    # the interval holds 9.2
    (900, 8.0, "low is good", "red"),      # wholly above a target of 8
    (900, 10.0, "high is good", "red"),
    (900, 8.0, "high is good", "green"),
    (900, 10.0, "not applicable", "not rated"),
    # 7 events in 100,000: 0.07 (0.028 to 0.144) per 1,000, so a target of 0.05 is inside
    (7, 0.05, "low is good", "amber"),
])
def test_rag_by_significance_and_polarity(count: int, target: float, polarity: str,
                                          rag: str) -> None:
    value, lower, upper = _phe_interval(count, 100_000)
    status = against_target(value=value, lower=lower, upper=upper, target=target,
                            polarity=polarity)  # type: ignore[arg-type]
    assert status.rag == rag
    assert status.words in {"significantly better than the target",
                            "not significantly different from the target",
                            "significantly worse than the target", "not rated"}


def test_the_eye_is_not_the_judge() -> None:
    """9.0 against a target of 9.5 looks 'met' by eye, but the interval (8.43 to 9.60) holds
    9.5: amber, not green."""
    value, lower, upper = _phe_interval(900, 100_000)
    assert value < 9.5 < upper
    assert against_target(value=value, lower=lower, upper=upper, target=9.5,
                          polarity="low is good").rag == "amber"


def test_hidden_values_are_not_rated_and_bad_input_refused() -> None:
    hidden = against_target(value=math.nan, lower=math.nan, upper=math.nan, target=3.0,
                            polarity="low is good")
    assert hidden.rag == "not rated" and "no published value" in hidden.reason
    with pytest.raises(ValueError, match="polarity"):
        against_target(value=1, lower=0.5, upper=2, target=1, polarity="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not contain"):
        against_target(value=3, lower=0.5, upper=2, target=1, polarity="low is good")
    with pytest.raises(ValueError, match="finite"):
        against_target(value=1, lower=0.5, upper=2, target=math.inf, polarity="low is good")
