"""Loading real police.uk files into the pool: counts, idempotence, re-issues, rollback.

Expected figures are the per-month counts published in shared/data/policeuk/SOURCES.md
(computed from the stored files by their collector), recomputed here from the raw CSVs too.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliance.sources.schema import RowFlag
from alliance.web.pool import rollback as pool_rollback
from alliance.web.pool import services
from alliance.web.pool.models import ImportBatch, Incident, IncidentChange
from alliance.web.pool.status import quality, status

pytestmark = pytest.mark.django_db(transaction=False)

# month: (rows, "No Location" rows) from SOURCES.md
NORTHANTS = {
    "2024-01": (5613, 0), "2024-02": (5410, 0), "2024-03": (6181, 0), "2024-04": (6018, 0),
    "2025-01": (5773, 0), "2025-02": (5366, 77), "2025-03": (6597, 88), "2025-04": (6265, 96),
    "2025-05": (6682, 92), "2025-06": (6737, 0), "2025-07": (7336, 134), "2025-08": (6627, 81),
    "2025-09": (6182, 89), "2025-10": (6220, 77), "2025-11": (5618, 82), "2025-12": (5559, 66),
}


def _flag_count(flag: RowFlag, **filters: object) -> int:
    rows = Incident.objects.filter(superseded_by__isnull=True, **filters).values_list(
        "flags", flat=True)
    return sum(1 for f in rows if f & int(flag))


def test_sixteen_real_months_load_with_every_row_accounted_for(northants_files, reference):
    result = services.load_police_uk(northants_files, reference_dir=reference)
    assert result.rows == 98_184
    st = status()
    assert st["month_count"] == 16
    assert st["rows"] == 98_184
    assert st["rows_by_month"] == {m: n for m, (n, _) in NORTHANTS.items()}
    for month, (_, no_location) in NORTHANTS.items():
        assert _flag_count(RowFlag.NO_LOCATION, month=month) == no_location
    # rows set aside are explained flag by flag in the quality report
    q = quality()
    assert q["flag_totals"]["NO_LOCATION"] == sum(n for _, n in NORTHANTS.values())
    assert q["flag_totals"]["OUTSIDE_AREA"] > 0
    assert st["rows_set_aside"] == result.rows_set_aside
    # recompute one month straight from the raw CSV
    raw = pd.read_csv(northants_files[4])
    vso = int((raw["Crime type"] == "Violence and sexual offences").sum())
    assert Incident.objects.filter(
        month="2025-01", sv_category="violence_and_sexual_offences_proxy", sv_proxy=True,
    ).count() == vso
    # ASB rows have no Crime ID and are kept
    assert Incident.objects.filter(month="2025-01", source_ref__isnull=True).count() == int(
        raw["Crime ID"].isna().sum())
    # every row with a point has BNG coordinates and nearly all an LSOA 2021 code
    with_point = Incident.objects.filter(latitude__isnull=False)
    assert not with_point.filter(easting__isnull=True).exists()
    assert with_point.filter(lsoa21_code__isnull=True).count() == 0


def test_loading_the_same_files_again_adds_nothing(northants_files, reference):
    first = services.load_police_uk(northants_files[:2], reference_dir=reference)
    before = Incident.objects.count()
    again = services.load_police_uk(northants_files[:2], reference_dir=reference)
    assert again.nothing_new
    assert len(again.files_skipped) == 2
    assert Incident.objects.count() == before
    assert ImportBatch.objects.filter(kind="incidents").count() == 1
    assert first.batch_id is not None


def _reissue(src: Path, dst: Path, *, changes: int) -> int:
    """A later copy of a month with some outcomes revised (as police.uk re-issues)."""
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    candidates = frame.index[frame["Last outcome category"] == "Court result unavailable"][:changes]
    frame.loc[candidates, "Last outcome category"] = "Offender sent to prison"
    with gzip.open(dst, "wt", newline="", encoding="utf-8") as fh:
        frame.to_csv(fh, index=False, lineterminator="\r\n")
    return len(candidates)


def test_a_reissued_month_replaces_the_old_copy_and_keeps_the_history(
        northants_files, reference, tmp_path):
    first = services.load_police_uk([northants_files[4]], reference_dir=reference)
    newer = tmp_path / northants_files[4].name
    changed = _reissue(northants_files[4], newer, changes=40)
    assert changed == 40
    second = services.load_police_uk([newer], reference_dir=reference)
    assert second.rows_superseded == first.rows
    assert second.changes == {"outcome_changed": changed}
    assert Incident.objects.filter(superseded_by__isnull=True).count() == first.rows
    recorded = IncidentChange.objects.filter(batch_id=second.batch_id)
    assert recorded.count() == changed
    assert set(recorded.values_list("new_outcome", flat=True)) == {"Offender sent to prison"}
    # rolling the newer copy back restores the older one exactly
    pool_rollback.rollback(second.batch_id)
    current = Incident.objects.filter(superseded_by__isnull=True)
    assert current.count() == first.rows
    assert set(current.values_list("batch_id", flat=True)) == {first.batch_id}
    with pytest.raises(services.PoolError, match="not active"):
        pool_rollback.rollback(second.batch_id)


def test_a_broken_file_is_refused_whole_and_the_store_is_unchanged(
        northants_files, reference, tmp_path):
    services.load_police_uk([northants_files[0]], reference_dir=reference)
    before = (Incident.objects.count(), ImportBatch.objects.count())
    folder = tmp_path / "load"
    folder.mkdir()
    shutil.copy(northants_files[1], folder)
    data = northants_files[2].read_bytes()
    (folder / northants_files[2].name).write_bytes(data[: len(data) // 2])  # truncated gzip
    from alliance.sources.errors import SourceFileError

    with pytest.raises(SourceFileError) as err:
        services.load_police_uk([folder], reference_dir=reference)
    assert northants_files[2].name in str(err.value)
    assert (Incident.objects.count(), ImportBatch.objects.count()) == before


def test_city_of_london_loads_the_same_way(city_files, reference):
    result = services.load_police_uk(city_files, reference_dir=reference)
    assert result.rows == 18_867
    st = status()
    assert st["month_count"] == 24
    assert {s["partition"] for s in st["sources"]} == {"city-of-london"}


def test_rollback_removes_a_batch(northants_files, reference):
    a = services.load_police_uk(northants_files[:1], reference_dir=reference)
    b = services.load_police_uk(northants_files[1:2], reference_dir=reference)
    pool_rollback.rollback(b.batch_id)
    assert Incident.objects.filter(batch_id=b.batch_id).count() == 0
    assert Incident.objects.filter(batch_id=a.batch_id).count() == a.rows
    # after a rollback the same file can be loaded again
    again = services.load_police_uk(northants_files[1:2], reference_dir=reference)
    assert again.rows == b.rows
