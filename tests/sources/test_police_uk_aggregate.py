"""aggregate_lsoa_month against the plain pandas count of the same real files.

Reference implementation: ``pandas.read_csv`` of each real file, then
``groupby(['LSOA code', 'Month', 'Crime type']).size()`` with the category map applied.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from alliance.sources import police_uk_aggregate, police_uk_count
from alliance.sources.errors import SourceFileError
from alliance.sources.police_uk import UNKNOWN_CATEGORY, aggregate_lsoa_month, discover
from tests.sources.policeuk_helpers import edit_line, raw_bytes, street_dir, write_csv

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


# A file larger than police_uk_count.WHOLE_LIMIT is streamed block by block instead of being
# parsed from memory in one piece; a file larger than one parser block comes back in several
# chunks, each with its own dictionary of codes. Both must give the same counts and the same
# refusals as the one-piece path (the limits are lowered here so that real files take them).


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(police_uk_count, "WHOLE_LIMIT", 1000)
    monkeypatch.setattr(police_uk_count, "_BLOCK", 64 << 10)


@pytest.fixture(scope="module")
def whole(street_paths: list[Path]) -> pd.DataFrame:
    return aggregate_lsoa_month(discover(street_paths), category_map=CATEGORY_MAP)


def test_streamed_files_count_the_same(street_paths: list[Path], whole: pd.DataFrame,
                                       small_limits: None) -> None:
    streamed = aggregate_lsoa_month(discover(street_paths), category_map=CATEGORY_MAP)
    pd.testing.assert_frame_equal(streamed, whole)


def test_blocks_with_their_own_dictionaries_count_the_same(
        street_paths: list[Path], whole: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(police_uk_count, "_BLOCK", 64 << 10)
    chunked = aggregate_lsoa_month(discover(street_paths), category_map=CATEGORY_MAP)
    pd.testing.assert_frame_equal(chunked, whole)


def test_the_sparse_sum_counts_the_same(street_paths: list[Path], whole: pd.DataFrame,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond _DENSE_LIMIT (LSOA codes x categories) the counts are summed by sorting keys."""
    monkeypatch.setattr(police_uk_aggregate, "_DENSE_LIMIT", 0)
    sparse = aggregate_lsoa_month(discover(street_paths), category_map=CATEGORY_MAP)
    pd.testing.assert_frame_equal(sparse, whole)


def test_streamed_zip_and_gzip_members(tmp_path: Path, small_limits: None) -> None:
    september, august = raw_bytes("city-of-london", "2025-09"), raw_bytes("city-of-london",
                                                                          "2025-08")
    with zipfile.ZipFile(tmp_path / "2025-09.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2025-09/2025-09-city-of-london-street.csv", september)
    (tmp_path / "2025-08-city-of-london-street.csv.gz").write_bytes(gzip.compress(august))
    counts = aggregate_lsoa_month([tmp_path], category_map={})
    rows = {month: len(pd.read_csv(io.BytesIO(data)))
            for month, data in (("2025-08", august), ("2025-09", september))}
    assert counts.groupby("month")["count"].sum().to_dict() == rows


@pytest.mark.parametrize("limits", ["one piece", "streamed"])
@pytest.mark.parametrize(("line", "edit", "where", "message"), [
    (17, lambda b: b.replace(b"On or near ", b"On or n\xe9ar ", 1), (17, "Location"),
     "not valid UTF-8 (byte 0xe9)"),
    (4000, lambda b: b + b",extra", (4000, None), "expected 12 fields"),
    (5000, lambda b: b.replace(b",2025-01,", b",2025-02,", 1), (5000, "Month"),
     "does not match the file name month"),
])
def test_refusals_name_the_line_on_both_paths(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limits: str, line: int,
        edit: Callable[[bytes], bytes], where: tuple[int, str | None], message: str) -> None:
    if limits == "streamed":
        monkeypatch.setattr(police_uk_count, "WHOLE_LIMIT", 1000)
        monkeypatch.setattr(police_uk_count, "_BLOCK", 64 << 10)
    data = edit_line(raw_bytes("northamptonshire", "2025-01"), line, edit)
    path = write_csv(tmp_path, "2025-01-northamptonshire-street.csv", data)
    with pytest.raises(SourceFileError) as caught:
        aggregate_lsoa_month([path], category_map={})
    assert (caught.value.line, caught.value.field) == where
    assert message in caught.value.message
