"""The SNA assembly on small synthetic inputs: suppression, recovery attempts, narratives,
refusals. The whole real-data build is tested in tests/web/sna/test_sna_build.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliance.report.document import Figure, Finding, Notice, Table
from alliance.report.narrative import write_narrative
from alliance.report.sna import build_report, section, write_sna
from tests.report.sna.conftest import CODES, make_inputs


def _tables(report) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    return {b.id: b.data for _, b in report.blocks() if isinstance(b, Table | Figure)}


def test_outline_sections_present(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025")
    ids = [s.id for s in report.sections]
    for wanted in ("about", "data-currency", "definition", "suppression", "summary", "context",
                   "overall", "core-measures", "where", "when", "who", "youth-justice",
                   "health", "risk-factors", "community-voice", "methods", "licences",
                   "batches"):
        assert wanted in ids


def test_no_published_count_between_one_and_threshold(inputs) -> None:  # type: ignore[no-untyped-def]
    """Every count column of every table: no value 1-4 (threshold 5)."""
    report = build_report(inputs, period="2025")
    for tid, data in _tables(report).items():
        for col in data.columns:
            if "count" not in str(col).lower():
                continue
            values = pd.to_numeric(data[col], errors="coerce").dropna()
            small = values[(values >= 1) & (values < 5)]
            assert small.empty, f"{tid}.{col} publishes {list(small)}"


def test_small_lsoa_is_hidden_everywhere_and_cannot_be_recovered(inputs) -> None:  # type: ignore[no-untyped-def]
    """LSOA 8 has 3 offences: hidden on the map and funnel, and the located total minus the
    published LSOA counts must not give it back (secondary suppression hides another)."""
    report = build_report(inputs, period="2025")
    t = _tables(report)
    map_counts = t["f6-1-map"].set_index("LSOA")["Count"]
    assert map_counts[CODES[8]] == "[c]"
    hidden = [c for c, v in map_counts.items() if v == "[c]"]
    assert len(hidden) >= 2, "a single hidden LSOA could be recovered from the total"
    funnel = t["f4-2-funnel"].set_index("LSOA")
    assert funnel.loc[CODES[8], "Count"] == "[c]"
    assert funnel.loc[CODES[8], "Rate per 1,000 a year"] == "[c]"
    assert funnel.loc[CODES[8], "Position"] == "not published"


def test_category_table_total_does_not_reveal_hidden_cell() -> None:
    """Possession of weapons with 2 offences a year: hidden, and the total row then hidden too
    or a second category hidden, so 'total minus the rest' recovers nothing."""
    base = make_inputs()
    inc = base.incidents
    weapons = inc["sv_category"] == "possession_of_weapons"
    in_2025 = inc["month"].str.startswith("2025")
    first_two = inc[weapons & inc["month"].isin(["2025-01", "2025-02"])].groupby(
        "month").head(1).index
    keep = ~(weapons & in_2025) | inc.index.isin(first_two)
    inputs = dataclasses.replace(base, incidents=inc[keep].reset_index(drop=True))
    data = build_report(inputs, period="2025").sections
    table = next(b for s in data for b in s.blocks if getattr(b, "id", "") == "t4-1-counts")
    counts = table.data["Count"]
    assert counts["Possession of weapons"] == "[c]"
    published = [v for v in counts if v != "[c]"]
    assert sum(1 for v in counts if v == "[c]") >= 2, f"recoverable: {list(counts)}"
    assert all(isinstance(v, int | np.integer) for v in published)
    rates = table.data["Rate per 1,000 a year"]
    assert rates["Possession of weapons"] == "[c]"


def test_threshold_option(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025", threshold=1)
    map_counts = _tables(report)["f6-1-map"].set_index("LSOA")["Count"]
    assert map_counts[CODES[8]] == 3


def test_findings_worded_by_significance(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025")
    texts = [b.text for _, b in report.blocks() if isinstance(b, Finding)]
    change = next(t for t in texts if t.startswith("All violence counted (proxy measure)"))
    # Identical monthly counts in 2024 and 2025 (apart from LSOA 8): no significant change.
    assert "no significant change" in change
    assert any("Testshire" in t for t in texts)


def test_proxy_always_labelled(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025")
    cats = _tables(report)["t4-1-counts"].index
    assert "Violence and sexual offences (proxy)" in cats


def test_narrative_survives_and_is_flagged_when_numbers_change(tmp_path: Path) -> None:
    out = tmp_path / "sna"
    first = write_sna(make_inputs(), out, period="2025", pdf=False)
    write_narrative(out / "narrative", section(first.report, "where"),
                    "Violence concentrates in the north-west square.")
    again = write_sna(make_inputs(), out, period="2025", pdf=False)
    assert again.narratives.applied == ("where",) and again.narratives.stale == ()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "north-west square" in html
    changed = write_sna(make_inputs(monthly=(31, 12, 8, 6, 5, 4, 3, 2, 0)), out,
                        period="2025", pdf=False)
    assert changed.narratives.stale == ("where",)
    where = section(changed.report, "where")
    assert isinstance(where.blocks[0], Notice)


def test_outputs_and_csvs_written(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    result = write_sna(inputs, tmp_path, period="2025", pdf=False)
    assert (tmp_path / "index.html").exists() and (tmp_path / "sna.docx").exists()
    assert (tmp_path / "data" / "figures.json").exists()
    for key, path in result.files.items():
        if key.endswith(".csv"):
            assert pd.read_csv(path).shape[0] >= 1, key


def test_same_inputs_same_outputs_but_timestamp(tmp_path: Path) -> None:
    from datetime import datetime

    a = write_sna(make_inputs(), tmp_path / "a", period="2025", pdf=False,
                  generated=datetime(2026, 1, 1, 9, 0))
    b = write_sna(make_inputs(), tmp_path / "b", period="2025", pdf=False,
                  generated=datetime(2026, 1, 2, 10, 0))
    for key in a.files:
        if key in ("data/summary.json", "data/summary.cy.json"):  # say when published
            sa = a.files[key].read_text().replace("1 January 2026 09:00", "T").replace(
                "1 Ionawr 2026 09:00", "T")
            assert sa == b.files[key].read_text().replace("2 January 2026 10:00", "T").replace(
                "2 Ionawr 2026 10:00", "T"), key
        elif key.endswith((".csv", ".json")):
            assert a.files[key].read_bytes() == b.files[key].read_bytes(), key
    ha = a.files["index.html"].read_text().replace("1 January 2026 09:00", "T")
    hb = b.files["index.html"].read_text().replace("2 January 2026 10:00", "T")
    assert ha == hb


def test_refuses_period_without_data(inputs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"not a whole reporting year held"):
        build_report(inputs, period="2019")
    with pytest.raises(ValueError, match=r"whole years held: 2024, 2025"):
        build_report(inputs, period="2025-03:2025-08")
    draft = build_report(inputs, period="2025-03:2025-08", draft=True)
    assert draft.title.endswith("(draft)")
    assert any(isinstance(b, Notice) and "not for publication" in b.text
               for _, b in draft.blocks())


def test_refuses_incidents_outside_the_area(inputs) -> None:  # type: ignore[no-untyped-def]
    bad = inputs.incidents.copy()
    bad.loc[0, "lsoa21_code"] = "E01000001"
    with pytest.raises(ValueError, match="E01000001"):
        dataclasses.replace(inputs, incidents=bad)


def test_refuses_missing_population(inputs) -> None:  # type: ignore[no-untyped-def]
    lsoa = inputs.lsoa.copy()
    lsoa.loc[CODES[2], "population"] = np.nan
    with pytest.raises(ValueError, match=CODES[2]):
        dataclasses.replace(inputs, lsoa=lsoa)


def test_small_resident_population_is_flagged(inputs) -> None:  # type: ignore[no-untyped-def]
    report = build_report(inputs, period="2025")
    context = section(report, "context")
    assert isinstance(context.blocks[0], Notice)
    assert "misleading" in context.blocks[0].text


def test_hidden_lsoa_cannot_be_recovered_from_csp_or_decile_totals(tmp_path: Path) -> None:
    """Attack the published CSVs: LSOA counts (map data) with the CSP table and the IMD decile
    table (deciles held by one LSOA make their total equal to that LSOA's count)."""
    from tests.report.sna.recovery import recoverable

    inputs = make_inputs()
    result = write_sna(inputs, tmp_path, period="2025", pdf=False)
    data = tmp_path / "data"
    lsoa = pd.read_csv(data / "f6-1-map.csv", dtype=str).set_index("LSOA")["Count"]
    lsoa = lsoa.map(lambda v: v if v == "[c]" else int(v))
    csp = pd.read_csv(data / "t4-2-csp.csv", dtype=str).set_index(
        "Community Safety Partnership")["Count"]
    deciles = pd.read_csv(data / "f3-3-gradient.csv", dtype=str).set_index(
        "IMD 2025 decile")["Count"]
    membership_csp = inputs.lsoa["csp_name"]
    membership_dec = inputs.lsoa["imd_decile"].astype(str)
    total = pd.Series({"all": csp["Total"]})
    groups = [(pd.Series("all", index=inputs.lsoa.index), total),
              (membership_csp, csp.drop("Total")), (membership_dec, deciles)]
    assert "[c]" in set(lsoa)
    assert recoverable(lsoa, groups, threshold=5) == {}
    assert result.report.title


def test_other_force_rows_do_not_make_a_month_held() -> None:
    """A few rows another force placed in the area in months the home force has not
    published (as City of London Police rows in Northamptonshire) leave those months unheld."""
    base = make_inputs()
    home = base.incidents.assign(partition="testshire")
    stray = home[home["sv_included"]].head(3).assign(partition="elsewhere", month="2023-06")
    inputs = dataclasses.replace(base, incidents=pd.concat([home, stray], ignore_index=True))
    assert inputs.months_held == tuple(sorted(home["month"].unique()))
    trend = _tables(build_report(inputs, period="2025"))["f4-1-trend"]
    assert "2023-06" not in set(trend["Month"])


def test_partner_statistics_latest_per_area_with_small_counts_hidden() -> None:
    """Published partner rows (illustrative values) for the old county and the unitary council
    that replaced it in 2021: the measure is shown at the geography of its newest figures (the
    council), with the period before; a published count below the threshold is hidden."""
    rows = [("E10000021", "Northamptonshire", "2020", "2020-03-31", 208.0),
            ("E10000021", "Northamptonshire", "2021", "2021-03-31", 43.0),
            ("E06000061", "North Northamptonshire", "2023", "2023-03-31", 118.0),
            ("E06000061", "North Northamptonshire", "2024", "2024-03-31", 109.0)]
    ind = pd.DataFrame([{"area_code": a, "area_name": n, "period": p, "period_end": e,
                         "measure": "fte_youth_justice_rate", "measure_label": "FTE rate",
                         "breakdown": "", "numerator": None, "denominator": None, "value": v,
                         "unit": "rate per 100,000", "source": "dfe_lait", "batch_id": 9}
                        for a, n, p, e, v in rows])
    ind.loc[len(ind)] = {"area_code": "E06000061", "area_name": "North Northamptonshire",
                         "period": "2024/25", "period_end": "2025-03-31",
                         "measure": "csc_factor_gangs", "measure_label": "Gangs",
                         "breakdown": "", "numerator": None, "denominator": None, "value": 3.0,
                         "unit": "count", "source": "dfe_cin", "batch_id": 9}
    inputs = dataclasses.replace(make_inputs(), indicators=ind)
    t = _tables(build_report(inputs, period="2025"))
    youth = t["t9-3-youth"].set_index("Area")
    assert youth.loc["North Northamptonshire (E06000061)", "Value"] == "109"
    assert youth.loc["North Northamptonshire (E06000061)", "Previous"] == "2023: 118"
    assert youth.loc["North Northamptonshire (E06000061)", "Unit"] == "per 100,000"
    assert "Northamptonshire (E10000021)" not in youth.index
    risk = t["t13-1-risk"]
    assert list(risk["Value"]) == ["[c]"]


def test_partner_statistics_never_compare_two_publishers_series() -> None:
    """One measure id from two publishers (illustrative values: DfE's absence release counts
    all pupils, LAIT its own cohort): the figure shown and "the one before" come from one
    series, the same one on every run, never one from each."""
    rows = [("dfe_absence_social_care", "2022/23", "2023-08-31", 21.2),
            ("dfe_absence_social_care", "2023/24", "2024-08-31", 20.1),
            ("dfe_lait", "2022", "2022-08-31", 27.5),
            ("dfe_lait", "2024", "2024-08-31", 19.0)]
    ind = pd.DataFrame([{"area_code": "E06000061", "area_name": "North Northamptonshire",
                         "period": p, "period_end": e, "measure": "persistent_absence_rate",
                         "measure_label": "Persistent absence (%)", "breakdown": "",
                         "numerator": None, "denominator": None, "value": v,
                         "unit": "percentage", "source": src, "batch_id": 9}
                        for src, p, e, v in rows])
    shown = []
    for order in (ind, ind.iloc[::-1]):
        inputs = dataclasses.replace(make_inputs(), indicators=order.reset_index(drop=True))
        risk = _tables(build_report(inputs, period="2025"))["t13-1-risk"]
        shown.append((risk["Value"].iloc[0], risk["Previous"].iloc[0]))
    assert shown[0] == shown[1]  # whatever order the rows come in
    assert shown[0] == ("19.0%", "2022: 27.5%")  # LAIT's latest, with LAIT's year before


def test_small_monthly_counts_hidden_in_every_monthly_table() -> None:
    """One offence a month (synthetic), with six busy months: every monthly table hides the
    quiet months; a series too quiet to publish by month is published by year only."""
    base = make_inputs(monthly=(1, 0, 0, 0, 0, 0, 0, 0, 0))
    inc = base.incidents[base.incidents["sv_category"] == "violence_and_sexual_offences_proxy"]
    busy = inc[inc["month"].between("2025-03", "2025-08")]
    inputs = dataclasses.replace(base, incidents=pd.concat([inc, *[busy] * 40],
                                                           ignore_index=True))
    report = build_report(inputs, period="2025")
    t = _tables(report)
    for tid in ("f4-1-trend", "f7-2-month"):
        counts = t[tid]["Count"]
        assert not any(isinstance(v, int | float) and 1 <= v < 5 for v in counts), tid
        assert "[c]" in set(counts), tid
    assert "f4-3-harm" not in t  # left out: police.uk categories make it repeat the count
    quiet = build_report(dataclasses.replace(base, incidents=inc), period="2025")
    assert "f4-1-trend" not in _tables(quiet)
    assert any("no monthly series" in getattr(b, "text", "") for _, b in quiet.blocks())


def test_docx_template_styles_are_used(tmp_path: Path, inputs) -> None:  # type: ignore[no-untyped-def]
    """--docx-template: the partnership's own Heading 1 style (here Georgia) is kept."""
    import docx

    template = docx.Document()
    template.styles["Heading 1"].font.name = "Georgia"
    path = tmp_path / "house-style.docx"
    template.save(str(path))
    write_sna(inputs, tmp_path / "out", period="2025", pdf=False, docx_template=path)
    made = docx.Document(str(tmp_path / "out" / "sna.docx"))
    assert made.styles["Heading 1"].font.name == "Georgia"
    assert any(p.style.name == "Heading 1" for p in made.paragraphs)
