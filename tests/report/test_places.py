"""Place labels and boundaries for the report's maps, derived from the real Northamptonshire
geography (ONS LSOA 2021 boundaries, IoD2025 population, best-fit wards, CSPs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from alliance.report import places
from alliance.report.maps import project
from tests.report.conftest import northants_lsoa_frame

TOWNS = {"Northampton", "Kettering", "Corby", "Wellingborough", "Rushden", "Daventry",
         "Brackley"}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return northants_lsoa_frame()


@pytest.fixture(scope="module")
def layers(frame: pd.DataFrame) -> places.MapLayers:
    return places.map_layers(frame)


def test_the_county_towns_are_found_where_they_are(frame: pd.DataFrame,
                                                   layers: places.MapLayers) -> None:
    towns = {p.name: p for p in layers.places if p.kind == "town"}
    assert set(towns) >= TOWNS
    # each district town lies inside the CSP it is named after
    geoms = project(list(frame["geometry_wkb"]), list(frame.index))
    for name in ("Northampton", "Kettering", "Corby", "Wellingborough"):
        csp = shapely.union_all(shapely.buffer(geoms[(frame["csp_name"] == name).to_numpy()],
                                               1))
        assert csp.contains(shapely.Point(towns[name].x, towns[name].y)), name
    # and the largest come first
    ranked = [p.name for p in sorted(layers.places, key=lambda p: p.rank)]
    assert ranked[:4] == ["Northampton", "Kettering", "Corby", "Wellingborough"]


def test_districts_without_a_town_of_their_name_are_labelled_as_areas(
        layers: places.MapLayers) -> None:
    areas = {p.name for p in layers.places if p.kind == "area"}
    assert areas == {"Daventry and South Northamptonshire", "East Northamptonshire"}
    assert layers.boundaries is not None and len(layers.boundaries) == 6


def test_without_wards_only_towns_districts_are_named_after(frame: pd.DataFrame) -> None:
    towns = places.town_places(frame["geometry_wkb"], frame["population"],
                               districts=frame["csp_name"])
    assert {p.name for p in towns} == {"Northampton", "Kettering", "Corby", "Wellingborough"}
    assert places.town_places(frame["geometry_wkb"], frame["population"]) == []


def test_labels_do_not_depend_on_row_order(frame: pd.DataFrame) -> None:
    shuffled = frame.sample(frac=1.0, random_state=3)
    a = {(p.name, round(p.x), round(p.y)) for p in places.map_layers(frame).places}
    b = {(p.name, round(p.x), round(p.y)) for p in places.map_layers(shuffled).places}
    assert a == b


def test_boundaries_cover_the_county(frame: pd.DataFrame, layers: places.MapLayers) -> None:
    assert layers.boundaries is not None
    outlines = project(list(layers.boundaries.to_numpy()), list(layers.boundaries.index))
    lsoas = project(list(frame["geometry_wkb"]), list(frame.index))
    assert float(shapely.area(outlines).sum()) == pytest.approx(
        float(shapely.area(lsoas).sum()), rel=1e-3)


def test_tooltip_names_come_first(layers: places.MapLayers) -> None:
    name = layers.names["E01026949"]
    assert name == "North Northamptonshire 005A (Lloyds, Corby)"
    assert all(not v.startswith("E01") for v in layers.names.values())


def test_ward_stems() -> None:
    wards = pd.Series(["Daventry East", "Daventry West", "Brackley", "Rushden South",
                       "Rushden Pemberton West", "Clover Hill"])
    assert list(places._ward_stems(wards)) == ["Daventry", "Daventry", "Brackley", "Rushden",
                                               "Rushden", "Clover Hill"]


def test_small_or_sparse_areas_give_no_town() -> None:
    """Nine 1 km squares of 500 residents each (500 per km²): too sparse to be a town."""
    from tests.report.sna.conftest import make_inputs

    lsoa = make_inputs().lsoa
    sparse = places.town_places(lsoa["geometry_wkb"], lsoa["population"] / 3,
                                districts=lsoa["csp_name"])
    assert sparse == []
    assert np.isfinite([p.x for p in places.map_layers(lsoa).places]).all()
