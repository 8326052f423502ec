"""The monitoring report, the board view and "did it work?" on the 16 real Northamptonshire
months: measures recomputed from the raw police.uk files equal the report's, the dashboard's
and the SNA's for the same period; the workspace builds the report as a background task; the
board reads plain English with place names, never codes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require_shared
from tests.web.conftest import AREA, NORTHANTS_STREET

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
#: the police.uk crime types the starting local definition counts (reference/
#: policeuk_crime_categories.csv): all three make the L1 measure, 'Robbery' the L3 measure
COUNTED = {"Violence and sexual offences", "Robbery", "Possession of weapons"}
Q3 = ("2025-07", "2025-08", "2025-09")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """Every row of the 16 raw files (read here with pandas, not through the pool)."""
    files = sorted(require_shared(*NORTHANTS_STREET).glob("*-street.csv.gz"))
    return pd.concat([pd.read_csv(f, usecols=["Month", "LSOA code", "Crime type"])
                      for f in files])


def _raw_counts(raw: pd.DataFrame, types: set[str]) -> pd.Series:
    from alliance.web.pool.publication import area_geography

    lsoas = set(area_geography(AREA).codes)
    mine = raw[raw["Crime type"].isin(types) & raw["LSOA code"].isin(lsoas)]
    return mine.groupby("Month").size()


def test_measures_from_the_raw_files_equal_the_report_dashboard_and_sna(
        built, demo, raw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.dashboards.services import build as dashboard
    from alliance.web.dashboards.services import units
    from alliance.web.monitoring.builds import build_now
    from alliance.web.pool.publication import publication

    everything, robbery = _raw_counts(raw, COUNTED), _raw_counts(raw, {"Robbery"})
    out = build_now("2025-Q3", tmp_path / "q3", pdf=False)
    card = pd.read_csv(tmp_path / "q3" / "data" / "scorecard-table.csv", dtype=str,
                       keep_default_na=False).set_index("Measure")
    l1 = card.loc["Serious violence, local definition (L1, police.uk proxy)"]
    l3 = card.loc["Robbery (L3, police.uk)"]
    assert int(l1["Offences"].replace(",", "")) == everything[list(Q3)].sum()
    assert int(l3["Offences"].replace(",", "")) == robbery[list(Q3)].sum()
    # the same figures through the published months (a quarter is their sum)
    pub = publication(AREA)
    assert all(pub.count(level="area", code=AREA, period=pub.month(m)) == everything[m]
               for m in Q3)
    # a whole year: the report, the dashboard tile and the SNA table agree with the raw files
    year = build_now("2025", tmp_path / "y", pdf=False)
    yearly = pd.read_csv(tmp_path / "y" / "data" / "scorecard-table.csv", dtype=str,
                         keep_default_na=False).set_index("Measure")
    whole = units(pub)[0]
    tile = dashboard(area_code=AREA, unit=whole, period_months=tuple(pub.year("2025").months),
                     category="", record_level=False, draw=False).tiles[0].value
    sna = pd.read_csv(built["dir"] / "data" / "t4-1-counts.csv", dtype=str,
                      keep_default_na=False).set_index("Category")
    total_2025 = sum(everything[f"2025-{m:02d}"] for m in range(1, 13))
    assert int(yearly.loc["Serious violence, local definition (L1, police.uk proxy)",
                          "Offences"].replace(",", "")) == total_2025
    assert int(tile.replace(",", "")) == total_2025
    assert int(sna.loc["All violence counted (proxy measure)", "Count"].replace(",", "")) \
        == total_2025
    assert int(sna.loc["Robbery", "Count"].replace(",", "")) == sum(
        robbery[f"2025-{m:02d}"] for m in range(1, 13))
    # and the rate the report prints is the SNA's (per 1,000 a year, same interval)
    rate = float(yearly.loc["Serious violence, local definition (L1, police.uk proxy)",
                            "This period"].split(" ")[0])
    assert rate == pytest.approx(float(sna.loc["All violence counted (proxy measure)",
                                               "Rate per 1,000 a year"]), abs=0.01)
    assert out.report.period.startswith("July to September 2025") and year.scores


def test_the_workspace_builds_the_report_in_the_background(
        built, client_as, demo, django_capture_on_commit_callbacks, settings) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.monitoring.builds import narrative_dir
    from alliance.web.monitoring.models import MonitoringBuild
    from alliance.web.strategy.models import Strategy
    from alliance.web.tasks.services import work

    settings.ALLIANCE_TASKS_INLINE = False
    c = client_as("analyst")
    page = c.get("/monitoring/")
    assert "July to September 2025 (2025-Q3)" in page.content.decode()
    response = c.post("/monitoring/", {"period": "2025-Q3"})
    assert response.status_code == 302
    build = MonitoringBuild.objects.get()
    assert build.status == "queued"
    assert work(once=True) == 1
    build.refresh_from_db()
    assert build.status == "done", build.message
    assert {"index.html", "monitoring.docx", "data/figures.json"} <= set(build.files)
    report = c.get(f"/monitoring/{build.pk}/index.html")
    assert "sandbox" in report["Content-Security-Policy"]
    assert b"Turning the curve" in report.content
    docx = c.get(f"/monitoring/{build.pk}/monitoring.docx")
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")
    # the analyst's narrative for a priority survives the next build
    from alliance.report.monitoring.build import build_report
    from alliance.report.narrative import write_narrative
    from alliance.web.monitoring.services import gather

    strategy = Strategy.objects.get()
    written = build_report(gather(strategy, today=build.started_at.date()), period="2025-Q3")[0]
    section = next(s for s in written.sections if s.id == "priority-1")
    write_narrative(narrative_dir(strategy), section, "The navigators began in July.")
    c.post("/monitoring/", {"period": "2025-Q3"})
    work(once=True)
    again = MonitoringBuild.objects.order_by("-pk").first()
    assert again is not None and again.status == "done"
    assert b"The navigators began in July." in c.get(
        f"/monitoring/{again.pk}/index.html").content


def test_the_board_reads_plain_english_with_place_names(built, client_as, demo) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.strategy.models import Intervention, Priority

    c = client_as("board_viewer")
    board = c.get("/board/?period=2025-Q3").content.decode()
    assert "Fewer young people carrying and harmed by knives" in board
    assert re.search(r"alliance-rag--(green|amber|red)", board)
    first = Priority.objects.get(number=1)
    page = c.get(f"/board/priorities/{first.pk}/?period=2025-Q3").content.decode()
    for heading in ("What was promised", "What was done", "Did violence move?",
                    "What needs a decision"):
        assert heading in page
    assert "West Northamptonshire" in page and "per 1,000 residents a year" in page
    assert "probably between" in page
    text = re.sub(r"<[^>]+>", " ", page)
    for jargon in ("E06000", "E23000", "E01", "LSOA", "quasi-Poisson", "Benjamini", "Gi*",
                   "p-value", "phi"):
        assert jargon not in text, jargon
    navigators = Intervention.objects.get(title__startswith="A&E navigators")
    analysis = c.get(f"/board/interventions/{navigators.pk}/").content.decode()
    assert "cannot prove" in analysis and "North Northamptonshire" in analysis
    assert "Not for publication" not in analysis  # no neighbourhood analysis for the board


def test_the_board_compares_robbery_with_england_and_similar_areas(
        built, client_as, demo, raw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """England's and two similar forces' robbery rates for 2025 (synthetic published rows, as
    the ONS police force area tables give them: P3 rate, P1 count, population) beside the L3
    measure, whose 2025 rate is recomputed here from the raw files."""
    from datetime import date

    from alliance.web.monitoring.builds import build_now
    from alliance.web.pool.models import ImportBatch, IndicatorValue
    from alliance.web.pool.publication import area_geography
    from alliance.web.strategy.models import Measure, Strategy

    batch = ImportBatch.objects.create(kind="indicators", source="ons_pfa_tables",
                                       status="active")
    common = dict(batch=batch, period="YE Dec 2025", period_start=date(2025, 1, 1),
                  period_end=date(2025, 12, 31), measure="prc_robbery_rate",
                  unit="rate per 1,000", source="ons_pfa_tables")
    IndicatorValue.objects.create(area_code="E92000001", area_name="England", value=3.0,
                                  **common)
    IndicatorValue.objects.create(area_code="E23000020", area_name="Force A", value=1.2,
                                  numerator=1200, denominator=1_000_000, **common)
    IndicatorValue.objects.create(area_code="E23000021", area_name="Force B", value=0.1,
                                  numerator=50, denominator=500_000, **common)
    Strategy.objects.update(similar_areas="E23000020, E23000021")
    robbery = _raw_counts(raw, {"Robbery"})
    count = sum(robbery[f"2025-{m:02d}"] for m in range(1, 13))
    rate = count / area_geography(AREA).population() * 1000
    assert rate < 3.0  # so the area is lower than England (by far, for this many offences)
    priority = Measure.objects.get(key="l3-robbery").priority
    assert priority is not None
    c = client_as("board_viewer")
    board = c.get("/board/?period=2025").content.decode()
    assert "(lower than England)" in board
    page = html.unescape(re.sub(r"\s+", " ", c.get(
        f"/board/priorities/{priority.pk}/?period=2025").content.decode()))
    assert "Compared with England and similar areas" in page
    assert (f"Lower than England in calendar year 2025 (January 2025 to December 2025): "
            f"{rate:.2f} here against England's 3.00 per 1,000 residents a year") in page
    assert "That is better." in page
    pooled = 1250 / 1_500_000 * 1000  # counts pooled, not a mean of the two rates
    assert "Higher than similar areas in calendar year 2025" in page
    assert f"against similar areas' {pooled:.2f} per 1,000" in page
    build_now("2025", tmp_path / "y", pdf=False)
    card = pd.read_csv(tmp_path / "y" / "data" / "scorecard-table.csv", dtype=str,
                       keep_default_na=False).set_index("Measure")
    l3 = card.loc["Robbery (L3, police.uk)"]
    assert int(l3["Offences"].replace(",", "")) == count
    assert l3["Compared with England"].startswith("Lower than England in calendar year 2025")
    assert "similar areas" in l3["Compared with similar areas"]
    assert "local definition" in card.loc[
        "Serious violence, local definition (L1, police.uk proxy)", "Compared with England"]


def test_analysts_see_the_neighbourhood_test_and_it_is_audited(built, client_as, demo) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.audit.models import AuditEvent
    from alliance.web.strategy.models import Intervention

    navigators = Intervention.objects.get(title__startswith="A&E navigators")
    page = client_as("analyst").get(f"/board/interventions/{navigators.pk}/")
    assert "spatial point pattern test" in page.content.decode()
    assert AuditEvent.objects.filter(action="view_restricted",
                                     target__contains="A&E navigators").exists()


def test_the_command_writes_the_report(built, demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from alliance.cli.main import app

    result = CliRunner().invoke(app, ["monitor", "--period", "2025-Q3", "--out",
                                      str(tmp_path / "m"), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "Wrote the monitoring report for July to September 2025" in result.output
    assert (tmp_path / "m" / "index.html").is_file()
    bad = CliRunner().invoke(app, ["monitor", "--period", "2031-Q1", "--out",
                                   str(tmp_path / "x")])
    assert bad.exit_code == 1 and "not every month of it is held" in bad.output
