"""Tests for alliance.report.document: ids, numbering and figures.json provenance."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliance.report.document import Figure, Finding, Paragraph, Provenance, Report, Section, Table

PROV = Provenance(source="police.uk", import_batches=("b1", "b2"), period="2025",
                  definition="VSO", filters={"area": "Corby"}, suppression="1 cell hidden")
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><title>t</title><desc>d</desc></svg>'


def _report() -> Report:
    table = Table(id="t1", caption="Counts", data=pd.DataFrame({"n": [5.0, np.nan]},
                                                                  index=["a", "b"]),
                  provenance=PROV)
    fig = Figure(id="f1", caption="Chart", svg=SVG, alt_text="A chart",
                 data=pd.DataFrame({"x": [pd.Timestamp("2025-01-01")], "y": [np.int64(3)]}),
                 provenance=PROV)
    finding = Finding(id="k1", text="Rose", value=12.0, unit="%", provenance=PROV)
    return Report(title="SNA", area="Corby", period="2025", sections=(
        Section(id="one", title="One", blocks=(Paragraph(text="x"), table, finding)),
        Section(id="two", title="Two", level=2, blocks=(fig,)),
    ))


def test_numbers_and_figures_json(tmp_path: Path) -> None:
    report = _report()
    assert report.numbers() == {"t1": "Table 1", "f1": "Figure 1"}
    path = report.write_figures_json(tmp_path / "figures.json")
    payload = json.loads(path.read_text())  # strict JSON: no NaN
    by_id = {f["id"]: f for f in payload["figures"]}
    assert by_id["t1"]["provenance"]["import_batches"] == ["b1", "b2"]
    assert by_id["t1"]["provenance"]["filters"] == {"area": "Corby"}
    assert by_id["t1"]["data"] == [{"index": "a", "n": 5.0}, {"index": "b", "n": None}]
    assert by_id["f1"]["data"] == [{"x": "2025-01-01T00:00:00", "y": 3}]
    assert by_id["k1"]["value"] == 12.0 and by_id["k1"]["section"] == "one"


def test_provenance_line() -> None:
    line = PROV.line()
    assert line.startswith("Source: police.uk") and "suppression: 1 cell hidden" in line


@pytest.mark.parametrize("make, message", [
    (lambda: Section(id="Bad Id", title="x"), "must be lower-case"),
    (lambda: Section(id="ok", title="x", level=4), "level"),
    (lambda: Provenance(source=" "), "source"),
    (lambda: Figure(id="f", caption="c", svg=SVG, alt_text="", data=pd.DataFrame(),
                    provenance=PROV), "alternative text"),
    (lambda: Figure(id="f", caption="c", svg="<png/>", alt_text="a", data=pd.DataFrame(),
                    provenance=PROV), "svg"),
    (lambda: Table(id="t", caption="c", data=pd.DataFrame({"a": [1]}), provenance=PROV,
                   column_formats={"b": "count"}), "unknown columns"),
    (lambda: Report(title="t", area="a", period="p", sections=(
        Section(id="s", title="x"), Section(id="s", title="y"))), "used twice"),
])
def test_invalid_models_raise(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        make()
