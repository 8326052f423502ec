"""Tests for alliance.report.maps on the real 443 Northamptonshire LSOA boundaries.

Natural breaks are checked against an exhaustive search over all class boundaries (the
definition Fisher 1958 optimises); quantile classes against equal class sizes.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from alliance.report import maps, places
from alliance.report.map_labels import Place, label_layer
from alliance.report.svg import sequential
from tests.conftest import require_shared
from tests.report.conftest import northants_lsoa_frame, png

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


def test_county_map_reads_like_a_map(artefacts: Path) -> None:
    """The Northamptonshire rate map as a reader sees it: town names, district boundaries,
    a legend that says which end is higher, a scale in km; LSOA codes in no tooltip; valid,
    accessible SVG. Saved as SVG and PNG in test-artefacts/ for a person to look at."""
    frame = northants_lsoa_frame()
    layers = places.map_layers(frame)
    rng = np.random.default_rng(7)
    values = pd.Series(rng.gamma(2, 10, len(frame)), index=frame.index)
    values.iloc[:4] = np.nan
    chart = maps.choropleth(frame["geometry_wkb"], values, chart_id="county",
                            title="Violence per 1,000 residents by LSOA (illustrative values)",
                            desc="Illustrative map of Northamptonshire's LSOAs.",
                            legend_title="Rate per 1,000 residents",
                            legend_ends=("Lower rate", "Higher rate"),
                            boundary_label="Community Safety Partnership",
                            note="Values are random: this map tests how the map reads.",
                            **layers.kwargs())
    root = ET.fromstring(chart.svg)  # well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "county-title county-desc"
    words = " ".join(" ".join(t.itertext()) for t in root.iter(f"{NS}text"))
    for town in ("Northampton", "Kettering", "Corby", "Wellingborough", "Rushden", "Daventry"):
        assert town in words, town
    assert "EAST NORTHAMPTONSHIRE" in words
    assert "Lower rate" in words and "Higher rate" in words
    assert re.search(r"\b\d+ km\b", words) and "Community Safety Partnership" in words
    tips = [t.text or "" for t in root.iter(f"{NS}title")][1:]
    assert len(tips) == len(frame) and not any(re.match(r"E0\d{7}", t) for t in tips)
    assert tips[0].startswith(frame["name"].iloc[0] + " (")
    assert list(chart.data.columns[:2]) == ["Area", "Area code"]  # names first, codes in table
    # the labels group is hidden from screen readers (the description and table carry it)
    labels = [g for g in root.iter(f"{NS}g") if g.get("class") == "place-labels"]
    assert len(labels) == 1 and labels[0].get("aria-hidden") == "true"
    svg = artefacts / "map-northamptonshire.svg"
    svg.write_text(chart.svg, encoding="utf-8")
    shot = png(svg)
    assert shot is None or shot.stat().st_size > 20_000


def test_labels_that_would_overlap_are_left_out() -> None:
    here = [Place(name="Bigtown", x=500.0, y=500.0, rank=0, population=90_000),
            Place(name="Clash", x=502.0, y=500.0, rank=1),
            Place(name="Faraway", x=500.0, y=50_000.0, rank=2),
            Place(name="Elsewhere", x=500.0, y=300.0, rank=3)]

    def fx(x: np.ndarray) -> np.ndarray:
        return x / 5

    def fy(y: np.ndarray) -> np.ndarray:
        return 400 - y / 5

    out, drawn = label_layer(here, fx, fy, frame=(0, 0, 400, 400))
    assert drawn == ["Bigtown", "Elsewhere"]  # Clash is on Bigtown's dot; Faraway off the map
    assert "Bigtown" in "".join(out) and 'font-weight="bold"' in "".join(out)
    hostile = [Place(name="<script>&", x=500.0, y=500.0)]
    assert "&lt;script&gt;&amp;" in "".join(label_layer(hostile, fx, fy,
                                                       frame=(0, 0, 400, 400))[0])


def test_fixed_classes_and_the_darkest_end(lsoa: gpd.GeoDataFrame) -> None:
    """IMD deciles in fixed pairs, decile 1 (most deprived) darkest; a class of one value is
    labelled with that value alone."""
    geoms = _geoms(lsoa).iloc[:10]
    deciles = pd.Series(np.arange(1.0, 11.0), index=geoms.index)
    chart = maps.choropleth(geoms, deciles, chart_id="imd", title="IMD", desc="d",
                            value_format="{:,.0f}", breaks=(2, 4, 6, 8, 10), dark_low=True,
                            legend_ends=("More deprived", "Less deprived"))
    for label in ("1 to 2", "9 to 10", "More deprived", "Less deprived"):
        assert f">{label}</text>" in chart.svg
    fills = {int(v): p.get("fill") for v, p in zip(
        deciles, [p for p in ET.fromstring(chart.svg).iter(f"{NS}path")
                  if p.find(f"{NS}title") is not None], strict=True)}
    assert fills[1] == fills[2] != fills[10]
    assert fills[1] == sequential(5)[-1] and fills[10] == sequential(5)[0]  # darkest first
    single = maps.choropleth(geoms, deciles.clip(upper=2), chart_id="s", title="t", desc="d",
                             value_format="{:,.0f}", breaks=(1, 2))
    assert ">1</text>" in single.svg and ">2</text>" in single.svg
    with pytest.raises(ValueError, match="above the last"):
        maps.choropleth(geoms, deciles, chart_id="x", title="t", desc="d", breaks=(2, 4))
