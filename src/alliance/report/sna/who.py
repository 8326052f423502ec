"""Chapter 8: who is involved — victims and patients by age band and sex, from the partners'
pooled data (``shared/research/sna-practice.md`` §6: F8.1, T8.1).

Every figure is a cell of the partner source's own published lattice, read through the one
function :func:`alliance.figures.who.who_table`: the same suppression protects the table, its
totals, the source's year total on the dashboard and its under-25 count in the scorecard.
What no pooled source carries (suspects, ethnicity, the victim–suspect relationship, repeat
victimisation; or the age and sex of any source not pooled) is asked for in the data request
table below the figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.figures import who as who_figures
from alliance.figures.publication import MARKER, Period
from alliance.report import charts
from alliance.report.document import Block, Figure, Paragraph, Section, Table
from alliance.report.sna import requests
from alliance.report.sna.common import Context
from alliance.report.sna.partners import PartnerData, partner_period, provenance
from alliance.report.sna.requests import CDA, GDPR, PCSC, Need, request_table

#: how each age band is written
BAND_WORDS = {"0-17": "Under 18", "18-24": "18 to 24", "25-34": "25 to 34",
              "35+": "35 and over", "not known": "Age not known",
              who_figures.UNDER_25_LABEL: "Under 25 (under 18 and 18 to 24)",
              who_figures.ALL_AGES: "All ages"}
#: who a source's people are
PERSON = {"istv_ae": "patients", "ambulance": "patients", "police_extract": "victims"}
#: the chapter's captions (``label``: the source's, ``period``: the year's)
BY_AGE = "{label} by age band, {period}"
BY_AGE_SEX = "{label} by age band and sex, {period}"
SHARE = "% of all"


def _count(value: float) -> str:
    return MARKER if np.isnan(value) else f"{value:,.0f}"


def _share(value: float) -> str:
    return MARKER if np.isnan(value) else f"{value:.1f}"


def people_table(table: who_figures.WhoTable) -> pd.DataFrame:
    """The table as printed: each band and sex as published, and each band's share of all."""
    counts = table.counts
    out = pd.DataFrame({"Age band": [BAND_WORDS.get(str(i), str(i)) for i in counts.index]})
    for column in counts.columns:
        out[str(column)] = [_count(v) for v in counts[column]]
    out[SHARE] = [_share(table.share(str(b))) for b in counts.index]
    return out


def profile(table: who_figures.WhoTable) -> tuple[float, float, float, tuple[str, float] | None]:
    """What the chart's sentence says, in either language: the total, the share under 25,
    the share male (NaN where hidden) and the largest published age band with its share."""
    total = table.cell(who_figures.ALL_AGES)
    young = table.share(who_figures.UNDER_25_LABEL)
    male = table.share(who_figures.ALL_AGES, "Male")
    bands = {str(b): table.share(str(b)) for b in table.counts.index
             if b not in (who_figures.UNDER_25_LABEL, who_figures.ALL_AGES, "not known")}
    bands = {b: v for b, v in bands.items() if not np.isnan(v)}
    top = max(bands, key=lambda b: bands[b]) if bands else None
    return total, young, male, (top, bands[top]) if top is not None else None


def message(table: who_figures.WhoTable, person: str) -> str:
    """The chart's one-sentence message: the share under 25, the share male, the largest
    band."""
    total, young, male, top = profile(table)
    if np.isnan(total) or total == 0:
        return f"Too few {person} to describe by age and sex."
    parts = []
    if not np.isnan(young):
        parts.append(f"{young:.0f}% of {person} were under 25")
    if not np.isnan(male):
        parts.append(f"{male:.0f}% were male")
    if top is not None:
        parts.append(f"the largest age band was {BAND_WORDS.get(top[0], top[0]).lower()} "
                     f"({top[1]:.0f}%)")
    if not parts:
        return (f"{total:,.0f} {person}; their age bands are too small to publish one by "
                "one.")
    text = "; ".join(parts)
    return f"Of {total:,.0f} {person}, {text[0].lower()}{text[1:]}."


def source_blocks(data: PartnerData, *, wanted: Period) -> list[Block]:
    """F8.1 (chart) and T8.1 (table) for one pooled source that carries age or sex."""
    pub = data.publication
    person = PERSON.get(data.source, "people")
    period = partner_period(pub, wanted)
    if period is None:
        return [Paragraph(text=no_year_words(data.label, person))]
    table = who_figures.who_table(pub, period=period)
    assert table is not None
    slug = data.source.replace("_", "-")
    bands = list(pub.cube.age_bands)
    values = [table.cell(b) for b in bands]
    labels = [BAND_WORDS.get(b, b) for b in bands]
    young = [BAND_WORDS.get(b, b) for b in pub.cube.under_25]
    desc = chart_words(data.label, period.label, person, labels, values)
    chart = charts.bar_chart(labels, values, chart_id=f"f8-1-who-{slug}",
                             title=f"{data.label} by age band", desc=desc, highlight=young)
    status = who_figures.status(pub, table)
    shown = people_table(table)
    source = provenance(data, period.label, suppression=status)
    return [
        Figure(id=f"f8-1-who-{slug}", caption=BY_AGE.format(label=data.label,
                                                             period=period.label),
               svg=chart.svg, alt_text=desc, data=shown[["Age band", "All", SHARE]],
               provenance=source, message=message(table, person)),
        Table(id=f"t8-1-who-{slug}", caption=BY_AGE_SEX.format(label=data.label,
                                                                period=period.label),
              data=shown, provenance=source, row_header=True)]


def no_year_words(label: str, person: str) -> str:
    return (f"{label}: no whole reporting year is held yet, so {person} are not yet described "
            "by age and sex.")


def chart_words(label: str, period: str, person: str, labels: list[str],
                values: list[float]) -> str:
    """The chart's alt text: each band's published count."""
    return (f"Bar chart of {label.lower()} in {period} by the age band of the {person[:-1]}, "
            "under-25 bands highlighted: "
            + "; ".join(f"{b} {_count(v)}" for b, v in zip(labels, values, strict=True)) + ".")


def still_missing(ctx: Context, here: list[str]) -> list[Need]:
    """What the chapter still asks for, given the pooled sources ``here`` that carry people."""
    years = requests.years_words(ctx)
    needs = [Need("L8, L9, L11, T8.2–T8.4", "Police force", "Victims and suspects of SV "
                  "offences (pseudonymised)", "pseudonymised person key, role (suspect), "
                  "ethnicity, victim–suspect relationship, repeat victimisation, offence "
                  "reference" + ("" if "police_extract" in here else ", victim age and sex"),
                  years, f"{PCSC}; {CDA}; {GDPR}")]
    if "istv_ae" not in here:
        needs.append(Need("H1, H1u, H2", "Acute trusts (emergency departments)",
                          "ISTV / ECDS assault attendances (ISB 1594)", "date, hour, age band, "
                          "sex, location of assault, weapon, postcode district", years,
                          f"{PCSC}; {GDPR}"))
    return needs


def chapter(ctx: Context) -> Section:
    """From pooled partner data where any source carries age or sex, else the data request."""
    sources = people_sources(ctx)
    if not sources:
        return requests.who(ctx)
    blocks: list[Block] = [Paragraph(text=intro(ctx, sources))]
    for data in sources:
        blocks += source_blocks(data, wanted=ctx.fperiod)
    here = [d.source for d in sources]
    blocks += [Paragraph(text=missing_words(here)),
               request_table(ctx, "t8-2-request", requests.REQUEST_CAPTIONS["who"],
                             still_missing(ctx, here))]
    return Section(id="who", title=requests.WHO_TITLE, blocks=tuple(blocks))


def people_sources(ctx: Context) -> list[PartnerData]:
    """The pooled sources that carry age or sex."""
    return [d for d in ctx.inputs.partners.values()
            if who_figures.carries_people(d.publication)]


def intro(ctx: Context, sources: list[PartnerData]) -> str:
    area = sources[0].publication.cube.geography.name
    whole = ctx.level == "area"
    return ("Who the partners' pooled data counts, by age band and sex: "
            + "; ".join(f"{d.label} ({PERSON.get(d.source, 'people')})" for d in sources)
            + f". Figures are for {'the whole of ' if not whole else ''}{area}, for the latest "
            "whole reporting year each source holds, and come from the same published figures "
            "as the dashboard and the core measures: counts of 1 to "
            f"{ctx.threshold - 1} are hidden as {MARKER}, with any other figure that would let "
            "one be worked out from the table's totals or from figures published elsewhere. "
            "Rates by age need resident populations by age band, which are not loaded.")


def missing_words(here: list[str]) -> str:
    return ("Still missing, and requested below: suspects, ethnicity, the relationship between "
            "victim and suspect and repeat victimisation"
            + ("" if "istv_ae" in here else "; A&E patients' age and sex") + ".")
