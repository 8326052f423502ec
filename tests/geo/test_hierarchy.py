"""Matching Community Safety Partnerships to former districts by name (ONS LAD24->CSP24 lookup)."""

from __future__ import annotations

from alliance.geo.hierarchy import match_csps_to_districts


def test_combined_csp_name_and_district_names_containing_and() -> None:
    """West Northamptonshire (E06000062): 'Daventry and South Northamptonshire' CSP = two
    former districts; a district name that itself contains 'and' still matches whole."""
    csps = {"E22000237": "Northampton", "E22000357": "Daventry and South Northamptonshire"}
    districts = {"E07000151": "Daventry", "E07000154": "Northampton",
                 "E07000155": "South Northamptonshire"}
    assert match_csps_to_districts(csps, districts) == {
        "E07000151": "E22000357", "E07000154": "E22000237", "E07000155": "E22000357"}
    assert match_csps_to_districts({"X": "Hinckley and Bosworth and Blaby"},
                                   {"A": "Hinckley & Bosworth", "B": "Blaby"}) == {
        "A": "X", "B": "X"}


def test_one_unmatched_csp_takes_the_unmatched_districts() -> None:
    """Bournemouth, Christchurch and Poole: Christchurch (LAD 2017) is in the 'Dorset' CSP."""
    csps = {"E22000063": "Bournemouth", "E22000067": "Poole", "E22000367": "Dorset"}
    districts = {"E06000028": "Bournemouth", "E06000029": "Poole", "E07000048": "Christchurch"}
    assert match_csps_to_districts(csps, districts) == {
        "E06000028": "E22000063", "E06000029": "E22000067", "E07000048": "E22000367"}


def test_no_complete_match_gives_none() -> None:
    assert match_csps_to_districts({"A": "Corby", "B": "Kettering"},
                                   {"X": "North Northamptonshire"}) is None
    assert match_csps_to_districts({"A": "Corby", "B": "Elsewhere", "C": "Nowhere"},
                                   {"X": "Corby", "Y": "Kettering"}) is None
