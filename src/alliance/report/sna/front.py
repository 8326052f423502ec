"""The introduction (about this assessment) and the annexes: methods, data quality and
currency, the local definition, small numbers and suppression, licences, import batches and the
glossary. The reader meets the summary, findings and recommendations first
(:mod:`alliance.report.sna.summary`); the detail a reader checks them against comes last.

Every piece of fixed or generated text is made by one small function or constant here, so that
the Welsh edition (:mod:`alliance.report.sna.cymraeg_front`) keys its Welsh by the very text
the chapter prints."""

from __future__ import annotations

from dataclasses import dataclass

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

#: the sections' titles, by section id
TITLES = {
    "about": "About this assessment",
    "annexes": "Annexes",
    "methods": "Annex A: methods",
    "data-currency": "Annex B: data quality and currency",
    "definition": "Annex C: the local definition of serious violence",
    "suppression": "Annex D: small numbers and suppression",
    "licences": "Annex E: licences and attributions",
    "batches": "Annex F: import batches used",
    "glossary": "Annex G: glossary",
}
ANNEX_POINTER = ("How the figures were made, how complete and current the data are, the local "
                 "definition of serious violence and the rules that protect small numbers are "
                 "in the annexes at the end.")
ANNEXES_INTRO = ("What the figures rest on: how they were made, the data and how complete and "
                 "current it is, the local definition, the rules that protect small numbers, "
                 "licences, the import record and a glossary.")
IMPORT_LOG = "Alliance import log"
AS_IMPORTED = "as imported"  # the data-currency table's period line
CURRENCY_CAPTION = ("Data currency: the datasets used, the period they cover, when they were "
                    "imported and how complete they are")
DEFINITION_CAPTION = "The local definition applied to police.uk categories"
BATCHES_CAPTION = "Import batches this report was built from"
FILES_CAPTION = "Source files of those batches"
GEOGRAPHY_PERIOD = "2021 geography; IMD 2025"
GEOGRAPHY_COMPLETE = "all LSOAs of the area have a boundary, population and IMD decile"
POLICE_PARTNER = "Police (via data.police.uk)"
GEOGRAPHY_PARTNER = "ONS / MHCLG"
PARTNER_STATISTICS = "Published partner statistics"
GEOGRAPHY_DATASET = f"ONS boundaries and lookups, Census 2021 residents, {IMD}"
DRAFT_WARNING = (" This is a draft: its period is not one of the partnership's reporting "
                 "years, so its figures are not protected against other published figures and "
                 "it must not be published.")
LICENCE_ITEMS = (f"police.uk: {OGL_POLICE}", f"Boundaries and Census: {OGL_ONS}",
                 f"Indices of Deprivation: {OGL_IMD}",
                 "Population estimates: Office for National Statistics, OGL v3.0.",
                 "Cambridge Crime Harm Index: Sherman, Neyroud & Neyroud (2016); weights per "
                 "police.uk category as derived in the reference table named in the methods.",
                 "Partner statistics: as named in each table's source line (DfE, MoJ/YJB, "
                 "ONS, OHID Fingertips; OGL v3.0).")
GLOSSARY_ITEMS = ("**LSOA**: Lower layer Super Output Area, a census neighbourhood of about "
                  "1,500 residents (2021 boundaries).", "**CSP**: Community Safety Partnership.",
                  "**IMD**: Index of Multiple Deprivation.", "**[c]**: confidential, hidden to "
                  "protect small numbers.", "**Proxy**: a broader measure standing in for one "
                  "the open data cannot give.", "**FDR**: false discovery rate.")
#: the columns of the data-currency table, in order
CURRENCY_COLUMNS = ("Partner", "Dataset", "Batch", "Period covered", "Imported", "Rows used",
                    "Completeness")
#: the columns of the import-batch tables
BATCH_COLUMNS = ("Batch", "Kind", "Source", "Description", "Imported", "Rows loaded")
FILE_COLUMNS = {"batch_id": "Batch", "name": "File", "month": "Month", "rows": "Rows"}
DEFINITION_COLUMNS = ("police.uk category", "Counted as serious violence", "Proxy")
COUNTED = {True: "yes", False: "no"}
PROXY = {True: "proxy", False: ""}


def markdown_list(items: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)


def held_words(ctx: Context) -> tuple[list[str], str]:
    """The months of the period not held, and the paragraph that says so ('' if none)."""
    missing = [m for m in ctx.period.months if m not in ctx.months_in_period_held]
    if not missing:
        return missing, ""
    return missing, (f"{len(missing)} month(s) of the period are not held "
                     f"({', '.join(missing)}); figures for the period cover the months held "
                     "only.")


def about_parts(ctx: Context) -> list[str]:
    """The introduction's paragraphs, each on its own (the Welsh edition keys them so)."""
    area = ctx.inputs.area
    parts = [
        f"This Strategic Needs Assessment (SNA) for {area.name} ({area.code or area.level}) "
        f"covers {ctx.period.label} ({ctx.period.span()}). It is written under the Serious "
        "Violence Duty (Police, Crime, Sentencing and Courts Act 2022, Part 2 Chapter 1), which "
        "requires the specified authorities to identify the kinds and causes of serious "
        "violence in their area and prepare a strategy; the SNA is refreshed every year.",
        f"Change is shown where the data allows: {ctx.comparison.describe()}. The monthly "
        f"trend uses every month held ({ctx.held[0]} to "
        f"{ctx.held[-1]}, {len(ctx.held)} months).",
        PROXY_NOTE, ANNEX_POINTER]
    if ctx.rows_outside_months:
        parts.append(f"{ctx.rows_outside_months:,} rows published by other forces for months "
                     "the area's own force has not published are left out, so that a month is "
                     "either fully held or not held at all.")
    missing = held_words(ctx)[1]
    if missing:
        parts.append(missing)
    return parts


def about(ctx: Context) -> Section:
    return Section(id="about", title=TITLES["about"],
                   blocks=(Paragraph(text="\n\n".join(about_parts(ctx))),))


@dataclass(frozen=True, kw_only=True)
class Currency:
    """One import batch as the data-currency table describes it (the words are added by
    :func:`currency_row` in English and by the Welsh edition in Welsh)."""

    kind: str  # incidents, geography or indicators
    batch: int
    imported: pd.Timestamp
    rows_used: int
    set_aside: int
    months: tuple[str, ...] = ()  # incidents: the months used
    first: str = ""  # indicators: the first and last period
    last: str = ""
    no_location: float = float("nan")  # incidents: % of rows used with no location
    datasets: str = ""  # indicators: the sources named


def currency(ctx: Context) -> list[Currency]:
    """The batches this report used, with what the data-currency table says of each."""
    inc = ctx.all_rows
    out = []
    for batch in ctx.inputs.batches.itertuples(index=False):
        batch_id = int(str(batch.id))
        set_aside = int(str(batch.rows_set_aside))
        imported = pd.Timestamp(str(batch.finished_at or batch.created_at))
        if batch.kind == "incidents":
            mine = inc[inc["batch_id"] == batch_id]
            no_loc = int(mine["lsoa21_code"].isna().sum())
            out.append(Currency(kind="incidents", batch=batch_id, imported=imported,
                                rows_used=len(mine), set_aside=set_aside,
                                months=tuple(sorted(mine["month"].unique())),
                                no_location=share(no_loc, len(mine))))
        elif batch.kind == "geography":
            out.append(Currency(kind="geography", batch=batch_id, imported=imported,
                                rows_used=len(ctx.inputs.lsoa), set_aside=set_aside))
        else:
            ind = ctx.inputs.indicators
            mine = ind[ind["batch_id"] == batch_id]
            names = ", ".join(sorted(mine["source"].unique()))[:200] or str(batch.description)
            out.append(Currency(kind="indicators", batch=batch_id, imported=imported,
                                rows_used=len(mine), set_aside=set_aside, datasets=names,
                                first=str(mine["period"].min()) if len(mine) else "",
                                last=str(mine["period"].max()) if len(mine) else ""))
    return out


def imported_on(stamp: pd.Timestamp) -> str:
    return f"{stamp:%-d %b %Y}"


def currency_row(c: Currency) -> list[object]:
    """A row of the data-currency table, in :data:`CURRENCY_COLUMNS` order."""
    if c.kind == "incidents":
        period = (f"{c.months[0]} to {c.months[-1]} ({len(c.months)} months)"
                  if c.months else "")
        return [POLICE_PARTNER, POLICE_UK, c.batch, period, imported_on(c.imported),
                c.rows_used, f"{c.set_aside:,} rows of the batch kept but flagged; "
                f"{c.no_location:.1f}% of rows used have no location"]
    if c.kind == "geography":
        return [GEOGRAPHY_PARTNER, GEOGRAPHY_DATASET, c.batch, GEOGRAPHY_PERIOD,
                imported_on(c.imported), c.rows_used, GEOGRAPHY_COMPLETE]
    return [PARTNER_STATISTICS, c.datasets, c.batch,
            f"{c.first} to {c.last}" if c.first else "", imported_on(c.imported), c.rows_used,
            f"{c.set_aside:,} rows set aside"]


def currency_intro() -> str:
    return ("The datasets this report was built from, the period each covers, when it was "
            "imported and how complete it is. *Kept but flagged*: "
            + GLOSSARY["kept but flagged"] + " *Set aside*: " + GLOSSARY["set aside"])


def data_currency(ctx: Context) -> Table:
    b = ctx.inputs.batches
    data = pd.DataFrame([currency_row(c) for c in currency(ctx)],
                        columns=list(CURRENCY_COLUMNS))
    if data.empty:
        data = pd.DataFrame()
    return Table(id="t0-1-currency", caption=CURRENCY_CAPTION, data=data, row_header=False,
                 provenance=Provenance(source=IMPORT_LOG, period=AS_IMPORTED,
                                       import_batches=tuple(str(int(i)) for i in b["id"])))


def offence_codes(ctx: Context) -> tuple[int, int]:
    """How many Home Office offence codes the definition lists, and how many it counts."""
    rules = ctx.inputs.definition.rules
    codes = rules["match"] == "offence_code"
    return int(codes.sum()), int((codes & rules["counted"]).sum())


def definition_parts(ctx: Context) -> list[str]:
    """The definition annex's paragraph, in two parts: the definition in force, and what
    gives the real measure (the partnership's own words unless it kept the default)."""
    d = ctx.inputs.definition
    n_codes, n_in = offence_codes(ctx)
    return [f"Definition in force: version {d.version}, *{d.name}*. For force crime records it "
            f"lists {n_codes} Home Office offence codes, {n_in} of them counted as serious "
            "violence. police.uk open data carries only a crime category, so the report counts "
            "the categories below.",
            "What gives the real measure: " + d.real_measure_needs]


def version_label(version: object) -> str:
    return f"v{version}"


def definition_source(ctx: Context) -> str:
    return f"Alliance local definition {version_label(ctx.inputs.definition.version)}"


def definition(ctx: Context) -> Section:
    d = ctx.inputs.definition
    rules = d.rules
    police = rules[rules["match"] == "source_category"].drop(columns=["match"])
    police = police.drop_duplicates(subset=["value"])
    data = pd.DataFrame(dict(zip(DEFINITION_COLUMNS, (
        police["value"].to_numpy(), police["counted"].map(COUNTED).to_numpy(),
        police["proxy"].map(PROXY).to_numpy()), strict=True)))
    return Section(id="definition", title=TITLES["definition"], blocks=(
        Paragraph(text="\n\n".join(definition_parts(ctx))),
        Table(id="t0-2-definition", caption=DEFINITION_CAPTION, data=data, row_header=False,
              provenance=Provenance(source=definition_source(ctx),
                                    definition=version_label(d.version)))))


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
            + (DRAFT_WARNING if ctx.draft else ""))


def method_items(ctx: Context) -> list[str]:
    """The methods annex, item by item."""
    return [
        "**Rates** are counts per 1,000 residents (Census 2021 usual residents) for the "
        "period. 95% intervals: exact Poisson (chi-square) below 10 events, Byar's "
        "approximation from 10 (PHE/OHID Fingertips method).",
        "**Change** is the ratio of the later rate to the earlier one with an exact "
        "conditional (binomial, Clopper–Pearson) 95% interval and two-sided p-value; a rise or "
        "fall is only called so when the interval excludes no change.",
        "**Trend**: the seasonal Kendall test (Hirsch, Slack & Smith 1982) with Sen's "
        "seasonal slope, on at least 24 consecutive published months; with fewer months no "
        "trend is tested, since one year cannot separate trend from season.",
        "**Funnel plot**: 95% and 99.8% limits around the area rate; when the LSOAs differ "
        "more than chance allows (Spiegelhalter's over-dispersion test, winsorised z-scores), "
        "the limits are widened by an additive random effect (Spiegelhalter 2005). Both sides "
        "are counted.",
        "**Hot spots**: Getis–Ord Gi* on LSOA rates with queen contiguity, conditional "
        f"permutations (seed {ctx.seed}) and Benjamini–Hochberg false discovery rate control at "
        "5%; computed from published figures. Kernel density: Gaussian kernel (400 m "
        "bandwidth, the module's documented default) on 200 m cells; the densest 10% of cells "
        "inside the area are drawn in three bands.",
        "**Concentration**: Lorenz curve and Gini coefficient of LSOA counts; share in the "
        "top 1%, 5% and 10% of LSOAs.",
        "**Deprivation gradient**: offences pooled by the IMD 2025 decile of the LSOA; rate "
        "ratio of deciles 1–2 against 9–10 with an exact interval.",
        "**Harm**: not drawn while only police.uk categories are pooled (see the overall "
        f"chapter); weights available: {ctx.inputs.harm_description}.",
        f"**Suppression**: counts 1–{ctx.threshold - 1} hidden; secondary suppression on "
        "tables with totals, audited by linear programming."]


def batches_table(ctx: Context) -> pd.DataFrame:
    b = ctx.inputs.batches
    return pd.DataFrame(dict(zip(BATCH_COLUMNS, (
        b["id"].astype(int), b["kind"], b["source"], b["description"],
        [f"{pd.Timestamp(t):%Y-%m-%d %H:%M}" for t in b["finished_at"].fillna(b["created_at"])],
        b["rows_loaded"].astype(int)), strict=True)))


def annexes(ctx: Context) -> list[Section]:
    b = ctx.inputs.batches
    files = ctx.inputs.source_files
    currency_table = data_currency(ctx)
    definition_section = definition(ctx)
    return [
        Section(id="annexes", title=TITLES["annexes"],
                blocks=(Paragraph(text=ANNEXES_INTRO),)),
        Section(id="methods", title=TITLES["methods"], level=2,
                blocks=(Paragraph(text=markdown_list(method_items(ctx))),)),
        Section(id="data-currency", title=TITLES["data-currency"], level=2,
                blocks=(Paragraph(text=currency_intro()), currency_table)),
        Section(id="definition", title=TITLES["definition"],
                level=2, blocks=definition_section.blocks),
        Section(id="suppression", title=TITLES["suppression"], level=2,
                blocks=(Paragraph(text=suppression(ctx)),)),
        Section(id="licences", title=TITLES["licences"], level=2,
                blocks=(Paragraph(text=markdown_list(LICENCE_ITEMS)),)),
        Section(id="batches", title=TITLES["batches"], level=2, blocks=(
            Table(id="ta-batches", caption=BATCHES_CAPTION, data=batches_table(ctx),
                  row_header=False,
                  provenance=Provenance(source=IMPORT_LOG,
                                        import_batches=tuple(str(i) for i in b["id"]))),
            *((Table(id="ta-files", caption=FILES_CAPTION,
                     data=files.rename(columns=FILE_COLUMNS), row_header=False,
                     provenance=Provenance(source=IMPORT_LOG)),)
              if not files.empty else ()))),
        Section(id="glossary", title=TITLES["glossary"], level=2,
                blocks=(Paragraph(text=markdown_list(GLOSSARY_ITEMS)),))]
