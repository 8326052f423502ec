"""A file for another force is refused unless the partnership's area includes it: tested with
the real City of London months against the Northamptonshire partnership."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from alliance.web.pool.models import ImportBatch
from tests.web.pool.conftest import post_upload

pytestmark = pytest.mark.django_db


def city_january(city_files: list[Path]) -> tuple[str, bytes]:
    path = next(p for p in city_files if p.name.startswith("2024-01"))
    return path.name.removesuffix(".gz"), gzip.decompress(path.read_bytes())


def test_a_city_of_london_month_is_refused_in_northamptonshire(client_as, city_files) -> None:
    name, data = city_january(city_files)
    r = post_upload(client_as("analyst"), name, data)
    assert r.status_code == 400
    body = r.content.decode().replace("\n", " ")
    assert (f"{name} is City of London Police data, outside the partnership&#x27;s area "
            "(Northamptonshire Serious Violence Alliance (E23000022))") in body
    assert not ImportBatch.objects.filter(kind="incidents").exists()


def test_a_renamed_city_file_is_refused_by_what_its_rows_say(client_as, city_files) -> None:
    _, data = city_january(city_files)
    r = post_upload(client_as("analyst"), "2024-01-northamptonshire-street.csv", data)
    assert r.status_code == 400
    assert "is City of London Police data, outside the partnership" in r.content.decode()


def test_the_command_line_checks_every_partnership_area(demo, city_files, reference) -> None:
    from alliance.web.pool import services

    with pytest.raises(services.PoolError, match="outside the partnership's area"):
        services.load_police_uk(city_files[:1], reference_dir=reference)


def test_a_partnership_whose_area_includes_the_force_may_load_it(client_as, city_files,
                                                                 northants_files) -> None:
    from alliance.web.accounts.models import Partnership

    Partnership.objects.update(area_code="E23000034")  # City of London police force area
    name, data = city_january(city_files)
    assert post_upload(client_as("analyst"), name, data).status_code == 302
    assert ImportBatch.objects.filter(kind="incidents").count() == 1
    north = northants_files[0]
    r = post_upload(client_as("analyst"), north.name, north.read_bytes())
    assert r.status_code == 400 and "Northamptonshire Police data, outside" in r.content.decode()


def test_a_local_partnership_inside_the_force_area_may_load_the_force(client_as,
                                                                      northants_files) -> None:
    """A community safety partnership's area lies inside the force area: the force's files
    cover it (rows outside the CSP are placed and counted by area as usual)."""
    from alliance.web.accounts.models import Partnership

    Partnership.objects.update(area_code="E06000062")  # West Northamptonshire
    path = northants_files[0]
    assert post_upload(client_as("analyst"), path.name, path.read_bytes()).status_code == 302
