"""Matching a partner file's column names to the canonical fields."""

from __future__ import annotations

from alliance.sources.partner_fields import FIELD_NAMES, suggest_mapping
from alliance.sources.schema import INCIDENT_COLUMN_NAMES


def test_names_match_case_and_punctuation_blind_and_each_column_once() -> None:
    header = ("CRIME_REF", "Committed Date", "HO Code", "X", "Y", "Lat", "Long", "Gender")
    mapping = suggest_mapping(header)
    assert mapping == {"date": "Committed Date", "reference": "CRIME_REF",
                       "offence_code": "HO Code", "longitude": "Long", "latitude": "Lat",
                       "easting": "X", "northing": "Y", "sex": "Gender"}
    assert len(set(mapping.values())) == len(mapping)


def test_unknown_names_are_left_unmapped() -> None:
    assert suggest_mapping(("Beat", "Officer", "Notes")) == {}


def test_fields_are_distinct_and_person_id_is_not_a_pool_column() -> None:
    assert len(set(FIELD_NAMES)) == len(FIELD_NAMES)
    assert "person_id" not in INCIDENT_COLUMN_NAMES  # only its pseudonym (person_key) is kept
