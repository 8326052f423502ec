"""police.uk street CSVs read from the real Northamptonshire and City of London files.

Reference: the per-month figures in shared/data/policeuk/SOURCES.md ("Observed characteristics
of the Northamptonshire street files"), computed there independently from the stored files.
"""

from __future__ import annotations

import functools
import gzip
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.sources.police_uk import PoliceUkFile, discover, read
from alliance.sources.schema import INCIDENT_COLUMN_NAMES, RowFlag
from tests.sources.policeuk_helpers import (
    NORTHANTS_MONTHS,
    raw_bytes,
    street_dir,
    street_file,
    write_csv,
)

NO_LOCATION = int(RowFlag.NO_LOCATION)
OUTSIDE_UK = int(RowFlag.OUTSIDE_UK)
DUPLICATE_ROW = int(RowFlag.DUPLICATE_ROW)
REPEATED_ID = int(RowFlag.REPEATED_ID)

# month: (rows, ASB without ID, violence and sexual offences, possession of weapons, robbery,
#         No Location rows, rows with LSOA outside North/West Northamptonshire, repeated IDs)
SOURCES_MD = {
    "2024-01": (5613, 770, 2151, 96, 72, 0, 37, 66),
    "2024-02": (5410, 826, 2119, 83, 61, 0, 46, 62),
    "2024-03": (6181, 993, 2451, 76, 85, 0, 43, 98),
    "2024-04": (6018, 1115, 2201, 76, 60, 0, 34, 6),
    "2025-01": (5773, 959, 2160, 83, 65, 0, 36, 67),
    "2025-02": (5366, 966, 1872, 92, 47, 77, 37, 58),
    "2025-03": (6597, 1337, 2298, 105, 62, 88, 51, 76),
    "2025-04": (6265, 1293, 2205, 107, 109, 96, 47, 79),
    "2025-05": (6682, 1431, 2468, 112, 93, 92, 54, 64),
    "2025-06": (6737, 1582, 2376, 85, 86, 0, 60, 89),
    "2025-07": (7336, 1801, 2533, 102, 115, 134, 65, 84),
    "2025-08": (6627, 1591, 2209, 89, 90, 81, 57, 75),
    "2025-09": (6182, 1218, 2120, 80, 99, 89, 48, 84),
    "2025-10": (6220, 1355, 2141, 73, 109, 77, 52, 30),
    "2025-11": (5618, 1036, 2004, 77, 85, 82, 57, 19),
    "2025-12": (5559, 1000, 2097, 84, 92, 66, 46, 5),
}


def read_all(file: PoliceUkFile, **kwargs: int) -> pd.DataFrame:
    return pd.concat(list(read(file, **kwargs)), ignore_index=True)


@pytest.fixture(scope="module")
def northants() -> pd.DataFrame:
    files = discover([street_dir("northamptonshire")])
    return pd.concat([read_all(f) for f in files], ignore_index=True)


def test_discover_names_force_month_and_kind() -> None:
    files = discover([street_dir("northamptonshire"), street_dir("city-of-london")])
    assert len(files) == 40
    assert {f.force for f in files} == {"northamptonshire", "city-of-london"}
    assert {f.kind for f in files} == {"street"}
    assert sorted(f.month for f in files if f.force == "northamptonshire") == NORTHANTS_MONTHS
    one = next(f for f in files if f.force == "city-of-london" and f.month == "2024-07")
    assert one.display_name == "2024-07-city-of-london-street.csv.gz" and one.member is None


def test_sha256_and_size_match_the_manifest() -> None:
    """Reference: manifest.csv (sha256 and size of the uncompressed bytes)."""
    manifest = pd.read_csv(street_dir("northamptonshire").parents[1] / "manifest.csv")
    row = manifest[manifest.iloc[:, 0].astype(str).str.contains("2025-09-northamptonshire")]
    assert len(row) == 1
    (file,) = discover([street_file("northamptonshire", "2025-09")])
    values = {str(v) for v in row.iloc[0].to_numpy()}
    assert file.sha256() in values
    assert str(file.size()) in values


def test_northamptonshire_total_and_columns(northants: pd.DataFrame) -> None:
    assert len(northants) == 98_184
    assert tuple(northants.columns) == INCIDENT_COLUMN_NAMES
    assert set(northants["source"]) == {"police_uk_street"}
    assert set(northants["partition"]) == {"northamptonshire"}
    assert northants[["easting", "northing"]].isna().all().all()
    assert northants["lsoa21_code"].isna().all()


@pytest.mark.parametrize("month", NORTHANTS_MONTHS)
def test_northamptonshire_month_matches_sources_md(northants: pd.DataFrame, month: str) -> None:
    rows, asb, violence, weapons, robbery, no_location, outside, repeated = SOURCES_MD[month]
    m = northants[northants["month"] == month]
    flags = m["flags"].to_numpy()
    category = m["source_category"]
    assert len(m) == rows
    assert ((category == "Anti-social behaviour") & m["source_ref"].isna()).sum() == asb
    assert m["source_ref"].isna().sum() == asb  # only ASB rows lack an ID
    assert (category == "Violence and sexual offences").sum() == violence
    assert (category == "Possession of weapons").sum() == weapons
    assert (category == "Robbery").sum() == robbery
    no_loc = (flags & NO_LOCATION) > 0
    assert no_loc.sum() == no_location
    assert m.loc[no_loc, ["longitude", "latitude"]].isna().all().all()
    assert m.loc[no_loc, "lsoa_published"].isna().all()
    assert (m.loc[no_loc, "location"] == "No Location").all()
    lsoa_name = m["extra"].map(lambda e: json.loads(e)["LSOA name"])
    in_county = lsoa_name.str.startswith(("North Northamptonshire", "West Northamptonshire"))
    assert ((lsoa_name != "") & ~in_county).sum() == outside
    rep = (flags & REPEATED_ID) > 0
    assert m.loc[rep, "source_ref"].nunique() == repeated
    assert m["record_key"].is_unique
    assert (flags & OUTSIDE_UK).sum() == 0
    assert m["line"].min() == 2 and m["line"].max() == rows + 1


def test_2025_09_exact_duplicates_are_kept_and_flagged(northants: pd.DataFrame) -> None:
    """SOURCES.md: in 2025-09 two of the repeated rows are exact duplicate rows."""
    m = northants[northants["month"] == "2025-09"]
    duplicates = m[(m["flags"] & DUPLICATE_ROW) > 0]
    assert len(duplicates) == 2
    assert (duplicates["flags"] & REPEATED_ID).all()
    for ref in duplicates["source_ref"]:
        copies = m[m["source_ref"] == ref]
        assert copies["record_key"].str.rsplit("-", n=1).str[0].nunique() < len(copies)


def test_city_of_london_loads() -> None:
    """Reference: SOURCES.md table (24 files, 18,867 records)."""
    files = discover([street_dir("city-of-london")])
    assert len(files) == 24
    frames = [read_all(f) for f in files]
    assert sum(len(f) for f in frames) == 18_867
    assert len(frames[0]) == 734
    assert all(f["record_key"].is_unique for f in frames)
    assert {p for f in frames for p in f["partition"]} == {"city-of-london"}


def test_zip_archive_reads_the_same(tmp_path: Path) -> None:
    """A monthly archive layout YYYY-MM/YYYY-MM-<force>-street.csv built from the real files."""
    chosen = [("northamptonshire", "2025-09"), ("city-of-london", "2025-09"),
              ("northamptonshire", "2024-01")]
    archive = tmp_path / "2025-09.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for force, month in chosen:
            zf.writestr(f"{month}/{month}-{force}-street.csv", raw_bytes(force, month))
        zf.writestr("README.txt", "not a police.uk file")
    files = discover([archive])
    assert [(f.force, f.month) for f in files] == sorted(chosen)
    for file in files:
        assert file.member == f"{file.month}/{file.month}-{file.force}-street.csv"
        assert file.display_name == f"2025-09.zip!{file.member}"
        direct = read_all(discover([street_file(file.force, file.month)])[0])
        pd.testing.assert_frame_equal(read_all(file), direct)
        assert file.sha256() == discover([street_file(file.force, file.month)])[0].sha256()


def test_keys_do_not_depend_on_line_endings_bom_gzip_or_chunks(tmp_path: Path) -> None:
    lf = raw_bytes("northamptonshire", "2025-09")  # stored with LF
    assert b"\r\n" not in lf
    crlf = b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = write_csv(tmp_path / "a", "2025-09-northamptonshire-street.csv", crlf)
    gz = write_csv(tmp_path / "b", "2025-09-northamptonshire-street.csv.gz",
                   gzip.compress(lf))
    reference = read_all(discover([street_file("northamptonshire", "2025-09")])[0])
    for path, chunk in ((plain, 250_000), (gz, 97), (plain, 1000)):
        other = read_all(discover([path])[0], chunk_rows=chunk)
        pd.testing.assert_frame_equal(other, reference)


def test_repeated_ids_straddling_chunks_are_flagged_everywhere() -> None:
    file = discover([street_file("northamptonshire", "2024-03")])[0]
    whole = read_all(file)
    chunks = list(read(file, chunk_rows=50))
    assert len(chunks) == -(-len(whole) // 50) and all(len(c) <= 50 for c in chunks)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    repeated = whole[(whole["flags"] & REPEATED_ID) > 0]
    far_apart = repeated.groupby("source_ref")["line"].agg(lambda s: s.max() - s.min())
    assert (far_apart > 50).any()  # some repeats really are in different chunks


def test_crlf_city_of_london_file_keys_match_lf_copy(tmp_path: Path) -> None:
    crlf = raw_bytes("city-of-london", "2024-01")  # stored with CRLF
    assert b"\r\n" in crlf
    lf = write_csv(tmp_path, "2024-01-city-of-london-street.csv", crlf.replace(b"\r\n", b"\n"))
    a = read_all(discover([street_file("city-of-london", "2024-01")])[0])
    b = read_all(discover([lf])[0])
    assert a["record_key"].tolist() == b["record_key"].tolist()


def test_reissue_with_revised_outcomes_keeps_keys(tmp_path: Path) -> None:
    """police.uk re-issues months with revised 'Last outcome category' (SOURCES.md): the key
    of each record must survive, so the pool can record the outcome change."""
    original = raw_bytes("northamptonshire", "2025-09").decode()
    lines = original.split("\n")
    revised = []
    changed = 0
    for number, line in enumerate(lines, start=1):
        if number > 1 and line.endswith(",Awaiting court outcome,") and number % 2 == 0:
            line = line.replace(",Awaiting court outcome,", ",Offender given a caution,")
            changed += 1
        revised.append(line)
    assert changed > 50
    path = write_csv(tmp_path, "2025-09-northamptonshire-street.csv",
                     "\n".join(revised).encode())
    before = read_all(discover([street_file("northamptonshire", "2025-09")])[0])
    after = read_all(discover([path])[0])
    assert before["record_key"].tolist() == after["record_key"].tolist()
    assert (before["outcome"].fillna("") != after["outcome"].fillna("")).sum() == changed


def test_reordered_reissue_keeps_the_key_set(tmp_path: Path) -> None:
    """The City of London copies differ in row order: keys are about content, not position."""
    data = raw_bytes("city-of-london", "2025-03").decode()
    header, *rows = [r for r in data.split("\r\n") if r]
    path = write_csv(tmp_path, "2025-03-city-of-london-street.csv",
                     ("\r\n".join([header, *reversed(rows)]) + "\r\n").encode())
    before = read_all(discover([street_file("city-of-london", "2025-03")])[0])
    after = read_all(discover([path])[0])
    assert set(before["record_key"]) == set(after["record_key"])


@settings(max_examples=15, deadline=None)
@given(chunk_rows=st.integers(min_value=1, max_value=800))
def test_any_chunk_size_gives_the_same_rows(chunk_rows: int) -> None:
    """Keys, flags and ordinals run over the whole file, never per chunk."""
    file = discover([street_file("city-of-london", "2024-01")])[0]
    chunks = list(read(file, chunk_rows=chunk_rows))
    assert all(len(c) <= chunk_rows for c in chunks)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), _city_2024_01())


@functools.cache
def _city_2024_01() -> pd.DataFrame:
    return read_all(discover([street_file("city-of-london", "2024-01")])[0])
