"""Placing rows on LSOA 2021 areas: conversion, splits never guessed, flags counted."""

import numpy as np
import pandas as pd

from alliance.pool.placement import PlacementContext, place_rows
from alliance.sources.schema import RowFlag
from tests.pool.factories import incident_rows


def _ctx(placed: list[str | None], area: frozenset[str] | None = None) -> PlacementContext:
    return PlacementContext(
        place=lambda lon, lat: np.array(placed[: len(lon)], dtype=object),
        to_bng=lambda lon, lat: (lon * 0 + 475000.0, lat * 0 + 260000.0),
        lsoa21_codes=frozenset({"E01000001", "E01000002", "E01000003"}),
        lsoa11_direct={"E01900001": "E01000001"},
        lsoa11_split=frozenset({"E01900002"}),
        area_lsoas=area,
    )


def test_published_2021_code_is_kept_and_disagreement_flagged():
    rows = incident_rows(2, lsoa_published=["E01000001", "E01000001"])
    out = place_rows(rows, _ctx(["E01000001", "E01000002"]))
    assert out["lsoa21_code"].tolist() == ["E01000001", "E01000001"]
    assert not out.loc[0, "flags"] & RowFlag.LSOA_MISMATCH
    assert out.loc[1, "flags"] & RowFlag.LSOA_MISMATCH
    assert out["easting"].tolist() == [475000.0, 475000.0]


def test_2011_codes_convert_and_splits_come_from_the_point_or_stay_null():
    rows = incident_rows(3, lsoa_published=["E01900001", "E01900002", "E01900002"],
                         longitude=[-0.9, -0.9, np.nan], latitude=[52.2, 52.2, np.nan])
    out = place_rows(rows, _ctx(["E01000003", "E01000002"]))
    assert out.loc[0, "lsoa21_code"] == "E01000001"
    assert out.loc[1, "lsoa21_code"] == "E01000002"  # split resolved by its point
    assert pd.isna(out.loc[2, "lsoa21_code"])  # split, no point: never guessed
    assert ((out["flags"].to_numpy() & int(RowFlag.LSOA_CONVERTED)) != 0).all()
    assert out.loc[2, "flags"] & RowFlag.LSOA_SPLIT


def test_unknown_codes_no_location_and_outside_area_are_flagged():
    rows = incident_rows(3, lsoa_published=["E01999999", None, "E01000003"],
                         longitude=[-0.9, np.nan, -0.9], latitude=[52.2, np.nan, 52.2])
    out = place_rows(rows, _ctx(["E01000001", "E01000003"],
                                area=frozenset({"E01000001", "E01000002"})))
    assert out.loc[0, "flags"] & RowFlag.UNKNOWN_LSOA
    assert out.loc[0, "lsoa21_code"] == "E01000001"
    assert pd.isna(out.loc[1, "lsoa21_code"])
    assert out.loc[2, "flags"] & RowFlag.OUTSIDE_AREA
    assert not out.loc[0, "flags"] & RowFlag.OUTSIDE_AREA


def test_point_in_no_polygon_is_flagged():
    rows = incident_rows(1, lsoa_published=[None])
    out = place_rows(rows, _ctx([None]))
    assert out.loc[0, "flags"] & RowFlag.NO_POINT_IN_LSOA
