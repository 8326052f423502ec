"""Small synthetic areas for the figures tests: real-looking structure, small counts.

Neighbourhoods nest in districts (CSPs) inside local authorities; IMD deciles cut across
districts; counts are over-dispersed (negative binomial) with small means, so many cells are
0 to 4, which is what makes suppression hard.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from alliance.figures.cube import AreaGeography, CountCube


def square(col: int, row: int) -> bytes:
    # 1 km squares near Northampton, in longitude/latitude
    lon0, lat0 = -0.95 + col * 0.0146, 52.20 + row * 0.009
    return shapely.to_wkb(shapely.box(lon0, lat0, lon0 + 0.0146, lat0 + 0.009))


def synthetic_cube(seed: int, *, n_lsoa: int = 12, months: int = 24, categories: int = 3,
                   mean: float = 2.0) -> CountCube:
    rng = np.random.default_rng(seed)
    codes = [f"E0199{seed % 100:02d}{i:03d}" for i in range(n_lsoa)]
    csp = [f"E2200000{i % 3 + 1}" for i in range(n_lsoa)]
    lad = ["E06000061" if c in ("E22000001", "E22000002") else "E06000062" for c in csp]
    lsoa = pd.DataFrame({
        "name": [f"Testshire {i:03d}" for i in range(n_lsoa)],
        "population": rng.integers(1200, 2200, n_lsoa),
        "csp_code": csp, "csp_name": [f"CSP {c[-1]}" for c in csp],
        "lad_code": lad, "lad_name": [f"LA {c[-2:]}" for c in lad],
        "imd_decile": rng.integers(1, 11, n_lsoa),
        "geometry_wkb": [square(i % 4, i // 4) for i in range(n_lsoa)]}, index=codes)
    geography = AreaGeography(code="E23000099", name="Testshire", level="pfa", lsoa=lsoa)
    month_list = [str(pd.Period("2024-01", freq="M") + i) for i in range(months)]
    cats = {f"cat{k}": f"Category {k}" for k in range(categories)}
    # a busy first category and sparse others; neighbourhoods differ (over-dispersion)
    level = rng.gamma(0.8, mean / 0.8, size=n_lsoa)
    level[rng.choice(n_lsoa, 2, replace=False)] = 0.02  # two quiet neighbourhoods
    rows = []
    for i, code in enumerate(codes):
        for m in month_list:
            for k, cat in enumerate(cats):
                lam = level[i] * (3.0 if k == 0 else 0.4)
                n = int(rng.negative_binomial(3, 3 / (3 + lam)))
                if n:
                    rows.append((code, m, cat, n))
    placed = pd.DataFrame(rows, columns=["lsoa21_code", "month", "category", "count"])
    unlocated = pd.DataFrame([(m, "cat0", int(rng.poisson(1.5))) for m in month_list],
                             columns=["month", "category", "count"])
    return CountCube.from_counts(geography=geography, months=month_list, categories=cats,
                                 placed=placed, unlocated=unlocated)
