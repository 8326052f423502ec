"""The geocoder on a small gazetteer whose right answers are known by construction.

Streets, postcodes and towns here are real Northamptonshire names, but their points and LSOA
codes are made up for the test (synthetic); the accuracy on real data is measured in
test_geocode_accuracy.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.geo.gazetteer import build_gazetteer, town_names
from alliance.geo.geocode import (
    AMBIGUOUS,
    DECISION,
    JUNCTION,
    NO_PLACE,
    NOT_FOUND,
    POSTCODE_METHOD,
    STREET,
    STREET_FUZZY,
    STREET_TOWN,
    UNKNOWN_POSTCODE,
    VENUE,
    Decision,
    Geocoder,
    decision_key,
    geocode,
)
from alliance.geo.place_text import canonical, strip_prefix, tokens_of
from alliance.geo.postcodes import canonical_postcode

TOWN_A, TOWN_B, TOWN_C = "E01000001", "E01000002", "E01000003"


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    streets = pd.DataFrame([
        # name, easting, northing, lsoa, weight: Northampton (A), Rushden (B), Kettering (C)
        ("Abington Street", 475600.0, 260700.0, TOWN_A, 40),
        ("Abington Street", 475650.0, 260720.0, TOWN_A, 10),
        ("Sheep Street", 475400.0, 260900.0, TOWN_A, 20),
        ("Gold Street", 475300.0, 260500.0, TOWN_A, 12),
        ("St Giles' Terrace", 475900.0, 260800.0, TOWN_A, 8),
        ("Drapery", 475500.0, 260750.0, TOWN_A, 30),
        ("High Street", 496000.0, 268000.0, TOWN_B, 30),
        ("High Street", 486800.0, 278800.0, TOWN_C, 31),
        ("Church Lane", 496200.0, 268100.0, TOWN_B, 90),
        ("Church Lane", 486900.0, 278900.0, TOWN_C, 5),
        ("Wellingborough Road", 476000.0, 261000.0, TOWN_A, 50),
        ("Kettering Road", 476100.0, 261200.0, TOWN_A, 40),
        ("Supermarket", 475000.0, 260000.0, TOWN_A, 500),  # police.uk's generic label
        ("Corby", 489000.0, 289000.0, TOWN_C, 40),  # a map point named like a town
    ], columns=["name", "easting", "northing", "lsoa21_code", "weight"])
    places = pd.DataFrame([
        (TOWN_A, "castle", "ward"), (TOWN_A, "northampton", "district"),
        (TOWN_B, "rushden south", "ward"), (TOWN_B, "rushden", "town"),
        (TOWN_B, "east northamptonshire", "district"),
        (TOWN_C, "kettering", "district"), (TOWN_C, "corby", "district"),
    ], columns=["lsoa21_code", "place", "level"])
    postcodes = pd.DataFrame([
        ("NN1 1AA", 475620.0, 260710.0, TOWN_A, True),
        ("NN10 9AB", 496100.0, 268050.0, TOWN_B, True),
        ("NN16 0ZZ", 486850.0, 278850.0, TOWN_C, False),
    ], columns=["postcode", "easting", "northing", "lsoa21_code", "live"])
    venues = pd.DataFrame([("The Bear Inn", "Bear; The Bear pub", 475450.0, 260650.0, TOWN_A)],
                          columns=["name", "aliases", "easting", "northing", "lsoa21_code"])
    return build_gazetteer(streets=streets, postcodes=postcodes, places=places, venues=venues)


def _one(gazetteer, text: str, **kw):  # type: ignore[no-untyped-def]
    return Geocoder(gazetteer, **kw)(text)


@pytest.mark.parametrize("text", [
    "Abington Street", "ABINGTON ST", "abington st.", "o/s Abington St", "outside 12 Abington St",
    "nr abington street, northampton", "Opp. Abington Str", "rear of Abington St Northampton",
    "Abingtn Street", "abington steet", "On or near Abington Street"])
def test_the_ways_one_street_is_written_all_find_it(gazetteer, text: str) -> None:
    placed = _one(gazetteer, text)
    assert placed.lsoa21_code == TOWN_A
    assert placed.matched.startswith("Abington Street")
    assert placed.method in (STREET, STREET_TOWN, STREET_FUZZY)
    assert 0 < placed.confidence <= 1


@pytest.mark.parametrize("text", ["NN1 1AA", "nn11aa", "NN1  1AA", "outside 4 nn1 1aa",
                                  "Sheep St NN1 1AA"])
def test_postcodes_in_any_spacing_or_case(gazetteer, text: str) -> None:
    placed = _one(gazetteer, text)
    assert (placed.lsoa21_code, placed.method, placed.matched) == (TOWN_A, POSTCODE_METHOD,
                                                                   "NN1 1AA")
    assert placed.easting == 475620.0


def test_a_terminated_postcode_is_placed_less_surely(gazetteer) -> None:
    assert _one(gazetteer, "NN16 0ZZ").confidence < _one(gazetteer, "NN1 1AA").confidence


def test_an_unknown_postcode_is_unplaced_and_says_so(gazetteer) -> None:
    placed = _one(gazetteer, "NN99 9ZZ")
    assert placed.lsoa21_code is None and placed.method == UNKNOWN_POSTCODE


@pytest.mark.parametrize("text", [
    "home", "HOME", "at home", "friends house", "his girlfriend's house", "unknown", "N/K", "NK",
    "n/a", "in a car", "in the car", "on a bus", "a party", "in the park", "pub", "", "   ",
    "not known", "pt refused", "street", "outside", "NFA", "in the town centre", "?", "-"])
def test_texts_that_name_no_place_are_never_placed(gazetteer, text: str) -> None:
    placed = _one(gazetteer, text)
    assert placed.lsoa21_code is None
    assert placed.method == NO_PLACE


@pytest.mark.parametrize("text", ["Corby", "CORBY", "in Corby", "Northampton", "Rushden"])
def test_a_town_alone_is_no_street(gazetteer, text: str) -> None:
    assert _one(gazetteer, text).lsoa21_code is None


def test_a_shared_name_is_settled_by_the_town(gazetteer) -> None:
    assert _one(gazetteer, "High St, Rushden").lsoa21_code == TOWN_B
    assert _one(gazetteer, "HIGH STREET KETTERING").lsoa21_code == TOWN_C
    assert _one(gazetteer, "high st rushden south").method == STREET_TOWN
    assert _one(gazetteer, "High Street, Rushdne").lsoa21_code == TOWN_B  # town misspelt


def test_a_shared_name_without_a_town_is_ambiguous_not_guessed(gazetteer) -> None:
    placed = _one(gazetteer, "High Street")
    assert placed.lsoa21_code is None and placed.method == AMBIGUOUS


def test_a_name_mostly_in_one_place_is_taken_there_with_less_confidence(gazetteer) -> None:
    placed = _one(gazetteer, "Church Lane")  # 90 of 95 police.uk records in Rushden
    assert placed.lsoa21_code == TOWN_B
    assert placed.confidence < _one(gazetteer, "Church Lane, Rushden").confidence


def test_junctions(gazetteer) -> None:
    for text in ("jct of Kettering Rd and Wellingborough Rd", "Kettering Rd/Wellingborough Rd",
                 "corner of Kettering Road & Wellingborough Road"):
        placed = _one(gazetteer, text)
        assert placed.method == JUNCTION and placed.lsoa21_code == TOWN_A, text


def test_a_named_junction_never_reads_a_street_as_a_town(gazetteer) -> None:
    placed = _one(gazetteer, "jct of Kettering Rd and Nowhere Rd")
    assert placed.method != JUNCTION
    assert placed.lsoa21_code in (None, TOWN_A)
    assert placed.confidence <= 0.6


def test_venues_and_their_aliases(gazetteer) -> None:
    for text in ("The Bear Inn", "o/s the bear pub", "BEAR"):
        placed = _one(gazetteer, text)
        assert placed.method == VENUE and placed.lsoa21_code == TOWN_A, text


def test_police_uk_generic_labels_are_no_places(gazetteer) -> None:
    assert _one(gazetteer, "Supermarket").lsoa21_code is None


def test_a_saint_is_not_a_street(gazetteer) -> None:
    assert _one(gazetteer, "St Giles Terrace").matched.startswith("St Giles' Terrace")
    assert canonical("St. George's Ave") == "st georges avenue"
    assert canonical("Church St") == "church street"


def test_short_names_are_not_bent_into_other_names(gazetteer) -> None:
    # "Gold" is one letter from "Hold" and two from "Hood": a short name is matched exactly
    assert _one(gazetteer, "Hood Street").lsoa21_code is None
    assert _one(gazetteer, "Gold St").lsoa21_code == TOWN_A


def test_unknown_words_are_not_found(gazetteer) -> None:
    assert _one(gazetteer, "Zanzibar Boulevard").method == NOT_FOUND


def test_an_analysts_decision_wins_and_is_keyed_by_the_written_form(gazetteer) -> None:
    decisions = {decision_key("Outside the Bear, Northampton"):
                 Decision("E01000009", 1.0, 2.0, note="the Bear Inn car park"),
                 decision_key("HIGH ST"): Decision(None, None, None, no_place=True)}
    placed = _one(gazetteer, "outside the bear,  NORTHAMPTON", decisions=decisions)
    assert (placed.lsoa21_code, placed.method, placed.confidence) == ("E01000009", DECISION, 1.0)
    assert _one(gazetteer, "high st", decisions=decisions).method == NO_PLACE


def test_result_frame_and_summary(gazetteer) -> None:
    result = geocode(["Abington St", "home", None, "High Street"], gazetteer)
    frame = result.to_frame()
    assert list(frame.columns) == ["text", "lsoa21_code", "easting", "northing", "confidence",
                                   "matched", "method"]
    assert frame["lsoa21_code"].tolist()[0] == TOWN_A
    assert frame["text"].tolist()[2] == ""
    summary = result.summary().set_index("method")
    assert summary.loc[NO_PLACE, "texts"] == 2
    assert summary["texts"].sum() == 4


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gets_an_answer_and_the_same_one_twice(gazetteer, text: str) -> None:  # type: ignore[no-untyped-def]
    first = Geocoder(gazetteer)(text)
    again = Geocoder(gazetteer)(text)
    assert first == again
    assert 0.0 <= first.confidence <= 1.0
    assert (first.lsoa21_code is None) == (first.confidence == 0.0)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["home", "unknown", "N/K", "in a car", "friends house", "nk"]),
       st.sampled_from(["", " ", "  ", "\t"]), st.booleans())
def test_no_place_texts_stay_unplaced_whatever_the_case_and_spacing(gazetteer, text: str,  # type: ignore[no-untyped-def]
                                                                    pad: str,
                                                                    upper: bool) -> None:
    written = pad + (text.upper() if upper else text) + pad
    assert Geocoder(gazetteer)(written).lsoa21_code is None


def test_text_helpers() -> None:
    assert canonical_postcode("nn1  1aa") == "NN1 1AA"
    assert canonical_postcode("not a postcode") is None
    assert strip_prefix(tokens_of("o/s 12a the Drapery")) == ["drapery"]
    assert strip_prefix(tokens_of("rear of no 4 Gold St")) == ["gold", "st"]
    assert town_names("Towcester and Roade") >= {"towcester", "roade", "towcester and roade"}
    assert "daventry" in town_names("Daventry East")


def test_a_street_named_in_words_that_name_no_place_is_still_a_street() -> None:
    streets = pd.DataFrame([("Station Road", 1.0, 2.0, TOWN_A, 3)],
                           columns=["name", "easting", "northing", "lsoa21_code", "weight"])
    gaz = build_gazetteer(streets=streets)
    assert Geocoder(gaz)("o/s the station rd").lsoa21_code == TOWN_A
    assert Geocoder(gaz)("station").lsoa21_code is None


def test_an_empty_gazetteer_places_postcodes_only() -> None:
    empty = pd.DataFrame(columns=["name", "easting", "northing", "lsoa21_code", "weight"])
    postcodes = pd.DataFrame([("NN1 1AA", 1.0, 2.0, TOWN_A, True)],
                             columns=["postcode", "easting", "northing", "lsoa21_code", "live"])
    gaz = build_gazetteer(streets=empty, postcodes=postcodes)
    assert Geocoder(gaz)("Abington St").lsoa21_code is None
    assert Geocoder(gaz)("NN1 1AA").lsoa21_code == TOWN_A
