"""Reporting periods: the forms an analyst types, and the comparison the held months allow."""

from __future__ import annotations

import pytest

from alliance.report.sna.period import comparison, parse_period


def test_month_range() -> None:
    p = parse_period("2025-01:2025-12")
    assert p.months[0] == "2025-01" and p.months[-1] == "2025-12" and len(p.months) == 12
    assert p.span() == "January 2025 to December 2025"


def test_financial_year_runs_april_to_march() -> None:
    p = parse_period("2025/26")
    assert (p.first, p.last, len(p.months)) == ("2025-04", "2026-03", 12)
    assert p.label == "financial year 2025/26"
    assert parse_period("2025/2026").months == p.months


def test_calendar_year_and_single_month() -> None:
    assert parse_period("2025").months == parse_period("2025-01:2025-12").months
    assert parse_period("2025-03").months == ("2025-03",)


@pytest.mark.parametrize("bad", ["2025-13", "2025-12:2025-01", "2025/27", "last year", "",
                                 "2025-1:2025-12", "1990-01:2005-01"])
def test_bad_periods_are_refused_by_name(bad: str) -> None:
    with pytest.raises(ValueError, match="period"):
        parse_period(bad)


def test_previous_period_has_equal_length() -> None:
    prev = parse_period("2025/26").previous()
    assert (prev.first, prev.last) == ("2024-04", "2025-03")


def test_comparison_full_partial_none() -> None:
    """Northamptonshire holds 2024-01..04 and 2025-01..12: 2025 compares like for like."""
    held = [f"2024-{m:02d}" for m in range(1, 5)] + [f"2025-{m:02d}" for m in range(1, 13)]
    partial = comparison(parse_period("2025"), held)
    assert partial.kind == "partial"
    assert partial.before == ("2024-01", "2024-02", "2024-03", "2024-04")
    assert partial.after == ("2025-01", "2025-02", "2025-03", "2025-04")
    assert "like for like" in partial.describe()
    one = comparison(parse_period("2025-02:2025-03"), held)  # 2024-12 is not held
    assert (one.kind, one.before, one.after) == ("partial", ("2025-01",), ("2025-03",))
    assert comparison(parse_period("2024-01:2024-04"), held).kind == "none"


def test_comparison_full_when_every_previous_month_is_held() -> None:
    held = [f"2025-{m:02d}" for m in range(1, 13)]
    c = comparison(parse_period("2025-07:2025-12"), held)
    assert c.kind == "full"
    assert c.before == tuple(f"2025-{m:02d}" for m in range(1, 7))
