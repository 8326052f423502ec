"""Partner CSVs to canonical incident rows through a column mapping.

Synthetic extracts shaped like the files partners send (no real partner file is public):
a Northamptonshire Police local extract with Home Office offence codes and British National
Grid coordinates, and an A&E ISTV-like return (ISB 1594 items plus the age band and sex many
local schemes add, see ../shared/reference/istv_isb1594.md). Coordinates are checked against
the OSGB36 -> WGS84 transform of pyproj (EPSG:27700 -> EPSG:4326).
"""

from __future__ import annotations

import pytest

from alliance.privacy.pseudonym import MissingPseudonymKey, Pseudonymiser
from alliance.sources.errors import SourceFileError
from alliance.sources.partner_extract import (
    ExtractInvalid,
    map_extract,
    read_csv_text,
    suggest_mapping,
)
from alliance.sources.schema import INCIDENT_COLUMN_NAMES, RowFlag

POLICE = (
    "Crime Ref,Committed Date,HO Code,Offence Description,Knife Flag,Easting,Northing,"
    "Beat,Outcome,Victim Age,Victim Sex,Nominal ID\n"
    "NP/24/000101,2024-01-03 22:10,8N,Assault with injury,Y,475512,260934,NN-C1,"
    "Under investigation,17,M,NOM-0001\n"
    "NP/24/000102,05/01/2024,105A,Assault without injury,N,486912,278893,KT-2,"
    "Evidential difficulties,34,F,NOM-0002\n"
    "NP/24/000103,2024-01-19,5D,Assault with intent to cause serious harm,Y,489034,289011,"
    "CB-1,Charged,19,M,NOM-0001\n"
)
POLICE_MAPPING = {
    "reference": "Crime Ref", "date": "Committed Date", "offence_code": "HO Code",
    "source_category": "Offence Description", "knife_flag": "Knife Flag",
    "easting": "Easting", "northing": "Northing", "outcome": "Outcome", "age": "Victim Age",
    "sex": "Victim Sex", "person_id": "Nominal ID",
}
ISTV = (
    "Attendance ID,Arrival Date,Assault Date,Assault Time,Assault Method,Assault Location,"
    "Age Band,Gender,LSOA\n"
    "ED-1,2024-02-02,2024-02-01,23:40,Knife,Street - Gold Street,18-24,Male,E01027114\n"
    "ED-2,2024-02-04,2024-02-04,01:15,Fist,Licensed premises,25-34,Female,E01027082\n"
)
KEY = Pseudonymiser("a-test-key-of-sufficient-length", "police_extract-person")


def _police(**kw):
    return map_extract(POLICE.encode(), POLICE_MAPPING, file="np-jan.csv",
                       source="police_extract", partition="northamptonshire-police/extract",
                       pseudonymiser=KEY, **kw)


def test_police_extract_becomes_canonical_rows() -> None:
    """BNG -> WGS84 reference: pyproj EPSG:27700 -> EPSG:4326 (Northampton centre)."""
    from pyproj import Transformer

    extract = _police()
    frame = extract.frame
    assert tuple(frame.columns) == INCIDENT_COLUMN_NAMES
    assert len(frame) == 3 and extract.months == ["2024-01"]
    first = frame.iloc[0]
    assert first["source_ref"] == "NP/24/000101" and first["offence_code"] == "8N"
    assert str(first["occurred_date"]) == "2024-01-03" and str(first["occurred_time"]) == "22:10:00"
    lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(
        475512, 260934)
    assert first["longitude"] == pytest.approx(lon) and first["latitude"] == pytest.approx(lat)
    assert 52.2 < first["latitude"] < 52.3  # Northampton
    assert frame["knife_flag"].tolist() == [True, False, True]
    assert frame["sex"].tolist() == ["male", "female", "male"]
    assert frame.iloc[1]["occurred_date"].isoformat() == "2024-01-05"  # day-first UK dates
    # the raw identifier is never kept; the same person links by pseudonym
    assert "NOM-0001" not in frame.to_csv()
    assert frame.iloc[0]["person_key"] == frame.iloc[2]["person_key"] == KEY.pseudonym("NOM-0001")
    assert frame["extra"].isna().all()  # unmapped columns (Beat) are not carried
    assert frame["record_key"].is_unique and frame["line"].tolist() == [2, 3, 4]


def test_istv_like_return_with_age_band_sex_and_lsoa() -> None:
    mapping = suggest_mapping(read_csv_text(ISTV.encode(), file="ed.csv").header)
    assert mapping["date"] == "Assault Date" and mapping["time"] == "Assault Time"
    assert mapping["weapon"] == "Assault Method" and mapping["lsoa"] == "LSOA"
    assert mapping["arrival"] == "Arrival Date" and mapping["location"] == "Assault Location"
    extract = map_extract(ISTV.encode(), {**mapping, "subject_role": ""}, file="ed.csv",
                          source="partner_istv", partition="kgh/istv")
    frame = extract.frame
    assert frame["weapon"].tolist() == ["knife or sharp object", "body (hit, kick, bite)"]
    assert frame["knife_flag"].tolist() == [True, False]  # from the assault method
    assert frame["age"].tolist() == ["18-24", "25-34"]
    assert frame["sex"].tolist() == ["male", "female"]
    assert frame["lsoa_published"].tolist() == ["E01027114", "E01027082"]
    assert str(frame.iloc[0]["occurred_time"]) == "23:40:00"
    assert frame["person_key"].isna().all()


def test_every_row_is_checked_and_errors_name_line_and_field() -> None:
    bad = POLICE.replace("05/01/2024", "5th Jan").replace(",17,M,", ",170,Q,").replace(
        "489034", "489x34")
    with pytest.raises(ExtractInvalid) as info:
        map_extract(bad.encode(), POLICE_MAPPING, file="np.csv", source="police_extract",
                    partition="p", pseudonymiser=KEY)
    where = {(e.line, e.field) for e in info.value.errors}
    assert where == {(3, "date"), (2, "age"), (2, "sex"), (4, "easting")}
    date_error = next(e for e in info.value.errors if e.field == "date")
    assert date_error.column == "Committed Date" and "5th Jan" in str(date_error)
    assert str(date_error).startswith("line 3, field date")


def test_wrong_date_column_is_a_row_error_then_fixed() -> None:
    wrong = {**POLICE_MAPPING, "date": "Offence Description"}
    with pytest.raises(ExtractInvalid) as info:
        map_extract(POLICE.encode(), wrong, file="np.csv", source="s", partition="p",
                    pseudonymiser=KEY)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "date"), (3, "date"),
                                                              (4, "date")]
    assert len(_police().frame) == 3


@pytest.mark.parametrize(("mapping", "field"), [
    ({"offence_code": "HO Code"}, "date"),  # no date and no month
    ({"date": "Committed Date", "easting": "Easting"}, "northing"),
    ({"date": "No Such Column"}, "date"),
])
def test_mapping_faults_are_reported_before_rows(mapping, field) -> None:
    with pytest.raises(ExtractInvalid) as info:
        map_extract(POLICE.encode(), mapping, file="np.csv", source="s", partition="p")
    assert info.value.errors[0].field == field and info.value.errors[0].line is None


def test_person_id_without_key_is_refused(monkeypatch) -> None:
    monkeypatch.delenv("ALLIANCE_PSEUDONYM_KEY", raising=False)
    with pytest.raises(MissingPseudonymKey):
        map_extract(POLICE.encode(), POLICE_MAPPING, file="np.csv", source="s", partition="p")


def test_html_in_a_field_is_refused_by_line_and_field() -> None:
    bad = POLICE.replace("Under investigation", "<script>alert(1)</script>")
    with pytest.raises(ExtractInvalid) as info:
        _police_bytes(bad)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "outcome")]


def _police_bytes(text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return map_extract(data, POLICE_MAPPING, file="np.csv", source="s", partition="p",
                       pseudonymiser=KEY)


@pytest.mark.parametrize(("data", "needle"), [
    (POLICE.replace("Assault with injury", "Assault \u2013 injury").encode("cp1252"),
     "not UTF-8"),
    (b"", "empty"),
    (POLICE.splitlines()[0].encode() + b"\n", "no rows"),
    (POLICE.encode() + b"NP/1,2024-01-01\n", "fields where the header has"),
    (b"Date,Date\n2024-01-01,2024-01-02\n", "repeat"),
])
def test_malformed_files_are_refused_whole(data: bytes, needle: str) -> None:
    with pytest.raises(SourceFileError) as info:
        _police_bytes(data)
    assert needle in str(info.value) and "np.csv" in str(info.value)


def test_not_utf8_names_the_line() -> None:
    data = POLICE.replace("Charged", "Charg\u00e9").encode("latin-1")
    with pytest.raises(SourceFileError) as info:
        _police_bytes(data)
    assert info.value.line == 4


def test_errors_stop_at_the_limit_and_say_so() -> None:
    row = POLICE.splitlines()[1].replace("2024-01-03 22:10", "never")
    data = POLICE.splitlines()[0] + "\n" + "\n".join([row] * 500) + "\n"
    with pytest.raises(ExtractInvalid) as info:
        map_extract(data.encode(), POLICE_MAPPING, file="np.csv", source="s", partition="p",
                    pseudonymiser=KEY, max_errors=50)
    assert info.value.truncated and len(info.value.errors) == 50


def test_exact_copies_are_kept_and_flagged() -> None:
    lines = POLICE.splitlines()
    data = "\n".join([*lines, lines[1]]) + "\n"
    frame = _police_bytes(data).frame
    assert len(frame) == 4 and frame["record_key"].is_unique
    assert int(frame.iloc[3]["flags"]) & RowFlag.DUPLICATE_ROW


def test_month_only_and_blank_lines() -> None:
    data = "Month,Category\n2024-03,Knife possession\n\n2024-04,Robbery\n"
    extract = map_extract(data.encode(), {"month": "Month", "source_category": "Category"},
                          file="m.csv", source="s", partition="p")
    assert extract.months == ["2024-03", "2024-04"]
    assert extract.frame["line"].tolist() == [2, 4]
    assert extract.frame["occurred_date"].isna().all()
    with pytest.raises(ExtractInvalid) as info:
        map_extract(b"Month\n2024-13\n", {"month": "Month"}, file="m.csv", source="s",
                    partition="p")
    assert info.value.errors[0].line == 2


def test_domestic_home_area_arrival_and_postcodes() -> None:
    text = ("Ref,Date,Arrival,DA Flag,Home LSOA,Postcode,Weapon\n"
            "1,2024-03-02,2024-03-02,Y,E01027114,NN1 1AA,knife\n"
            "2,,2024-03-05 02:00,N,,nn4 8aa,fist\n")
    mapping = suggest_mapping(tuple(text.splitlines()[0].split(",")))
    assert mapping == {"reference": "Ref", "date": "Date", "arrival": "Arrival",
                       "domestic": "DA Flag", "home_lsoa": "Home LSOA", "postcode": "Postcode",
                       "weapon": "Weapon"}
    extract = map_extract(text.encode(), mapping, file="t.csv", source="ambulance",
                          partition="emas/calls")
    frame = extract.frame
    assert frame["domestic"].tolist() == [True, False]
    assert frame["home_lsoa21_code"].tolist()[0] == "E01027114"
    assert frame["home_lsoa21_code"].isna().tolist() == [False, True]
    assert frame["month"].tolist() == ["2024-03", "2024-03"]
    assert frame.iloc[1]["flags"] & RowFlag.DATE_FROM_ARRIVAL
    assert str(frame.iloc[1]["occurred_date"]) == "2024-03-05"
    assert extract.postcodes["postcode"].tolist() == ["NN1 1AA", "NN4 8AA"]
    with pytest.raises(ExtractInvalid) as info:
        map_extract(text.replace("nn4 8aa", "NN4 8").encode(), mapping, file="t.csv",
                    source="ambulance", partition="p")
    assert (info.value.errors[0].line, info.value.errors[0].field) == (3, "postcode")


@pytest.mark.parametrize(("value", "message"), [
    ("2025-13", "2025-13 is not a month: the month must be 01 to 12"),
    ("2025-00", "2025-00 is not a month"),
    ("2039-02", "2039-02 is in the future"),
    ("1999-12", "1999-12 is before January 2000"),
])
def test_impossible_and_future_months_are_row_errors(value: str, message: str) -> None:
    from datetime import date

    from alliance import clock

    with clock.frozen(date(2026, 12, 6)), pytest.raises(ExtractInvalid) as info:
        map_extract(f"Month\n2024-01\n{value}\n".encode(), {"month": "Month"}, file="m.csv",
                    source="s", partition="p")
    (error,) = info.value.errors
    assert (error.line, error.field) == (3, "month") and error.message.startswith(message)


def test_future_dates_are_row_errors() -> None:
    from datetime import date

    from alliance import clock

    with clock.frozen(date(2026, 12, 6)), pytest.raises(ExtractInvalid) as info:
        map_extract(b"Date\n2026-12-06\n2039-02-01\n", {"date": "Date"}, file="d.csv",
                    source="s", partition="p")
    (error,) = info.value.errors
    assert (error.line, error.field) == (3, "date")
    assert error.message == "2039-02-01 is in the future (today is 2026-12-06)"


def test_huge_lines_fields_and_padded_files_are_refused() -> None:
    header, row = POLICE.splitlines()[:2]
    with pytest.raises(SourceFileError, match=r"line 2: the line is longer than 65,536"):
        read_csv_text(f"{header}\n{row}{'x' * 100_000}\n".encode(), file="np.csv")
    notes = '"' + "\n".join(["n" * 2000] * 6) + '"'
    with pytest.raises(SourceFileError) as info:
        read_csv_text(f"{header},Notes\n{row},{notes}\n".encode(), file="np.csv")
    assert (info.value.line, info.value.field) == (2, "Notes")
    with pytest.raises(SourceFileError, match="more than 1,000 identical rows one after"):
        read_csv_text((header + "\n" + (row + "\n") * 1200).encode(), file="np.csv")
