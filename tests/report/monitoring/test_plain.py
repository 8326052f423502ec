"""The board's words about change: the smallest change a comparison could call real, and the
season warning when a baseline holds other months of the year."""

from __future__ import annotations

import math

import pytest

from alliance.figures.counts import Change
from alliance.report.monitoring.plain import change_words, season_caution, smallest_clear_change
from alliance.stats.trends.rate_ratio import rate_ratio


def _change(before: int, after: int) -> Change:
    rr = rate_ratio(before, 365.0, after, 365.0)
    verdict = ("significant rise" if rr.lower > 1 else "significant fall" if rr.upper < 1
               else "no significant change")
    return Change(before=before, after=after, before_label="2024", after_label="2025",
                  ratio=rr.ratio, lower=rr.lower, upper=rr.upper, p_value=rr.p_value,
                  method=rr.method, verdict=verdict)


def test_the_smallest_clear_change_is_the_half_width_of_the_interval() -> None:
    """400 offences in each of two equal years. Reference: the Wald interval of a log rate
    ratio, SE = sqrt(1/a + 1/b) (Rothman, Greenland & Lash, *Modern Epidemiology*, 3rd ed.,
    2008, ch. 14), so a change must exceed exp(1.96 sqrt(2/400)) - 1 = 14.9% to be called
    real; the exact conditional interval used here agrees to half a percentage point."""
    change = _change(400, 410)
    wald = math.exp(1.96 * math.sqrt(2 / 400)) - 1
    assert smallest_clear_change(change) == pytest.approx(wald, abs=0.005)
    words = change_words(change, polarity="low is good")
    assert "No clear change since 2024" in words and "more than about 15% either way" in words
    # more data, smaller changes can be seen
    assert smallest_clear_change(_change(4000, 4100)) < smallest_clear_change(change) / 3


def test_the_season_is_flagged_only_for_different_months_of_the_year() -> None:
    assert season_caution(["2025-04", "2025-05", "2025-06"], ["2025-07", "2025-08", "2025-09"])
    assert not season_caution([f"2024-{m:02d}" for m in range(1, 13)],
                              ["2025-07", "2025-08", "2025-09"])
    assert not season_caution(["2024-07", "2024-08", "2024-09"],
                              ["2025-07", "2025-08", "2025-09"])
