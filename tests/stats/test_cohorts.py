"""Age-sex profiles and repeat victimisation, with victim and suspect records kept apart."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.stats.cohorts import age_sex_profile, repeat_victimisation


def _records() -> pd.DataFrame:
    return pd.DataFrame({
        "subject_role": ["victim"] * 6 + ["suspect"] * 2,
        "person_key": ["p1", "p1", "p2", "p3", "p3", None, "s1", "s1"],
        "occurred_date": ["2024-01-05", "2024-11-30", "2024-03-01", "2024-01-01", "2025-02-01",
                          "2024-05-05", "2024-01-05", "2024-02-01"],
        "month": ["2024-01", "2024-11", "2024-03", "2024-01", "2025-02", "2024-05", "2024-01",
                  "2024-02"],
        "age": [16, 17, None, 40, 41, "x", 19, 19],
        "sex": ["male", "male", "female", None, None, "female", "male", "male"],
    })


def test_mixed_roles_are_refused() -> None:
    with pytest.raises(ValueError, match="mix roles"):
        age_sex_profile(_records())
    with pytest.raises(ValueError, match="no 'subject_role' column"):
        age_sex_profile(_records().drop(columns="subject_role"))


def test_age_sex_profile_keeps_unknowns() -> None:
    table = age_sex_profile(_records(), role="victim").to_frame()
    assert table["records"].sum() == 6
    unknown_age = table[table["age_band"] == "unknown"]["records"].sum()
    assert unknown_age == 2  # None and "x"
    assert table[(table["age_band"] == "15-17") & (table["sex"] == "male")]["records"].iloc[0] == 2
    assert table["share"].sum() == pytest.approx(1.0)


def test_repeat_victimisation_by_date_and_month() -> None:
    """Worked by hand: p1 twice 330 days apart (repeat); p3 twice 397 days apart (not);
    p2 once; one victim record has no key (reported). 1 of 3 people -> Wilson interval."""
    with pytest.warns(UserWarning, match="1 records have no"):
        result = repeat_victimisation(_records())
    assert (result.people, result.repeat_people, result.repeat_records) == (3, 1, 1)
    assert result.records_without_person_key == 1
    assert result.repeat_share == pytest.approx(1 / 3)
    assert result.repeat_share_lower < 1 / 3 < result.repeat_share_upper
    by_month = _records().drop(columns="occurred_date")
    with pytest.warns(UserWarning):
        monthly = repeat_victimisation(by_month)
    assert monthly.repeat_people == 1 and monthly.window.startswith("11 calendar months")
    suspects = repeat_victimisation(_records(), role="suspect")
    assert suspects.repeat_people == 1 and suspects.role == "suspect"
