"""The introduction (about this assessment) and the annexes: methods, data quality and
currency, the local definition, small numbers and suppression, licences, import batches and the
glossary. The reader meets the summary, findings and recommendations first
(:mod:`alliance.report.sna.summary`); the detail a reader checks them against comes last."""

from __future__ import annotations

import pandas as pd

from alliance.pool.quality import GLOSSARY
from alliance.report.document import Paragraph, Provenance, Section, Table
from alliance.report.sna.common import (
    IMD,
    OGL_IMD,
    OGL_ONS,
    OGL_POLICE,
    POLICE_UK,
    PROXY_NOTE,
    Context,
    share,
)


def about(ctx: Context) -> Section:
    area = ctx.inputs.area
    held = ctx.months_in_period_held
    missing = [m for m in ctx.period.months if m not in held]
    text = (
        f"This Strategic Needs Assessment (SNA) for {area.name} ({area.code or area.level}) "
        f"covers {ctx.period.label} ({ctx.period.span()}). It is written under the Serious "
        "Violence Duty (Police, Crime, Sentencing and Courts Act 2022, Part 2 Chapter 1), which "
        "requires the specified authorities to identify the kinds and causes of serious "
        "violence in their area and prepare a strategy; the SNA is refreshed every year.\n\n"
        f"Change is shown where the data allows: {ctx.comparison.describe()}. The monthly "
        f"trend uses every month held ({ctx.held[0]} to "
        f"{ctx.held[-1]}, {len(ctx.held)} months).\n\n"
        f"{PROXY_NOTE}\n\n"
        "How the figures were made, how complete and current the data are, the local "
        "definition of serious violence and the rules that protect small numbers are in the "
        "annexes at the end.")
    if ctx.rows_outside_months:
        text += (f"\n\n{ctx.rows_outside_months:,} rows published by other forces for months "
                 "the area's own force has not published are left out, so that a month is "
                 "either fully held or not held at all.")
    if missing:
        text += (f"\n\n{len(missing)} month(s) of the period are not held "
                 f"({', '.join(missing)}); figures for the period cover the months held only.")
    return Section(id="about", title="About this assessment", blocks=(Paragraph(text=text),))


def data_currency(ctx: Context) -> Table:
    b = ctx.inputs.batches
    inc = ctx.all_rows
    rows = []
    for batch in b.itertuples(index=False):
        batch_id = int(str(batch.id))
        set_aside = int(str(batch.rows_set_aside))
        imported = pd.Timestamp(str(batch.finished_at or batch.created_at))
        if batch.kind == "incidents":
            mine = inc[inc["batch_id"] == batch_id]
            months = sorted(mine["month"].unique())
            no_loc = int(mine["lsoa21_code"].isna().sum())
            rows.append({"Partner": "Police (via data.police.uk)", "Dataset": POLICE_UK,
                         "Batch": batch_id, "Period covered": f"{months[0]} to {months[-1]} "
                         f"({len(months)} months)" if months else "",
                         "Imported": f"{imported:%-d %b %Y}", "Rows used": len(mine),
                         "Completeness": f"{set_aside:,} rows of the batch kept "
                         f"but flagged; {share(no_loc, len(mine)):.1f}% of rows used have no "
                         "location"})
        elif batch.kind == "geography":
            rows.append({"Partner": "ONS / MHCLG", "Dataset": "ONS boundaries and lookups, "
                         f"Census 2021 residents, {IMD}", "Batch": batch_id,
                         "Period covered": "2021 geography; IMD 2025",
                         "Imported": f"{imported:%-d %b %Y}", "Rows used": len(ctx.inputs.lsoa),
                         "Completeness": "all LSOAs of the area have a boundary, population "
                                         "and IMD decile"})
        else:
            ind = ctx.inputs.indicators
            mine = ind[ind["batch_id"] == batch_id]
            rows.append({"Partner": "Published partner statistics", "Dataset":
                         ", ".join(sorted(mine["source"].unique()))[:200] or batch.description,
                         "Batch": batch_id, "Period covered":
                         f"{mine['period'].min()} to {mine['period'].max()}" if len(mine) else "",
                         "Imported": f"{imported:%-d %b %Y}", "Rows used": len(mine),
                         "Completeness": f"{set_aside:,} rows set aside"})
    return Table(id="t0-1-currency", caption="Data currency: the datasets used, the period "
                 "they cover, when they were imported and how complete they are",
                 data=pd.DataFrame(rows), row_header=False,
                 provenance=Provenance(source="Alliance import log", period="as imported",
                                       import_batches=tuple(str(int(i)) for i in b["id"])))


def definition(ctx: Context) -> Section:
    d = ctx.inputs.definition
    rules = d.rules
    police = rules[rules["match"] == "source_category"].drop(columns=["match"])
    police = police.drop_duplicates(subset=["value"])
    data = pd.DataFrame({"police.uk category": police["value"].to_numpy(),
                         "Counted as serious violence": police["counted"].map(
                             {True: "yes", False: "no"}).to_numpy(),
                         "Proxy": police["proxy"].map({True: "proxy", False: ""}).to_numpy()})
    n_codes = int((rules["match"] == "offence_code").sum())
    n_in = int(((rules["match"] == "offence_code") & rules["counted"]).sum())
    return Section(id="definition", title="The local definition of serious violence", blocks=(
        Paragraph(text=(
            f"Definition in force: version {d.version}, *{d.name}*. For force crime records it "
            f"lists {n_codes} Home Office offence codes, {n_in} of them counted as serious "
            "violence. police.uk open data carries only a crime category, so the report counts "
            "the categories below. What gives the real measure: " + d.real_measure_needs)),
        Table(id="t0-2-definition", caption="The local definition applied to police.uk "
              "categories", data=data, row_header=False,
              provenance=Provenance(source=f"Alliance local definition v{d.version}",
                                    definition=f"v{d.version}"))))


def suppression(ctx: Context) -> str:
    return (f"No published figure shows a count from 1 to {ctx.threshold - 1}: such counts "
            "are replaced by [c]. Every count this report (and the partnership's dashboard) "
            "publishes belongs to one fixed set of figures: neighbourhoods (LSOAs) and "
            "deprivation deciles for whole reporting years, all counted categories together; "
            "districts, local authorities and the whole area for each month and reporting year, "
            "each category and all together. That set is suppressed as a whole: further "
            "figures are hidden until, for every hidden small count, the range of values "
            "consistent with everything published (every figure, every total, that hidden "
            "counts are at least 1) is at least "
            f"{ctx.threshold} wide, checked by integer programming. Statistics that use many "
            "neighbourhoods at once (hot spots, concentration, density) are computed from "
            "published figures only, with each hidden neighbourhood given its share of what "
            "its district's published total leaves, so they reveal nothing hidden; a hidden "
            "neighbourhood gets no label of its own. Rates and changes are shown only where "
            "their counts are. Zero is shown as 0."
            + (" This is a draft: its period is not one of the partnership's reporting years, "
               "so its figures are not protected against other published figures and it must "
               "not be published." if ctx.draft else ""))


def annexes(ctx: Context) -> list[Section]:
    methods = (
        "- **Rates** are counts per 1,000 residents (Census 2021 usual residents) for the "
        "period. 95% intervals: exact Poisson (chi-square) below 10 events, Byar's "
        "approximation from 10 (PHE/OHID Fingertips method).\n"
        "- **Change** is the ratio of the later rate to the earlier one with an exact "
        "conditional (binomial, Clopper–Pearson) 95% interval and two-sided p-value; a rise or "
        "fall is only called so when the interval excludes no change.\n"
        "- **Trend**: the seasonal Kendall test (Hirsch, Slack & Smith 1982) with Sen's "
        "seasonal slope, on at least 24 consecutive published months; with fewer months no "
        "trend is tested, since one year cannot separate trend from season.\n"
        "- **Funnel plot**: 95% and 99.8% limits around the area rate; when the LSOAs differ "
        "more than chance allows (Spiegelhalter's over-dispersion test, winsorised z-scores), "
        "the limits are widened by an additive random effect (Spiegelhalter 2005). Both sides "
        "are counted.\n"
        "- **Hot spots**: Getis–Ord Gi* on LSOA rates with queen contiguity, conditional "
        f"permutations (seed {ctx.seed}) and Benjamini–Hochberg false discovery rate control at "
        "5%; computed from published figures. Kernel density: Gaussian kernel (400 m "
        "bandwidth, the module's documented default) on 200 m cells; the densest 10% of cells "
        "inside the area are drawn in three bands.\n"
        "- **Concentration**: Lorenz curve and Gini coefficient of LSOA counts; share in the "
        "top 1%, 5% and 10% of LSOAs.\n"
        "- **Deprivation gradient**: offences pooled by the IMD 2025 decile of the LSOA; rate "
        "ratio of deciles 1–2 against 9–10 with an exact interval.\n"
        "- **Harm**: not drawn while only police.uk categories are pooled (see the overall "
        f"chapter); weights available: {ctx.inputs.harm_description}.\n"
        f"- **Suppression**: counts 1–{ctx.threshold - 1} hidden; secondary suppression on "
        "tables with totals, audited by linear programming.")
    licences = (f"- police.uk: {OGL_POLICE}\n- Boundaries and Census: {OGL_ONS}\n"
                f"- Indices of Deprivation: {OGL_IMD}\n"
                "- Population estimates: Office for National Statistics, OGL v3.0.\n"
                "- Cambridge Crime Harm Index: Sherman, Neyroud & Neyroud (2016); weights per "
                "police.uk category as derived in the reference table named in the methods.\n"
                "- Partner statistics: as named in each table's source line (DfE, MoJ/YJB, "
                "ONS, OHID Fingertips; OGL v3.0).")
    b = ctx.inputs.batches
    batches = pd.DataFrame({"Batch": b["id"].astype(int), "Kind": b["kind"],
                            "Source": b["source"], "Description": b["description"],
                            "Imported": [f"{pd.Timestamp(t):%Y-%m-%d %H:%M}" for t in
                                         b["finished_at"].fillna(b["created_at"])],
                            "Rows loaded": b["rows_loaded"].astype(int)})
    files = ctx.inputs.source_files
    glossary = ("- **LSOA**: Lower layer Super Output Area, a census neighbourhood of about "
                "1,500 residents (2021 boundaries).\n- **CSP**: Community Safety Partnership.\n"
                "- **IMD**: Index of Multiple Deprivation.\n- **[c]**: confidential, hidden to "
                "protect small numbers.\n- **Proxy**: a broader measure standing in for one the "
                "open data cannot give.\n- **FDR**: false discovery rate.")
    currency = data_currency(ctx)
    definition_section = definition(ctx)
    return [
        Section(id="annexes", title="Annexes", blocks=(Paragraph(text=(
            "What the figures rest on: how they were made, the data and how complete and "
            "current it is, the local definition, the rules that protect small numbers, "
            "licences, the import record and a glossary.")),)),
        Section(id="methods", title="Annex A: methods", level=2,
                blocks=(Paragraph(text=methods),)),
        Section(id="data-currency", title="Annex B: data quality and currency", level=2,
                blocks=(Paragraph(text=(
                    "The datasets this report was built from, the period each covers, when "
                    "it was imported and how complete it is. *Kept but flagged*: "
                    + GLOSSARY["kept but flagged"] + " *Set aside*: "
                    + GLOSSARY["set aside"])), currency)),
        Section(id="definition", title="Annex C: the local definition of serious violence",
                level=2, blocks=definition_section.blocks),
        Section(id="suppression", title="Annex D: small numbers and suppression", level=2,
                blocks=(Paragraph(text=suppression(ctx)),)),
        Section(id="licences", title="Annex E: licences and attributions", level=2,
                blocks=(Paragraph(text=licences),)),
        Section(id="batches", title="Annex F: import batches used", level=2, blocks=(
            Table(id="ta-batches", caption="Import batches this report was built from",
                  data=batches, row_header=False,
                  provenance=Provenance(source="Alliance import log",
                                        import_batches=tuple(str(i) for i in b["id"]))),
            *((Table(id="ta-files", caption="Source files of those batches",
                     data=files.rename(columns={"batch_id": "Batch", "name": "File",
                                                "month": "Month", "rows": "Rows"}),
                     row_header=False,
                     provenance=Provenance(source="Alliance import log")),)
              if not files.empty else ()))),
        Section(id="glossary", title="Annex G: glossary", level=2,
                blocks=(Paragraph(text=glossary),))]
