"""Chapter 4: the overall picture — counts, rates, change, monthly trend, funnel, harm."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.report import charts
from alliance.report.document import Block, Figure, Finding, Paragraph, Section, Table
from alliance.report.sna.common import (
    PROXY_NOTE,
    Context,
    as_int,
    force_hidden,
    publish,
    suppress,
)
from alliance.report.sna.period import month_label
from alliance.report.sna.spatial import lsoa_counts, month_counts
from alliance.report.wording import describe_change, format_count, format_number, format_rate
from alliance.stats.rates import rate
from alliance.stats.trends import mann_kendall, rate_ratio

TOTAL = "All violence counted (proxy measure)"
#: Indicator dictionary L12: weapon possession is found by police activity, so no RAG rating.
ACTIVITY_NOTE = (" Possession offences are found by police activity (stop and search, "
                 "operations), so a change may reflect policing more than carrying.")


def _category_counts(ctx: Context, months: tuple[str, ...]) -> pd.Series:
    rows = ctx.sv[ctx.sv["month"].isin(months)]
    counts = rows.groupby("sv_category").size().reindex(list(ctx.labels), fill_value=0)
    return counts.rename(index=ctx.labels)


def counts_table(ctx: Context) -> tuple[list[Table], list[Block]]:
    """T4.1: counts and rates per 1,000 residents by category, with change on the comparison."""
    comp = ctx.comparison
    counts = pd.DataFrame({"Count": _category_counts(ctx, ctx.months_in_period_held)})
    if comp.kind != "none":
        counts["Count, earlier months"] = _category_counts(ctx, comp.before)
        counts["Count, same months this period"] = _category_counts(ctx, comp.after)
    counts.index.name = "Category"
    table = suppress(counts, ctx, margins="columns")
    published = table.published.rename(index={"Total": TOTAL})
    values = table.values.rename(index={"Total": TOTAL})
    full = counts.copy()
    full.loc[TOTAL] = counts.sum()
    r = rate(full["Count"], pd.Series(ctx.population, index=full.index), multiplier=1000)
    out = published[["Count"]].copy()
    hide = values["Count"].isna()
    out["Rate per 1,000"] = publish(r.value.where(~hide), 2)
    out["95% CI lower"] = publish(r.lower.where(~hide), 2)
    out["95% CI upper"] = publish(r.upper.where(~hide), 2)
    findings: list[Block] = []
    if comp.kind != "none":
        out["Count, earlier months"] = published["Count, earlier months"]
        out["Count, same months this period"] = published["Count, same months this period"]
        change, lo, hi, word = [], [], [], []
        for cat in full.index:
            b = int(full.loc[cat, "Count, earlier months"])
            a = int(full.loc[cat, "Count, same months this period"])
            hidden = values.loc[cat, ["Count, earlier months",
                                      "Count, same months this period"]].isna().any()
            if hidden or a + b == 0 or b == 0:
                change.append(np.nan)
                lo.append(np.nan)
                hi.append(np.nan)
                word.append("[c]" if hidden else "not calculable")
                continue
            rr = rate_ratio(b, len(comp.before), a, len(comp.after))
            change.append((rr.ratio - 1) * 100)
            lo.append((rr.lower - 1) * 100)
            hi.append((rr.upper - 1) * 100)
            word.append("significant rise" if rr.lower > 1 else
                        "significant fall" if rr.upper < 1 else "no significant change")
            if cat == TOTAL or len(findings) < 4:
                fid = "f-change-" + ("all" if cat == TOTAL else
                                     next(k for k, v in ctx.labels.items() if v == cat))
                findings.append(Finding(
                    id=fid.replace("_", "-"),
                    text=(f"{cat} {describe_change(change[-1], lo[-1], hi[-1])} in "
                          f"{_months_text(comp.after)} compared with "
                          f"{_months_text(comp.before)} ({format_count(b)} to "
                          f"{format_count(a)}; exact rate-ratio interval)."
                          + (ACTIVITY_NOTE if "weapon" in cat.lower() else "")),
                    provenance=ctx.provenance(period=f"{comp.before[0]}–{comp.after[-1]}",
                                              filters={"category": cat}),
                    value=round(change[-1], 1), unit="% change"))
        out["% change"] = publish(pd.Series(change, index=full.index), 1)
        out["Change 95% CI lower"] = publish(pd.Series(lo, index=full.index), 1)
        out["Change 95% CI upper"] = publish(pd.Series(hi, index=full.index), 1)
        out["Significance"] = word
    prov = ctx.provenance(suppression=table.status, filters={"counted": "yes (local definition)"})
    rate_cols = ["Count", "Rate per 1,000", "95% CI lower", "95% CI upper"]
    tables = [Table(id="t4-1-counts", caption=(
        f"Proxy-measure violence by category, {ctx.period.span()}: count and rate per 1,000 "
        "residents"), data=out[rate_cols], provenance=prov,
        column_formats={"Rate per 1,000": "rate:2", "95% CI lower": "rate:2",
                        "95% CI upper": "rate:2"})]
    if comp.kind != "none":
        change_cols = [c for c in out.columns if c not in rate_cols]
        tables.append(Table(id="t4-1b-change", caption=(
            f"Change in proxy-measure violence by category: {comp.describe()}"),
            data=out[change_cols], provenance=ctx.provenance(
                suppression=table.status, period=f"{comp.before[0]}–{comp.after[-1]}")))
    total = int(full["Count"][TOTAL])
    if pd.isna(values["Count"][TOTAL]):
        return tables, findings  # a hidden total is never worded
    findings.insert(0, Finding(
        id="f-total", text=(
            f"{format_count(total)} offences counted under the local definition (a proxy "
            f"measure of serious violence) were recorded in "
            f"{ctx.area_name} in {_held_text(ctx)} ({format_rate(r.value[TOTAL], dp=1)} "
            f"residents, 95% CI {r.lower[TOTAL]:.1f} to {r.upper[TOTAL]:.1f}); most are the "
            "police.uk proxy category 'Violence and sexual offences'."),
        provenance=ctx.provenance(), value=float(total), unit="offences"))
    return tables, findings


def _held_text(ctx: Context) -> str:
    held = ctx.months_in_period_held
    if len(held) == len(ctx.period.months):
        return _months_text(ctx.period.months)
    return f"{_months_text(held)} (the months held of {ctx.period.label})"


def _months_text(months: tuple[str, ...]) -> str:
    """'January–April 2025', 'December 2024–March 2025' or 'May 2025'."""
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{first:%B}–{last:%B %Y}"
    return f"{month_label(first)}–{month_label(last)}"


def trend_figure(ctx: Context) -> tuple[Figure | None, list[Block]]:
    """F4.1: monthly counts over every month held, with exact 95% intervals."""
    mc = month_counts(ctx)
    counts = mc.shown
    held = counts.dropna()
    if len(held) < 2:
        return None, [Paragraph(text=(
            f"Monthly counts are below {ctx.threshold} (or hidden to protect them) in almost "
            "every month, so no monthly series can be published for this area."))]
    ci = rate(as_int(held), pd.Series(1.0, index=held.index), multiplier=1)
    low = ci.lower.reindex(counts.index)
    up = ci.upper.reindex(counts.index)
    gaps = [m for m in counts.index if np.isnan(mc.counts[m])]
    desc = (f"Monthly count of proxy-measure violence in {ctx.area_name} from "
            f"{month_label(counts.index[0])} to {month_label(counts.index[-1])}: between "
            f"{held.min():,.0f} and {held.max():,.0f} a month."
            + (f" {len(gaps)} month(s) are not held and show as a gap." if gaps else ""))
    # charts.line_chart draws its confidence band as one polygon over every month that has
    # one, bridging gaps; with months not held the band is left out (the data table has it).
    lower: list[float] | None = None if gaps else low.tolist()
    upper: list[float] | None = None if gaps else up.tolist()
    if gaps:
        desc += " The 95% intervals are in the data table."
    chart = charts.line_chart(charts.month_axis(list(counts.index)), counts.tolist(),
                              chart_id="f4-1-trend", title="Serious violence by month",
                              desc=desc, y_label="Offences a month",
                              series_label="Proxy-measure violence",
                              lower=lower, upper=upper,
                              ci_label="95% interval (exact Poisson)")
    data = pd.DataFrame({"Month": counts.index, "Count": counts.to_numpy(),
                         "95% lower": low.round(1).to_numpy(), "95% upper": up.round(1).to_numpy()})
    data["Count"] = [("[c]" if mc.hidden[m] else "not held") if pd.isna(v) else int(v)
                     for m, v in zip(counts.index, counts, strict=True)]
    fig = Figure(id="f4-1-trend", caption="Proxy-measure violence by month, all months held",
                 svg=chart.svg, alt_text=desc, data=data,
                 provenance=ctx.provenance(period=f"{counts.index[0]} to {counts.index[-1]}",
                                           suppression=mc.status))
    blocks: list[Block] = []
    run = _longest_run(mc.counts.dropna())
    if len(run) >= 8:
        mk = mann_kendall(run).to_frame().iloc[0]
        trend = str(mk["trend"])
        text = (f"Over the {len(run)} consecutive months {month_label(run.index[0])} to "
                f"{month_label(run.index[-1])} the Mann-Kendall test finds "
                + ("no significant monotonic trend" if trend == "no trend" else
                   f"a significant {trend} trend")
                + f" (p = {float(mk['p_value']):.3f}; Sen's slope "
                  f"{format_number(float(mk['sen_slope']), dp=1, signed=True)} offences a "
                  "month).")
        blocks.append(Finding(id="f-trend", text=text, provenance=ctx.provenance(
            period=f"{run.index[0]} to {run.index[-1]}"), value=float(mk["p_value"]),
            unit="p-value"))
    return fig, blocks


def _longest_run(held: pd.Series) -> pd.Series:
    periods = pd.PeriodIndex(held.index, freq="M")
    best: list[int] = []
    current: list[int] = []
    for i, p in enumerate(periods):
        if current and (p - periods[current[-1]]).n != 1:
            current = []
        current.append(i)
        if len(current) > len(best):
            best = list(current)
    return held.iloc[best]


def funnel_figure(ctx: Context) -> Figure:
    """F4.2: LSOA rates per 1,000 against population, with Poisson control limits."""
    lc = lsoa_counts(ctx)
    pop = ctx.inputs.lsoa["population"].astype(float)
    shown = lc.values["count"].reindex(pop.index)
    desc = (f"Funnel plot of proxy-measure violence per 1,000 residents in each of the "
            f"{len(pop)} LSOAs of {ctx.area_name}, {ctx.period.span()}, against resident "
            "population, with 95% and 99.8% limits around the area rate. Points above the upper "
            "limits have more violence than chance alone would explain.")
    names = ctx.inputs.lsoa["name"].astype(str)
    chart = charts.funnel_plot(list(names), shown.tolist(), pop.tolist(),
                               chart_id="f4-2-funnel", title="Funnel plot of LSOA rates",
                               desc=desc, target_rate=lc.total / ctx.population * 1000,
                               denominator_label="Residents")
    data = chart.data.copy()
    data.insert(0, "LSOA", list(pop.index))
    data["Count"] = publish(data["Count"])
    data["Rate per 1,000"] = publish(data["Rate per 1,000"], 2)
    above = int(chart.data["Position"].str.startswith("above 99.8").sum())
    return Figure(id="f4-2-funnel", caption=(
        f"Proxy-measure violence per 1,000 residents by LSOA against population "
        f"({above} LSOAs above the 99.8% limit)"), svg=chart.svg, alt_text=desc, data=data,
        provenance=ctx.provenance(suppression=lc.status), column_formats={})


def csp_table(ctx: Context) -> Table | None:
    """T4.2: proxy-measure violence by Community Safety Partnership."""
    lsoa = ctx.inputs.lsoa
    rows = ctx.sv[ctx.sv["month"].isin(ctx.period.months) & ctx.sv["lsoa21_code"].notna()]
    csp = rows["lsoa21_code"].map(lsoa["csp_name"])
    counts = csp.value_counts().reindex(sorted(lsoa["csp_name"].unique()), fill_value=0)
    counts.index.name = "Community Safety Partnership"
    table = suppress(counts.rename("Count"), ctx, margins="columns")
    hidden = lsoa_counts(ctx).hidden_groups
    published, values = force_hidden(table, hidden.get("csp", set()) | (
        {"Total"} if hidden.get("all") else set()))
    pop = lsoa.groupby("csp_name")["population"].sum().reindex(counts.index)
    r = rate(counts, pop.astype(float), multiplier=1000)
    data = published.copy()
    pop_all = pd.concat([pop, pd.Series({"Total": pop.sum()})])
    data["Residents"] = pop_all.reindex(data.index).astype(int)
    rates = pd.concat([r.value, pd.Series({"Total": counts.sum() / pop.sum() * 1000})])
    data["Rate per 1,000"] = publish(rates.reindex(data.index).where(
        values["Count"].notna()), 2)
    return Table(id="t4-2-csp", caption=f"Proxy-measure violence by Community Safety "
                 f"Partnership, {ctx.period.span()} (located offences only)", data=data,
                 provenance=ctx.provenance(suppression=table.status,
                                           filters={"located": "in an LSOA of the area"}))


def harm_figure(ctx: Context) -> Figure | None:
    """F4.3: harm-weighted (CCHI) against count, indexed to the first month held."""
    weights = ctx.inputs.harm_weights
    if weights.empty:
        return None
    sv = ctx.sv.assign(weight=ctx.sv["source_category"].map(weights))
    if sv["weight"].isna().all():
        return None
    mc = month_counts(ctx)
    if mc.shown.notna().sum() < 2:
        return None
    counts = mc.counts
    harm = sv.groupby("month")["weight"].sum().reindex(counts.index)
    harm[counts.isna()] = np.nan
    first = mc.shown.dropna().index[0]  # an index based on a hidden month would reveal it
    idx_count = counts / counts[first] * 100
    idx_harm = harm / harm[first] * 100
    desc = ("Harm-weighted proxy-measure violence (Cambridge Crime Harm Index days) and the "
            f"count, both indexed to {month_label(first)} = 100. With police.uk categories the "
            "harm weight of each category is one average figure, so the lines differ only when the "
            "mix of violence, robbery and weapons offences changes.")
    chart = charts.line_chart(charts.month_axis(list(counts.index)),
                              idx_harm.where(~mc.hidden).tolist(),
                              chart_id="f4-3-harm", title="Harm-weighted and count trend",
                              desc=desc, y_label=f"Index ({month_label(first)} = 100)",
                              series_label="Harm-weighted (CCHI)",
                              extra={"Count": idx_count.where(~mc.hidden).tolist()})
    # Harm and indices are published only where the month's count is (a harm total of one
    # category mix would otherwise give a hidden count back).
    shown = ~mc.hidden
    data = pd.DataFrame({"Month": counts.index, "Count": publish(mc.shown),
                         "Harm (CCHI days)": publish(harm.where(shown).round(0)),
                         "Harm index": publish(idx_harm.where(shown), 1),
                         "Count index": publish(idx_count.where(shown), 1)})
    not_held = counts.isna().to_numpy()
    data.loc[not_held, ["Count", "Harm (CCHI days)", "Harm index", "Count index"]] = "not held"
    return Figure(id="f4-3-harm", caption="Harm-weighted proxy-measure violence against the count, "
                  "indexed", svg=chart.svg, alt_text=desc, data=data,
                  provenance=ctx.provenance(source=f"{ctx.inputs.harm_description}; "
                                            "police.uk street-level crime (data.police.uk)",
                                            period="all months held", suppression=mc.status))


def chapter(ctx: Context) -> Section:
    tables, findings = counts_table(ctx)
    trend, trend_blocks = trend_figure(ctx)
    blocks: list[Block] = [
        Paragraph(text=(
            f"This chapter counts the offences the local definition counts as serious violence "
            f"in {ctx.area_name}. {PROXY_NOTE} Robbery and possession of weapons are published "
            "as their own categories and are counted as they are. Rates are per 1,000 "
            f"residents (Census 2021 usual residents, {ctx.population:,.0f}) for the period; "
            "intervals are exact Poisson below 10 events and Byar's from 10 (PHE method); "
            "changes are rate ratios with an exact conditional (binomial) interval.")),
        *findings, *tables, *trend_blocks, *([trend] if trend else []), funnel_figure(ctx)]
    csp = csp_table(ctx)
    if csp is not None:
        blocks.append(csp)
    harm = harm_figure(ctx)
    if harm is not None:
        blocks.append(harm)
    return Section(id="overall", title="The overall picture of serious violence",
                   blocks=tuple(blocks))
