"""The A&E assault return (ISTV, ISB 1594): national and local names, and bad input.

The returns here are synthetic (no real ISTV file is public): their columns follow the ISB 1594
items in ../shared/reference/istv_isb1594.md (national names) or the names trusts use, their
places are real Northampton streets, and their values (dates, methods, ages) are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.sources import codes
from alliance.sources.errors import SourceFileError
from alliance.sources.istv import (
    MAX_RETURN_BYTES,
    ReturnRefused,
    is_aggregate,
    istv_mapping,
    read_aggregate,
    read_file,
    read_return,
)
from alliance.sources.partner_extract import ExtractInvalid
from alliance.sources.schema import RowFlag

NATIONAL = (
    "Reporting period start date,Reporting period end date,Site code (of treatment),"
    "Arrival date and time at A&E,Assault date and time,Assault method,"
    "Assault method other description,Assault location type,Assault location description,"
    "Age band,Sex\n"
    "2025-03-01,2025-03-31,RNS01,2025-03-01 01:20,2025-03-01 00:45,Knife,,Street,"
    "\"o/s Wetherspoons, Abington St\",18-24,M\n"
    "2025-03-01,2025-03-31,RNS01,02/03/2025 23:05,02/03/2025 22:30,Other,broken glass,"
    "Licensed premises,\"The Drapery,\nnear the bus station\",25-34,F\n"
    "2025-03-01,2025-03-31,RNS01,04-Mar-2025 02:10,03-Mar-2025 23:55,Fist,,Home,home,"
    "35-49,M\n"
)
LOCAL = (
    "Attendance ID,Arrival Date,Incident Date,Incident Time,Weapon,Where,Place Type,"
    "Age Group,Gender,Patient Postcode\n"
    "A1,2025-03-05,2025-03-05,21:10,Bat,Gold St Northampton,Street,0-17,Male,NN1 1AA\n"
    "A2,2025-03-06,2025-03-06,25:99,W77,nr Sheep St,Pub,18-24,Female,nn11aa\n"
)


def _read(text: str, **kw):  # type: ignore[no-untyped-def]
    return read_return(text.encode(), file="ngh-2025-03.csv", partition="ngh/istv", **kw)


def test_national_item_names_are_read() -> None:
    ret = _read(NATIONAL, site="RNS01", month="2025-03")
    frame = ret.extract.frame
    assert ret.site == "RNS01" and ret.rows == 3
    assert str(ret.period[0]) == "2025-03-01" if ret.period else False
    assert ret.mapping["weapon"] == "Assault method" and ret.mapping["arrival"] == \
        "Arrival date and time at A&E"
    # three date formats in one return, all read day first
    assert [str(d) for d in frame["occurred_date"]] == ["2025-03-01", "2025-03-02",
                                                        "2025-03-03"]
    # "Other" with "broken glass" is a sharp object (ICD-10 X99 counts glass)
    assert frame["weapon"].tolist() == [codes.KNIFE, codes.KNIFE, codes.BODY]
    assert frame["knife_flag"].tolist() == [True, True, False]
    assert frame["location_type"].tolist() == [codes.STREET_PLACE, codes.LICENSED, codes.HOME]
    # commas and line breaks inside the free text are kept, and lines still count right
    assert frame["location"].tolist()[:2] == ["o/s Wetherspoons, Abington St",
                                              "The Drapery,\nnear the bus station"]
    assert frame["line"].tolist() == [2, 3, 5]
    assert frame["sex"].tolist() == ["male", "female", "male"]
    assert frame["source"].unique().tolist() == ["istv_ae"]


def test_local_names_recoverable_rows_kept_flagged_and_counted() -> None:
    ret = _read(LOCAL, month="2025-03")
    frame = ret.extract.frame
    assert ret.mapping["location"] == "Where" and ret.mapping["home_postcode"] == \
        "Patient Postcode"
    second = frame.iloc[1]
    assert second["flags"] & RowFlag.UNKNOWN_CODE and second["flags"] & RowFlag.BAD_TIME
    assert second["weapon"] == codes.OTHER_WEAPON and second["knife_flag"] is None
    assert second["occurred_time"] is None
    assert ret.extract.flagged == {"UNKNOWN_CODE": 1, "BAD_TIME": 1}
    assert frame.iloc[0]["weapon"] == codes.BLUNT
    # the home postcode is read (for its area), never written into the pool's rows
    assert ret.extract.postcodes["home_postcode"].tolist() == ["NN1 1AA", "NN1 1AA"]
    assert "NN1" not in frame.to_csv()


def test_windows_1252_is_read_and_said() -> None:
    text = LOCAL.replace("nr Sheep St", "\"Café Nero, Sheep St\"")
    ret = read_return(text.encode("cp1252"), file="w.csv", partition="p", month="2025-03")
    assert ret.encoding == "windows-1252"
    assert ret.extract.frame["location"].tolist()[1] == "Café Nero, Sheep St"


def test_another_trusts_return_is_refused_naming_line_and_field() -> None:
    other = NATIONAL.replace("RNS01,02/03", "RWE01,02/03")
    with pytest.raises(ReturnRefused) as info:
        _read(other, site="RNS01")
    assert (info.value.line, info.value.field) == (3, "Site code (of treatment)")
    assert "RWE01" in str(info.value) and "ngh-2025-03.csv" in str(info.value)
    with pytest.raises(ReturnRefused, match="one return holds one site"):
        _read(other)


def test_another_months_return_is_refused() -> None:
    with pytest.raises(ReturnRefused, match="not 2025-04"):
        _read(NATIONAL, month="2025-04")
    stray = LOCAL.replace("A2,2025-03-06,2025-03-06", "A2,2025-04-01,2025-04-01")
    with pytest.raises(ReturnRefused) as info:
        _read(stray, month="2025-03")
    assert info.value.line == 3 and info.value.field == "Arrival Date"


def test_a_month_first_date_is_refused_never_guessed() -> None:
    with pytest.raises(ExtractInvalid) as info:
        _read(LOCAL.replace("2025-03-06,2025-03-06", "03/31/2025,03/31/2025"))
    error = info.value.errors[0]
    assert error.line == 3 and "month first" in error.message


def test_a_return_too_big_to_be_one_month_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.truncate(200 * 2**20)  # sparse: 200 MB on paper, nothing written
    with pytest.raises(SourceFileError, match="200 MB"):
        read_file(path)
    assert MAX_RETURN_BYTES < 200 * 2**20


def test_unreadable_files_name_file_and_line() -> None:
    with pytest.raises(SourceFileError, match="NUL"):
        read_return(b"a,b\n1,\x002\n", file="x.csv", partition="p")
    with pytest.raises(SourceFileError, match="2 fields where the header has 3"):
        read_return(b"a,b,c\n1,2\n", file="x.csv", partition="p")


def test_aggregate_returns_of_counts_by_week_weapon_and_place() -> None:
    text = ("Week commencing,Weapon,Location type,Count\n"
            "03/03/2025,Knife,Street,4\n10/03/2025,Fist,Pub,11\n10/03/2025,Unknown,,0\n")
    header = tuple(text.splitlines()[0].split(","))
    assert is_aggregate(header) and not is_aggregate(tuple(NATIONAL.splitlines()[0].split(",")))
    frame = read_aggregate(text.encode(), file="agg.csv")
    assert frame["count"].tolist() == [4, 11, 0]
    assert frame["weapon"].tolist()[:2] == [codes.KNIFE, codes.BODY]
    assert frame["period"].tolist()[0] == "week from 2025-03-03"
    with pytest.raises(ExtractInvalid) as info:
        read_aggregate(text.replace(",4\n", ",four\n").encode(), file="agg.csv")
    assert info.value.errors[0].line == 2 and info.value.errors[0].field == "count"


def test_istv_mapping_prefers_national_names() -> None:
    mapping = istv_mapping(("Assault date and time", "Date", "Assault method", "Method"))
    assert mapping["date"] == "Assault date and time"
    assert mapping["weapon"] == "Assault method"
