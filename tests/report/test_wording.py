"""Tests for alliance.report.wording.

Reference: GOV.UK style guide (numerals, commas in thousands, "%") and the Analysis Function
guidance *Writing about statistics* (say "no significant change" when the interval spans zero).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from alliance.report.wording import (
    describe_change,
    describe_ratio,
    format_cell,
    format_count,
    format_number,
    format_percent,
    format_rate,
    is_significant,
)


def test_change_wording() -> None:
    assert describe_change(12, 5, 19) == "rose by 12% (95% CI 5% to 19%)"
    assert describe_change(-8, -14, -2) == "fell by 8% (95% CI 2% to 14%)"
    assert describe_change(-3, -10, 4) == \
        "showed no significant change (−3%, 95% CI −10% to +4%)"
    assert describe_change(12.34, 5.1, 19.9, dp=1, level=99) == \
        "rose by 12.3% (99% CI 5.1% to 19.9%)"


def test_ratio_wording() -> None:
    assert describe_ratio(1.42, 1.2, 1.66, comparator="the England rate") == \
        "1.4 times the England rate (95% CI 1.2 to 1.7)"
    assert describe_ratio(1.1, 0.9, 1.3, comparator="England").startswith(
        "not significantly different from England")


def test_number_formats() -> None:
    assert format_count(12345) == "12,345"
    assert format_rate(4.26) == "4.3 per 1,000"
    assert format_rate(52.1, per=100_000, dp=0) == "52 per 100,000"
    assert format_percent(12.345) == "12.3%"
    assert format_number(-1234.5, dp=1) == "−1,234.5"
    assert format_number(-0.01, dp=0) == "0"  # no "minus zero"
    assert format_percent(3, dp=0, signed=True) == "+3%"


def test_cells() -> None:
    assert format_cell("[c]", "count") == "[c]"
    assert format_cell(math.nan, "rate") == "[c]"
    assert format_cell(2132.0) == "2,132"
    assert format_cell(6.25) == "6.2"  # round half to even, as Python's format
    assert format_cell(6.2, "rate:2") == "6.20"
    assert format_cell(pd.Timestamp("2025-01-01")) == "1 Jan 2025"
    assert format_cell(date(2025, 3, 9)) == "9 Mar 2025"
    with pytest.raises(ValueError, match="unknown column format"):
        format_cell(1, "money")


@pytest.mark.parametrize("call", [
    lambda: format_count(2.5), lambda: format_count(-1), lambda: format_number(math.nan),
    lambda: describe_change(math.nan, 1, 2), lambda: is_significant(3, 1),
])
def test_bad_numbers_raise(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call()


def test_published_figures_by_unit() -> None:
    """A count read from a file as 2221.0 prints as people write it; rates keep the decimals
    their row needs (two significant figures for small rates), percentages one."""
    from alliance.report.wording import (
        decimals_for,
        format_interval,
        format_value,
        period_label,
        unit_kind,
        unit_label,
    )

    assert format_value(2221.0, unit="count") == "2,221"
    assert format_value(12.345, unit="percentage") == "12.3%"
    assert format_value(10.277921, unit="rate per 1,000") == "10.3"
    assert format_value(0.852035, unit="rate per 1,000") == "0.85"
    assert format_value(109.0, unit="rate per 100,000") == "109"
    assert format_value(0.009363, unit="rate per 1,000") == "0.0094"
    assert decimals_for([10.28, 0.85], unit="rate per 1,000") == 2
    assert decimals_for([0.00001], unit="rate per 1,000") == 4  # never more than 4
    assert format_interval(9.96, 10.6, unit="rate per 1,000") == "10.0 to 10.6"
    assert unit_kind("directly standardised rate per 100,000") == ("rate", 100_000)
    assert unit_label("directly standardised rate per 100,000") == "DSR per 100,000"
    assert unit_label("rate per 1,000,000") == "per million"
    assert unit_label("rate per 1,000 households") == "per 1,000 households"
    assert unit_label("percentage") == "%"
    assert period_label("YE Dec 2019") == "year ending December 2019"
    assert period_label("Apr 2022-Mar 2025") == "April 2022 to March 2025"
    assert period_label("2023/24") == "2023/24"
    with pytest.raises(ValueError, match="NaN"):
        format_value(float("nan"), unit="count")


def test_percent_of_is_the_one_rule_for_shares_of_votes() -> None:
    """Exact halves round up (Python's round() would give 12 for 12.5 and 88 for 87.5)."""
    from alliance.report.wording import format_share, percent_of

    assert [percent_of(n, 8) for n in (0, 1, 7, 8)] == [0, 13, 88, 100]
    assert percent_of(9, 10) == 90 and percent_of(2, 3) == 67 and percent_of(0, 0) == 0
    assert format_share(1, 8) == "13%"
    for bad in ((9, 8), (-1, 8), (1, -8)):
        with pytest.raises(ValueError):
            percent_of(*bad)
    with pytest.raises(TypeError):
        percent_of(0.5, 8)  # type: ignore[arg-type]
