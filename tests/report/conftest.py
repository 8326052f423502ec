"""A sample SNA built from real public numbers, shared by the renderer tests.

police.uk street crime for Northamptonshire (2025, 12 months; 'Violence and sexual offences'),
the 443 Northamptonshire LSOA 2021 boundaries and the IoD2025 mid-2022 population denominators.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alliance.privacy.suppression import suppress_counts
from alliance.report import charts, maps
from alliance.report.document import (
    DataRequest,
    DataRequestItem,
    Figure,
    Finding,
    Paragraph,
    Provenance,
    Report,
    Section,
    Table,
)
from alliance.report.wording import describe_change, format_count
from tests.conftest import require_shared

VSO = "Violence and sexual offences"


@dataclass(frozen=True)
class RealData:
    crimes: pd.DataFrame  # Month, LSOA code, Crime type
    lsoa: gpd.GeoDataFrame
    population: pd.Series


@pytest.fixture(scope="session")
def real_data() -> RealData:
    folder = require_shared("policeuk", "street", "northamptonshire")
    boundaries = require_shared("geo", "northants", "lsoa21_bsc_northants.geojson")
    iod = require_shared("geo", "northants",
                         "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators_"
                         "northants.csv")
    frames = [pd.read_csv(p, usecols=["Month", "LSOA code", "Crime type"])
              for p in sorted(folder.glob("*-northamptonshire-street.csv.gz"))]
    crimes = pd.concat(frames, ignore_index=True)
    lsoa = gpd.read_file(boundaries)
    pop = pd.read_csv(iod, usecols=["LSOA code (2021)", "Total population: mid 2022"])
    population = pop.set_index("LSOA code (2021)")["Total population: mid 2022"]
    return RealData(crimes=crimes, lsoa=lsoa, population=population)


def _provenance(**extra: object) -> Provenance:
    base: dict[str, object] = dict(
        source="police.uk street-level crime, Northamptonshire Police",
        import_batches=("policeuk-northamptonshire-2025",), period="January to December 2025",
        definition="police.uk category 'Violence and sexual offences'",
        filters={"area": "Northamptonshire LSOAs (2021)"}, extracted="2026-01")
    base.update(extra)
    return Provenance(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sample_report(real_data: RealData) -> Report:
    crimes, lsoa = real_data.crimes, real_data.lsoa
    vso = crimes[(crimes["Crime type"] == VSO) & crimes["LSOA code"].isin(lsoa.lsoa21_code)]
    y2025 = vso[vso.Month.str.startswith("2025")]
    counts = y2025.groupby("LSOA code").size().reindex(lsoa.lsoa21_code, fill_value=0)
    counts.index.name = "LSOA"
    names = dict(zip(lsoa.lsoa21_code, lsoa.lsoa21_name, strict=True))
    supp = suppress_counts(counts.rename("Offences"), threshold=5)
    pop = real_data.population.reindex(counts.index)
    rates = supp.mask_like((counts / pop * 1000).rename("Offences"))

    geoms = pd.Series(lsoa.geometry.to_wkb().to_numpy(), index=lsoa.lsoa21_code)
    the_map = maps.choropleth(
        geoms, rates, chart_id="map-rate", title="Violence and sexual offences per 1,000 "
        "residents by LSOA, 2025", desc="Choropleth of 443 LSOAs in five quantile classes; "
        "rates are highest in central Northampton, Corby, Kettering and Wellingborough.",
        legend_title="Offences per 1,000", names=names, value_format="{:,.1f}",
        note="police.uk locations are snapped to anonymous map points, so counts near LSOA "
             "edges may fall in a neighbouring area.")

    monthly = y2025.groupby("Month").size()
    lower = stats.chi2.ppf(0.025, 2 * monthly) / 2
    upper = stats.chi2.ppf(0.975, 2 * (monthly + 1)) / 2
    trend = charts.line_chart(
        charts.month_axis(monthly.index), monthly.to_numpy(), chart_id="trend",
        title="Violence and sexual offences per month, 2025",
        desc=f"Monthly counts ranged from {monthly.min():,} to {monthly.max():,}.",
        y_label="Offences", series_label="Offences", lower=lower, upper=upper,
        ci_label="95% exact Poisson interval")

    top = counts.sort_values(ascending=False).head(10)
    bars = charts.bar_chart([names[c] for c in top.index], top.to_numpy(), chart_id="top10",
                            title="The 10 LSOAs with most violence, 2025",
                            desc="Horizontal bar chart of the 10 highest LSOA counts.")
    lorenz = charts.lorenz_curve(list(counts.index), counts.to_numpy(), chart_id="lorenz",
                                 title="Concentration of violence across LSOAs",
                                 desc="Cumulative share of offences against share of LSOAs.")
    funnel = charts.funnel_plot([names[c] for c in counts.index], counts.to_numpy(dtype=float),
                                pop.to_numpy(dtype=float), chart_id="funnel",
                                title="LSOA rates against the county rate",
                                desc="Funnel plot of 443 LSOA rates with 95% and 99.8% limits.")

    csp = lsoa.set_index("lsoa21_code")["csp24_name"]
    y2025 = y2025.assign(CSP=y2025["LSOA code"].map(csp),
                         Quarter="Q" + ((y2025.Month.str[5:7].astype(int) - 1) // 3 + 1)
                         .astype(str))
    by_csp = y2025.groupby(["CSP", "Quarter"]).size().unstack(fill_value=0)
    csp_table = suppress_counts(by_csp, threshold=5, margins="both")

    jan_apr = vso[vso.Month.str[5:7].isin(["01", "02", "03", "04"])]
    before = int((jan_apr.Month.str[:4] == "2024").sum())
    after = int((jan_apr.Month.str[:4] == "2025").sum())
    # Exact conditional test for a ratio of two Poisson counts (binomial on the total).
    ci = stats.binomtest(after, after + before).proportion_ci(0.95, method="exact")
    lo, hi = (ci.low / (1 - ci.low) - 1) * 100, (ci.high / (1 - ci.high) - 1) * 100
    change = describe_change((after / before - 1) * 100, lo, hi)

    prov = _provenance()
    sections = (
        Section(id="summary", title="Executive summary", blocks=(
            Paragraph(text=f"Police recorded **{format_count(len(y2025))}** violence and sexual "
                           "offences in Northamptonshire in 2025."),
            Finding(id="finding-change", text=f"January to April offences {change}.",
                    value=round((after / before - 1) * 100, 1), unit="%",
                    provenance=_provenance(period="January–April 2024 and 2025")),
        )),
        Section(id="overall", title="The overall picture", blocks=(
            Paragraph(text="Offences by month, with the uncertainty of each count."),
            Figure(id="fig-trend", caption="Offences per month, 2025", svg=trend.svg,
                   alt_text="Line chart of monthly offences in 2025 with a 95% band.",
                   data=trend.data, provenance=prov),
            Table(id="tab-csp", caption="Offences by community safety partnership and quarter",
                  data=csp_table.published,
                  provenance=_provenance(suppression=csp_table.status),
                  column_formats={c: "count" for c in csp_table.published.columns}),
        )),
        Section(id="where", title="Where", blocks=(
            Paragraph(text="Rates per 1,000 residents by LSOA."),
            Figure(id="fig-map", caption="Rate per 1,000 residents by LSOA, 2025",
                   svg=the_map.svg, alt_text="Map of LSOA rates; highest in town centres.",
                   data=the_map.data, provenance=_provenance(suppression=supp.status),
                   column_formats={"Value": "rate"}),
        )),
        Section(id="hotspots", title="Concentration", level=2, blocks=(
            Figure(id="fig-top10", caption="LSOAs with most offences", svg=bars.svg,
                   alt_text="Bar chart of the ten LSOAs with most offences.", data=bars.data,
                   provenance=prov),
            Figure(id="fig-lorenz", caption="Concentration curve", svg=lorenz.svg,
                   alt_text="Curve showing offences concentrated in few LSOAs.",
                   data=lorenz.data, provenance=prov,
                   column_formats={"% of total": "number:1"}),
            Figure(id="fig-funnel", caption="Funnel plot of LSOA rates", svg=funnel.svg,
                   alt_text="Funnel plot; many town-centre LSOAs lie above 99.8% limits.",
                   data=funnel.data, provenance=prov),
        )),
        Section(id="gaps", title="Data still needed", blocks=(
            DataRequest(id="req", caption="Data requested from partners", items=(
                DataRequestItem(partner="Northamptonshire Police", dataset="Crime extract",
                                fields="offence code, DA flag, victim age", period="2023–2025",
                                purpose="Local SV definition (L1, L5)"),
                DataRequestItem(partner="Northampton General Hospital", dataset="ISTV",
                                fields="time, location, weapon", period="2025",
                                purpose="ED assaults (H1)", status="agreed"),
            )),
        )),
    )
    assert np.isfinite(counts.sum())
    return Report(title="Serious Violence Strategic Needs Assessment", area="Northamptonshire",
                  period="2025", sections=sections, subtitle="Sample built from public data",
                  published="2026-01-15")


#: Where tests that look at output as a reader would leave what they drew (PNG screenshots,
#: SVG), for a person to open: ``test-artefacts/`` in the checkout, ignored by git.
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS


def northants_lsoa_frame() -> pd.DataFrame:
    """The 443 Northamptonshire LSOAs as :attr:`SnaInputs.lsoa` holds them (name, population,
    CSP, best-fit ward, boundary): ONS boundaries, IoD2025 mid-2022 population, the master
    lookup's CSP and ward (shared/data/geo/northants)."""
    geo = ("geo", "northants")
    lsoa = gpd.read_file(require_shared(*geo, "lsoa21_bsc_northants.geojson")).set_index(
        "lsoa21_code")
    iod = pd.read_csv(require_shared(*geo, "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_"
                                           "Denominators_northants.csv"),
                      usecols=["LSOA code (2021)", "Total population: mid 2022"])
    pop = iod.set_index("LSOA code (2021)")["Total population: mid 2022"]
    look = pd.read_csv(require_shared(*geo, "northants_lsoa21_master_lookup.csv")).set_index(
        "lsoa21_code")
    return pd.DataFrame({"name": lsoa["lsoa21_name"],
                         "population": pop.reindex(lsoa.index).astype(float),
                         "csp_name": lsoa["csp24_name"],
                         "ward_name": look["ward24_name"].reindex(lsoa.index),
                         "geometry_wkb": lsoa.geometry.to_wkb()}, index=lsoa.index)


def png(svg_path: Path) -> Path | None:
    """A PNG of ``svg_path`` beside it (rsvg-convert, 1.5x), or None where it is not installed."""
    tool = shutil.which("rsvg-convert")
    if tool is None:
        return None
    out = svg_path.with_suffix(".png")
    subprocess.run([tool, "-z", "1.5", "-b", "white", str(svg_path), "-o", str(out)],
                   check=True, timeout=120)
    return out
