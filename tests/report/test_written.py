"""The partnership's own words: fingerprints that the workspace (reading figures.json) and the
build (holding the report) compute alike, baselines in words, and the flags when the numbers
a text rests on change or leave the report."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from alliance.report.document import Finding, Provenance, Report, Section, Table
from alliance.report.written import (
    WrittenText,
    baseline_of,
    check,
    entry_fingerprint,
    label_of,
    value_words,
)


def _report(total: float, rate: float = 35.1) -> Report:
    prov = Provenance(source="police.uk", period="January 2025 to December 2025")
    return Report(title="SNA", area="Testshire", period="2025", sections=(
        Section(id="overall", title="The overall picture", blocks=(
            Finding(id="f-total", text=f"{total:,.0f} offences were recorded.",
                    provenance=prov, value=total, unit="offences"),
            Table(id="t4-1-counts", caption="Counts by category",
                  data=pd.DataFrame({"Count": [total], "Rate": [rate]}, index=["All"]),
                  provenance=prov))),))


def _entries(report: Report, *, via_json: bool = False) -> dict[str, dict[str, object]]:
    items = report.figures()
    if via_json:  # as the workspace reads them, from the build's figures.json
        items = json.loads(json.dumps(items, ensure_ascii=False, allow_nan=False))
    return {str(e["id"]): e for e in items}


def _text(entry: dict[str, object], **extra: str) -> WrittenText:
    fields = {"key": "recommendation-1", "kind": "recommendation",
              "text": "Fund street lighting.", "cites": str(entry["id"]),
              "fingerprint": entry_fingerprint(entry), "baseline": baseline_of(entry),
              "owner": "West Northamptonshire Council", "measure": "Offences a year",
              "written": "1 November 2026"} | extra
    return WrittenText(**fields)  # type: ignore[arg-type]


def test_the_workspace_and_the_build_fingerprint_alike() -> None:
    report = _report(27_533.0)
    built, read = _entries(report), _entries(report, via_json=True)
    for key in ("f-total", "t4-1-counts"):
        assert entry_fingerprint(built[key]) == entry_fingerprint(read[key])


def test_the_fingerprint_follows_the_numbers_not_the_words() -> None:
    a = _entries(_report(27_533.0))["f-total"]
    reworded = dict(a, text="Another sentence.", provenance={"source": "elsewhere"})
    assert entry_fingerprint(a) == entry_fingerprint(reworded)
    assert entry_fingerprint(a) != entry_fingerprint(dict(a, value=27_534.0))
    noise = dict(a, value=27_533.0 + 1e-9)  # float noise is no change
    assert entry_fingerprint(a) == entry_fingerprint(noise)
    table = _entries(_report(27_533.0))["t4-1-counts"]
    other = _entries(_report(27_533.0, rate=35.2))["t4-1-counts"]
    assert entry_fingerprint(table) != entry_fingerprint(other)


def test_check_says_current_changed_or_missing() -> None:
    then = _entries(_report(27_533.0))
    texts = [_text(then["f-total"]), _text(then["t4-1-counts"], key="finding-2",
                                           kind="finding"),
             _text(then["f-total"], key="recommendation-3", cites="f-gone",
                   cited_label="the finding “Gone”")]
    now = _entries(_report(26_001.0, rate=33.2), via_json=True)
    same, table, gone = check(texts, now)
    assert (same.status, table.status, gone.status) == ("changed", "changed", "missing")
    assert same.notice() == (
        "The numbers this recommendation rests on have changed since it was written on 1 "
        "November 2026: 27,533 offences (January 2025 to December 2025) then, 26,001 offences "
        "(January 2025 to December 2025) now. Check it and save it again in the workspace (SNA, "
        "then Summary, findings and recommendations) to clear this notice.")
    assert " then, " not in table.notice()  # a table has no single value to set beside
    assert "the finding “Gone”, which is no longer in this report" in gone.notice()
    current = check(texts[:1], then)[0]
    assert current.status == "current" and not current.flagged and current.notice() == ""


def test_baselines_and_labels_in_words() -> None:
    entries = _entries(_report(27_533.0))
    assert baseline_of(entries["f-total"]) == "27,533 offences (January 2025 to December 2025)"
    assert baseline_of(entries["t4-1-counts"]) == \
        "as in “Counts by category” (January 2025 to December 2025)"
    assert label_of(entries["f-total"]) == \
        "the finding “27,533 offences were recorded.” (The overall picture)"
    assert value_words(-5.04, "% change") == "−5.0% change"
    assert value_words(30.9, "% of located offences") == "30.9% of located offences"
    assert value_words(4.05, "rate ratio") == "rate ratio 4.05"
    assert value_words(8.0, "neighbourhoods in hot spots") == "8 neighbourhoods in hot spots"
    hidden = dict(entries["f-total"], value=None)
    assert baseline_of(hidden).startswith("hidden or not calculable")


def test_a_recommendation_needs_an_owner_a_measure_and_words() -> None:
    entry = _entries(_report(1_000.0))["f-total"]
    with pytest.raises(ValueError, match="needs an owner and a measure"):
        _text(entry, owner="")
    with pytest.raises(ValueError, match="is empty"):
        _text(entry, text="  \n")
    with pytest.raises(ValueError, match="kind must be one of"):
        _text(entry, kind="wish")
    assert _text(entry, kind="summary", owner="", measure="").kind == "summary"
