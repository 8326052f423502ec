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
from alliance.report.sna.period import month_label
from alliance.report.sna.spatial import month_counts, published
from alliance.report.sna.trend import trend_blocks
from alliance.report.wording import describe_change, format_count, format_rate
from alliance.stats.multiple_testing import adjust_p_values
from alliance.stats.rates import FunnelLimits
from alliance.stats.trends.seasonal_kendall import trend_test

TOTAL = "All violence counted (proxy measure)"
#: Indicator dictionary L12: weapon possession is found by police activity, so no RAG rating.
ACTIVITY_NOTE = (" Possession offences are found by police activity (stop and search, "
                 "operations), so a change may reflect policing more than carrying.")
RATE_FORMATS = {"Rate per 1,000 a year": "rate:2", "95% CI lower": "rate:2",
                "95% CI upper": "rate:2"}


def _rows(ctx: Context) -> list[tuple[str, str]]:
    """(category key, label) of each row of the category tables, the total last."""
    return [*ctx.labels.items(), (ALL, TOTAL)]


def counts_table(ctx: Context) -> tuple[list[Table], list[Block]]:
    """T4.1: counts and rates per 1,000 residents a year by category; T4.1b: change."""
    rows = []
    for key, label in _rows(ctx):
        value = ctx.count(category=key)
        r = count_figures.rate_of(value, population=int(ctx.population), period=ctx.fperiod)
        rows.append({"Category": label, "Count": published(value),
                     "Rate per 1,000 a year": publish(pd.Series([r.value]), 2).iloc[0],
                     "95% CI lower": publish(pd.Series([r.lower]), 2).iloc[0],
                     "95% CI upper": publish(pd.Series([r.upper]), 2).iloc[0]})
    keys = [CellKey(ctx.level, ctx.code, str(ctx.fperiod.key), k) for k, _ in _rows(ctx)]
    status = ctx.pub.status(keys)
    tables = [Table(id="t4-1-counts", caption=(
        f"Proxy-measure violence by category, {ctx.fperiod.label}: count and rate per 1,000 "
        "residents a year"), data=pd.DataFrame(rows).set_index("Category"),
        provenance=ctx.provenance(suppression=status,
                                  filters={"counted": "yes (local definition)",
                                           "located": "placed in the area's LSOAs"}),
        column_formats=RATE_FORMATS)]
    findings: list[Block] = []
    total = ctx.count()
    if not np.isnan(total):
        r = count_figures.rate_of(total, population=int(ctx.population), period=ctx.fperiod)
        findings.append(Finding(id="f-total", text=(
            f"{format_count(total)} offences counted under the local definition (a proxy "
            f"measure of serious violence) were placed in {ctx.area_name}'s neighbourhoods in "
            f"{ctx.fperiod.label} ({format_rate(r.value, dp=1)} residents a year, 95% CI "
            f"{r.lower:.1f} to {r.upper:.1f}); most are the police.uk proxy category "
            "'Violence and sexual offences'."),
            provenance=ctx.provenance(), value=float(total), unit="offences"))
    comp = ctx.comparison
    if comp.kind == "none":
        return tables, findings
    changes = {key: count_figures.change(ctx.pub, level=ctx.level, code=ctx.code,
                                         before=comp.before, after=comp.after, category=key)
               for key, _ in _rows(ctx)}
    verdicts = _corrected_verdicts(changes)
    compared = f"{months_text(comp.after)} against {months_text(comp.before)}"
    change_rows = []
    for key, label in _rows(ctx):
        ch = changes[key]
        change_rows.append({"Category": label, "Count, earlier months": published(ch.before),
                            "Count, same months this period": published(ch.after),
                            "% change": publish(pd.Series([ch.percent]), 1).iloc[0],
                            "Change 95% CI lower": publish(
                                pd.Series([(ch.lower - 1) * 100]), 1).iloc[0],
                            "Change 95% CI upper": publish(
                                pd.Series([(ch.upper - 1) * 100]), 1).iloc[0],
                            "Significance": verdicts[key]})
        if ch.shown and (key == ALL or len(findings) < 4):
            fid = "f-change-" + ("all" if key == ALL else key.replace("_", "-"))
            described = describe_change(ch.percent, (ch.lower - 1) * 100,
                                        (ch.upper - 1) * 100)
            findings.append(Finding(
                id=fid, text=(f"{label} {described} in "
                              f"{months_text(comp.after)} compared with "
                              f"{months_text(comp.before)} ({format_count(ch.before)} to "
                              f"{format_count(ch.after)}; {CHANGE_METHOD})."
                              + (ACTIVITY_NOTE if "weapon" in label.lower() else "")),
                provenance=ctx.provenance(period=compared,
                                          filters={"category": label}),
                value=round(ch.percent, 1), unit="% change"))
    tables.append(Table(id="t4-1b-change", caption=(
        f"Change in proxy-measure violence by category: {comp.describe()}. The categories are "
        "tested together, so their significance is corrected for several tests (Holm); the "
        "total is one test of its own"),
        data=pd.DataFrame(change_rows).set_index("Category"),
        provenance=ctx.provenance(suppression=status,
                                  period=compared)))
    return tables, findings


CHANGE_METHOD = ("quasi-Poisson rate ratio of monthly counts, like months compared with like, "
                 "allowing for extra-Poisson variation between months")


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
    words = {k: {"hidden": "[c]", "not calculable": "not calculable"}.get(c.verdict, c.verdict)
             for k, c in changes.items()}
    tested = [k for k, c in changes.items() if k != ALL and c.shown]
    if len(tested) > 1:
        for k, significant in corrected_significance(changes).items():
            rise = changes[k].ratio > 1
            words[k] = (("significant rise" if rise else "significant fall")
                        + " (corrected for several categories)" if significant
                        else "no significant change (corrected for several categories)")
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
        return None, [Paragraph(text=(
            f"Monthly counts are below {ctx.threshold} (or hidden to protect them) in almost "
            "every month, so no monthly series can be published for this area."))]
    gaps = int((mc.state == "not held").sum())
    desc = (f"Monthly count of proxy-measure violence in {ctx.area_name} from "
            f"{month_label(counts.index[0])} to {month_label(counts.index[-1])}: between "
            f"{shown.min():,.0f} and {shown.max():,.0f} a month."
            + (f" {gaps} month(s) are not held and show as gaps." if gaps else ""))
    chart = charts.line_chart(charts.month_axis(list(counts.index)), counts.tolist(),
                              chart_id="f4-1-trend", title="Serious violence by month",
                              desc=desc, y_label="Offences a month",
                              series_label="Proxy-measure violence",
                              lower=mc.lower.tolist(), upper=mc.upper.tolist(),
                              ci_label="95% interval (exact Poisson)")
    data = pd.DataFrame({
        "Month": counts.index,
        "Count": ["" if s in ("not held", "by year only") else published(v)
                  for v, s in zip(counts, mc.state, strict=True)],
        "95% lower": mc.lower.round(1).to_numpy(), "95% upper": mc.upper.round(1).to_numpy(),
        "Held": ["no" if s == "not held" else "yes" for s in mc.state]})
    low, high = str(shown.idxmin()), str(shown.idxmax())
    message = (f"Monthly counts ran from {shown.min():,.0f} ({month_label(low)}) to "
               f"{shown.max():,.0f} ({month_label(high)}). {trend_words(trend_test(counts))}")
    fig = Figure(id="f4-1-trend", caption="Proxy-measure violence by month, all months held "
                 "(months not held are left blank)", svg=chart.svg, alt_text=desc, data=data,
                 provenance=ctx.provenance(period=f"{counts.index[0]} to {counts.index[-1]}",
                                           suppression=mc.status), message=message)
    return fig, trend_blocks(ctx, counts)


def funnel_figure(ctx: Context) -> Figure | None:
    """F4.2: LSOA rates against population, with limits that allow for over-dispersion."""
    frame = lsoa_figures.neighbourhoods(ctx.pub, level=ctx.level, code=ctx.code,
                                        period=ctx.fperiod)
    limits = lsoa_figures.funnel(ctx.pub, level=ctx.level, code=ctx.code, period=ctx.fperiod)
    if limits is None:
        return None
    flags = limits.flag.reindex(frame["lsoa21_code"])
    summary = limits.summary(areas="LSOAs")
    desc = (f"Funnel plot of proxy-measure violence per 1,000 residents a year in each "
            f"published LSOA of {ctx.area_name}, {ctx.fperiod.label}, against resident "
            f"population, with 95% and 99.8% limits around the area rate. {summary}")
    shown = ~frame["hidden"].to_numpy()
    chart = charts.funnel_plot(list(frame["name"][shown]), frame["count"][shown].tolist(),
                               frame["population"][shown].astype(float).tolist(),
                               chart_id="f4-2-funnel", title="Funnel plot of LSOA rates",
                               desc=desc, target_rate=limits.target,
                               denominator_label="Residents", limits=limits)
    data = pd.DataFrame({"LSOA": frame["lsoa21_code"], "Name": frame["name"],
                         "Residents": frame["population"],
                         "Count": [published(v) for v in frame["count"]],
                         "Rate per 1,000 a year": publish(frame["rate"], 2).to_numpy(),
                         "Position": flags.fillna("not published").to_numpy()})
    return Figure(id="f4-2-funnel", caption=(
        "Proxy-measure violence per 1,000 residents a year by LSOA against its population, "
        "with 95% and 99.8% limits around the area's rate"),
        svg=chart.svg, alt_text=desc, data=data, provenance=ctx.provenance(
            suppression=ctx.pub.status([CellKey("lsoa", c, str(ctx.fperiod.key))
                                        for c in frame["lsoa21_code"]])),
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
    flags = limits.flag.reindex(frame["lsoa21_code"]).to_numpy()
    above = frame[flags == "above 99.8%"]
    if len(above):
        top = above.assign(z=(above["rate"] - limits.target) * np.sqrt(above["population"]))
        code = str(top.sort_values("z", ascending=False)["lsoa21_code"].iloc[0])
        text += f" Furthest above: {lsoa_name(ctx, code)} ({place_of(ctx, code)})."
    return text


def csp_table(ctx: Context) -> Table | None:
    """T4.2: proxy-measure violence by Community Safety Partnership."""
    geo = ctx.pub.cube.geography
    units = {code: name for code, name in geo.units("csp").items()
             if set(geo.lsoas_of("csp", code)) <= set(ctx.inputs.lsoa.index)}
    if len(units) < 2:
        return None
    rows, keys = [], []
    for code, name in [*units.items(), (ctx.code, "Total")]:
        level = "csp" if name != "Total" else ctx.level
        value = ctx.pub.count(level=level, code=code, period=ctx.fperiod)
        keys.append(CellKey(level, code, str(ctx.fperiod.key)))
        population = geo.population(geo.lsoas_of(level, code))
        r = count_figures.rate_of(value, population=population, period=ctx.fperiod)
        rows.append({"Community Safety Partnership": name, "Count": published(value),
                     "Residents": population,
                     "Rate per 1,000 a year": publish(pd.Series([r.value]), 2).iloc[0]})
    return Table(id="t4-2-csp", caption=f"Proxy-measure violence by Community Safety "
                 f"Partnership, {ctx.fperiod.label} (offences placed in an LSOA of the area)",
                 data=pd.DataFrame(rows).set_index("Community Safety Partnership"),
                 provenance=ctx.provenance(suppression=ctx.pub.status(keys),
                                           filters={"located": "in an LSOA of the area"}))


HARM_NOTE = ("A harm-weighted series (Cambridge Crime Harm Index) is left out: police.uk "
             "gives one broad category for most violence, so each category carries one average "
             "weight and the harm line would repeat the count line. It will be drawn when the "
             "force's own records, with Home Office offence codes, are pooled.")


def chapter(ctx: Context) -> Section:
    tables, findings = counts_table(ctx)
    trend, trend_text = trend_figure(ctx)
    blocks: list[Block] = [
        Paragraph(text=(
            f"This chapter counts the offences the local definition counts as serious violence "
            f"in {ctx.area_name}. {PROXY_NOTE} Robbery and possession of weapons are published "
            "as their own categories and are counted as they are. Counts are of offences "
            "placed in the area's neighbourhoods (LSOAs); offences published without a "
            "location are reported in the data currency section and are in no count or rate. "
            f"Rates are per 1,000 residents a year (Census 2021 usual residents, "
            f"{ctx.population:,.0f}); intervals are exact Poisson below 10 events and Byar's "
            "from 10 (PHE method); changes are rate ratios with an exact conditional "
            "(binomial) interval.")),
        *findings, *tables, *trend_text, *([trend] if trend else [])]
    funnel = funnel_figure(ctx)
    if funnel is not None:
        blocks.append(funnel)
    csp = csp_table(ctx)
    if csp is not None:
        blocks.append(csp)
    blocks.append(Paragraph(text=HARM_NOTE))
    return Section(id="overall", title="The overall picture of serious violence",
                   blocks=tuple(blocks))
