"""All of one county's SNA statistics on the real Northamptonshire data, timed (target < 5 s).

Every module of ``alliance.stats`` run once, as the SNA runs them, on the 16 real
Northamptonshire police.uk months (violence and sexual offences by LSOA), IoD2025 and the
mid-2022 LSOA populations: rates and funnel limits, rate ratio between periods, monthly
series, Mann-Kendall and seasonal decomposition, IMD-decile gradient (SII/RII), a
negative-binomial model, a prioritisation index, Gi* and local Moran (999 permutations),
kernel density and the dual-KDE risk surface, emerging-hotspot classification, SPPT,
hotspot accuracy, concentration and harm weighting. Reading the files is timed separately.

Usage::

    uv run python benchmarks/bench_county_all_stats.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
VSO = "Violence and sexual offences"


def main() -> None:
    t0 = time.perf_counter()
    files = sorted((DATA / "policeuk" / "street" / "northamptonshire").glob("*.csv.gz"))
    crimes = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    imd = pd.read_csv(DATA / "geo" / "northants" / "iod2025_lsoa21_northants.csv")
    import json

    gj = json.loads((DATA / "geo" / "northants" / "lsoa21_bsc_northants.geojson").read_text())
    codes = [f["properties"]["lsoa21_code"] for f in gj["features"]]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in gj["features"]])
    read_s = time.perf_counter() - t0

    from alliance.stats import concentration, harm, need, rates, trends
    from alliance.stats.hotspots import (
        classify_hotspot_trend,
        gi_star,
        hotspot_accuracy,
        kernel_density,
        local_moran,
        queen_contiguity,
        risk_surface,
        spatial_point_pattern_test,
    )

    timings: dict[str, float] = {}

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        out = fn()
        timings[name] = time.perf_counter() - t
        return out

    start = time.perf_counter()
    vso = crimes[crimes["Crime type"] == VSO]
    in_county = vso[vso["LSOA code"].isin(codes)]
    counts = in_county["LSOA code"].value_counts().reindex(codes, fill_value=0)
    pop = imd.set_index("lsoa21_code")["pop_total_mid2022"].reindex(codes)
    decile = imd.set_index("lsoa21_code")["IMD_decile"].reindex(codes)
    timed("rates", lambda: rates.rate(counts, pop, multiplier=1000))
    timed("funnel", lambda: rates.funnel_limits(counts, pop, multiplier=1000,
                                               overdispersion="multiplicative"))
    monthly = vso.groupby("Month").size()
    timed("monthly series", lambda: trends.monthly_series(monthly, missing_months="gap"))
    full = vso[vso["Month"] >= "2025-01"].groupby("Month").size()
    timed("rate ratio", lambda: trends.compare_periods(
        full, before=("2025-01", "2025-06"), after=("2025-07", "2025-12")))
    timed("mann-kendall", lambda: trends.mann_kendall(full))
    timed("seasonal (STL)", lambda: trends.seasonal_decomposition(
        pd.concat([full, full.set_axis([f"2026-{m[5:]}" for m in full.index])]), method="stl"))
    timed("IMD gradient + SII", lambda: need.slope_index_of_inequality(
        need.rates_by_decile(counts, pop, decile.to_numpy()), repetitions=10_000))
    scores = imd.set_index("lsoa21_code").reindex(codes)
    covars = scores[["Income_score", "Employment_score", "Crime_score"]]
    timed("negative binomial GLM", lambda: need.count_regression(
        counts, pop, covars, family="negative_binomial", standardise=True))
    timed("prioritisation index", lambda: need.priority_index(
        pd.DataFrame({"violence": counts / pop, "imd": scores["IMD_score"]})))
    graph = timed("queen graph", lambda: queen_contiguity(geoms, codes))
    timed("Gi* (999)", lambda: gi_star(counts, graph, permutations=999, seed=1))
    timed("local Moran (999)", lambda: local_moran(counts / pop, graph, permutations=999,
                                                   seed=1))
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    located = in_county.dropna(subset=["Longitude", "Latitude"])
    x, y = to_bng.transform(located["Longitude"].to_numpy(), located["Latitude"].to_numpy())
    pts = np.column_stack([x, y])
    extent = (pts[:, 0].min() - 2000, pts[:, 1].min() - 2000, pts[:, 0].max() + 2000,
              pts[:, 1].max() + 2000)
    surfaces = []
    for half in (located["Month"] < "2025-01", located["Month"] >= "2025-07"):
        surfaces.append(timed(f"KDE {int(half.sum())} pts, 200 m", lambda h=half: kernel_density(
            pts[h.to_numpy()], cell_size=200, bandwidth=400, extent=extent)))
    cx, cy = to_bng.transform(*np.array([[c.x, c.y] for c in shapely.centroid(geoms)]).T)
    timed("risk surface", lambda: risk_surface(pts, np.column_stack([cx, cy]), pop.to_numpy(),
                                               cell_size=200, bandwidth=400, extent=extent))
    timed("emerging hotspots", lambda: classify_hotspot_trend(
        [s.density for s in surfaces]))
    first = in_county[in_county["Month"] < "2025-01"]["LSOA code"].value_counts()
    later = in_county[in_county["Month"] >= "2025-01"]["LSOA code"].value_counts()
    timed("SPPT", lambda: spatial_point_pattern_test(first.reindex(codes, fill_value=0),
                                                     later.reindex(codes, fill_value=0),
                                                     seed=1))
    top = first.reindex(codes, fill_value=0).nlargest(22).index
    timed("hotspot accuracy", lambda: hotspot_accuracy(later.reindex(codes, fill_value=0), top))
    timed("concentration", lambda: concentration.concentration(counts))
    weights = harm.load_harm_weights()
    timed("harm weighting", lambda: harm.harm_weighted_counts(
        crimes[crimes["LSOA code"].isin(codes)], weights))
    total = time.perf_counter() - start

    print(f"reading the real files: {read_s:.2f} s (not counted)")
    for name, s in timings.items():
        print(f"  {name:<28} {s:7.3f} s")
    print(f"all county statistics: {total:.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
