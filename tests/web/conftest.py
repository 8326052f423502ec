"""Database fixtures: the real ONS geography is loaded once per test database."""

from __future__ import annotations

from collections.abc import Iterator
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
    from alliance.web.dashboards.views import forget_bodies
    from alliance.web.pool.publication import forget_cache as forget_publications
    from alliance.web.public.services import forget_cache as forget_public_maps

    forget_publications()
    forget_dashboards()
    forget_bodies()
    forget_public_maps()


@pytest.fixture(autouse=True)
def _fresh_figure_caches() -> Iterator[None]:
    """Each test starts with no cached figures, and ends in English: a request to a Welsh
    page leaves Welsh active in the thread, where code outside a request would see it."""
    forget_figure_caches()
    yield
    from django.utils import translation

    translation.deactivate()


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

    return require_reference()
