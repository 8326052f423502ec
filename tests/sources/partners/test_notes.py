"""What readers write into notes and read back: published intervals and comparisons."""

from __future__ import annotations

import pandas as pd

from alliance.sources.partners import _checks
from alliance.sources.partners._table import ProblemLog
from alliance.sources.partners.notes import (
    add_notes,
    comparison_notes,
    interval_notes,
    published_comparison,
    published_interval,
)


def test_interval_round_trip_and_hostile_text() -> None:
    notes = interval_notes(pd.Series(["55.2", "", "x", "1e2"]), pd.Series(["67.1", "3", "4",
                                                                          "2e2"]))
    assert list(notes) == ["95% CI 55.2 to 67.1", "", "", "95% CI 1e2 to 2e2"]
    joined = add_notes(pd.Series(["caution", "", "", ""]), notes)
    assert joined[0] == "caution; 95% CI 55.2 to 67.1"
    assert published_interval(joined[0]) == (55.2, 67.1)
    assert published_interval("95% CI 9 to 3") is None  # reversed: not an interval
    assert published_interval("99.8% CI 1 to 2") is None
    assert published_interval("99.8% CI 1 to 2", level=99.8) == (1.0, 2.0)
    assert published_interval("see 95% CI 1 to 2 in the text") is None  # not a whole part
    assert published_interval(None) is None


def test_comparisons_only_from_known_words() -> None:
    notes = comparison_notes(pd.Series(["Worse", "Not compared", "similar", None, "<b>"]))
    assert list(notes) == ["compared with England: Worse", "",
                           "compared with England: Similar", "", ""]
    assert published_comparison("x; compared with England: Better") == "Better"
    assert published_comparison("compared with England: Nonsense") is None


def test_national_outside_its_regions_is_blanked_and_recorded() -> None:
    regions = [{"area_code": f"E1200000{i}", "measure": "m", "period": "2024", "breakdown": "",
                "unit": "rate per 100,000", "value": 100.0 + i, "notes": "",
                "source_line": i + 2} for i in range(1, 10)]
    england = {"area_code": "E92000001", "measure": "m", "period": "2024", "breakdown": "",
               "unit": "rate per 100,000", "value": 1258.0, "notes": "", "source_line": 40}
    log = ProblemLog("lait.parquet")
    out = _checks.national_within_regions(pd.DataFrame([*regions, england]), log)
    assert pd.isna(out["value"].iloc[-1]) and "outside the range" in out["notes"].iloc[-1]
    assert [(p.line, p.value) for p in log.items] == [(40, "1258")]
    # inside the range, or too few regions to judge: untouched
    fine = pd.DataFrame([*regions, {**england, "value": 104.0}])
    assert _checks.national_within_regions(fine, log)["value"].iloc[-1] == 104.0
    few = pd.DataFrame([*regions[:3], england])
    assert _checks.national_within_regions(few, log)["value"].iloc[-1] == 1258.0
