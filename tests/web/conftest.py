"""Database fixtures: the real ONS geography is loaded once per test database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import require_reference, require_shared

NORTHANTS_STREET = ("policeuk", "street", "northamptonshire")
AREA = "E23000022"
CITY_STREET = ("policeuk", "street", "city-of-london")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """After the test database is migrated, load the real geography into it once."""
    geo = require_shared("geo")
    from alliance.web.pool.geography import load_geography

    with django_db_blocker.unblock():
        load_geography(geo, created_by="tests")
    yield


def forget_figure_caches() -> None:
    """No cached figures: a rolled-back test database can reuse batch numbers and times, so a
    pool version may repeat with other rows behind it."""
    from alliance.web.dashboards.services import forget_cache as forget_dashboards
    from alliance.web.pool.publication import forget_cache as forget_publications

    forget_publications()
    forget_dashboards()


@pytest.fixture(autouse=True)
def _fresh_figure_caches() -> Iterator[None]:
    """Each test starts with no cached figures, and ends in English: a request to a Welsh
    page leaves Welsh active in the thread, where code outside a request would see it."""
    forget_figure_caches()
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="package")
def built(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The 16 real Northamptonshire months loaded once for the web tests that need a whole
    reporting year; the SNA built twice (different timestamps); all rolled back after."""
    files = sorted(require_shared(*NORTHANTS_STREET).glob("*-street.csv.gz"))
    reference = require_reference()
    from alliance.web.pool import services
    from alliance.web.pool.models import DefinitionVersion, ImportBatch, Incident, SourceFile
    from alliance.web.reports.models import SnaBuild
    from alliance.web.reports.services import build_sna

    out = tmp_path_factory.mktemp("sna")
    with django_db_blocker.unblock():
        definitions = set(DefinitionVersion.objects.values_list("pk", flat=True))
        load = services.load_police_uk(files, reference_dir=reference, created_by="tests-sna")
        forget_figure_caches()
        try:
            first = build_sna(AREA, out / "a", period="2025-01:2025-12",
                              generated=datetime(2026, 11, 1, 9, 0))
            second = build_sna("Northamptonshire", out / "b", period="2025-01:2025-12",
                               generated=datetime(2026, 11, 2, 10, 30), pdf=False)
            yield {"dir": out / "a", "result": first, "again": out / "b", "second": second,
                   "batch": load.batch_id, "files": files}
        finally:
            # Leave the session database as the other tests expect it: no trace of this load.
            Incident.objects.filter(batch_id=load.batch_id).delete()
            SourceFile.objects.filter(batch_id=load.batch_id).delete()
            ImportBatch.objects.filter(pk=load.batch_id).delete()
            DefinitionVersion.objects.exclude(pk__in=definitions).delete()
            SnaBuild.objects.filter(output_folder__startswith=str(out)).delete()


@pytest.fixture
def northants_files() -> list[Path]:
    folder = require_shared(*NORTHANTS_STREET)
    return sorted(folder.glob("*-street.csv.gz"))


@pytest.fixture
def city_files() -> list[Path]:
    folder = require_shared(*CITY_STREET)
    return sorted(folder.glob("*-street.csv.gz"))


@pytest.fixture
def reference() -> Path:
    from tests.conftest import require_reference

    return require_reference()
