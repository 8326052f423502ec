"""aggregate_lsoa_month against the plain pandas count of the same real files.

Reference implementation: ``pandas.read_csv`` of each real file, then
``groupby(['LSOA code', 'Month', 'Crime type']).size()`` with the category map applied.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from alliance.sources.police_uk import UNKNOWN_CATEGORY, aggregate_lsoa_month, discover
from tests.sources.policeuk_helpers import raw_bytes, street_dir

CATEGORY_MAP = {
    "Violence and sexual offences": "violence",
    "Robbery": "robbery",
    "Possession of weapons": "weapons",
}


def reference(paths: list[Path]) -> pd.DataFrame:
    frame = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths])
    frame["category"] = frame["Crime type"].map(CATEGORY_MAP).fillna(UNKNOWN_CATEGORY)
    counts = frame.groupby(["LSOA code", "Month", "category"]).size().reset_index(name="count")
    counts = counts.rename(columns={"LSOA code": "lsoa_code", "Month": "month"})
    counts["lsoa_code"] = counts["lsoa_code"].where(counts["lsoa_code"] != "", None)
    return counts.sort_values(["month", "lsoa_code", "category"], na_position="last",
                              ignore_index=True)


@pytest.fixture(scope="module")
def street_paths() -> list[Path]:
    return sorted(street_dir("northamptonshire").glob("*.csv.gz")) + sorted(
        street_dir("city-of-london").glob("*.csv.gz"))


def test_matches_pandas_reference(street_paths: list[Path]) -> None:
    ours = aggregate_lsoa_month(discover(street_paths), category_map=CATEGORY_MAP)
    assert list(ours.columns) == ["lsoa_code", "month", "category", "count"]
    assert ours["count"].sum() == 98_184 + 18_867
    expected = reference(street_paths)
    pd.testing.assert_frame_equal(ours.astype(object), expected.astype(object))


def test_no_location_rows_are_counted_under_a_null_lsoa(street_paths: list[Path]) -> None:
    """SOURCES.md: 134 No Location rows in Northamptonshire 2025-07, 103 of them violence."""
    path = street_dir("northamptonshire") / "2025-07-northamptonshire-street.csv.gz"
    ours = aggregate_lsoa_month([path], category_map=CATEGORY_MAP)
    unlocated = ours[ours["lsoa_code"].isna()]
    assert unlocated["count"].sum() == 134
    assert unlocated.set_index("category").loc["violence", "count"] == 103


def test_unknown_types_are_kept(street_paths: list[Path]) -> None:
    ours = aggregate_lsoa_month(street_paths[:1], category_map={})
    assert set(ours["category"]) == {UNKNOWN_CATEGORY}
    assert ours["count"].sum() == 5613


def test_zip_and_plain_files_agree(tmp_path: Path) -> None:
    archive = tmp_path / "2025-09.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for force in ("northamptonshire", "city-of-london"):
            zf.writestr(f"2025-09/2025-09-{force}-street.csv", raw_bytes(force, "2025-09"))
    plain = tmp_path / "plain"
    plain.mkdir()
    for force in ("northamptonshire", "city-of-london"):
        data = raw_bytes(force, "2025-09")
        (plain / f"2025-09-{force}-street.csv").write_bytes(b"\xef\xbb\xbf" + data)
    from_zip = aggregate_lsoa_month([archive], category_map=CATEGORY_MAP)
    from_plain = aggregate_lsoa_month([plain], category_map=CATEGORY_MAP, max_workers=1)
    pd.testing.assert_frame_equal(from_zip, from_plain)
    assert from_zip["count"].sum() == 6182 + 689
    gz = tmp_path / "gz"
    gz.mkdir()
    (gz / "2025-09-city-of-london-street.csv.gz").write_bytes(
        gzip.compress(raw_bytes("city-of-london", "2025-09")))
    assert aggregate_lsoa_month([gz], category_map={})["count"].sum() == 689


def test_refuses_other_kinds(tmp_path: Path) -> None:
    path = tmp_path / "2025-09-northamptonshire-outcomes.csv"
    path.write_bytes(b"x\n")
    with pytest.raises(ValueError, match="street-level crime only"):
        aggregate_lsoa_month([path], category_map={})


def test_no_files_gives_an_empty_table() -> None:
    out = aggregate_lsoa_month([], category_map={})
    assert list(out.columns) == ["lsoa_code", "month", "category", "count"] and out.empty
