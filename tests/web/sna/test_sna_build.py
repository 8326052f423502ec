"""The Northamptonshire SNA built from the real data loaded through the pool, checked as a
reader would: opened in headless Chromium with axe-core, the PDF rendered to images, the DOCX
opened with python-docx, published numbers recomputed from the raw police.uk CSVs with pandas,
and hidden cells attacked through the published CSVs.

Reference for the recomputed numbers: the 16 police.uk street-level files for
Northamptonshire in shared/data/policeuk (counts by 'Crime type', 'Month' and 'LSOA code').
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import require_program

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SV_TYPES = ("Violence and sexual offences", "Robbery", "Possession of weapons")
AREA = "E23000022"


def _raw(files: list[Path]) -> pd.DataFrame:
    return pd.concat([pd.read_csv(f, usecols=["Month", "LSOA code", "Crime type"])
                      for f in files], ignore_index=True)


def _area_lsoas() -> set[str]:
    from alliance.web.pool.geography import geography

    geo = geography()
    assert geo is not None
    return set(geo.resolve(AREA).lsoa21)


def test_outputs_written_and_small_enough(built) -> None:  # type: ignore[no-untyped-def]
    out = built["dir"]
    for name in ("index.html", "sna.docx", "sna.pdf", "data/figures.json"):
        assert (out / name).stat().st_size > 1000, name
    assert (out / "index.html").stat().st_size < 10 * 2**20
    figures = json.loads((out / "data" / "figures.json").read_text(encoding="utf-8"))
    batch = str(built["batch"])
    sv = [f for f in figures["figures"] if f["provenance"]["source"].startswith("police.uk")]
    assert sv and all(batch in f["provenance"]["import_batches"] for f in sv)
    assert all(f["provenance"]["suppression"] for f in figures["figures"])
    assert "Violence and sexual offences (proxy)" in (out / "index.html").read_text()


def test_recomputed_from_raw_csvs(built) -> None:  # type: ignore[no-untyped-def]
    """Category counts for 2025, the like-for-like Jan–Apr counts, the monthly series and the
    busiest LSOA, straight from the raw files."""
    raw = _raw(built["files"])
    lsoas = _area_lsoas()
    sv = raw[raw["Crime type"].isin(SV_TYPES)]
    in_area = sv[sv["LSOA code"].isin(lsoas)]  # placed in the area's LSOAs: the universe
    data = built["dir"] / "data"
    t41 = pd.read_csv(data / "t4-1-counts.csv").set_index("Category")
    y2025 = in_area[in_area["Month"].str.startswith("2025")]
    expected = y2025["Crime type"].value_counts()
    assert t41.at["Robbery", "Count"] == expected["Robbery"]
    assert t41.at["Possession of weapons", "Count"] == expected["Possession of weapons"]
    assert t41.at["Violence and sexual offences (proxy)", "Count"] == \
        expected["Violence and sexual offences"]
    assert t41.at["All violence counted (proxy measure)", "Count"] == len(y2025)
    change = pd.read_csv(data / "t4-1b-change.csv").set_index("Category")
    early = in_area[in_area["Month"].isin(["2024-01", "2024-02", "2024-03", "2024-04"])]
    late = in_area[in_area["Month"].isin(["2025-01", "2025-02", "2025-03", "2025-04"])]
    assert change.at["All violence counted (proxy measure)", "Count, earlier months"] == len(early)
    assert change.at["All violence counted (proxy measure)", "Count, same months this period"] == \
        len(late)
    expected_ratio = _stratified_poisson_ratio(early.groupby("Month").size().to_numpy(),
                                               late.groupby("Month").size().to_numpy(),
                                               early_days=[31, 29, 31, 30],
                                               late_days=[31, 28, 31, 30])
    assert change.at["All violence counted (proxy measure)", "% change"] == pytest.approx(
        (expected_ratio - 1) * 100, abs=0.05)
    trend = pd.read_csv(data / "f4-1-trend.csv", dtype=str, keep_default_na=False
                        ).set_index("Month")
    by_month = in_area.groupby("Month").size()
    for month, n in by_month.items():
        assert int(trend.at[month, "Count"]) == n
    # a month not held is a gap, never a zero
    assert trend.at["2024-07", "Count"] == "" and trend.at["2024-07", "Held"] == "no"
    top = pd.read_csv(data / "t6-1-top.csv").iloc[0]
    busiest = y2025["LSOA code"].value_counts()
    assert top["LSOA"] == busiest.index[0] and top["Count"] == busiest.iloc[0]


def _stratified_poisson_ratio(before: np.ndarray, after: np.ndarray, *, early_days: list[int],
                              late_days: list[int]) -> float:
    """Reference: the maximum-likelihood rate ratio of a Poisson model with one rate per
    calendar month and one ratio between the periods, exposure in days (solved directly from
    the score equation, sum a_m = R sum e_am (a_m + b_m) / (e_bm + R e_am))."""
    from scipy.optimize import brentq

    e_b, e_a = np.array(early_days, float), np.array(late_days, float)

    def score(r: float) -> float:
        return float(after.sum() - r * (e_a * (after + before) / (e_b + r * e_a)).sum())

    return float(brentq(score, 0.01, 100))


def test_suppressed_cells_cannot_be_recovered(built) -> None:  # type: ignore[no-untyped-def]
    from tests.report.sna.recovery import recoverable

    data = built["dir"] / "data"
    lsoa = pd.read_csv(data / "f6-1-map.csv", dtype=str).set_index("LSOA")["Count"]
    lsoa = lsoa.map(lambda v: v if v == "[c]" else int(v))
    assert "[c]" in set(lsoa), "the real data has LSOAs with fewer than 5 offences"
    for value in lsoa:
        assert value == "[c]" or value == 0 or value >= 5
    from alliance.web.pool.geography import stored_tables

    tables = stored_tables()
    assert tables is not None
    funnel = pd.read_csv(data / "f4-2-funnel.csv", dtype=str).set_index("LSOA")
    assert set(funnel.index[funnel["Count"] == "[c]"]) == set(lsoa.index[lsoa == "[c]"])
    assert (funnel.loc[funnel["Count"] == "[c]", "Rate per 1,000 a year"] == "[c]").all()
    csp = pd.read_csv(data / "t4-2-csp.csv", dtype=str).set_index(
        "Community Safety Partnership")["Count"]
    deciles = pd.read_csv(data / "f3-3-gradient.csv", dtype=str).set_index(
        "IMD 2025 decile")["Count"]
    imd = pd.read_csv(data / "f3-2-imd.csv", dtype=str).set_index("Area code")[
        "IMD 2025 decile"].map(lambda v: str(int(float(v))))
    names = tables.areas.drop_duplicates("code").set_index("code")["name"]
    parents = tables.area_parents
    link = parents[(parents["child_level"] == "lsoa21") & (parents["parent_level"] == "csp")]
    membership_csp = link.drop_duplicates("child_code").set_index("child_code")[
        "parent_code"].map(names).reindex(lsoa.index)
    groups = [(pd.Series("all", index=lsoa.index), pd.Series({"all": csp["Total"]})),
              (membership_csp, csp.drop("Total")), (imd, deciles)]
    assert recoverable(lsoa, groups, threshold=5) == {}


def test_reproducible_apart_from_timestamp(built) -> None:  # type: ignore[no-untyped-def]
    a, b = built["dir"], built["again"]
    for csv in sorted((a / "data").glob("*.csv")):
        assert csv.read_bytes() == (b / "data" / csv.name).read_bytes(), csv.name
    ja = (a / "data" / "figures.json").read_text()
    jb = (b / "data" / "figures.json").read_text()
    assert ja == jb
    ha = (a / "index.html").read_text().replace("1 November 2026 09:00", "T")
    hb = (b / "index.html").read_text().replace("2 November 2026 10:30", "T")
    assert ha == hb


def test_docx_uses_word_styles(built) -> None:  # type: ignore[no-untyped-def]
    import docx

    document = docx.Document(str(built["dir"] / "sna.docx"))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Heading 1") >= 15
    assert "Heading 2" in styles or "Heading 1" in styles
    assert styles.count("Caption") >= 10
    assert all(t.style is not None and t.style.name for t in document.tables)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Where serious violence happens" in headings
    assert "instrText" in document.element.xml or "TOC" in document.element.xml


def test_pdf_pages_render(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdftoppm = require_program("pdftoppm", "run scripts/browser (poppler-utils)")
    from PIL import Image, ImageStat

    pdf = built["dir"] / "sna.pdf"
    subprocess.run([pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "30", str(pdf),
                    str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 30
    for page in pages:
        stat = ImageStat.Stat(Image.open(page).convert("L"))
        assert stat.stddev[0] > 5, f"{page.name} is blank"


@pytest.mark.browser
def test_html_in_chromium_with_axe(built) -> None:  # type: ignore[no-untyped-def]
    chromium = require_program("/usr/bin/chromium", "run scripts/browser (Debian chromium)")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium),
                                    args=["--no-sandbox", "--headless", "--disable-gpu"])
        page = browser.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto((built["dir"] / "index.html").as_uri())
        results = Axe().run(page)
        bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
        assert bad == []
        broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || "
                               "i.naturalWidth === 0).length")
        assert broken == 0 and failed == []
        svgs = page.evaluate("Array.from(document.querySelectorAll('figure svg')).map(s => "
                             "[s.getAttribute('role'), !!s.querySelector('title')])")
        assert len(svgs) >= 9 and all(role == "img" and title for role, title in svgs)
        missing = page.evaluate("Array.from(document.querySelectorAll('nav.toc a')).map(a => "
                                "a.getAttribute('href').slice(1)).filter(id => "
                                "!document.getElementById(id))")
        assert missing == []
        # readable on a phone: at 390 px nothing pushes the page sideways (wide tables scroll
        # inside their own focusable box)
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        overflow = page.evaluate("document.documentElement.scrollWidth - "
                                 "document.documentElement.clientWidth")
        assert overflow <= 0, f"the SNA scrolls sideways by {overflow}px on a phone"
        browser.close()


def test_cli_command(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`alliance sna` as the lead registers it: a financial year by area name, and a refusal."""
    import typer
    from typer.testing import CliRunner

    from alliance.cli.sna import sna

    app = typer.Typer()
    app.command("sna")(sna)
    app.command("noop")(lambda: None)
    runner = CliRunner()
    out = tmp_path / "fy"
    refused = runner.invoke(app, ["sna", "--area", "Northamptonshire", "--period", "2025/26",
                                  "--out", str(tmp_path / "refused")])
    assert refused.exit_code == 1 and "not a whole reporting year" in refused.output
    ok = runner.invoke(app, ["sna", "--area", "Northamptonshire", "--period", "2025/26",
                             "--draft", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert (out / "index.html").exists() and (out / "sna.pdf").exists()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "financial year 2025/26" in html and "months held" in html
    assert "not for publication" in html
    assert "the workspace's SNA page lists it" in ok.output
    bad = runner.invoke(app, ["sna", "--area", "Atlantis", "--period", "2025", "--out",
                              str(tmp_path / "x")])
    assert bad.exit_code == 1 and "Atlantis" in bad.output
    # both builds are recorded as the workspace's are, so the SNA page lists them
    from alliance.web.reports.models import SnaBuild

    done = SnaBuild.objects.get(output_folder=str(out.resolve()))
    assert (done.origin, done.status, done.area_code, done.pdf) == (
        "command_line", "done", AREA, True)
    assert {"index.html", "sna.docx", "sna.pdf"} <= set(done.files)
    assert built["batch"] in done.batch_ids
    failed = SnaBuild.objects.get(output_folder=str((tmp_path / "x").resolve()))
    assert failed.status == "failed" and "Atlantis" in failed.message
    worse = runner.invoke(app, ["sna", "--area", AREA, "--period", "2025-13", "--out",
                                str(tmp_path / "y")])
    assert worse.exit_code == 1 and "2025-13" in worse.output


def test_city_of_london_builds_and_warns_about_resident_rates(
        built, city_files, reference, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Any loaded area works: the City (6 LSOAs, about 8,600 residents, a large daytime
    population) gets its SNA, with the warning that per-resident rates mislead there."""
    from alliance.web.pool import services
    from alliance.web.reports.services import build_sna

    services.load_police_uk(city_files, reference_dir=reference)
    result = build_sna("E23000034", tmp_path / "city", period="2025", pdf=False)
    html = (tmp_path / "city" / "index.html").read_text(encoding="utf-8")
    assert "Rates per resident are therefore misleading" in html
    raw = pd.concat([pd.read_csv(f, usecols=["Month", "Crime type", "LSOA code"])
                     for f in city_files if "2025-" in f.name])
    from alliance.web.pool.geography import geography

    geo = geography()
    assert geo is not None
    city = set(geo.resolve("E23000034").lsoa21)
    sv = raw[raw["Crime type"].isin(SV_TYPES) & raw["LSOA code"].isin(city)]
    lsoa = pd.read_csv(tmp_path / "city" / "data" / "f6-1-map.csv").set_index("LSOA")
    assert len(lsoa) == 6
    expected = sv["LSOA code"].value_counts()
    for code, count in lsoa["Count"].items():
        assert int(count) == expected.get(code, 0), code
    assert result.report.area == "London, City of"
