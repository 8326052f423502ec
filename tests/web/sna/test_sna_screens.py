"""The Northamptonshire SNA with published partner statistics loaded, looked at as a reader
would: context figures each with their period and currency, former districts never shown as
current, headline rates beside England and the East Midlands, a map with town names. Screenshots
of the first pages, the context chapter, a map and the summary are saved in
test-artefacts/sna/ (git-ignored) for a person to look at.

Data: the 16 police.uk street-level months for Northamptonshire; partner files in
shared/data/partners (ONS police force area tables year ending December 2019, ONS Explore Local
Statistics homicide and child poverty, OHID Fingertips 90284, Fingertips alcohol admissions for
the seven former districts, DfE outcomes of children looked after).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require_shared
from tests.report.conftest import ARTEFACTS
from tests.web.conftest import NORTHANTS_STREET

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

AREA = "E23000022"
PARTNER_FILES = (("ons_pfa_tables", "pfatablesdec19.xlsx"),
                 ("ons_explore_local_statistics", "homicide-offences.csv"),
                 ("ons_explore_local_statistics", "children-in-relative-poverty.csv"),
                 ("dfe_csc", "la_hospital_admissions_2324.csv.gz"),
                 ("dfe_csc", "la_conviction_health_outcome_cla.csv.gz"),
                 ("fingertips_trafforddatalab", "alcohol_related_admissions.csv"))


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    files = sorted(require_shared(*NORTHANTS_STREET).glob("*-street.csv.gz"))
    partner = [require_shared("partners", *f) for f in PARTNER_FILES]
    from tests.conftest import require_reference

    reference = require_reference()
    from alliance.web.pool import services
    from alliance.web.pool.indicators import load_indicators
    from alliance.web.pool.models import (
        DefinitionVersion,
        ImportBatch,
        Incident,
        IndicatorValue,
        SourceFile,
    )
    from alliance.web.reports.models import SnaBuild
    from alliance.web.reports.services import build_sna

    out = tmp_path_factory.mktemp("sna-screens")
    with django_db_blocker.unblock():
        definitions = set(DefinitionVersion.objects.values_list("pk", flat=True))
        load = services.load_police_uk(files, reference_dir=reference, created_by="tests-screens")
        ind = load_indicators(partner, created_by="tests-screens")
        try:
            build_sna(AREA, out, period="2025-01:2025-12", pdf=False,
                      generated=datetime(2026, 11, 1, 9, 0))
            yield out
        finally:
            batches = [load.batch_id, ind.batch_id]
            Incident.objects.filter(batch_id__in=batches).delete()
            IndicatorValue.objects.filter(batch_id__in=batches).delete()
            SourceFile.objects.filter(batch_id__in=batches).delete()
            ImportBatch.objects.filter(pk__in=batches).delete()
            DefinitionVersion.objects.exclude(pk__in=definitions).delete()
            SnaBuild.objects.filter(output_folder__startswith=str(out)).delete()


def test_context_figures_show_their_period_and_currency(built: Path) -> None:
    partner = pd.read_csv(built / "data" / "t3-2-partner.csv", dtype=str)
    assert partner["Period"].notna().all()
    violence = partner[partner["Indicator"].str.contains("Violence with injury")].iloc[0]
    assert violence["Period"] == "year ending December 2019"
    assert violence["Currency"].startswith("Out of date: ended 6 years before")
    # no district abolished in 2021 is shown as a current area
    assert not partner["Area"].str.contains(r"E0700015\d").any()
    html = (built / "index.html").read_text(encoding="utf-8")
    context = html[html.index('id="context"'):html.index('id="overall"')]
    assert not re.search(r"\b\d{4,}\.\d", context), "a number printed without separators"
    counts = partner[partner["Unit"] == "count"]
    assert len(counts) and not counts["Value"].str.contains(".", regex=False).any()
    risk = html[html.index('id="risk-factors"'):]
    risk = risk[:risk.index("</section>")]
    assert "Alcohol related admissions" in risk and "which no longer exist" in risk


def test_headline_rates_beside_england_and_the_region(built: Path) -> None:
    comp = pd.read_csv(built / "data" / "t3-3-comparators.csv", dtype=str)
    assert list(comp.columns[:8]) == ["Indicator", "Area", "Period", "Value (95% CI)",
                                      "England", "vs England", "Region: East Midlands",
                                      "vs region"]
    proxy = comp.iloc[0]
    assert "police.uk proxy" in proxy["Indicator"]
    assert proxy["England"] == "No comparator published in the data held"
    violence = comp[comp["Indicator"].str.contains("Violence with injury")].iloc[0]
    assert violence["vs England"] == "Higher" and "out of date" in violence["Period"]
    injuries = comp[comp["Indicator"].str.contains("injuries")]
    assert set(injuries["vs England"]) == {"Lower"}  # as Fingertips' own flags say


def test_screenshots(built: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian chromium missing: run scripts/browser")
    from playwright.sync_api import sync_playwright

    shots = ARTEFACTS / "sna"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium),
                                    args=["--no-sandbox", "--headless", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        page.goto((built / "index.html").as_uri())
        page.screenshot(path=str(shots / "01-first-page.png"))
        page.mouse.wheel(0, 1500)
        page.screenshot(path=str(shots / "02-second-page.png"))
        for name, selector in (("03-summary", "section[aria-labelledby='summary']"),
                               ("04-context", "section[aria-labelledby='context']"),
                               ("05-imd-map", "#f3-2-imd"),
                               ("06-rate-map", "#f6-1-map"),
                               ("07-comparators", "#t3-3-comparators")):
            element = page.locator(selector).first
            element.screenshot(path=str(shots / f"{name}.png"))
        labels = page.evaluate("Array.from(document.querySelectorAll('#f3-2-imd text'))"
                               ".map(t => t.textContent)")
        browser.close()
    assert {"Northampton", "Kettering", "Corby"} <= set(labels)
    for png in shots.glob("*.png"):
        assert png.stat().st_size > 10_000, png.name
