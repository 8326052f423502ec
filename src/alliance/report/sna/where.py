"""Chapter 6: where — LSOA rate map, kernel density, Gi* clusters, top areas, concentration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from alliance.report import charts, maps
from alliance.report.category_map import category_map
from alliance.report.document import Block, Figure, Finding, Paragraph, Section, Table
from alliance.report.sna.common import SNAP_NOTE, Context, publish, share
from alliance.report.sna.spatial import lsoa_counts
from alliance.report.wording import format_percent
from alliance.stats.concentration import concentration
from alliance.stats.hotspots import gi_star, kernel_density, queen_contiguity

GI_SEED = 20_250_101
#: 9,999 permutations: with 999 the smallest possible p (0.002) cannot survive the FDR
#: correction across the hundreds of LSOAs of a county.
GI_PERMUTATIONS = 9_999


def _geoms(ctx: Context) -> pd.Series:
    return ctx.inputs.lsoa["geometry_wkb"]


def _names(ctx: Context) -> dict[str, str]:
    return {str(k): str(v) for k, v in ctx.inputs.lsoa["name"].items()}


def rate_map(ctx: Context) -> Figure:
    lc = lsoa_counts(ctx)
    pop = ctx.inputs.lsoa["population"].astype(float)
    rates = (lc.values["count"] / pop * 1000).reindex(pop.index)
    hidden = int(rates.isna().sum())
    desc = (f"Map of the {len(pop)} LSOAs of {ctx.area_name} shaded by proxy-measure "
            f"violence per 1,000 residents, {ctx.period.span()}, in five classes of equal "
            f"numbers of LSOAs; {hidden} LSOA(s) with fewer than {ctx.threshold} offences (or "
            "hidden to protect them) are hatched. The data table lists every LSOA.")
    chart = maps.choropleth(_geoms(ctx), rates, chart_id="f6-1-map",
                            title="Serious violence per 1,000 residents by LSOA", desc=desc,
                            legend_title="Rate per 1,000 residents", names=_names(ctx),
                            note=SNAP_NOTE, value_format="{:,.1f}")
    data = chart.data.drop(columns=["Class"]).rename(columns={"Value": "Rate per 1,000"})
    data["Count"] = publish(lc.values["count"].reindex(pop.index)).to_numpy()
    data["Rate per 1,000"] = publish(data["Rate per 1,000"], 2)
    return Figure(id="f6-1-map", caption="Proxy-measure violence per 1,000 residents by "
                  "LSOA", svg=chart.svg, alt_text=desc, data=data,
                  provenance=ctx.provenance(suppression=lc.status))


def kde_map(ctx: Context) -> Figure | None:
    rows = ctx.sv[ctx.sv["month"].isin(ctx.period.months) & ctx.sv["lsoa21_code"].notna()]
    x = rows["easting"].to_numpy(dtype=float)
    y = rows["northing"].to_numpy(dtype=float)
    if np.isfinite(x).sum() < 20:
        return None
    geoms = maps.project(list(_geoms(ctx)), list(ctx.inputs.lsoa.index))
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    extent = max(maxx - minx, maxy - miny)
    cell = max(round(extent / 110 / 50) * 50, 50.0)
    bandwidth = 3 * cell
    ok = np.isfinite(x) & np.isfinite(y)
    surface = kernel_density(np.column_stack([x[ok], y[ok]]), cell_size=cell,
                             bandwidth=bandwidth, extent=(minx, miny, maxx, maxy))
    frame = surface.to_frame()
    grid = pd.DataFrame({"x": frame["x"], "y": frame["y"], "value": frame["events_per_km2"]})
    outline = shapely.union_all(geoms)
    inside = shapely.contains_xy(outline, grid["x"].to_numpy(), grid["y"].to_numpy())
    grid = grid[inside & (grid["value"] > 0)]
    cut = float(np.quantile(grid["value"], 0.9))
    top = grid[grid["value"] >= cut].reset_index(drop=True)
    desc = (f"Kernel density of proxy-measure violence in {ctx.area_name}, "
            f"{ctx.period.span()} (Gaussian kernel, {bandwidth:,.0f} m bandwidth, "
            f"{cell:,.0f} m cells). Only the densest 10% of cells are drawn, over the LSOA "
            "outlines; darker cells are denser. " + SNAP_NOTE)
    chart = maps.choropleth(_geoms(ctx), None, chart_id="f6-2-kde",
                            title="Kernel density hotspots", desc=desc, names=_names(ctx),
                            cells=top, cell_size=cell, note=SNAP_NOTE,
                            cells_legend_title="Density (top 10% of cells)")
    data = top.assign(x=top["x"].round(0), y=top["y"].round(0),
                      value=top["value"].round(2)).sort_values("value", ascending=False)
    data = data.rename(columns={"x": "Easting (cell centre)", "y": "Northing (cell centre)",
                                "value": "Offences per km²"}).reset_index(drop=True)
    return Figure(id="f6-2-kde", caption="Kernel density hotspots of proxy-measure violence",
                  svg=chart.svg, alt_text=desc, data=data, provenance=ctx.provenance(
                      filters={"kernel": "gaussian", "bandwidth": f"{bandwidth:.0f} m"},
                      suppression="not applicable: smoothed densities, no cell counts"))


def gi_figure(ctx: Context) -> tuple[Figure | None, pd.Series]:
    lsoa = ctx.inputs.lsoa
    labels = pd.Series("not tested", index=lsoa.index)
    if len(lsoa) < 8:
        return None, labels
    lc = lsoa_counts(ctx)
    rates = lc.counts / lsoa["population"].astype(float) * 1000
    geoms = shapely.from_wkb(np.asarray(list(lsoa["geometry_wkb"]), dtype=object))
    graph = queen_contiguity(geoms, list(lsoa.index))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = gi_star(rates, graph, permutations=GI_PERMUTATIONS, seed=GI_SEED)
    frame = pd.DataFrame({"label": res.label, "z": res.z, "q": res.q}, index=list(res.ids))
    labels = frame["label"].reindex(lsoa.index).fillna("not tested")
    cats = labels.map(lambda v: "Hot spot" if v == "hot" else "Cold spot" if v == "cold"
                      else "Not significant")
    n_hot, n_cold = int((labels == "hot").sum()), int((labels == "cold").sum())
    desc = (f"Getis–Ord Gi* clusters of the LSOA rate of proxy-measure violence, "
            f"{ctx.period.span()}: {n_hot} LSOAs are in significant hot spots and {n_cold} in "
            "cold spots (queen contiguity, 9,999 permutations, Benjamini–Hochberg false "
            "discovery rate 5%).")
    svg = category_map(_geoms(ctx), cats, chart_id="f6-3-gi", title="Gi* hot and cold spots",
                       desc=desc, colours={"Hot spot": "#D55E00", "Cold spot": "#0072B2",
                                           "Not significant": "#e6e8ea"},
                       names=_names(ctx), note=SNAP_NOTE)
    data = pd.DataFrame({"LSOA": lsoa.index, "Name": lsoa["name"].to_numpy(),
                         "Cluster": cats.to_numpy(),
                         "z": frame["z"].reindex(lsoa.index).round(2).to_numpy(),
                         "q (FDR)": frame["q"].reindex(lsoa.index).round(4).to_numpy()})
    return Figure(id="f6-3-gi", caption="Gi* hot and cold spots (false discovery rate "
                  "controlled)", svg=svg, alt_text=desc, data=data,
                  provenance=ctx.provenance(filters={"statistic": "Gi* on rate per 1,000",
                                                     "correction": "Benjamini–Hochberg FDR"},
                                            suppression="not applicable: cluster labels, "
                                                        "no counts")), labels


def top_table(ctx: Context, gi_labels: pd.Series) -> Table:
    lc = lsoa_counts(ctx)
    lsoa = ctx.inputs.lsoa
    order = lc.counts.sort_values(ascending=False, kind="stable").index[:10]
    pop = lsoa["population"].astype(float)
    data = pd.DataFrame({
        "LSOA": order, "Name": lsoa.loc[order, "name"].to_numpy(),
        "Partnership (CSP)": lsoa.loc[order, "csp_name"].to_numpy(),
        "Count": publish(lc.values["count"].reindex(order)).to_numpy(),
        "Rate per 1,000": publish((lc.values["count"] / pop * 1000).reindex(order), 1)
        .to_numpy(),
        "% of located offences": publish(
            (lc.values["count"] / lc.total * 100).reindex(order), 1).to_numpy(),
        "IMD 2025 decile": lsoa.loc[order, "imd_decile"].to_numpy(),
        "Gi*": gi_labels.reindex(order).to_numpy()})
    return Table(id="t6-1-top", caption=f"The ten LSOAs with the most proxy-measure "
                 f"violence, {ctx.period.span()}", data=data, row_header=True,
                 provenance=ctx.provenance(suppression=lc.status))


def lorenz_figure(ctx: Context) -> tuple[Figure, Finding]:
    lc = lsoa_counts(ctx)
    conc = concentration(lc.counts, top=(0.01, 0.05, 0.10))
    top5 = lc.counts.sort_values(ascending=False).iloc[:5].sum()
    pct = share(top5, lc.total)
    shares = conc.top_shares.set_index("top_fraction")["event_share"] * 100
    desc = (f"Concentration curve: LSOAs sorted from the most to the fewest offences. The top "
            f"1% of LSOAs hold {shares[0.01]:.0f}% of located proxy-measure violence, the "
            f"top 5% {shares[0.05]:.0f}% and the top 10% {shares[0.10]:.0f}% (Gini "
            f"{conc.gini:.2f}).")
    chart = charts.lorenz_curve(list(lc.counts.index), lc.counts.astype(float).tolist(),
                                chart_id="f6-4-lorenz", title="Concentration of serious "
                                "violence across LSOAs", desc=desc, marks=(1, 5, 10))
    fig = Figure(id="f6-4-lorenz", caption="Concentration (Lorenz) curve of proxy-measure "
                 "violence across LSOAs", svg=chart.svg, alt_text=desc, data=chart.data,
                 provenance=ctx.provenance(suppression="not applicable: cumulative shares of "
                                                       "the total"))
    if len(lc.counts) >= 50:
        text = (f"The five LSOAs with the most proxy-measure violence hold "
                f"{format_percent(pct, dp=0)} of the located offences; the top 10% of LSOAs "
                f"hold {format_percent(shares[0.10], dp=0)}.")
        value = round(pct, 1)
    else:
        top1 = share(lc.counts.max(), lc.total)
        text = (f"The LSOA with the most proxy-measure violence holds "
                f"{format_percent(top1, dp=0)} of the located offences (of "
                f"{len(lc.counts)} LSOAs).")
        value = round(top1, 1)
    finding = Finding(id="f-concentration", text=text, provenance=ctx.provenance(),
                      value=value, unit="% of located offences")
    return fig, finding


def chapter(ctx: Context) -> Section:
    lc = lsoa_counts(ctx)
    no_loc = int((ctx.sv["month"].isin(ctx.period.months) & ctx.sv["lsoa21_code"].isna()).sum())
    total = lc.total + no_loc
    gi, labels = gi_figure(ctx)
    lorenz, conc_finding = lorenz_figure(ctx)
    blocks: list[Block] = [
        Paragraph(text=(
            f"Where proxy-measure violence happens in {ctx.area_name}, by LSOA 2021 "
            f"(neighbourhoods of about 1,500 residents). {lc.total:,} of the {total:,} offences "
            f"in {ctx.period.span()} have a location in the area "
            f"({format_percent(share(no_loc, total), dp=1)} have none: police.uk 'No "
            f"Location' records, counted only in area totals). {SNAP_NOTE}")),
        conc_finding, rate_map(ctx)]
    kde = kde_map(ctx)
    if kde is not None:
        blocks.append(kde)
    if gi is not None:
        blocks.append(gi)
    blocks += [top_table(ctx, labels), lorenz]
    return Section(id="where", title="Where serious violence happens", blocks=tuple(blocks))
