"""Partner statistics enter the pool as indicators under the same batch rules as incidents."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.sources import partners
from alliance.web.pool import rollback as pool_rollback
from alliance.web.pool.indicators import load_indicators
from alliance.web.pool.models import ImportBatch, IndicatorValue
from tests.conftest import require_shared

pytestmark = pytest.mark.django_db


def _files() -> list[Path]:
    folder = require_shared("partners")
    return [folder / "dfe_neet_nccis" / "UD_NEETNK_LA_dashboard_final_2025.csv",
            folder / "dfe_csc" / "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv"]


def test_partner_files_load_as_one_batch_and_only_once():
    files = _files()
    expected = sum(len(partners.read(f).table) for f in files)
    result = load_indicators(files)
    assert result.rows == expected
    assert IndicatorValue.objects.filter(batch_id=result.batch_id).count() == expected
    gangs = IndicatorValue.objects.filter(measure="csc_factor_gangs", area_code="E06000061")
    assert gangs.exists()
    again = load_indicators(files)
    assert again.batch_id is None and len(again.files_skipped) == 2
    pool_rollback.rollback(result.batch_id)
    assert IndicatorValue.objects.count() == 0


def test_a_broken_partner_file_changes_nothing(tmp_path: Path):
    good, _ = _files()
    broken = tmp_path / good.name
    broken.write_bytes(good.read_bytes()[:2000] + b"\xff\xfe not utf-8 \n")
    before = ImportBatch.objects.count()
    with pytest.raises(partners.PartnerFileError) as err:
        load_indicators([good.parent / "UD_NEETNK_LA_dashboard_2022_final.csv", broken])
    assert good.name in str(err.value)
    assert ImportBatch.objects.count() == before
    assert IndicatorValue.objects.count() == 0
