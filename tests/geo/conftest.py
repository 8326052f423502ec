"""Shared fixtures for the geography tests: the real tables are read once per session."""

from __future__ import annotations

import pytest

from alliance.geo.areas import Geography
from alliance.geo.ons import read_geography_folder
from alliance.geo.spatial import LsoaIndex
from alliance.geo.tables import GeographyTables
from tests.conftest import require_shared


@pytest.fixture(scope="session")
def geo_tables() -> GeographyTables:
    return read_geography_folder(require_shared("geo"))


@pytest.fixture(scope="session")
def geography(geo_tables: GeographyTables) -> Geography:
    return Geography(geo_tables)


@pytest.fixture(scope="session")
def lsoa_index(geo_tables: GeographyTables) -> LsoaIndex:
    return LsoaIndex.from_boundaries(geo_tables.lsoa21_boundaries)
