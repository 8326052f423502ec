"""Matching a partner file's column names to the canonical fields."""

from __future__ import annotations

import pytest

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


#: ten header spellings per field, as partners' systems and analysts write them (police RMS
#: exports, ED systems, ISTV returns, youth justice and council spreadsheets)
SPELLINGS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Incident Date", "Offence_Date", "DATE_OF_INCIDENT", "Committed Date",
             "Assault Date", "date_committed", "IncidentDate", "Date of offence",
             "OffenceDateFrom"),
    "month": ("Month", "Period", "Reporting Month", "Month of incident", "YearMonth",
              "Year-Month", "MONTH_YR", "Month Year", "Reporting Period", "Period Month"),
    "time": ("Time", "Incident Time", "TIME_OF_INCIDENT", "Offence Time", "Assault Time",
             "time_committed", "IncidentTime", "Time of offence", "Committed Time",
             "OffenceTimeFrom"),
    "arrival": ("Arrival Date", "Arrival", "ArrivalDateTime", "Attendance Date",
                "Date of attendance", "ED Arrival", "Date arrived", "AE Arrival Date",
                "Arrival Date Time", "Arrival at A&E"),
    "reference": ("Crime Reference", "CRN", "Crime_Ref", "URN", "Occurrence Number",
                  "Incident ID", "Attendance ID", "Ref", "Record ID", "OccurrenceRef"),
    "site": ("Site Code", "Site", "ODS Code", "Hospital", "Trust Site",
             "Site Code Of Treatment", "Provider Site", "ED Site", "SiteCode",
             "Organisation Site Code"),
    "offence_code": ("HO Code", "Home Office Code", "HOC", "Offence Code", "HO_OFFENCE_CODE",
                     "HOCR Code", "Home Office Offence Code", "HO Class", "HOClassification",
                     "Offence_HO_Code"),
    "source_category": ("Crime Type", "Offence", "Offence Description", "Category",
                        "Crime Category", "Offence_Type", "Incident Type", "Offence Title",
                        "Call Category", "Exclusion Reason"),
    "knife_flag": ("Knife", "Knife Flag", "Knife Crime", "Sharp Instrument",
                   "knife_or_sharp_instrument", "KnifeFlag", "Knife Involved",
                   "Bladed Article", "Knife/Sharp Instrument Flag", "ADR160"),
    "weapon": ("Weapon", "Weapon Used", "Assault Method", "Method of Assault", "AssaultMethod",
               "Weapon Type", "Method", "Mechanism", "Weapon_Code", "Primary Weapon"),
    "domestic": ("Domestic", "DA Flag", "Domestic Abuse", "Domestic Flag", "Domestic Violence",
                 "DV", "DA", "Domestic Related", "DomesticAbuseFlag", "Domestic Incident"),
    "easting": ("X", "Easting", "GridX", "X_Coord", "Eastings", "X Coordinate", "MapX",
                "OSGB X", "Grid Ref X", "XCOORD"),
    "northing": ("Y", "Northing", "GridY", "Y_Coord", "Northings", "Y Coordinate", "MapY",
                 "OSGB Y", "Grid Ref Y", "YCOORD"),
    "postcode": ("Postcode", "Post Code", "Incident Postcode", "Location Postcode", "PostCode",
                 "Postcode of incident", "PCODE", "Scene Postcode", "Postal code",
                 "Incident Post Code"),
    "lsoa": ("LSOA", "LSOA Code", "LSOA21CD", "lsoa11cd", "LSOA_2021",
             "Lower Super Output Area", "LSOA of incident", "IncidentLSOA", "LSOA21",
             "LSOA code (2021)"),
    "location": ("Location", "Location Description", "Assault Location", "Place of Assault",
                 "Incident Location", "Location of incident", "Free Text Location", "Where",
                 "LocationDescription", "Scene"),
    "location_type": ("Location Type", "Assault Location Type", "Place Type",
                      "Type of Location", "LocationType", "Location_Type_Code",
                      "Premises Type", "Venue Type", "Setting", "Location Category"),
    "home_lsoa": ("Home LSOA", "LSOA of residence", "Patient LSOA", "Victim LSOA",
                  "Residence LSOA", "Home Area", "ResidenceLSOA", "home_lsoa21cd",
                  "LSOA (home)", "Victim Home LSOA"),
    "home_postcode": ("Home Postcode", "Patient Postcode", "Residence Postcode",
                      "Victim Postcode", "Postcode of residence", "Home Post Code",
                      "Postcode (home)", "HomePostcode", "Patient PostCode",
                      "Address Postcode"),
    "outcome": ("Outcome", "Last Outcome", "Disposal", "Outcome Type", "Final Outcome",
                "Result", "Outcome Code", "Clearup", "Detection", "Disposal Type"),
    "age": ("Age", "Age Band", "Age Group", "Victim Age", "Patient Age", "AgeAtIncident",
            "Age at time", "Age_Band", "Age (years)", "Age on arrival"),
    "sex": ("Sex", "Gender", "Victim Sex", "Patient Gender", "Gender Code", "Sex_Code",
            "Stated Gender", "PersonSex", "Sex at birth", "Gender identity"),
    "subject_role": ("Role", "Involvement", "Person Role", "Victim/Suspect", "Involvement Type",
                     "Person Type", "Role Type", "InvolvementType", "Subject Role",
                     "Nominal Role"),
    "person_id": ("Person ID", "NHS Number", "PNC ID", "Nominal ID", "Person Ref", "Person URN",
                  "Patient ID", "Client ID", "CYP ID", "Unique Person ID"),
    "longitude": ("Longitude", "Long", "Lon", "LNG", "X_Long", "WGS84 Longitude", "longitude",
                  "LONGITUDE", "Lon.", "lng"),
    "latitude": ("Latitude", "Lat", "LAT", "Y_Lat", "WGS84 Latitude", "latitude", "LATITUDE",
                 "Lat.", "lat", "Latitude "),
}


def test_every_field_has_ten_spellings_in_this_test() -> None:
    assert set(SPELLINGS) == set(FIELD_NAMES)
    assert all(len(v) == 10 for v in SPELLINGS.values())


@pytest.mark.parametrize("field", sorted(SPELLINGS))
def test_ten_realistic_spellings_of_each_field_are_suggested(field: str) -> None:
    for spelling in SPELLINGS[field]:
        assert suggest_mapping((spelling,)) == {field: spelling}, spelling


def test_a_whole_istv_header_is_suggested_field_by_field() -> None:
    header = ("Site Code Of Treatment", "Arrival Date", "Assault Date", "Assault Time",
              "Assault Method", "Assault Location Type", "Assault Location Description",
              "Age Band", "Sex", "Patient Postcode")
    assert suggest_mapping(header) == {
        "site": "Site Code Of Treatment", "arrival": "Arrival Date", "date": "Assault Date",
        "time": "Assault Time", "weapon": "Assault Method",
        "location_type": "Assault Location Type", "location": "Assault Location Description",
        "age": "Age Band", "sex": "Sex", "home_postcode": "Patient Postcode"}


def test_identifying_columns_are_never_suggested() -> None:
    assert suggest_mapping(("Date of Birth", "DOB", "Patient Name", "Surname")) == {}
