"""Chapter 7: when — month of year and season (police.uk gives no day or time)."""

from __future__ import annotations

import pandas as pd

from alliance.report import charts
from alliance.report.document import Block, Figure, Paragraph, Section, Table
from alliance.report.sna.common import Context, publish, share, suppress
from alliance.report.sna.spatial import month_counts

SEASONS = {12: "Winter (Dec–Feb)", 1: "Winter (Dec–Feb)", 2: "Winter (Dec–Feb)",
           3: "Spring (Mar–May)", 4: "Spring (Mar–May)", 5: "Spring (Mar–May)",
           6: "Summer (Jun–Aug)", 7: "Summer (Jun–Aug)", 8: "Summer (Jun–Aug)",
           9: "Autumn (Sep–Nov)", 10: "Autumn (Sep–Nov)", 11: "Autumn (Sep–Nov)"}


def month_figure(ctx: Context) -> Figure:
    months = list(ctx.months_in_period_held)
    mc = month_counts(ctx)
    counts = mc.counts.reindex(months).astype("int64")
    shown = mc.shown.reindex(months)
    labels = [pd.Period(m, freq="M").strftime("%b %Y") for m in months]
    peak = str(counts.idxmax())
    desc = (f"Bar chart of proxy-measure violence in each month of {ctx.period.span()}; "
            f"the highest month is {pd.Period(peak, freq='M'):%B %Y} with "
            f"{int(counts.max()):,}.")
    chart = charts.bar_chart(labels, shown.tolist(), chart_id="f7-2-month",
                             title="Serious violence by month of year", desc=desc,
                             highlight=[pd.Period(peak, freq="M").strftime("%b %Y")])
    data = pd.DataFrame({"Month": months, "Count": publish(shown).to_numpy(),
                         "% of period": publish((shown / counts.sum() * 100).round(1))
                         .to_numpy()})
    return Figure(id="f7-2-month", caption=f"Proxy-measure violence by month, "
                  f"{ctx.period.span()}", svg=chart.svg, alt_text=desc, data=data,
                  provenance=ctx.provenance(suppression=mc.status))


def season_table(ctx: Context) -> Table:
    rows = ctx.sv[ctx.sv["month"].isin(ctx.months_in_period_held)]
    month_no = rows["month"].str[5:7].astype(int)
    season = month_no.map(SEASONS)
    held_months = pd.Series([int(m[5:7]) for m in ctx.months_in_period_held]).map(SEASONS)
    order = ["Winter (Dec–Feb)", "Spring (Mar–May)", "Summer (Jun–Aug)", "Autumn (Sep–Nov)"]
    counts = season.value_counts().reindex(order, fill_value=0)
    counts.index.name = "Season"
    table = suppress(counts.rename("Count"), ctx, margins="columns")
    n_months = held_months.value_counts().reindex(order, fill_value=0)
    per_month = counts.astype(float) / n_months.astype(float).where(n_months > 0)
    data = table.published.copy()
    data["Months held"] = [*list(n_months), int(n_months.sum())]
    shown_avg = per_month.where(table.values["Count"].drop(index="Total").notna()).round(1)
    avg = [*shown_avg, round(counts.sum() / max(n_months.sum(), 1), 1)]
    data["Average a month"] = publish(pd.Series(avg, index=data.index))
    data["% of period"] = publish(pd.Series(
        [share(c, counts.sum()) for c in counts] + [100.0], index=data.index).where(
        table.values["Count"].notna()), 1)
    return Table(id="t7-1-season", caption=f"Proxy-measure violence by season, "
                 f"{ctx.period.span()}", data=data,
                 provenance=ctx.provenance(suppression=table.status))


def chapter(ctx: Context) -> Section:
    blocks: list[Block] = [
        Paragraph(text=(
            "police.uk publishes only the month of each crime: no date, day of the week or "
            "time. The hour-by-weekday grid, school-day and night-time-economy checks of a "
            "full SNA need the force's crime records (date and time committed), requested in "
            "the data request table of the 'Who' chapter. With one year of months, a month "
            "that stands out may be chance; seasonality needs several years.")),
        month_figure(ctx), season_table(ctx)]
    return Section(id="when", title="When serious violence happens", blocks=tuple(blocks))
