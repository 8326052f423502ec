"""Tests for alliance.report.charts (SVG structure and text alternatives); Lorenz shares are
checked against a direct computation. Funnel tests are in test_funnel.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from alliance.report import charts

NS = "{http://www.w3.org/2000/svg}"


def _check_accessible(svg: str, chart_id: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"{NS}title").text  # type: ignore[union-attr]
    assert root.find(f"{NS}desc").text  # type: ignore[union-attr]
    assert root.get("viewBox") and root.get("width")
    return root


def test_bar_chart_shows_suppressed_as_marker() -> None:
    chart = charts.bar_chart(["Corby", "Kettering", "Daventry"], [120, np.nan, 8],
                             chart_id="b", title="Bars", desc="Three bars", highlight=["Corby"])
    root = _check_accessible(chart.svg, "b")
    assert "[c] suppressed" in chart.svg
    assert len(root.findall(f"{NS}rect")) == 1 + 2  # background + two drawn bars
    assert list(chart.data["Category"]) == ["Corby", "Kettering", "Daventry"]
    with pytest.raises(ValueError, match="non-negative"):
        charts.bar_chart(["a"], [-1], chart_id="b", title="t", desc="d")


def test_line_chart_band_break_and_gap() -> None:
    months = charts.month_axis([f"2025-{m:02d}" for m in range(1, 13)])
    y = [10, 12, np.nan, 14, 15, 13, 12, 11, 16, 18, 17, 15]
    chart = charts.line_chart(months, y, chart_id="l", title="Line", desc="Monthly",
                              y_label="Offences", lower=np.array(y) - 2, upper=np.array(y) + 2,
                              extra={"Rolling mean": [np.nan] * 5 + [13.0] * 7},
                              breaks=[(pd.Timestamp("2025-06-01"), "New system")])
    root = _check_accessible(chart.svg, "l")
    assert "New system" in chart.svg
    # the NaN month splits the series into two pieces rather than drawing a zero
    assert len(root.findall(f"{NS}polyline")) == 3  # two series pieces + one rolling mean
    # ... and the confidence band stops at the gap too: Jan-Feb and Apr-Dec, nothing over Mar
    bands = root.findall(f"{NS}polygon")
    assert len(bands) == 2
    widths = []
    for band in bands:
        xs = [float(p.split(",")[0]) for p in band.get("points", "").split()]
        widths.append(len(xs) // 2)
    assert sorted(widths) == [2, 9]
    assert list(chart.data["Month"])[:2] == ["Jan 2025", "Feb 2025"]
    with pytest.raises(ValueError, match="outside"):
        charts.line_chart(months, y, chart_id="l", title="t", desc="d", y_label="y",
                          breaks=[(pd.Timestamp("2030-01-01"), "x")])
    with pytest.raises(ValueError, match="both lower and upper"):
        charts.line_chart(months, y, chart_id="l", title="t", desc="d", y_label="y",
                          lower=y)


def test_lorenz_shares() -> None:
    counts = np.array([50, 30, 10, 5, 3, 2] + [0] * 94)
    chart = charts.lorenz_curve([str(i) for i in range(100)], counts, chart_id="z",
                                title="Lorenz", desc="Concentration")
    _check_accessible(chart.svg, "z")
    shares = dict(zip(chart.data["Top % of areas"], chart.data["% of total"], strict=True))
    assert shares == {1: 50.0, 5: 98.0, 10: 100.0}  # top 1 area has 50 of 100
    with pytest.raises(ValueError, match="complete"):
        charts.lorenz_curve(["a"], [np.nan], chart_id="z", title="t", desc="d")


def test_small_multiples() -> None:
    months = charts.month_axis(["2025-01", "2025-02", "2025-03"])
    chart = charts.small_multiples({"Corby": (months, [1, 2, 3]),
                                    "Kettering": (months, [3, 2, np.nan])},
                                   chart_id="m", title="Panels", desc="Two panels")
    _check_accessible(chart.svg, "m")
    assert len(chart.data) == 6 and "Kettering" in chart.svg
    with pytest.raises(ValueError, match="title and a description"):
        charts.bar_chart(["a"], [1], chart_id="x", title="", desc="")
