"""Outcomes and stop-and-search CSVs.

No real outcomes or stop-and-search CSV could be obtained (SOURCES.md, "Looked for, not
obtained"), so the files here are built from real records in the published CSV layouts:
outcomes rows from the real Northamptonshire street rows (Crime ID, place, last outcome),
stop-and-search rows from the real Metropolitan ``stops-force`` API records of 2024-09 (the
same fields the CSV carries, in the CSV's column order; shared/research/policeuk-api.md §7).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from alliance.sources.errors import SourceFileError
from alliance.sources.police_uk import discover, read
from alliance.sources.police_uk_read import OUTCOMES_COLUMNS, STOP_SEARCH_COLUMNS
from alliance.sources.schema import INCIDENT_COLUMN_NAMES, RowFlag
from tests.conftest import require_shared
from tests.sources.policeuk_helpers import raw_bytes, write_csv


def _csv(columns: tuple[str, ...], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value)


@pytest.fixture(scope="module")
def met_stops() -> list[dict[str, object]]:
    path = require_shared("policeuk", "api", "stops-force",
                          "stops-force_metropolitan_2024-09.json.gz")
    return json.loads(gzip.decompress(path.read_bytes()))


def stop_rows(records: list[dict[str, object]]) -> list[list[str]]:
    rows = []
    for r in records:
        location = r.get("location") or {}
        assert isinstance(location, dict)
        rows.append([
            _text(r["type"]), _text(r["datetime"]), _text(r["operation"]),
            _text(r["operation_name"]), _text(location.get("latitude")),
            _text(location.get("longitude")), _text(r["gender"]), _text(r["age_range"]),
            _text(r["self_defined_ethnicity"]), _text(r["officer_defined_ethnicity"]),
            _text(r["legislation"]), _text(r["object_of_search"]), _text(r["outcome"]),
            _text(r["outcome_linked_to_object_of_search"]),
            _text(r["removal_of_more_than_outer_clothing"]),
        ])
    return rows


def test_stop_and_search(tmp_path: Path, met_stops: list[dict[str, object]]) -> None:
    """SOURCES.md: 3,253 records in 2024-09, 6 of them at 23:xx UTC on 2024-08-31 (BST)."""
    path = write_csv(tmp_path, "2024-09-metropolitan-stop-and-search.csv",
                     _csv(STOP_SEARCH_COLUMNS, stop_rows(met_stops)))
    (file,) = discover([path])
    assert (file.kind, file.force, file.month) == ("stop-and-search", "metropolitan", "2024-09")
    frame = pd.concat(list(read(file, chunk_rows=1000)), ignore_index=True)
    assert tuple(frame.columns) == INCIDENT_COLUMN_NAMES
    assert len(frame) == 3253
    assert set(frame["source"]) == {"police_uk_stop_search"}
    assert set(frame["month"]) == {"2024-09"}  # the FILE month, whatever the UTC date
    august_utc = [r for r in met_stops if str(r["datetime"]).startswith("2024-08-31T23")]
    assert len(august_utc) == 6
    dates = pd.Series([d.isoformat() for d in frame["occurred_date"]])
    assert not dates.str.startswith("2024-08").any()  # 23:xx UTC on 31 Aug is 00:xx BST
    first = next(i for i, r in enumerate(met_stops) if r is august_utc[0])
    local = frame.iloc[first]
    assert local["occurred_date"].isoformat() == "2024-09-01"
    assert local["occurred_time"].hour == 0
    assert frame["source_category"].fillna("").tolist() == [
        r["object_of_search"] or "" for r in met_stops]
    assert frame["age"].iloc[0] == "over 34" and frame["sex"].iloc[0] == "Male"
    assert frame["subject_role"].isna().all()
    assert frame["source_ref"].isna().all()
    no_location = sum(1 for r in met_stops if r.get("location") is None)
    assert 23 <= no_location <= 117
    assert ((frame["flags"] & int(RowFlag.NO_LOCATION)) > 0).sum() == no_location
    extra = json.loads(frame["extra"].iloc[0])
    assert extra["Self-defined ethnicity"].startswith("White")
    assert "Outcome" not in extra and "Gender" not in extra
    assert frame["record_key"].is_unique


def test_stop_and_search_bad_date(tmp_path: Path, met_stops: list[dict[str, object]]) -> None:
    rows = stop_rows(met_stops[:20])
    rows[9][1] = "27/09/2024 09:45"
    path = write_csv(tmp_path, "2024-09-metropolitan-stop-and-search.csv",
                     _csv(STOP_SEARCH_COLUMNS, rows))
    with pytest.raises(SourceFileError) as caught:
        next(read(discover([path])[0]))
    assert (caught.value.line, caught.value.field) == (11, "Date")


def test_outcomes(tmp_path: Path) -> None:
    street = pd.read_csv(io.BytesIO(raw_bytes("northamptonshire", "2025-09")), dtype=str,
                         keep_default_na=False)
    with_outcome = street[street["Last outcome category"] != ""]
    rows = with_outcome.rename(columns={"Last outcome category": "Outcome type"})[
        list(OUTCOMES_COLUMNS)].to_numpy().tolist()
    path = write_csv(tmp_path, "2025-09-northamptonshire-outcomes.csv",
                     _csv(OUTCOMES_COLUMNS, rows))
    (file,) = discover([path])
    assert file.kind == "outcomes"
    frame = pd.concat(list(read(file)), ignore_index=True)
    assert len(frame) == len(with_outcome)
    assert set(frame["source"]) == {"police_uk_outcomes"}
    assert (frame["source_category"] == frame["outcome"]).all()
    assert frame["outcome"].tolist() == with_outcome["Last outcome category"].tolist()
    assert frame["source_ref"].tolist() == with_outcome["Crime ID"].tolist()
    assert frame["record_key"].is_unique
