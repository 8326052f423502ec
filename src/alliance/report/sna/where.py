"""Chapter 6: where — LSOA rate map, density bands, Gi* clusters, top areas, concentration.

All from the published figures of :mod:`alliance.figures`: hidden LSOAs stay hidden on every
map and table, and statistics over many LSOAs use values derived from published figures only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely

from alliance.figures import density as density_figures
from alliance.figures import hotspots as hotspot_figures
from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.lattice import CellKey
from alliance.report import charts, maps
from alliance.report.category_map import category_map
from alliance.report.document import Block, Figure, Finding, Paragraph, Section, Table
from alliance.report.places import map_layers
from alliance.report.sna.common import SNAP_NOTE, Context, publish
from alliance.report.sna.headlines import (
    counted,
    lsoa_name,
    place_of,
    places_of,
    towns_by_count,
)
from alliance.report.sna.spatial import published
from alliance.report.svg import Chart
from alliance.report.wording import format_percent

T = TypeVar("T")
COLOURS = {hotspot_figures.HOT: "#D55E00", hotspot_figures.COLD: "#0072B2",
           hotspot_figures.NOT_SIGNIFICANT: "#e6e8ea",
           hotspot_figures.NOT_PUBLISHED: "#b1b4b6", hotspot_figures.NOT_TESTED: "#b1b4b6",
           hotspot_figures.UNDECIDED: "#dddddd"}

#: the chapter's fixed words (the Welsh edition keys its Welsh by them)
TITLE = "Where serious violence happens"
RATE_CAPTION = "Proxy-measure violence per 1,000 residents a year by LSOA"
KDE_CAPTION = "Where proxy-measure violence is densest (kernel density bands)"
GI_CAPTION = ("Hot and cold spots: neighbourhoods in clusters of high or low rates "
              "(Getis–Ord Gi*, false discovery rate 5%)")
LORENZ_CAPTION = "Concentration (Lorenz) curve of proxy-measure violence across LSOAs"
NAME, LSOA, COUNT, RATE = "Name", "LSOA", "Count", "Rate per 1,000 a year"
EASTING, NORTHING, BAND = "Easting (cell centre)", "Northing (cell centre)", "Band"
CLUSTER, CSP, SHARE = "Cluster", "Partnership (CSP)", "% of located offences"
IMD, GI = "IMD 2025 decile", "Gi*"
#: the concentration curve's table (the chart's own columns, named here)
LORENZ_COLUMNS = ("Top % of areas", "% of total")
KDE_SUPPRESSION = ("bands only, no counts; hidden LSOAs enter as estimates from published "
                   "figures")
GI_SUPPRESSION = "labels only for published LSOAs; computed from published figures"
LORENZ_SUPPRESSION = "cumulative shares computed from published figures"
#: the provenance lines' filters (names and fixed values)
KERNEL, GAUSSIAN, BANDWIDTH = "kernel", "gaussian", "bandwidth"
STATISTIC, GI_ON_RATE, SEED = "statistic", "Gi* on rate per 1,000", "seed"
CORRECTION, BH_FDR = "correction", "Benjamini–Hochberg FDR"
ALL_HIDDEN = "Every neighbourhood's count is hidden to protect small numbers."
OUTSIDE = "The densest cells lie outside every neighbourhood's boundary."


def _frame(ctx: Context) -> pd.DataFrame:
    cached = ctx.__dict__.get("_lsoa_frame")
    if cached is None:
        cached = lsoa_figures.neighbourhoods(ctx.pub, level=ctx.level, code=ctx.code,
                                             period=ctx.fperiod)
        ctx.__dict__["_lsoa_frame"] = cached
    return cached


def _geoms(ctx: Context) -> pd.Series:
    return ctx.inputs.lsoa["geometry_wkb"]


def _layers(ctx: Context) -> dict[str, object]:
    """Town names, district boundaries and tooltip names for every map of the chapter."""
    cached = ctx.__dict__.get("_map_layers")
    if cached is None:
        cached = {**map_layers(ctx.inputs.lsoa).kwargs(),
                  "boundary_label": "Community Safety Partnership"}
        ctx.__dict__["_map_layers"] = cached
    return cached


def status_keys(ctx: Context) -> list[CellKey]:
    """The cells of the chapter's LSOA tables (their provenance says how many are hidden)."""
    return [CellKey("lsoa", c, str(ctx.fperiod.key)) for c in ctx.inputs.lsoa.index]


def _status(ctx: Context) -> str:
    return ctx.pub.status(status_keys(ctx))


def _memo(ctx: Context, key: str, make: Callable[[], T]) -> T:
    """``make()`` once per build (the chapter and its Welsh read the same result)."""
    if key not in ctx.__dict__:
        ctx.__dict__[key] = make()
    return ctx.__dict__[key]


def lsoas_hidden(ctx: Context) -> tuple[int, int]:
    """How many LSOAs the rate map draws, and how many of them are hatched (count hidden)."""
    frame = _frame(ctx)
    return len(frame), int(frame["hidden"].sum())


def rate_desc(ctx: Context) -> str:
    lsoas, hidden = lsoas_hidden(ctx)
    return (f"Map of the {lsoas} LSOAs of {ctx.area_name} shaded by proxy-measure "
            f"violence per 1,000 residents a year, {ctx.fperiod.label}, in five classes of "
            f"equal numbers of LSOAs; {hidden} LSOA(s) whose count is hidden are hatched. The "
            "data table lists every LSOA.")


def _rate_chart(ctx: Context) -> tuple[Chart, pd.Series]:
    def make() -> tuple[Chart, pd.Series]:
        rates = _frame(ctx).set_index("lsoa21_code")["rate"].reindex(ctx.inputs.lsoa.index)
        desc = rate_desc(ctx)
        chart = maps.choropleth(_geoms(ctx), rates, chart_id="f6-1-map",
                                title="Serious violence per 1,000 residents by LSOA",
                                desc=desc, legend_title="Rate per 1,000 residents a year",
                                legend_ends=("Lower rate", "Higher rate"), note=SNAP_NOTE,
                                value_format="{:,.1f}", **_layers(ctx))  # type: ignore[arg-type]
        return chart, rates

    return _memo(ctx, "_rate_chart", make)


def rate_map(ctx: Context) -> Figure:
    frame = _frame(ctx).set_index("lsoa21_code")
    chart, _ = _rate_chart(ctx)
    data = pd.DataFrame({NAME: frame["name"].to_numpy(), LSOA: frame.index,
                         COUNT: [published(v) for v in frame["count"]],
                         RATE: publish(frame["rate"], 2).to_numpy()})
    return Figure(id="f6-1-map", caption=RATE_CAPTION, svg=chart.svg,
                  alt_text=rate_desc(ctx), data=data,
                  provenance=ctx.provenance(suppression=_status(ctx)),
                  message=rate_message(ctx, rate_leaders(ctx)))


def _in(towns: str) -> str:
    """'in Northampton (43), Kettering (15) …', or 'all 7 in Corby' as it stands."""
    return towns if towns.startswith(("all ", "in ")) else f"in {towns}"


@dataclass(frozen=True)
class RateLeaders:
    """The rate map's darkest class (LSOA codes), its lowest rate, and the highest LSOA."""

    top: list[str]
    lowest: float
    highest: str


def rate_leaders(ctx: Context) -> RateLeaders | None:
    """What the rate map's sentence names; ``None`` when every count is hidden."""
    chart, rates = _rate_chart(ctx)
    shown = rates.dropna()
    if shown.empty:
        return None
    classes = chart.data.set_index("Area code")
    top = [str(c) for c in classes.index[classes["Class"] == classes["Class"].max()]]
    highest = str(shown.sort_values(ascending=False, kind="stable").index[0])
    return RateLeaders(top=top, lowest=float(rates.reindex(top).min()), highest=highest)


def rate_message(ctx: Context, leaders: RateLeaders | None) -> str:
    if leaders is None:
        return ALL_HIDDEN
    top, highest = leaders.top, leaders.highest
    lead = (f"The {len(top)} neighbourhoods with the highest rates ("
            f"{leaders.lowest:,.1f} per 1,000 residents a year or more, the darkest "
            f"colour) are {_in(towns_by_count(ctx, top))}; the highest of all is "
            if len(top) > 1 else "The highest rate is in ")
    return f"{lead}{lsoa_name(ctx, highest)} ({place_of(ctx, highest)})."


def density_bands(ctx: Context) -> density_figures.DensityBands | None:
    """The kernel density bands of the year (once per build)."""
    def make() -> density_figures.DensityBands | None:
        points = ctx.all_rows[ctx.all_rows["month"].isin(ctx.fperiod.months)
                              & ctx.all_rows["sv_included"].astype(bool)]
        return density_figures.density_bands(ctx.pub, period=ctx.fperiod, points=points)

    return _memo(ctx, "_density_bands", make)


def metres(value: float) -> str:
    return f"{value:.0f} m"


def density_desc(ctx: Context, bands: density_figures.DensityBands) -> str:
    return (f"Kernel density of proxy-measure violence in {ctx.area_name}, "
            f"{ctx.fperiod.label} ({bands.method}). Only the densest 10% of cells are drawn, "
            "in three bands over the LSOA outlines, each named in the legend (the brightest is "
            f"the densest 1%). {SNAP_NOTE}")


def densest_lsoas(ctx: Context, bands: density_figures.DensityBands) -> list[str]:
    """The LSOAs the densest band's cells fall in."""
    densest = bands.cells[bands.cells["rank"] == 1]
    return sorted(set(_lsoas_at(ctx, densest["x"], densest["y"])))


def density_message(ctx: Context, found: list[str]) -> str:
    return (f"The densest 1% of the area, where offences are closest together, falls in "
            f"{counted(len(found), 'neighbourhood')}, "
            f"{_in(towns_by_count(ctx, found, most=5))}."
            if found else OUTSIDE)


def density_map(ctx: Context) -> Figure | None:
    bands = density_bands(ctx)
    if bands is None:
        return None
    cells = bands.cells.assign(value=4 - bands.cells["rank"])
    desc = density_desc(ctx, bands)
    chart = maps.choropleth(_geoms(ctx), None, chart_id="f6-2-kde",
                            title="Where offences are densest", desc=desc,
                            cells=cells, cell_size=bands.cell_size, note=SNAP_NOTE,
                            cells_legend_title="Density of offences",
                            cells_labels=[label for _, label in density_figures.BANDS][::-1],
                            **_layers(ctx))  # type: ignore[arg-type]
    data = bands.cells.assign(x=bands.cells["x"].round(0), y=bands.cells["y"].round(0))
    data = data.rename(columns={"x": EASTING, "y": NORTHING, "band": BAND}).drop(
        columns=["rank"])
    return Figure(id="f6-2-kde", caption=KDE_CAPTION, svg=chart.svg, alt_text=desc, data=data,
                  message=density_message(ctx, densest_lsoas(ctx, bands)),
                  provenance=ctx.provenance(
                      filters={KERNEL: GAUSSIAN, BANDWIDTH: metres(bands.bandwidth)},
                      suppression=KDE_SUPPRESSION))


def hot_spots(ctx: Context) -> hotspot_figures.HotSpots:
    return hotspot_figures.hotspots(ctx.pub, level=ctx.level, code=ctx.code,
                                    period=ctx.fperiod, seed=ctx.seed)


def gi_desc(ctx: Context, spots: hotspot_figures.HotSpots) -> str:
    return (f"Getis–Ord Gi* clusters of the LSOA rate of proxy-measure violence, "
            f"{ctx.fperiod.label}: {spots.n_hot} LSOAs are in significant hot spots and "
            f"{spots.n_cold} in cold spots ({spots.method}).")


def z_column(spots: hotspot_figures.HotSpots) -> str:
    return "z (significant from ±" + f"{spots.z_critical:.2f})"


def gi_message(ctx: Context, hot: list[str], cold: list[str]) -> str:
    what = ("in a hot spot (a cluster of high rates that chance would rarely produce)"
             if not hot else "in hot spots, clusters of high rates that chance would rarely "
             f"produce: {places_of(ctx, hot)}")
    return (f"{counted(len(hot), 'neighbourhood', ('is', 'are')).capitalize()} {what}; "
            + (f"{counted(len(cold), 'neighbourhood', ('is', 'are'))} in cold spots, "
               f"{towns_by_count(ctx, cold)}." if cold else "none is in a cold spot."))


def gi_figure(ctx: Context) -> tuple[Figure | None, pd.Series]:
    spots = hot_spots(ctx)
    labels = spots.labels.reindex(ctx.inputs.lsoa.index)
    if (labels == hotspot_figures.NOT_TESTED).all():
        return None, labels
    desc = gi_desc(ctx, spots)
    svg = category_map(_geoms(ctx), labels, chart_id="f6-3-gi", title="Gi* hot and cold spots",
                       desc=desc, note=SNAP_NOTE,
                       colours={k: v for k, v in COLOURS.items() if (labels == k).any()},
                       **_layers(ctx))  # type: ignore[arg-type]
    data = pd.DataFrame({NAME: ctx.inputs.lsoa["name"].to_numpy(), LSOA: labels.index,
                         CLUSTER: labels.to_numpy(),
                         z_column(spots): spots.z.reindex(labels.index).round(2).to_numpy()})
    hot = [str(c) for c in labels.index[labels == hotspot_figures.HOT]]
    cold = [str(c) for c in labels.index[labels == hotspot_figures.COLD]]
    return Figure(id="f6-3-gi", caption=GI_CAPTION, svg=svg,
                  alt_text=desc, data=data, message=gi_message(ctx, hot, cold),
                  provenance=ctx.provenance(filters={STATISTIC: GI_ON_RATE,
                                                     CORRECTION: BH_FDR, SEED: str(ctx.seed)},
                                            suppression=GI_SUPPRESSION)
                  ), labels


def _hotspot_finding(ctx: Context, labels: pd.Series) -> list[Finding]:
    hot = [str(c) for c in labels.index[labels == hotspot_figures.HOT]]
    if not hot:
        return []
    return [Finding(id="f-hotspots", text=hotspot_text(ctx, hot), provenance=ctx.provenance(
            filters={STATISTIC: GI_ON_RATE, SEED: str(ctx.seed)},
            suppression=GI_SUPPRESSION),
        value=float(len(hot)), unit="neighbourhoods in hot spots")]


def hotspot_text(ctx: Context, hot: list[str]) -> str:
    return (f"{len(hot)} neighbourhoods (LSOAs) are in significant hot spots of proxy-measure "
            f"violence in {ctx.fperiod.label} (Getis–Ord Gi*, false discovery rate 5%): "
            f"{places_of(ctx, hot)}.")


def _lsoas_at(ctx: Context, x: pd.Series, y: pd.Series) -> list[str]:
    """The LSOA of each point (British National Grid metres), where one contains it."""
    codes = [str(c) for c in ctx.inputs.lsoa.index]
    geoms = maps.project(list(_geoms(ctx).to_numpy()), codes)
    tree = shapely.STRtree(geoms)
    points = shapely.points(x.to_numpy(dtype=float), y.to_numpy(dtype=float))
    hits, found = tree.query(points, predicate="within")
    first: dict[int, str] = {}
    for p, g in zip(hits, found, strict=True):
        first.setdefault(int(p), codes[int(g)])
    return [first[i] for i in sorted(first)]


def top_caption(ctx: Context) -> str:
    return (f"The ten LSOAs with the most proxy-measure violence, {ctx.fperiod.label} (of "
            "those whose count is published)")


def top_table(ctx: Context, gi_labels: pd.Series) -> Table:
    frame = _frame(ctx)
    ranked = lsoa_figures.top(frame)
    lsoa = ctx.inputs.lsoa
    total = ctx.count()
    data = pd.DataFrame({
        NAME: ranked["name"], LSOA: ranked["lsoa21_code"],
        CSP: lsoa.loc[ranked["lsoa21_code"], "csp_name"].to_numpy(),
        COUNT: ranked["count"].astype(int).to_numpy(),
        RATE: ranked["rate"].round(1).to_numpy(),
        SHARE: publish(ranked["count"] / total * 100, 1).to_numpy(),
        IMD: lsoa.loc[ranked["lsoa21_code"], "imd_decile"].to_numpy(),
        GI: gi_labels.reindex(ranked["lsoa21_code"]).to_numpy()})
    return Table(id="t6-1-top", caption=top_caption(ctx), data=data, row_header=True,
                 provenance=ctx.provenance(suppression=_status(ctx)))


@dataclass(frozen=True)
class Concentration:
    """The shares of located offences in the top 1%, 5% and 10% of LSOAs (in %), and Gini."""

    shares: pd.Series
    gini: float


def concentration(ctx: Context) -> Concentration | None:
    """``None`` when no offence is located (nothing to concentrate)."""
    if float(ctx.pub.lsoa_values_for_statistics(ctx.fperiod).sum()) <= 0:
        return None
    conc = lsoa_figures.concentration(ctx.pub, level=ctx.level, code=ctx.code,
                                      period=ctx.fperiod)
    return Concentration(shares=conc.top_shares.set_index("top_fraction")["event_share"] * 100,
                         gini=float(conc.gini))


def lorenz_desc(c: Concentration) -> str:
    shares = c.shares
    return (f"Concentration curve: LSOAs sorted from the most to the fewest offences. The top "
            f"1% of LSOAs hold {shares[0.01]:.0f}% of located proxy-measure violence, the "
            f"top 5% {shares[0.05]:.0f}% and the top 10% {shares[0.10]:.0f}% (Gini "
            f"{c.gini:.2f}).")


def lorenz_message(c: Concentration) -> str:
    return (f"Violence is concentrated in few places: the busiest 10% of "
            f"neighbourhoods hold {format_percent(c.shares[0.10], dp=0)} of the "
            f"offences, where an even spread would give them 10% (Gini "
            f"{c.gini:.2f}, from 0 for an even spread to 1 for all in one "
            "place).")


def concentration_text(c: Concentration) -> str:
    return (f"The top 10% of LSOAs hold {format_percent(c.shares[0.10], dp=0)} of the located "
            f"offences, and the top 1% hold {format_percent(c.shares[0.01], dp=0)}.")


def lorenz_figure(ctx: Context) -> tuple[Figure, Finding] | None:
    conc = concentration(ctx)
    if conc is None:
        return None
    values = ctx.pub.lsoa_values_for_statistics(ctx.fperiod).reindex(ctx.inputs.lsoa.index)
    desc = lorenz_desc(conc)
    chart = charts.lorenz_curve(list(values.index), values.round(6).tolist(),
                                chart_id="f6-4-lorenz", title="Concentration of serious "
                                "violence across LSOAs", desc=desc, marks=(1, 5, 10))
    fig = Figure(id="f6-4-lorenz", caption=LORENZ_CAPTION, svg=chart.svg, alt_text=desc,
                 message=lorenz_message(conc),
                 data=chart.data.round(4).set_axis(list(LORENZ_COLUMNS), axis=1),
                 provenance=ctx.provenance(suppression=LORENZ_SUPPRESSION))
    return fig, Finding(id="f-concentration", text=concentration_text(conc),
                        provenance=ctx.provenance(),
                        value=round(float(conc.shares[0.10]), 1), unit="% of located offences")


def intro(ctx: Context) -> str:
    """The chapter's first paragraph: what is counted, and how far map points can be trusted."""
    from alliance.figures.universe import universe

    placed = universe(ctx.pub, period=ctx.fperiod)
    return (f"Where proxy-measure violence happens in {ctx.area_name}, by LSOA 2021 "
            "(neighbourhoods of about 1,500 residents). "
            + (placed.sentence(ctx.area_name) + " " if ctx.level == "area" else "")
            + SNAP_NOTE)


def chapter(ctx: Context) -> Section:
    gi, labels = gi_figure(ctx)
    concentration = lorenz_figure(ctx)
    blocks: list[Block] = [
        Paragraph(text=intro(ctx)),
        *([concentration[1]] if concentration else []), rate_map(ctx)]
    kde = density_map(ctx)
    if kde is not None:
        blocks.append(kde)
    if gi is not None:
        blocks += [*_hotspot_finding(ctx, labels), gi]
    blocks += [top_table(ctx, labels), *([concentration[0]] if concentration else [])]
    if np.isnan(ctx.count()):
        blocks = blocks[:1]
    return Section(id="where", title=TITLE, blocks=tuple(blocks))
