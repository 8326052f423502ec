"""Tests for alliance.report.maps on the real 443 Northamptonshire LSOA boundaries.

Natural breaks are checked against an exhaustive search over all class boundaries (the
definition Fisher 1958 optimises); quantile classes against equal class sizes.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from alliance.report import maps
from tests.conftest import require_shared

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def lsoa() -> gpd.GeoDataFrame:
    return gpd.read_file(require_shared("geo", "northants", "lsoa21_bsc_northants.geojson"))


def _geoms(lsoa: gpd.GeoDataFrame) -> pd.Series:
    return pd.Series(lsoa.geometry.to_wkb().to_numpy(), index=lsoa.lsoa21_code)


def test_real_choropleth(lsoa: gpd.GeoDataFrame) -> None:
    rng = np.random.default_rng(1)
    values = pd.Series(rng.gamma(2, 10, len(lsoa)), index=lsoa.lsoa21_code)
    values.iloc[:5] = np.nan  # suppressed
    cells = pd.DataFrame({"x": [475000, 476000], "y": [260000, 260000], "value": [1.0, 3.0]})
    points = pd.DataFrame({"lon": [-0.89, -0.70], "lat": [52.24, 52.49]})
    chart = maps.choropleth(_geoms(lsoa), values, chart_id="m", title="Map", desc="A map",
                            legend_title="Rate per 1,000", note="Locations are snapped.",
                            points=points, cells=cells, cell_size=1000)
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img" and root.find(f"{NS}title") is not None
    paths = [p for p in root.iter(f"{NS}path") if p.find(f"{NS}title") is not None]
    assert len(paths) == 443
    hatched = [p for p in paths if p.get("fill") == "url(#m-hatch)"]
    assert len(hatched) == 5
    assert len(chart.svg) < 150_000, "the county map should stay small"
    assert "km</text>" in chart.svg and ">N</text>" in chart.svg and "snapped" in chart.svg
    assert "Suppressed" in chart.svg and "Density (quintiles)" in chart.svg
    assert len(root.findall(f".//{NS}circle")) == 2
    assert chart.data["Suppressed"].sum() == 5
    # quantile classes hold about equal numbers of areas
    counts = chart.data["Class"].value_counts()
    assert counts.max() - counts.min() <= 2
    # BNG projection keeps the county taller than wide, as on the OS map
    assert float(root.get("height")) > 330


def test_outline_only_map(lsoa: gpd.GeoDataFrame) -> None:
    chart = maps.choropleth(_geoms(lsoa).iloc[:20], None, chart_id="o", title="t", desc="d")
    assert chart.svg.count('fill="#e6e8ea"') == 20


def test_natural_breaks_is_optimal() -> None:
    """Exhaustive search over every split of 12 sorted values into 3 classes."""
    v = np.array([1, 2, 2, 3, 10, 11, 12, 13, 30, 31, 33, 40], dtype=float)

    def ssd(parts: list[np.ndarray]) -> float:
        return sum(((p - p.mean()) ** 2).sum() for p in parts)

    best = min(itertools.combinations(range(1, len(v)), 2),
               key=lambda cut: ssd(np.split(v, cut)))
    expected = [float(part[-1]) for part in np.split(v, best)]
    assert maps.natural_breaks(v, 3) == expected == [3.0, 13.0, 40.0]
    assert maps.quantile_breaks(np.arange(1.0, 11.0), 5) == [2.0, 4.0, 6.0, 8.0, 10.0]


def test_bad_inputs_are_named(lsoa: gpd.GeoDataFrame) -> None:
    geoms = _geoms(lsoa).iloc[:3]
    values = pd.Series([1.0, 2.0, 3.0], index=[*geoms.index[:2], "E01999999"])
    with pytest.raises(ValueError, match="E01999999"):
        maps.choropleth(geoms, values, chart_id="m", title="t", desc="d")
    broken = geoms.copy()
    broken.iloc[0] = b"not wkb"
    with pytest.raises(ValueError, match="WKB"):
        maps.choropleth(broken, None, chart_id="m", title="t", desc="d")
    with pytest.raises(ValueError, match="non-negative"):
        maps.choropleth(geoms, pd.Series([-1.0, 1, 2], index=geoms.index), chart_id="m",
                        title="t", desc="d")
    with pytest.raises(ValueError, match="cell_size"):
        maps.choropleth(geoms, None, chart_id="m", title="t", desc="d",
                        cells=pd.DataFrame({"x": [1.0], "y": [1.0], "value": [1.0]}))
