"""Chapter 7: when — month of year and season (police.uk gives no day or time)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.figures.lattice import CellKey
from alliance.report import charts
from alliance.report.document import Block, Figure, Paragraph, Section, Table
from alliance.report.sna.common import Context, publish
from alliance.report.sna.spatial import month_counts, published

SEASONS = {12: "Winter (Dec–Feb)", 1: "Winter (Dec–Feb)", 2: "Winter (Dec–Feb)",
           3: "Spring (Mar–May)", 4: "Spring (Mar–May)", 5: "Spring (Mar–May)",
           6: "Summer (Jun–Aug)", 7: "Summer (Jun–Aug)", 8: "Summer (Jun–Aug)",
           9: "Autumn (Sep–Nov)", 10: "Autumn (Sep–Nov)", 11: "Autumn (Sep–Nov)"}
ORDER = ("Winter (Dec–Feb)", "Spring (Mar–May)", "Summer (Jun–Aug)", "Autumn (Sep–Nov)")
#: the chapter's fixed words (the Welsh edition keys its Welsh by them)
TITLE = "When serious violence happens"
INTRO = ("police.uk publishes only the month of each crime: no date, day of the week or "
         "time. The hour-by-weekday grid, school-day and night-time-economy checks of a "
         "full SNA need the force's crime records (date and time committed), requested in "
         "the data request table of the 'Who' chapter. With one year of months, a month "
         "that stands out may be chance; seasonality needs several years.")
TOO_FEW = "Too few months are published on their own to compare the months of the year."
MONTH, COUNT, SHARE = "Month", "Count", "% of period"
SEASON, HELD, AVERAGE, TOTAL = "Season", "Months held", "Average a month", "Total"


def month_caption(ctx: Context) -> str:
    return f"Proxy-measure violence by month, {ctx.fperiod.label}"


def season_caption(ctx: Context) -> str:
    return f"Proxy-measure violence by season, {ctx.fperiod.label}"


def month_desc(ctx: Context, shown: pd.Series) -> str:
    """The bar chart's description: the year, and its highest month (``shown``: the year's
    published monthly counts, NaN where hidden)."""
    peak = str(shown.idxmax()) if shown.notna().any() else None
    return (f"Bar chart of proxy-measure violence in each month of {ctx.fperiod.label}"
            + (f"; the highest month is {pd.Period(peak, freq='M'):%B %Y} with "
               f"{shown.max():,.0f}." if peak is not None else "."))


def month_figure(ctx: Context) -> Figure:
    months = list(ctx.fperiod.months)
    mc = month_counts(ctx)
    shown = mc.months.reindex(months)
    state = mc.state.reindex(months)
    total = ctx.count()
    labels = [pd.Period(m, freq="M").strftime("%b %Y") for m in months]
    peak = str(shown.idxmax()) if shown.notna().any() else None
    desc = month_desc(ctx, shown)
    chart = charts.bar_chart(labels, shown.tolist(), chart_id="f7-2-month",
                             title="Serious violence by month of year", desc=desc,
                             highlight=[pd.Period(peak, freq="M").strftime("%b %Y")]
                             if peak is not None else [])
    data = pd.DataFrame({MONTH: months,
                         COUNT: ["" if s == "by year only" else published(v)
                                 for v, s in zip(shown, state, strict=True)],
                         SHARE: publish((shown / total * 100).round(1)).to_numpy()})
    return Figure(id="f7-2-month", caption=month_caption(ctx), svg=chart.svg, alt_text=desc,
                  data=data, provenance=ctx.provenance(suppression=month_counts(ctx).status),
                  message=month_message(shown))


def month_message(shown: pd.Series) -> str:
    months = shown.dropna()
    if len(months) < 2:
        return TOO_FEW
    high, low = str(months.idxmax()), str(months.idxmin())
    return (f"The busiest month was {pd.Period(high, freq='M'):%B} ({months.max():,.0f} "
            f"offences) and the quietest {pd.Period(low, freq='M'):%B} "
            f"({months.min():,.0f}); with one year of months, a month that stands out may be "
            "chance.")


def season_table(ctx: Context) -> Table:
    """Season totals are sums of published months: a season with a hidden month is hidden."""
    by_season: dict[str, list[str]] = {s: [] for s in ORDER}
    for m in ctx.fperiod.months:
        by_season[SEASONS[int(m[5:7])]].append(m)
    total = ctx.count()
    rows = []
    for season, months in by_season.items():
        value = ctx.pub.sum_of([CellKey(ctx.level, ctx.code, m) for m in months]) \
            if months else np.nan
        rows.append({SEASON: season, COUNT: published(value), HELD: len(months),
                     AVERAGE: publish(pd.Series([value / max(len(months), 1)]), 1).iloc[0],
                     SHARE: publish(pd.Series([value / total * 100]), 1).iloc[0]})
    rows.append({SEASON: TOTAL, COUNT: published(total), HELD: len(ctx.fperiod.months),
                 AVERAGE: publish(pd.Series([total / len(ctx.fperiod.months)]), 1).iloc[0],
                 SHARE: 100.0})
    return Table(id="t7-1-season", caption=season_caption(ctx),
                 data=pd.DataFrame(rows).set_index(SEASON),
                 provenance=ctx.provenance(suppression=month_counts(ctx).status))


def chapter(ctx: Context) -> Section:
    blocks: list[Block] = [Paragraph(text=INTRO), month_figure(ctx), season_table(ctx)]
    return Section(id="when", title=TITLE, blocks=tuple(blocks))
