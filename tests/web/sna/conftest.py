"""The 16 real Northamptonshire months loaded once, outside any test's transaction, for the tests
of this package only: a package-scoped fixture lives until its package's last test, so these
tests sit in a package of their own and the rest of tests/web never sees the loaded year."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import require_reference, require_shared
from tests.web.conftest import AREA, NORTHANTS_STREET, forget_figure_caches
from tests.web.workspace.conftest import (  # noqa: F401  (fixtures, by pytest name)
    _fast_hashing,
    client_as,
    demo,
)


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
