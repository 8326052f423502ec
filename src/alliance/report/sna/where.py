"""Chapter 6: where — LSOA rate map, density bands, Gi* clusters, top areas, concentration.

All from the published figures of :mod:`alliance.figures`: hidden LSOAs stay hidden on every
map and table, and statistics over many LSOAs use values derived from published figures only.
"""

from __future__ import annotations

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
from alliance.report.wording import format_percent

COLOURS = {hotspot_figures.HOT: "#D55E00", hotspot_figures.COLD: "#0072B2",
           hotspot_figures.NOT_SIGNIFICANT: "#e6e8ea",
           hotspot_figures.NOT_PUBLISHED: "#b1b4b6", hotspot_figures.NOT_TESTED: "#b1b4b6",
           hotspot_figures.UNDECIDED: "#dddddd"}


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


def _status(ctx: Context) -> str:
    return ctx.pub.status([CellKey("lsoa", c, str(ctx.fperiod.key))
                           for c in ctx.inputs.lsoa.index])


def rate_map(ctx: Context) -> Figure:
    frame = _frame(ctx).set_index("lsoa21_code")
    rates = frame["rate"].reindex(ctx.inputs.lsoa.index)
    hidden = int(frame["hidden"].sum())
    desc = (f"Map of the {len(frame)} LSOAs of {ctx.area_name} shaded by proxy-measure "
            f"violence per 1,000 residents a year, {ctx.fperiod.label}, in five classes of "
            f"equal numbers of LSOAs; {hidden} LSOA(s) whose count is hidden are hatched. The "
            "data table lists every LSOA.")
    chart = maps.choropleth(_geoms(ctx), rates, chart_id="f6-1-map",
                            title="Serious violence per 1,000 residents by LSOA", desc=desc,
                            legend_title="Rate per 1,000 residents a year",
                            legend_ends=("Lower rate", "Higher rate"), note=SNAP_NOTE,
                            value_format="{:,.1f}", **_layers(ctx))  # type: ignore[arg-type]
    data = pd.DataFrame({"Name": frame["name"].to_numpy(), "LSOA": frame.index,
                         "Count": [published(v) for v in frame["count"]],
                         "Rate per 1,000 a year": publish(frame["rate"], 2).to_numpy()})
    return Figure(id="f6-1-map", caption="Proxy-measure violence per 1,000 residents a year by "
                  "LSOA", svg=chart.svg, alt_text=desc, data=data,
                  provenance=ctx.provenance(suppression=_status(ctx)),
                  message=_rate_message(ctx, chart.data.set_index("Area code"), rates))


def _in(towns: str) -> str:
    """'in Northampton (43), Kettering (15) …', or 'all 7 in Corby' as it stands."""
    return towns if towns.startswith(("all ", "in ")) else f"in {towns}"


def _rate_message(ctx: Context, classes: pd.DataFrame, rates: pd.Series) -> str:
    shown = rates.dropna()
    if shown.empty:
        return "Every neighbourhood's count is hidden to protect small numbers."
    top_class = classes["Class"].max()
    top = [str(c) for c in classes.index[classes["Class"] == top_class]]
    highest = str(shown.sort_values(ascending=False, kind="stable").index[0])
    lead = (f"The {len(top)} neighbourhoods with the highest rates ("
            f"{rates.reindex(top).min():,.1f} per 1,000 residents a year or more, the darkest "
            f"colour) are {_in(towns_by_count(ctx, top))}; the highest of all is "
            if len(top) > 1 else "The highest rate is in ")
    return f"{lead}{lsoa_name(ctx, highest)} ({place_of(ctx, highest)})."


def density_map(ctx: Context) -> Figure | None:
    points = ctx.all_rows[ctx.all_rows["month"].isin(ctx.fperiod.months)
                          & ctx.all_rows["sv_included"].astype(bool)]
    bands = density_figures.density_bands(ctx.pub, period=ctx.fperiod, points=points)
    if bands is None:
        return None
    cells = bands.cells.assign(value=4 - bands.cells["rank"])
    desc = (f"Kernel density of proxy-measure violence in {ctx.area_name}, "
            f"{ctx.fperiod.label} ({bands.method}). Only the densest 10% of cells are drawn, "
            "in three bands over the LSOA outlines, each named in the legend (the brightest is "
            f"the densest 1%). {SNAP_NOTE}")
    chart = maps.choropleth(_geoms(ctx), None, chart_id="f6-2-kde",
                            title="Where offences are densest", desc=desc,
                            cells=cells, cell_size=bands.cell_size, note=SNAP_NOTE,
                            cells_legend_title="Density of offences",
                            cells_labels=[label for _, label in density_figures.BANDS][::-1],
                            **_layers(ctx))  # type: ignore[arg-type]
    data = bands.cells.assign(x=bands.cells["x"].round(0), y=bands.cells["y"].round(0))
    data = data.rename(columns={"x": "Easting (cell centre)", "y": "Northing (cell centre)",
                                "band": "Band"}).drop(columns=["rank"])
    densest = bands.cells[bands.cells["rank"] == 1]
    found = sorted(set(_lsoas_at(ctx, densest["x"], densest["y"])))
    message = (f"The densest 1% of the area, where offences are closest together, falls in "
               f"{counted(len(found), 'neighbourhood')}, "
               f"{_in(towns_by_count(ctx, found, most=5))}."
               if found else "The densest cells lie outside every neighbourhood's boundary.")
    return Figure(id="f6-2-kde", caption="Where proxy-measure violence is densest (kernel "
                  "density bands)", svg=chart.svg, alt_text=desc, data=data, message=message,
                  provenance=ctx.provenance(
                      filters={"kernel": "gaussian", "bandwidth": f"{bands.bandwidth:.0f} m"},
                      suppression="bands only, no counts; hidden LSOAs enter as estimates "
                                  "from published figures"))


def gi_figure(ctx: Context) -> tuple[Figure | None, pd.Series]:
    spots = hotspot_figures.hotspots(ctx.pub, level=ctx.level, code=ctx.code,
                                     period=ctx.fperiod, seed=ctx.seed)
    labels = spots.labels.reindex(ctx.inputs.lsoa.index)
    if (labels == hotspot_figures.NOT_TESTED).all():
        return None, labels
    desc = (f"Getis–Ord Gi* clusters of the LSOA rate of proxy-measure violence, "
            f"{ctx.fperiod.label}: {spots.n_hot} LSOAs are in significant hot spots and "
            f"{spots.n_cold} in cold spots ({spots.method}).")
    svg = category_map(_geoms(ctx), labels, chart_id="f6-3-gi", title="Gi* hot and cold spots",
                       desc=desc, note=SNAP_NOTE,
                       colours={k: v for k, v in COLOURS.items() if (labels == k).any()},
                       **_layers(ctx))  # type: ignore[arg-type]
    data = pd.DataFrame({"Name": ctx.inputs.lsoa["name"].to_numpy(), "LSOA": labels.index,
                         "Cluster": labels.to_numpy(),
                         "z (significant from ±" + f"{spots.z_critical:.2f})":
                             spots.z.reindex(labels.index).round(2).to_numpy()})
    hot = [str(c) for c in labels.index[labels == hotspot_figures.HOT]]
    cold = [str(c) for c in labels.index[labels == hotspot_figures.COLD]]
    what = ("in a hot spot (a cluster of high rates that chance would rarely produce)"
             if not hot else "in hot spots, clusters of high rates that chance would rarely "
             f"produce: {places_of(ctx, hot)}")
    message = (f"{counted(len(hot), 'neighbourhood', ('is', 'are')).capitalize()} {what}; "
               + (f"{counted(len(cold), 'neighbourhood', ('is', 'are'))} in cold spots, "
                  f"{towns_by_count(ctx, cold)}." if cold else "none is in a cold spot."))
    return Figure(id="f6-3-gi", caption="Hot and cold spots: neighbourhoods in clusters of high "
                  "or low rates (Getis–Ord Gi*, false discovery rate 5%)", svg=svg,
                  alt_text=desc, data=data, message=message,
                  provenance=ctx.provenance(filters={"statistic": "Gi* on rate per 1,000",
                                                     "correction": "Benjamini–Hochberg FDR",
                                                     "seed": str(ctx.seed)},
                                            suppression="labels only for published LSOAs; "
                                                        "computed from published figures")
                  ), labels


def _hotspot_finding(ctx: Context, labels: pd.Series) -> list[Finding]:
    hot = [str(c) for c in labels.index[labels == hotspot_figures.HOT]]
    if not hot:
        return []
    return [Finding(id="f-hotspots", text=(
        f"{len(hot)} neighbourhoods (LSOAs) are in significant hot spots of proxy-measure "
        f"violence in {ctx.fperiod.label} (Getis–Ord Gi*, false discovery rate 5%): "
        f"{places_of(ctx, hot)}."), provenance=ctx.provenance(
            filters={"statistic": "Gi* on rate per 1,000", "seed": str(ctx.seed)},
            suppression="labels only for published LSOAs; computed from published figures"),
        value=float(len(hot)), unit="neighbourhoods in hot spots")]


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


def top_table(ctx: Context, gi_labels: pd.Series) -> Table:
    frame = _frame(ctx)
    ranked = lsoa_figures.top(frame)
    lsoa = ctx.inputs.lsoa
    total = ctx.count()
    data = pd.DataFrame({
        "Name": ranked["name"], "LSOA": ranked["lsoa21_code"],
        "Partnership (CSP)": lsoa.loc[ranked["lsoa21_code"], "csp_name"].to_numpy(),
        "Count": ranked["count"].astype(int).to_numpy(),
        "Rate per 1,000 a year": ranked["rate"].round(1).to_numpy(),
        "% of located offences": publish(ranked["count"] / total * 100, 1).to_numpy(),
        "IMD 2025 decile": lsoa.loc[ranked["lsoa21_code"], "imd_decile"].to_numpy(),
        "Gi*": gi_labels.reindex(ranked["lsoa21_code"]).to_numpy()})
    return Table(id="t6-1-top", caption=f"The ten LSOAs with the most proxy-measure "
                 f"violence, {ctx.fperiod.label} (of those whose count is published)",
                 data=data, row_header=True, provenance=ctx.provenance(suppression=_status(ctx)))


def lorenz_figure(ctx: Context) -> tuple[Figure, Finding] | None:
    if float(ctx.pub.lsoa_values_for_statistics(ctx.fperiod).sum()) <= 0:
        return None
    conc = lsoa_figures.concentration(ctx.pub, level=ctx.level, code=ctx.code,
                                      period=ctx.fperiod)
    values = ctx.pub.lsoa_values_for_statistics(ctx.fperiod).reindex(ctx.inputs.lsoa.index)
    shares = conc.top_shares.set_index("top_fraction")["event_share"] * 100
    desc = (f"Concentration curve: LSOAs sorted from the most to the fewest offences. The top "
            f"1% of LSOAs hold {shares[0.01]:.0f}% of located proxy-measure violence, the "
            f"top 5% {shares[0.05]:.0f}% and the top 10% {shares[0.10]:.0f}% (Gini "
            f"{conc.gini:.2f}).")
    chart = charts.lorenz_curve(list(values.index), values.round(6).tolist(),
                                chart_id="f6-4-lorenz", title="Concentration of serious "
                                "violence across LSOAs", desc=desc, marks=(1, 5, 10))
    fig = Figure(id="f6-4-lorenz", caption="Concentration (Lorenz) curve of proxy-measure "
                 "violence across LSOAs", svg=chart.svg, alt_text=desc,
                 message=(f"Violence is concentrated in few places: the busiest 10% of "
                          f"neighbourhoods hold {format_percent(shares[0.10], dp=0)} of the "
                          f"offences, where an even spread would give them 10% (Gini "
                          f"{conc.gini:.2f}, from 0 for an even spread to 1 for all in one "
                          "place)."),
                 data=chart.data.round(4), provenance=ctx.provenance(
                     suppression="cumulative shares computed from published figures"))
    text = (f"The top 10% of LSOAs hold {format_percent(shares[0.10], dp=0)} of the located "
            f"offences, and the top 1% hold {format_percent(shares[0.01], dp=0)}.")
    return fig, Finding(id="f-concentration", text=text, provenance=ctx.provenance(),
                        value=round(float(shares[0.10]), 1), unit="% of located offences")


def chapter(ctx: Context) -> Section:
    from alliance.figures.universe import universe

    gi, labels = gi_figure(ctx)
    concentration = lorenz_figure(ctx)
    placed = universe(ctx.pub, period=ctx.fperiod)
    blocks: list[Block] = [
        Paragraph(text=(
            f"Where proxy-measure violence happens in {ctx.area_name}, by LSOA 2021 "
            "(neighbourhoods of about 1,500 residents). "
            + (placed.sentence(ctx.area_name) + " " if ctx.level == "area" else "")
            + SNAP_NOTE)),
        *([concentration[1]] if concentration else []), rate_map(ctx)]
    kde = density_map(ctx)
    if kde is not None:
        blocks.append(kde)
    if gi is not None:
        blocks += [*_hotspot_finding(ctx, labels), gi]
    blocks += [top_table(ctx, labels), *([concentration[0]] if concentration else [])]
    if np.isnan(ctx.count()):
        blocks = blocks[:1]
    return Section(id="where", title="Where serious violence happens", blocks=tuple(blocks))
