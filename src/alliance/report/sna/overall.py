"""Chapter 4: the overall picture — counts, rates, change, monthly trend, funnel, districts.

Every number is a published figure of :mod:`alliance.figures` for the SNA's area and reporting
year, read through ``ctx.pub``: the dashboard shows the same ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.figures import counts as count_figures
from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.report import charts
from alliance.report.document import Block, Figure, Finding, Paragraph, Section, Table
from alliance.report.sna.common import PROXY_NOTE, Context, publish
from alliance.report.sna.headlines import (
    counted,
    lsoa_name,
    number_words,
    place_of,
    trend_words,
)
from alliance.report.sna.period import Comparison, month_label
from alliance.report.sna.spatial import month_counts, published
from alliance.report.sna.trend import trend_blocks
from alliance.report.wording import describe_change, format_count, format_rate
from alliance.stats.multiple_testing import adjust_p_values
from alliance.stats.rates import FunnelLimits
from alliance.stats.trends.seasonal_kendall import trend_test

#: the filters named under the tables (which rows are counted, and which placed)
COUNTED, LOCATED, CATEGORY_FILTER = "counted", "located", "category"
COUNTED_YES, PLACED = "yes (local definition)", "placed in the area's LSOAs"
IN_AN_LSOA = "in an LSOA of the area"
TITLE = "The overall picture of serious violence"
TOTAL = "All violence counted (proxy measure)"
#: the chapter's column headings and fixed cell words (the Welsh edition keys its words by them)
CATEGORY, COUNT, RESIDENTS = "Category", "Count", "Residents"
RATE, CI_LOWER, CI_UPPER = "Rate per 1,000 a year", "95% CI lower", "95% CI upper"
BEFORE, AFTER = "Count, earlier months", "Count, same months this period"
PERCENT, CHANGE_LOWER, CHANGE_UPPER = "% change", "Change 95% CI lower", "Change 95% CI upper"
SIGNIFICANCE = "Significance"
CORRECTED = " (corrected for several categories)"
RISE, FALL, NO_CHANGE = "significant rise", "significant fall", "no significant change"
NOT_CALCULABLE = "not calculable"
MONTH, LOWER, UPPER, HELD = "Month", "95% lower", "95% upper", "Held"
YES, NO = "yes", "no"
LSOA, NAME, POSITION, NOT_PUBLISHED = "LSOA", "Name", "Position", "not published"
CSP, TOTAL_ROW = "Community Safety Partnership", "Total"
CHANGE_CAPTION = ("The categories are tested together, so their significance is corrected for "
                  "several tests (Holm); the total is one test of its own")
TREND_CAPTION = "Proxy-measure violence by month, all months held (months not held are left blank)"
FUNNEL_CAPTION = ("Proxy-measure violence per 1,000 residents a year by LSOA against its "
                  "population, with 95% and 99.8% limits around the area's rate")
#: Indicator dictionary L12: weapon possession is found by police activity, so no RAG rating.
ACTIVITY_NOTE = (" Possession offences are found by police activity (stop and search, "
                 "operations), so a change may reflect policing more than carrying.")
RATE_FORMATS = {RATE: "rate:2", CI_LOWER: "rate:2", CI_UPPER: "rate:2"}


def category_rows(ctx: Context) -> list[tuple[str, str]]:
    """(category key, label) of each row of the category tables, the total last."""
    return [*ctx.labels.items(), (ALL, TOTAL)]


def counts_table(ctx: Context) -> tuple[list[Table], list[Block]]:
    """T4.1: counts and rates per 1,000 residents a year by category; T4.1b: change."""
    rows = []
    for key, label in category_rows(ctx):
        value = ctx.count(category=key)
        r = count_figures.rate_of(value, population=int(ctx.population), period=ctx.fperiod)
        rows.append({CATEGORY: label, COUNT: published(value),
                     RATE: publish(pd.Series([r.value]), 2).iloc[0],
                     CI_LOWER: publish(pd.Series([r.lower]), 2).iloc[0],
                     CI_UPPER: publish(pd.Series([r.upper]), 2).iloc[0]})
    status = ctx.pub.status(count_keys(ctx))
    tables = [Table(id="t4-1-counts", caption=counts_caption(ctx),
                    data=pd.DataFrame(rows).set_index(CATEGORY),
        provenance=ctx.provenance(suppression=status,
                                  filters={COUNTED: COUNTED_YES, LOCATED: PLACED}),
        column_formats=RATE_FORMATS)]
    findings: list[Block] = []
    total = ctx.count()
    if not np.isnan(total):
        r = count_figures.rate_of(total, population=int(ctx.population), period=ctx.fperiod)
        findings.append(Finding(id="f-total", text=total_text(ctx, total, r),
                                provenance=ctx.provenance(), value=float(total),
                                unit="offences"))
    comp = ctx.comparison
    if comp.kind == "none":
        return tables, findings
    changes = {key: count_figures.change(ctx.pub, level=ctx.level, code=ctx.code,
                                         before=comp.before, after=comp.after, category=key)
               for key, _ in category_rows(ctx)}
    verdicts = _corrected_verdicts(changes)
    compared = f"{months_text(comp.after)} against {months_text(comp.before)}"
    change_rows = []
    for key, label in category_rows(ctx):
        ch = changes[key]
        change_rows.append({CATEGORY: label, BEFORE: published(ch.before),
                            AFTER: published(ch.after),
                            PERCENT: publish(pd.Series([ch.percent]), 1).iloc[0],
                            CHANGE_LOWER: publish(
                                pd.Series([(ch.lower - 1) * 100]), 1).iloc[0],
                            CHANGE_UPPER: publish(
                                pd.Series([(ch.upper - 1) * 100]), 1).iloc[0],
                            SIGNIFICANCE: verdicts[key]})
        if ch.shown and (key == ALL or len(findings) < 4):
            fid = "f-change-" + ("all" if key == ALL else key.replace("_", "-"))
            findings.append(Finding(
                id=fid, text=change_text(label, ch, ctx),
                provenance=ctx.provenance(period=compared,
                                          filters={CATEGORY_FILTER: label}),
                value=round(ch.percent, 1), unit="% change"))
    tables.append(Table(id="t4-1b-change", caption=change_caption(comp),
        data=pd.DataFrame(change_rows).set_index(CATEGORY),
        provenance=ctx.provenance(suppression=status,
                                  period=compared)))
    return tables, findings


CHANGE_METHOD = ("quasi-Poisson rate ratio of monthly counts, like months compared with like, "
                 "allowing for extra-Poisson variation between months")


def count_keys(ctx: Context) -> list[CellKey]:
    """The lattice cells of the category tables (for their suppression status)."""
    return [CellKey(ctx.level, ctx.code, str(ctx.fperiod.key), k) for k, _ in category_rows(ctx)]


def counts_caption(ctx: Context) -> str:
    return (f"Proxy-measure violence by category, {ctx.fperiod.label}: count and rate per 1,000 "
            "residents a year")


def change_caption(comp: Comparison) -> str:
    return f"Change in proxy-measure violence by category: {comp.describe()}. {CHANGE_CAPTION}"


def total_text(ctx: Context, total: float, r: count_figures.Rate) -> str:
    """The finding on the year's count and rate."""
    return (f"{format_count(total)} offences counted under the local definition (a proxy "
            f"measure of serious violence) were placed in {ctx.area_name}'s neighbourhoods in "
            f"{ctx.fperiod.label} ({format_rate(r.value, dp=1)} residents a year, 95% CI "
            f"{r.lower:.1f} to {r.upper:.1f}); most are the police.uk proxy category "
            "'Violence and sexual offences'.")


def change_text(label: str, ch: count_figures.Change, ctx: Context) -> str:
    """The finding on one category's change (or the total's) against the earlier months."""
    comp = ctx.comparison
    described = describe_change(ch.percent, (ch.lower - 1) * 100, (ch.upper - 1) * 100)
    return (f"{label} {described} in {months_text(comp.after)} compared with "
            f"{months_text(comp.before)} ({format_count(ch.before)} to "
            f"{format_count(ch.after)}; {CHANGE_METHOD})."
            + (ACTIVITY_NOTE if is_weapons(label) else ""))


def is_weapons(label: str) -> bool:
    """Possession of weapons, whose count follows police activity (:data:`ACTIVITY_NOTE`)."""
    return "weapon" in label.lower()


def corrected_significance(changes: dict[str, count_figures.Change]) -> dict[str, bool]:
    """Whether each category's change is significant once the categories are tested together
    (Holm); a single category is its own test. Hidden changes are left out."""
    tested = [k for k, c in changes.items() if k != ALL and c.shown]
    if len(tested) <= 1:
        return {k: changes[k].verdict != "no significant change" for k in tested}
    adjusted = adjust_p_values([changes[k].p_value for k in tested], method="holm",
                               labels=tested)
    return {k: bool(s) for k, s in zip(tested, adjusted.significant, strict=True)}


def _corrected_verdicts(changes: dict[str, count_figures.Change]) -> dict[str, str]:
    """Words for each change: categories Holm-corrected together, the total on its own."""
    words = {k: {"hidden": "[c]", NOT_CALCULABLE: NOT_CALCULABLE}.get(c.verdict, c.verdict)
             for k, c in changes.items()}
    tested = [k for k, c in changes.items() if k != ALL and c.shown]
    if len(tested) > 1:
        for k, significant in corrected_significance(changes).items():
            rise = changes[k].ratio > 1
            words[k] = ((RISE if rise else FALL) + CORRECTED if significant
                        else NO_CHANGE + CORRECTED)
    return words


def months_text(months: tuple[str, ...]) -> str:
    """'January–April 2025', 'December 2024–March 2025' or 'May 2025'."""
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{first:%B}–{last:%B %Y}"
    return f"{month_label(first)}–{month_label(last)}"


def trend_figure(ctx: Context) -> tuple[Figure | None, list[Block]]:
    """F4.1: monthly counts over every month held, with exact 95% intervals; gaps stay gaps."""
    mc = month_counts(ctx)
    counts = mc.months
    shown = counts.dropna()
    if len(shown) < 2:
        return None, [Paragraph(text=too_few_months(ctx.threshold))]
    desc = trend_description(ctx, counts, int((mc.state == "not held").sum()))
    chart = charts.line_chart(charts.month_axis(list(counts.index)), counts.tolist(),
                              chart_id="f4-1-trend", title="Serious violence by month",
                              desc=desc, y_label="Offences a month",
                              series_label="Proxy-measure violence",
                              lower=mc.lower.tolist(), upper=mc.upper.tolist(),
                              ci_label="95% interval (exact Poisson)")
    data = pd.DataFrame({
        MONTH: counts.index,
        COUNT: ["" if s in ("not held", "by year only") else published(v)
                for v, s in zip(counts, mc.state, strict=True)],
        LOWER: mc.lower.round(1).to_numpy(), UPPER: mc.upper.round(1).to_numpy(),
        HELD: [NO if s == "not held" else YES for s in mc.state]})
    message = f"{trend_range(counts)} {trend_words(trend_test(counts))}"
    fig = Figure(id="f4-1-trend", caption=TREND_CAPTION, svg=chart.svg, alt_text=desc, data=data,
                 provenance=ctx.provenance(period=f"{counts.index[0]} to {counts.index[-1]}",
                                           suppression=mc.status), message=message)
    return fig, trend_blocks(ctx, counts)


def too_few_months(threshold: int) -> str:
    return (f"Monthly counts are below {threshold} (or hidden to protect them) in almost "
            "every month, so no monthly series can be published for this area.")


def trend_description(ctx: Context, counts: pd.Series, gaps: int) -> str:
    """The monthly chart's description (its alt text): its span, range and gaps."""
    shown = counts.dropna()
    return (f"Monthly count of proxy-measure violence in {ctx.area_name} from "
            f"{month_label(counts.index[0])} to {month_label(counts.index[-1])}: between "
            f"{shown.min():,.0f} and {shown.max():,.0f} a month."
            + (f" {gaps} month(s) are not held and show as gaps." if gaps else ""))


def trend_range(counts: pd.Series) -> str:
    """The lowest and highest published month, the start of the chart's message."""
    shown = counts.dropna()
    low, high = str(shown.idxmin()), str(shown.idxmax())
    return (f"Monthly counts ran from {shown.min():,.0f} ({month_label(low)}) to "
            f"{shown.max():,.0f} ({month_label(high)}).")


def funnel_description(ctx: Context, limits: FunnelLimits) -> str:
    """The funnel plot's description (its alt text), with the limits' own summary."""
    return (f"Funnel plot of proxy-measure violence per 1,000 residents a year in each "
            f"published LSOA of {ctx.area_name}, {ctx.fperiod.label}, against resident "
            f"population, with 95% and 99.8% limits around the area rate. "
            f"{limits.summary(areas=FUNNEL_AREAS)}")


FUNNEL_AREAS = "LSOAs"


def funnel_keys(ctx: Context, frame: pd.DataFrame) -> list[CellKey]:
    return [CellKey("lsoa", c, str(ctx.fperiod.key)) for c in frame["lsoa21_code"]]


def funnel_figure(ctx: Context) -> Figure | None:
    """F4.2: LSOA rates against population, with limits that allow for over-dispersion."""
    frame = lsoa_figures.neighbourhoods(ctx.pub, level=ctx.level, code=ctx.code,
                                        period=ctx.fperiod)
    limits = lsoa_figures.funnel(ctx.pub, level=ctx.level, code=ctx.code, period=ctx.fperiod)
    if limits is None:
        return None
    flags = limits.flag.reindex(frame["lsoa21_code"])
    desc = funnel_description(ctx, limits)
    shown = ~frame["hidden"].to_numpy()
    chart = charts.funnel_plot(list(frame["name"][shown]), frame["count"][shown].tolist(),
                               frame["population"][shown].astype(float).tolist(),
                               chart_id="f4-2-funnel", title="Funnel plot of LSOA rates",
                               desc=desc, target_rate=limits.target,
                               denominator_label="Residents", limits=limits)
    data = pd.DataFrame({LSOA: frame["lsoa21_code"], NAME: frame["name"],
                         RESIDENTS: frame["population"],
                         COUNT: [published(v) for v in frame["count"]],
                         RATE: publish(frame["rate"], 2).to_numpy(),
                         POSITION: flags.fillna(NOT_PUBLISHED).to_numpy()})
    return Figure(id="f4-2-funnel", caption=FUNNEL_CAPTION,
                  svg=chart.svg, alt_text=desc, data=data, provenance=ctx.provenance(
                      suppression=ctx.pub.status(funnel_keys(ctx, frame))),
                  column_formats={}, message=funnel_message(ctx, limits, frame))


def funnel_message(ctx: Context, limits: FunnelLimits, frame: pd.DataFrame) -> str:
    """Both sides of the funnel in words: how many neighbourhoods sit above and below each
    limit, and the one furthest above, by name and place."""
    above_limit = limits.outside["above"].astype(int).to_dict()
    below_limit = limits.outside["below"].astype(int).to_dict()
    far_up, far_down = above_limit["99.8%"], below_limit["99.8%"]
    up, down = above_limit["95%"], below_limit["95%"]
    text = (f"{counted(far_up, 'neighbourhood', ('is', 'are')).capitalize()} far above the "
            f"area's rate and {number_words(far_down)} far below (outside the 99.8% limits); "
            f"{number_words(up)} above and {number_words(down)} below the 95% limits, which "
            "about 1 in 40 would cross on each side by chance.")
    code = furthest_above(limits, frame)
    if code is not None:
        text += f" Furthest above: {lsoa_name(ctx, code)} ({place_of(ctx, code)})."
    return text


def furthest_above(limits: FunnelLimits, frame: pd.DataFrame) -> str | None:
    """The LSOA furthest above the 99.8% limit (largest z-score), or None."""
    flags = limits.flag.reindex(frame["lsoa21_code"]).to_numpy()
    above = frame[flags == "above 99.8%"]
    if not len(above):
        return None
    top = above.assign(z=(above["rate"] - limits.target) * np.sqrt(above["population"]))
    return str(top.sort_values("z", ascending=False)["lsoa21_code"].iloc[0])


def csp_units(ctx: Context) -> dict[str, str]:
    """The Community Safety Partnerships wholly inside the area: code -> name."""
    geo = ctx.pub.cube.geography
    return {code: name for code, name in geo.units("csp").items()
            if set(geo.lsoas_of("csp", code)) <= set(ctx.inputs.lsoa.index)}


def csp_keys(ctx: Context, units: dict[str, str]) -> list[CellKey]:
    """The lattice cells of the CSP table: each CSP, then the area's total."""
    year = str(ctx.fperiod.key)
    return [*(CellKey("csp", code, year) for code in units), CellKey(ctx.level, ctx.code, year)]


def csp_table(ctx: Context) -> Table | None:
    """T4.2: proxy-measure violence by Community Safety Partnership."""
    geo = ctx.pub.cube.geography
    units = csp_units(ctx)
    if len(units) < 2:
        return None
    rows = []
    for key, name in zip(csp_keys(ctx, units), [*units.values(), TOTAL_ROW], strict=True):
        value = ctx.pub.count(level=key.level, code=key.code, period=ctx.fperiod)
        population = geo.population(geo.lsoas_of(key.level, key.code))
        r = count_figures.rate_of(value, population=population, period=ctx.fperiod)
        rows.append({CSP: name, COUNT: published(value), RESIDENTS: population,
                     RATE: publish(pd.Series([r.value]), 2).iloc[0]})
    return Table(id="t4-2-csp", caption=csp_caption(ctx),
                 data=pd.DataFrame(rows).set_index(CSP),
                 provenance=ctx.provenance(suppression=ctx.pub.status(csp_keys(ctx, units)),
                                           filters={LOCATED: IN_AN_LSOA}))


def csp_caption(ctx: Context) -> str:
    return (f"Proxy-measure violence by Community Safety Partnership, {ctx.fperiod.label} "
            "(offences placed in an LSOA of the area)")


HARM_NOTE = ("A harm-weighted series (Cambridge Crime Harm Index) is left out: police.uk "
             "gives one broad category for most violence, so each category carries one average "
             "weight and the harm line would repeat the count line. It will be drawn when the "
             "force's own records, with Home Office offence codes, are pooled.")


def chapter(ctx: Context) -> Section:
    tables, findings = counts_table(ctx)
    trend, trend_text = trend_figure(ctx)
    blocks: list[Block] = [
        Paragraph(text=intro(ctx)),
        *findings, *tables, *trend_text, *([trend] if trend else [])]
    funnel = funnel_figure(ctx)
    if funnel is not None:
        blocks.append(funnel)
    csp = csp_table(ctx)
    if csp is not None:
        blocks.append(csp)
    blocks.append(Paragraph(text=HARM_NOTE))
    return Section(id="overall", title=TITLE, blocks=tuple(blocks))


def intro(ctx: Context) -> str:
    """The chapter's first paragraph: what is counted, where, and how rates are worked out."""
    return (f"This chapter counts the offences the local definition counts as serious violence "
            f"in {ctx.area_name}. {PROXY_NOTE} Robbery and possession of weapons are published "
            "as their own categories and are counted as they are. Counts are of offences "
            "placed in the area's neighbourhoods (LSOAs); offences published without a "
            "location are reported in the data currency section and are in no count or rate. "
            f"Rates are per 1,000 residents a year (Census 2021 usual residents, "
            f"{ctx.population:,.0f}); intervals are exact Poisson below 10 events and Byar's "
            "from 10 (PHE method); changes are rate ratios with an exact conditional "
            "(binomial) interval.")
