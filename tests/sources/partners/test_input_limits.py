"""Published partner statistics meet the same input limits as every reader: a header with no
rows, a file padded with copies of one row and a gzip bomb are refused, naming the file; the
real files all pass (tested against the real NEET dashboard, DfE NCCIS)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from alliance.sources import partners
from tests.conftest import require_shared

NAME = "UD_NEETNK_LA_dashboard_final_2025.csv"


@pytest.fixture(scope="module")
def neet() -> bytes:
    return require_shared("partners", "dfe_neet_nccis", NAME).read_bytes()


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / NAME
    path.write_bytes(data)
    return path


def test_the_real_file_passes(neet: bytes, tmp_path: Path) -> None:
    assert len(partners.read(_write(tmp_path, neet)).table) > 1000


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.split(b"\n")[0] + b"\n", "the file has a header but no data rows"),
    (lambda d: b"\n".join([d.split(b"\n")[0]] + [d.split(b"\n")[1]] * 1500) + b"\n",
     "more than 1,000 identical rows one after another"),
    (lambda d: gzip.compress(b"\n".join([d.split(b"\n")[0]] + [d.split(b"\n")[1]] * 200_000),
                             9), "refused as a possible zip bomb"),
    (lambda d: d.replace(b"\n", b"\n" + b"x" * 70_000, 1), "longer than 65,536 characters"),
])
def test_padded_and_hostile_files_are_refused(neet: bytes, tmp_path: Path, mutate,
                                              message: str) -> None:
    with pytest.raises(partners.PartnerFileError) as caught:
        partners.read(_write(tmp_path, mutate(neet)))
    assert message in str(caught.value) and NAME in str(caught.value)
