"""The YEF Toolkit table: the real file read, missing ratings reported as missing, bad input
refused with file, line and field."""

from __future__ import annotations

import pytest

from alliance.sources.yef_toolkit import (
    COLUMNS,
    YefToolkitError,
    parse_yef_toolkit,
    read_yef_toolkit,
)
from tests.conftest import require_reference


def test_the_real_table() -> None:
    toolkit = read_yef_toolkit(require_reference("yef_toolkit.csv"))
    assert len(toolkit.approaches) == 27
    focused = toolkit.get("focused deterrence")
    assert focused is not None and focused.impact == "HIGH"
    assert focused.impact_words == "High impact (30%+ less violence)"
    assert focused.missing == ("evidence quality", "cost")
    assert "not recorded" in focused.evidence_words
    mentoring = toolkit.get("Mentoring")
    assert mentoring is not None and mentoring.impact == "MODERATE"
    assert mentoring.impact_note == "inferred from %"
    parenting = toolkit.get("Parenting programmes")
    assert parenting is not None and parenting.impact is None
    assert parenting.missing == ("impact", "evidence quality", "cost")
    harmful = toolkit.get("Prison awareness programmes (e.g. 'Scared Straight')")
    assert harmful is not None and harmful.impact_words.startswith("Evidence of harm")
    assert focused.sources[0].startswith("https://youthendowmentfund.org.uk/")


def _table(*rows: str) -> str:
    return ",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("approach,impact_band\nX,HIGH\n", "line 1: missing column"),
    (_table("Mentoring,VERY HIGH,,,,,,,,,"), "line 2, field impact_band"),
    (_table("Mentoring,HIGH,,,7,,,,,,"), "line 2, field evidence_quality_1to5"),
    (_table("Mentoring,HIGH,,,,0,,,,,"), "line 2, field cost_1to3"),
    (_table("Mentoring,HIGH,,,,,,,,"), "line 2: 10 fields"),
    (_table("Mentoring,HIGH,,,,,,,,,", "mentoring,LOW,,,,,,,,,"), "line 3, field approach"),
    (_table(",HIGH,,,,,,,,,"), "field approach: empty"),
    (_table(), "no approaches"),
])
def test_bad_tables_are_refused(text: str, message: str) -> None:
    with pytest.raises(YefToolkitError, match=message):
        parse_yef_toolkit(text, name="t.csv")


def test_scores_and_encoding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok = parse_yef_toolkit(_table("Mentoring,MODERATE,,10%-30% less violence,3,2,,,,,a ; b"))
    m = ok.approaches[0]
    assert (m.evidence, m.cost, m.missing, m.sources) == (3, 2, (), ("a", "b"))
    bad = tmp_path / "y.csv"
    bad.write_bytes(_table("Caf\xe9 mentoring,HIGH,,,,,,,,,").encode("latin-1"))
    with pytest.raises(YefToolkitError, match=r"y\.csv, line 2: not UTF-8"):
        read_yef_toolkit(bad)
