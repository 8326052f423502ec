"""Resolving partnership areas; expected counts from ../shared/data/geo/SOURCES.md."""

from __future__ import annotations

import pytest

from alliance.geo.areas import Geography, UnknownAreaError

NORTH, WEST = "E06000061", "E06000062"


def test_northamptonshire_pfa_resolves_to_all_443_lsoas(geography: Geography) -> None:
    for spec in ("E23000022", "Northamptonshire", "  northamptonshire "):
        area = geography.resolve(spec)
        assert (area.code, area.level, len(area.lsoa21)) == ("E23000022", "pfa", 443)
        assert "E01027305" in area.lsoa21
        assert "Cherwell" in area.note


def test_north_and_west_northamptonshire(geography: Geography) -> None:
    """SOURCES.md: 205 LSOAs in North, 238 in West Northamptonshire."""
    north, west = geography.resolve(NORTH), geography.resolve(WEST)
    assert (len(north.lsoa21), len(west.lsoa21)) == (205, 238)
    assert north.level == west.level == "lad"
    assert set(north.lsoa21).isdisjoint(west.lsoa21)
    assert "E01027305" in west.lsoa21 and "E07000177" in west.note
    assert geography.resolve("west northamptonshire").code == WEST


@pytest.mark.parametrize(("spec", "count"), [
    ("E22000233", 45), ("E22000357", 101), ("E22000235", 51), ("E22000236", 60),
    ("E22000237", 137), ("E22000239", 49), ("Daventry & South Northamptonshire", 101),
])
def test_csps(geography: Geography, spec: str, count: int) -> None:
    area = geography.resolve(spec)
    assert area.level == "csp" and len(area.lsoa21) == count


def test_csp_name_shared_with_former_district(geography: Geography) -> None:
    area = geography.resolve("Corby")
    assert (area.code, len(area.lsoa21)) == ("E22000233", 45)
    assert "E07000150" in area.note
    assert geography.resolve("E07000150").lsoa21 == area.lsoa21


def test_e01027305_best_fit_note(geography: Geography) -> None:
    """SOURCES.md: nested lookup -> West Northamptonshire; best-fit WD24 -> Cherwell ward."""
    links = {(p.level, p.vintage): p for p in geography.parents("E01027305")}
    assert links[("lad", "2024")].code == WEST
    assert links[("lad", "2024")].relationship == "nested"
    assert links[("ward", "2024")].code == "E05010929"
    assert links[("ward", "2024")].relationship == "best_fit"
    assert links[("lad", "2020")].code == "E07000155"  # South Northamptonshire
    assert links[("csp", "2024")].code == "E22000357"
    cherwell = geography.resolve("E07000177")
    assert "E01027305" not in cherwell.lsoa21 and "E01027305" in cherwell.note


def test_other_levels(geography: Geography) -> None:
    ward = geography.resolve("E05010929")
    assert ward.level == "ward" and "best-fit" in ward.note
    assert len(geography.resolve("E02005616").lsoa21) == 4
    assert geography.resolve(["E01027305", "E01026949"]).lsoa21 == ("E01026949", "E01027305")
    assert geography.area("E01027305").level == "lsoa21"
    assert geography.area("E01027305", level="lsoa11").name == "South Northamptonshire 006E"


def test_children(geography: Geography) -> None:
    assert geography.children("E23000022", "lad") == (NORTH, WEST)
    assert geography.children(NORTH, "csp") == ("E22000233", "E22000235", "E22000236",
                                                "E22000239")
    assert len(geography.children("E23000022", "lsoa21")) == 443


def test_unknown_and_ambiguous_specs_list_close_matches(geography: Geography) -> None:
    with pytest.raises(UnknownAreaError, match="close matches: Northamptonshire"):
        geography.resolve("Northamptonshre")
    with pytest.raises(UnknownAreaError, match="unknown area code 'E23000099'"):
        geography.resolve("E23000099")
    with pytest.raises(UnknownAreaError, match=r"ambiguous.*W14000022.*W06000022"):
        geography.resolve("Newport")
    assert geography.resolve("Newport", level="csp").code == "W14000022"
    with pytest.raises(UnknownAreaError, match="E01999999"):
        geography.resolve(["E01026949", "E01999999"])
    with pytest.raises(UnknownAreaError, match="duplicated"):
        geography.resolve(["E01026949", "E01026949"])
    with pytest.raises(UnknownAreaError, match="empty"):
        geography.resolve([])


def test_a_2011_code_that_changed_is_not_silently_empty(geography: Geography) -> None:
    """E01026978 (Corby 003D, LSOA 2011) was split in 2021 (ONS LSOA11->21 lookup)."""
    lookup = geography.tables.lsoa11_to_21
    assert list(lookup.loc[lookup["lsoa11_code"] == "E01026978", "change_code"]) == ["S"] * 4
    with pytest.raises(UnknownAreaError, match=r"lsoa11 E01026978.*convert"):
        geography.resolve("E01026978")
