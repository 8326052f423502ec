"""read / readers / discover, and bad input: unknown formats, missing columns, values that are
neither numbers nor markers, truncated and mis-encoded files (built in tmp_path)."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pytest

from alliance.sources.partners import (
    COLUMNS,
    PartnerFileError,
    UnknownFormatError,
    discover,
    read,
    readers,
)
from tests.conftest import require_shared

EES_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,"
              "region_code,region_name,old_la_code,new_la_code,la_name,category,"
              "Anypoint_episodes,Anypoint_child,Started_episodes,Started_child,Ended_episodes,"
              "Ended_child,At31_episodes,awaiting_assessment")
EES_ROW = ("2025,Reporting year,Local authority,E92000001,England,E12000004,East Midlands,940,"
           "E06000061,North Northamptonshire,Children in Need,{v},4000,2000,1900,2100,2000,"
           "2400,c")


def _ees(tmp_path: Path, *rows: str, name: str = "b1.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([EES_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_readers_are_listed_with_descriptions() -> None:
    names = [r.name for r in readers()]
    assert names == ["dfe_nccis", "dfe_ees", "dfe_exclusions_legacy", "dfe_lait", "fingertips",
                     "fingertips_tidy", "ons_els", "ons_pfa"]
    assert all(len(r.description) > 20 for r in readers())


def test_discover_recognises_every_real_data_file() -> None:
    """Every data file in shared/data/partners has a reader; sidecars are listed, not read."""
    found = discover(require_shared("partners"))
    data = [d for d in found if d.reader is not None]
    other = [d for d in found if d.reader is None]
    assert len(data) == 31
    assert {d.path.suffix for d in other} <= {".md", ".json", ".gz"}
    assert all("sidecar" in d.note for d in other)


def test_table_has_the_documented_columns(tmp_path: Path) -> None:
    result = read(_ees(tmp_path, EES_ROW.format(v="4522")))
    assert tuple(result.table.columns) == COLUMNS
    assert result.to_frame() is result.table
    row = result.table.iloc[0]
    assert row["value"] == 4522 and row["source_line"] == 2
    marker = result.table[result.table["measure"] == "cin_awaiting_assessment"].iloc[0]
    assert math.isnan(marker["value"]) and marker["notes"].startswith("suppressed 'c'")


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(UnknownFormatError, match=r"mystery\.csv, line 1"):
        read(path)
    with pytest.raises(PartnerFileError, match="no such file"):
        read(tmp_path / "absent.csv")


def test_non_numeric_value_is_a_problem_not_zero(tmp_path: Path) -> None:
    path = _ees(tmp_path, EES_ROW.format(v="4522"), EES_ROW.format(v="lots"))
    result = read(path)
    bad = [p for p in result.problems if p.field == "Anypoint_episodes"]
    assert len(bad) == 1 and bad[0].line == 3 and bad[0].value == "lots"
    assert "b1.csv, line 3, field 'Anypoint_episodes'" in str(bad[0])
    ep = result.table[result.table["measure"] == "cin_episodes_any_point"]
    assert list(ep["source_line"]) == [2]  # the bad row is left out, never read as 0


def test_missing_column_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "b1.csv"
    header = EES_HEADER.replace(",awaiting_assessment", "")
    path.write_text(header + "\n" + EES_ROW.format(v="1").rsplit(",", 1)[0] + "\n")
    with pytest.raises(PartnerFileError, match="awaiting_assessment"):
        read(path)


def test_truncated_last_line_is_a_problem(tmp_path: Path) -> None:
    path = _ees(tmp_path, EES_ROW.format(v="4522"), EES_ROW.format(v="1")[:60])
    result = read(path)
    assert [p.line for p in result.problems] == [3]
    assert "truncated" in result.problems[0].message


def test_truncated_gzip_is_an_error(tmp_path: Path) -> None:
    data = gzip.compress(("\n".join([EES_HEADER] + [EES_ROW.format(v=i) for i in range(500)])
                          ).encode())
    path = tmp_path / "b1.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PartnerFileError, match=r"b1\.csv\.gz.*(damaged|truncated)"):
        read(path)


def test_mis_encoded_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "b1.csv"
    body = (EES_HEADER + "\n" + EES_ROW.format(v="1") + "\n").encode()
    body += EES_ROW.format(v="2").replace("North", "N\xf6rth").encode("latin-1") + b"\n"
    path.write_bytes(body)
    with pytest.raises(PartnerFileError, match=r"b1\.csv, line 3: not UTF-8"):
        read(path)


def test_damaged_workbook_and_parquet(tmp_path: Path) -> None:
    xlsx = tmp_path / "pfa.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnknownFormatError):
        read(xlsx)
    pq = tmp_path / "bds.parquet"
    pq.write_bytes(b"PAR1garbage")
    with pytest.raises(UnknownFormatError):
        read(pq)


def test_unknown_geography_and_period_are_problems(tmp_path: Path) -> None:
    row_geo = EES_ROW.format(v="1").replace("Local authority", "Ward")
    row_period = EES_ROW.format(v="1").replace("2025,Reporting year", "2025,Quarter")
    result = read(_ees(tmp_path, EES_ROW.format(v="1"), row_geo, row_period))
    assert {(p.line, p.field) for p in result.problems} == {(3, "geographic_level"),
                                                            (4, "time_period")}


def test_els_csv_with_bad_period(tmp_path: Path) -> None:
    path = tmp_path / "indicator.csv"
    path.write_text("areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,"
                    "uci_95,status,notes\n"
                    "E23000022,Northamptonshire,Police Force Area,X,2022-04-01/P3Y,7.4,m,%,,,,\n"
                    "E23000022,Northamptonshire,Police Force Area,X,2022/23,7.4,m,%,,,,\n"
                    "E23000022,Northamptonshire,Police Force Area,X,2021-04-01/P3Y,:,m,%,,,,\n")
    result = read(path)
    assert [(p.line, p.field) for p in result.problems] == [(3, "period")]
    assert len(result.table) == 2
    assert result.table.iloc[1]["notes"].startswith("suppressed ':'")
