"""Tests for alliance.report.category_map on the real Northamptonshire LSOA boundaries."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest

from alliance.report.category_map import category_map
from tests.conftest import require_shared

NS_SVG = "{http://www.w3.org/2000/svg}"
HOT, COLD, NS = "Hot spot (99%)", "Cold spot (99%)", "Not significant"
COLOURS = {HOT: "#d4351c", COLD: "#1d70b8", NS: "#f3f2f1"}


@pytest.fixture(scope="module")
def geometries() -> pd.Series:
    lsoa = gpd.read_file(require_shared("geo", "northants", "lsoa21_bsc_northants.geojson"))
    return pd.Series(lsoa.geometry.to_wkb().to_numpy(), index=lsoa.lsoa21_code)


def test_every_area_is_drawn_in_its_category_colour(geometries: pd.Series) -> None:
    cats = pd.Series(NS, index=geometries.index)
    cats.iloc[:7], cats.iloc[7:10] = HOT, COLD
    first = str(geometries.index[0])
    svg = category_map(geometries, cats, chart_id="g", title="Hot spots", desc="Gi* classes",
                       colours=COLOURS, names={first: "Corby 001A"},
                       note="Gi* with FDR at 5%.")
    root = ET.fromstring(svg)
    paths = [p for p in root.iter(f"{NS_SVG}path") if p.find(f"{NS_SVG}title") is not None]
    assert len(paths) == len(geometries) == 443
    fills = pd.Series([p.get("fill") for p in paths]).value_counts()
    assert fills[COLOURS[HOT]] == 7 and fills[COLOURS[COLD]] == 3 and fills[COLOURS[NS]] == 433
    # the legend names each category in words with its count, not by colour alone
    assert "Hot spot (99%) (7)" in svg and "Cold spot (99%) (3)" in svg
    assert "Not significant (433)" in svg
    tips = [p.find(f"{NS_SVG}title").text for p in paths]  # type: ignore[union-attr]
    assert tips[0] == f"Corby 001A: {HOT}" and tips[-1].endswith(f": {NS}")
    assert "Gi* with FDR at 5%." in svg and "km" in svg  # the note and the scale bar


def test_a_category_without_a_colour_is_refused(geometries: pd.Series) -> None:
    cats = pd.Series(NS, index=geometries.index)
    cats.iloc[0] = "warm"
    with pytest.raises(ValueError, match="warm"):
        category_map(geometries, cats, chart_id="g", title="t", desc="d", colours=COLOURS)
    with pytest.raises(ValueError, match="missing values"):
        category_map(geometries, cats.iloc[1:], chart_id="g", title="t", desc="d",
                     colours=COLOURS)


def test_places_and_boundaries_as_on_the_choropleth(artefacts) -> None:  # type: ignore[no-untyped-def]
    """The hot-spot map with the county's town names and CSP boundaries (saved for a look)."""
    from alliance.report.places import map_layers
    from tests.report.conftest import northants_lsoa_frame, png

    frame = northants_lsoa_frame()
    layers = map_layers(frame)
    cats = pd.Series(NS, index=frame.index)
    cats.iloc[:12] = HOT
    svg = category_map(frame["geometry_wkb"], cats, chart_id="h", title="Hot spots",
                       desc="Illustrative classes", colours=COLOURS,
                       boundary_label="Community Safety Partnership", **layers.kwargs())
    root = ET.fromstring(svg)
    words = " ".join(" ".join(t.itertext()) for t in root.iter(f"{NS_SVG}text"))
    assert "Northampton" in words and "Community Safety Partnership" in words
    assert float(root.get("height")) >= 400  # the legend, arrow and scale fit inside
    path = artefacts / "hotspot-map-northamptonshire.svg"
    path.write_text(svg, encoding="utf-8")
    png(path)
