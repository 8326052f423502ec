"""Chapter 3: local context — population, deprivation (IMD 2025) and partner statistics."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.lattice import CellKey
from alliance.privacy.suppression import MARKER
from alliance.report import charts, maps
from alliance.report.document import Block, Figure, Finding, Notice, Paragraph, Section, Table
from alliance.report.places import map_layers
from alliance.report.sna.common import (
    IMD,
    Context,
    publish,
)
from alliance.report.sna.comparators import comparator_blocks
from alliance.report.sna.headlines import towns_by_count
from alliance.report.sna.overall import CI_LOWER, CI_UPPER, COUNT, RATE, RESIDENTS
from alliance.report.sna.published import (
    STALE_AFTER_MONTHS,
    LeftOut,
    currency,
    decimals,
    local_figures,
    newest,
    newest_period,
    stale_note,
)
from alliance.report.sna.spatial import published
from alliance.report.wording import (
    describe_ratio,
    format_value,
    period_label,
    unit_kind,
    unit_label,
)

#: Below this many residents a per-resident rate says more about visitors than residents.
SMALL_RESIDENT_POPULATION = 20_000

#: the period under the partner statistics tables
NEWEST_PERIOD = "newest period held for each figure (given in the table), with the one before"
TITLE = "Local context"
#: the population table's rows and columns (the Welsh edition keys its words by them)
USUAL_RESIDENTS = "Usual residents (Census 2021)"
LSOAS = "LSOAs (2021)"
CSPS = "Community Safety Partnerships"
YOUNG = "Residents aged 10–24 (ONS mid-2020, carried to LSOA 2021)"
YOUNG_SHARE = "% aged 10–24"
DEPRIVED_SHARE = "% of residents in England's most deprived 20% of LSOAs (IMD 2025)"
GEO_SOURCE = "ONS LSOA 2021 boundaries and lookups"
IMD_CAPTION = "IMD 2025 national decile by LSOA"
DECILE = "IMD 2025 decile"
GRADIENT_CAPTION = ("Proxy-measure violence per 1,000 residents a year by IMD 2025 decile of "
                    "the LSOA")
GRADIENT_DESC = ("Bar chart of proxy-measure violence per 1,000 residents a year by the national "
                 "IMD 2025 decile of the LSOA where it happened (1 = most deprived).")
GRADIENT_SOURCE = "police.uk street-level crime (data.police.uk); " + IMD
DEPRIVED_RATE = ("The rate of proxy-measure violence in LSOAs among England's most deprived "
                 "20% (IMD 2025 deciles 1–2) is ")
LEAST_DEPRIVED = "the rate in the least deprived 20% (deciles 9–10)"
PARTNER_CAPTION = ("Published statistics for the area: child poverty, homicide and "
                   "police-recorded violence (newest period held, out-of-date figures flagged)")
NO_PARTNER_STATISTICS = (
    "No published partner statistics (school exclusions and absence, NEET, children's "
    "social care factors, homicide and knife crime by force area) are loaded yet. "
    "Load them with `alliance load indicators --from PATH` and they appear here.")


def population_table(ctx: Context) -> Table:
    lsoa = ctx.inputs.lsoa
    rows = [{"Measure": USUAL_RESIDENTS, "Value": int(ctx.population)},
            {"Measure": LSOAS, "Value": len(lsoa)},
            {"Measure": CSPS, "Value": int(lsoa["csp_name"].nunique())}]
    if "population_10_24" in lsoa.columns and lsoa["population_10_24"].notna().all():
        young = float(lsoa["population_10_24"].sum())
        total_mye = float(lsoa.get("population_mye", lsoa["population"]).sum())
        rows.append({"Measure": YOUNG, "Value": round(young)})
        rows.append({"Measure": YOUNG_SHARE, "Value": round(young / total_mye * 100, 1)})
    most = lsoa["imd_decile"].isin([1, 2])
    rows.append({"Measure": DEPRIVED_SHARE,
                 "Value": round(lsoa.loc[most, "population"].sum() / ctx.population * 100, 1)})
    return Table(id="t3-1-context", caption=population_caption(ctx),
                 data=pd.DataFrame(rows), provenance=ctx.geo_provenance(
                     source=population_source(ctx)))


def population_caption(ctx: Context) -> str:
    return f"{ctx.area_name}: population and deprivation"


def population_source(ctx: Context) -> str:
    return f"{GEO_SOURCE}; {ctx.inputs.population_source}; {IMD}"


def most_deprived(ctx: Context) -> int:
    """How many of the area's LSOAs are in IMD 2025 deciles 1–2."""
    return int((ctx.inputs.lsoa["imd_decile"].astype(float) <= 2).sum())


def imd_description(ctx: Context) -> str:
    """The IMD map's description (its alt text)."""
    return (f"Map of the LSOAs of {ctx.area_name} shaded by their national IMD 2025 decile "
            "(1 = the most deprived 10% of LSOAs in England, 10 = the least deprived). "
            f"{most_deprived(ctx)} LSOAs are in deciles 1–2.")


def imd_map(ctx: Context) -> Figure:
    lsoa = ctx.inputs.lsoa
    deciles = lsoa["imd_decile"].astype(float)
    desc = imd_description(ctx)
    layers = map_layers(lsoa)
    chart = maps.choropleth(lsoa["geometry_wkb"], deciles, chart_id="f3-2-imd",
                            title="Index of Multiple Deprivation 2025 decile by LSOA", desc=desc,
                            legend_title="IMD 2025 decile (1 = most deprived)",
                            value_format="{:,.0f}", dark_low=True, breaks=(2, 4, 6, 8, 10),
                            legend_ends=("More deprived", "Less deprived"),
                            boundary_label="Community Safety Partnership",
                            **layers.kwargs())
    data = chart.data.drop(columns=["Class", "Suppressed"]).rename(
        columns={"Value": DECILE})
    return Figure(id="f3-2-imd", caption=IMD_CAPTION, svg=chart.svg,
                  alt_text=desc, data=data, provenance=ctx.geo_provenance(source=IMD),
                  message=imd_message(ctx))


def imd_message(ctx: Context) -> str:
    lsoa = ctx.inputs.lsoa
    most = lsoa.index[lsoa["imd_decile"].isin([1, 2])]
    share = lsoa.loc[most, "population"].sum() / ctx.population * 100
    if not len(most):
        return (f"None of {ctx.area_name}'s {len(lsoa)} neighbourhoods is among England's most "
                "deprived 20%.")
    verb = "is" if len(most) == 1 else "are"
    return (f"{len(most)} of {ctx.area_name}'s {len(lsoa)} neighbourhoods, home to "
            f"{share:.0f}% of its residents, {verb} among England's most deprived 20% (the "
            f"darkest colours): {towns_by_count(ctx, list(most))}.")


def gradient(ctx: Context) -> tuple[Figure, list[Block]]:
    """Rate of proxy-measure violence by IMD 2025 decile of the LSOA (published decile cells
    of the area's lattice, so they cannot be set against the LSOA tables)."""
    figures = lsoa_figures.deciles(ctx.pub, period=ctx.fperiod)
    table = figures.table
    chart = charts.bar_chart([f"Decile {d}" for d in table["decile"]], table["rate"].tolist(),
                             chart_id="f3-3-gradient", title="Rate by deprivation decile",
                             desc=GRADIENT_DESC, value_label="Rate per 1,000 residents a year",
                             value_format="{:,.1f}")
    data = pd.DataFrame({DECILE: table["decile"],
                         COUNT: [published(v) for v in table["count"]],
                         RESIDENTS: table["population"],
                         RATE: publish(table["rate"].round(2)).to_numpy(),
                         CI_LOWER: publish(table["lower"].round(2)).to_numpy(),
                         CI_UPPER: publish(table["upper"].round(2)).to_numpy()})
    fig = Figure(id="f3-3-gradient", caption=GRADIENT_CAPTION, svg=chart.svg,
                 alt_text=GRADIENT_DESC, data=data, message=gradient_message(table),
                 provenance=ctx.provenance(source=GRADIENT_SOURCE,
                                           suppression=ctx.pub.status(decile_keys(ctx, table))))
    blocks: list[Block] = []
    rr = figures.most_vs_least
    if rr is not None:
        blocks.append(Finding(id="f-deprivation", text=(
            DEPRIVED_RATE + describe_ratio(rr.ratio, rr.lower, rr.upper,
                                           comparator=LEAST_DEPRIVED) + "."),
            provenance=ctx.provenance(), value=round(rr.ratio, 2), unit="rate ratio"))
    return fig, blocks


def decile_keys(ctx: Context, table: pd.DataFrame) -> list[CellKey]:
    """The lattice cells of the deprivation gradient (for its suppression status)."""
    return [CellKey("decile", str(d), str(ctx.fperiod.key)) for d in table["decile"]]


def gradient_message(table: pd.DataFrame) -> str:
    shown = table[~table["hidden"]].sort_values("decile")
    if len(shown) < 2:
        return "Too few deprivation deciles are published to compare."
    first, last = shown.iloc[0], shown.iloc[-1]
    words = ("Violence is more frequent where deprivation is higher"
             if first["rate"] > last["rate"] else "Violence does not rise with deprivation here")
    return (f"{words}: {first['rate']:,.1f} offences per 1,000 residents a year in decile "
            f"{int(first['decile'])} neighbourhoods against {last['rate']:,.1f} in decile "
            f"{int(last['decile'])} (decile 1 is England's most deprived tenth).")


CONTEXT_MEASURES = ("children_relative_poverty_ahc", "homicide_rate_per_million",
                    "knife_homicide", "knife_attempted_murder",
                    "knife_assault_with_injury_and_assault_with_intent_to_cause_serious_harm",
                    "prc_violence_with_injury_rate", "prc_robbery_rate",
                    "prc_possession_of_weapons_offences_rate")
YOUTH_MEASURES = ("fte_youth_justice_rate", "youth_cautioned_or_sentenced_rate",
                  "youth_reoffending_rate", "cla_convicted_or_cautioned_10_17_percent")
RISK_MEASURES = ("persistent_absence_rate", "neet_or_not_known_16_17", "cla_at_31_march_rate",
                 "cin_at_31_march", "csc_factor_gangs", "csc_factor_child_criminal_exploitation",
                 "csc_factor_going_missing", "permanent_exclusions", "fixed_period_exclusions",
                 "alcohol_related_admissions_narrow_dsr", "hospital_admissions_injuries_0_14")


NOT_SHOWN = "Not shown: "


def partner_source(sources: str) -> str:
    """A partner table's source line: the publishers' dataset ids, joined."""
    return f"published partner statistics ({sources})"


def partner_suppression(threshold: int) -> str:
    return f"as published by the partner; counts below {threshold} hidden"


@dataclass(frozen=True, kw_only=True)
class PartnerStatistics:
    """A partner-statistics table and the measures left out of it (with the reason)."""

    table: Table | None
    left_out: tuple[LeftOut, ...]
    stale: str = ""  # the sentence explaining out-of-date figures, when any are shown

    def note(self) -> Paragraph | None:
        """A paragraph on the out-of-date figures and what was left out, or None."""
        parts = [self.stale] if self.stale else []
        if self.left_out:
            parts.append(NOT_SHOWN + " ".join(x.sentence() for x in self.left_out))
        return Paragraph(text=" ".join(parts)) if parts else None


def _shown(row: pd.Series, threshold: int, dp: int) -> str:
    """A partner value as people write it, except a count from 1 to threshold-1, which is
    hidden like every other small count in the report."""
    value = float(row["value"])
    if unit_kind(str(row["unit"]))[0] == "count" and 1 <= value < threshold:
        return MARKER
    return format_value(value, unit=str(row["unit"]), dp=dp)


def sna_end(ctx: Context) -> pd.Timestamp:
    """The last day of the SNA's period."""
    return pd.Period(ctx.period.last, freq="M").to_timestamp(how="end").normalize()


def partner_statistics(ctx: Context, measures: tuple[str, ...], *, table_id: str,
                       caption: str,
                       stale_after_months: int = STALE_AFTER_MONTHS) -> PartnerStatistics:
    """Newest published value (and the one before) of each measure for each of the area's own
    areas, each with its period and whether it is current (see
    :mod:`alliance.report.sna.published`).

    Several publishers may use one measure id (DfE's absence release, LAIT and ONS all give
    persistent absence, over different pupil populations): one publisher's series is shown,
    chosen the same way every time, and "the one before" comes from that series only, so a
    change is never a change of definition.
    """
    local = local_figures(ctx.inputs.indicators, measures, successors=ctx.inputs.successors)
    ind = local.rows
    if ind.empty:
        return PartnerStatistics(table=None, left_out=local.left_out)
    ind = ind.assign(_when=ind["_when"].fillna(pd.Timestamp("1900-01-01")))
    rank = {m: i for i, m in enumerate(measures)}
    end = sna_end(ctx)
    rows = []
    for _, last in newest(ind).iterrows():
        measure, area = last["measure"], last["area_code"]
        history = ind[(ind["measure"] == measure) & (ind["area_code"] == area)
                      & (ind["source"] == last["source"])].sort_values(["_when", "period"])
        # an earlier period, not the same period published under another label (LAIT "2025"
        # and DfE "2024/25" are one academic year)
        earlier = history[(history["period"] != last["period"])
                          & (history["_when"] < last["_when"])]
        prev = earlier.iloc[-1] if len(earlier) else None
        unit = str(last["unit"])
        dp = decimals(ctx.inputs.indicators, last,
                      *([float(prev["value"])] if prev is not None else []))
        label = re.sub(r"\s*\[LAIT [^\]]*\]", "", str(last["measure_label"] or measure))
        current = currency(last["_when"], sna_end=end, stale_after_months=stale_after_months,
                           newest_period=newest_period(ctx.inputs.indicators, str(measure),
                                                       str(last["source"])))
        rows.append({"_rank": rank[str(measure)], "Indicator": label,
                     "Area": f"{last['area_name']} ({area})",
                     "Period": period_label(last["period"]),
                     "Value": _shown(last, ctx.threshold, dp), "Unit": unit_label(unit),
                     "Previous": (f"{period_label(prev['period'])}: "
                                  f"{_shown(prev, ctx.threshold, dp)}"
                                  if prev is not None else ""),
                     "Currency": current.text,
                     "_source": str(last["source"]).replace("_", " "),
                     "_batch": int(last["batch_id"])})
    frame = pd.DataFrame(rows).sort_values(["_rank", "Area"], kind="stable")
    batches = tuple(str(b) for b in sorted(frame["_batch"].unique()))
    sources = ", ".join(sorted(frame["_source"].unique()))
    data = frame.drop(columns=["_rank", "_batch", "_source"]).reset_index(drop=True)
    table = Table(id=table_id, caption=caption, data=data, row_header=False,
                  provenance=ctx.provenance(
                      source=partner_source(sources), batches=batches,
                      period=NEWEST_PERIOD,
                      suppression=partner_suppression(ctx.threshold)))
    stale = frame["Currency"].str.startswith("Out of date").any()
    return PartnerStatistics(table=table, left_out=local.left_out,
                             stale=stale_note(end, stale_after_months) if stale else "")


def partner_table(ctx: Context, measures: tuple[str, ...], *, table_id: str,
                  caption: str) -> Table | None:
    """The table of :func:`partner_statistics` (None when no figure is held)."""
    return partner_statistics(ctx, measures, table_id=table_id, caption=caption).table


def small_population_notice(ctx: Context) -> str:
    """The warning on per-resident rates in an area with few residents."""
    return (f"{ctx.area_name} has only {ctx.population:,.0f} usual residents, but far more "
            "people work in or visit it every day. Rates per resident are therefore misleading "
            "here: they divide offences that mostly involve commuters, visitors and the "
            "night-time economy by a small resident population. Read the counts, trends and "
            "maps, not the per-resident rates, and compare with areas of similar character.")


def area_code_words(ctx: Context) -> str:
    """'CSP E22000001': the area's level and code, as the chapter's first sentence gives them."""
    return f"{ctx.inputs.area.level.upper()} {ctx.inputs.area.code or ''}"


IMD_NOTE = ("Deprivation is the MHCLG Index of Multiple Deprivation 2025, which is published for "
            "LSOA 2021 and ranks every LSOA in England.")


def intro(ctx: Context) -> str:
    return (f"{ctx.area_name} ({area_code_words(ctx)}) covers {len(ctx.inputs.lsoa)} LSOAs "
            "(2021). "
            + (ctx.inputs.area.note.rstrip(". ") + ". " if ctx.inputs.area.note else "")
            + IMD_NOTE)


def chapter(ctx: Context) -> Section:
    blocks: list[Block] = []
    if ctx.population < SMALL_RESIDENT_POPULATION:
        blocks.append(Notice(text=small_population_notice(ctx)))
    blocks.append(Paragraph(text=intro(ctx)))
    blocks.append(population_table(ctx))
    blocks.append(imd_map(ctx))
    fig, findings = gradient(ctx)
    blocks += [*findings, fig]
    partner = partner_statistics(ctx, CONTEXT_MEASURES, table_id="t3-2-partner",
                                 caption=PARTNER_CAPTION)
    if partner.table is not None:
        blocks.append(partner.table)
    note = partner.note()
    if note is not None:
        blocks.append(note)
    blocks += list(comparator_blocks(ctx))
    if partner.table is None and note is None:
        blocks.append(Paragraph(text=NO_PARTNER_STATISTICS))
    return Section(id="context", title=TITLE, blocks=tuple(blocks))
