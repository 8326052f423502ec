"""One vocabulary for data quality: every flag has plain words, the "kept but flagged" count
is exactly the rows with a flag that keeps them out of some figures, and the lists the command
line and the workspace print come out in one order."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.pool.quality import (
    FLAG_TERMS,
    GLOSSARY,
    KEPT_BUT_FLAGGED_FLAGS,
    REASONS,
    QualityReport,
    flagged_by_term,
    reason,
)
from alliance.sources.schema import RowFlag
from tests.pool.factories import incident_rows

CODES = set(RowFlag.__members__) - {"NONE"}


def test_every_flag_has_plain_words_and_none_shows_its_code() -> None:
    assert set(REASONS) == CODES
    for code, r in REASONS.items():
        assert r.code == code and r.label and r.meaning
        words = r.label + " " + r.meaning
        assert not any(c in words for c in CODES), code
        assert r.label[0].isupper() and not r.label.endswith(".")
        assert r.meaning.endswith(".")
        assert r.term in GLOSSARY
    assert set(FLAG_TERMS) <= set(GLOSSARY)


def test_the_rows_kept_but_flagged_are_those_without_a_place_or_a_category() -> None:
    """The flags that leave a row out of some figures, as the loaders and queries treat them:
    no usable place (no location, outside the UK, an unknown LSOA, a point in no LSOA), placed
    outside its force, a category the definition does not cover, or written words the
    gazetteer could not place."""
    assert KEPT_BUT_FLAGGED_FLAGS == (
        RowFlag.NO_LOCATION | RowFlag.OUTSIDE_UK | RowFlag.OUTSIDE_AREA | RowFlag.UNKNOWN_LSOA
        | RowFlag.UNKNOWN_CATEGORY | RowFlag.NO_POINT_IN_LSOA | RowFlag.NOT_GEOCODED)
    for code in ("LSOA_MISMATCH", "DUPLICATE_ROW", "REPEATED_ID", "LSOA_CONVERTED"):
        assert REASONS[code].term == "used with a note"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2047), min_size=1, max_size=40))
def test_the_kept_but_flagged_count_matches_the_reasons(flags: list[int]) -> None:
    report = QualityReport()
    report.add(incident_rows(len(flags), flags=flags))
    limiting = [f for f in flags
                if any(f & RowFlag[c] for c, r in REASONS.items() if r.kept_but_flagged)]
    assert report.set_aside == len(limiting)
    data = report.to_dict()
    assert data["rows_set_aside"] == len(limiting)
    for code, info in data["flags"].items():
        assert info["rows"] == int(np.sum([bool(f & RowFlag[code]) for f in flags]))
        assert (info["label"], info["kept_but_flagged"]) == (
            REASONS[code].label, REASONS[code].kept_but_flagged)


def test_lists_put_kept_but_flagged_first_then_most_rows() -> None:
    groups = flagged_by_term({"LSOA_MISMATCH": 12_397, "NO_LOCATION": 882,
                              "OUTSIDE_AREA": 1_020, "DUPLICATE_ROW": 0})
    assert [(term, [(line.reason.code, line.rows) for line in lines])
            for term, lines in groups] == [
        ("kept but flagged", [("OUTSIDE_AREA", 1_020), ("NO_LOCATION", 882)]),
        ("used with a note", [("LSOA_MISMATCH", 12_397)])]
    assert flagged_by_term({}) == []


def test_a_code_this_version_does_not_know_still_gets_words() -> None:
    old = reason("SNAPPED_TWICE")
    assert old.code == "SNAPPED_TWICE" and "SNAPPED" not in old.label + old.meaning
    [(term, [line])] = flagged_by_term({"SNAPPED_TWICE": 3})
    assert (term, line.rows) == ("used with a note", 3)
