"""A batch's quality on the Data page, in the glossary's words for each kind of batch."""

from __future__ import annotations

from alliance.web.workspace.quality import batch_quality


def _row(kind: str, quality: dict, set_aside: int = 0) -> dict:  # type: ignore[type-arg]
    return {"kind": kind, "rows_read": 1_200, "rows_loaded": 1_200, "rows_set_aside": set_aside,
            "rows_superseded": 7, "quality": quality}


def test_incident_rows_with_a_limiting_flag_are_kept_but_flagged() -> None:
    q = batch_quality(_row("incidents", {"flags": {
        "NO_LOCATION": {"rows": 40}, "LSOA_MISMATCH": {"rows": 300}, "bad": "not a dict"}},
        set_aside=40))
    assert q.counts == [("read", 1_200), ("loaded", 1_200), ("kept but flagged", 40),
                        ("superseded", 7)]
    assert [(term, [(line.reason.label, line.rows) for line in lines])
            for term, lines in q.flagged] == [
        ("kept but flagged", [("No location was published", 40)]),
        ("used with a note", [("The published LSOA differs from the map point's LSOA", 300)])]
    assert q.listed == ("", [])


def test_partner_statistics_rows_not_loaded_are_set_aside_and_listed() -> None:
    q = batch_quality(_row("indicators", {"problems": [
        {"file": "yjb.csv", "problem": "line 12, value: 'x' is not a number"}]}, set_aside=1))
    assert ("set aside", 1) in q.counts and q.flagged == []
    assert q.listed == ("Set aside", ["yjb.csv: line 12, value: 'x' is not a number"])


def test_geography_notes_are_notes_not_rows_set_aside() -> None:
    """A geography batch's input issues mix rows left out with features merged: the page
    calls them notes and lets each say what happened."""
    q = batch_quality(_row("geography", {"input_issues": 2, "input_issue_examples": [
        {"file": "/data/geo/boundaries/wards22.gpkg", "column": "code", "code": "E05014284",
         "problem": "2 features with this code; geometries unioned"}]}))
    assert ("notes on the input files", 2) in q.counts
    assert not any(term == "set aside" for term, _ in q.counts)
    assert q.listed == ("Notes on the input files", [
        "wards22.gpkg, code E05014284: 2 features with this code; geometries unioned"])
