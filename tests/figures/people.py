"""A synthetic A&E-shaped source with people for the who-table tests.

Synthetic, documented as such: the small synthetic area of :mod:`tests.figures.synthetic`,
one year of attendances (a few a neighbourhood a month, over-dispersed), each with a weapon
(about a third a knife), an age band (about a third under 25, a few not known) and a sex
(about three quarters male, a few not known), counted in the ISTV scheme's fine categories
(weapon by under 25 or not), so many age-by-sex cells are 1 to 4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.figures.cube import CategoryGroup, CountCube
from alliance.pool import measures
from tests.figures.synthetic import synthetic_cube

BAND_WEIGHTS = {"0-17": 0.1, "18-24": 0.22, "25-34": 0.3, "35+": 0.33, "not known": 0.05}
SEX_WEIGHTS = {"male": 0.72, "female": 0.24, "not known": 0.04}


def people_rows(seed: int, *, n_lsoa: int = 6, months: int = 12,
                mean: float = 1.2) -> tuple[CountCube, pd.DataFrame]:
    """(the cube, its rows: lsoa21_code, month, category, age_band, sex, count)."""
    geography = synthetic_cube(seed, n_lsoa=n_lsoa, months=months).geography
    rng = np.random.default_rng(seed)
    month_list = [str(pd.Period("2024-01", freq="M") + i) for i in range(months)]
    level = rng.gamma(1.0, mean, size=n_lsoa)
    rows = []
    for code, lam in zip(geography.codes, level, strict=True):
        for m in month_list:
            for _ in range(int(rng.negative_binomial(3, 3 / (3 + lam)))):
                band = str(rng.choice(list(BAND_WEIGHTS), p=list(BAND_WEIGHTS.values())))
                sex = str(rng.choice(list(SEX_WEIGHTS), p=list(SEX_WEIGHTS.values())))
                weapon = "knife or sharp object" if rng.random() < 0.33 else \
                    "other or not known"
                age = "under 25" if band in measures.UNDER_25 else "25 or over, or not known"
                rows.append((code, m, f"{weapon}|{age}", band, sex))
    frame = pd.DataFrame(rows, columns=["lsoa21_code", "month", "category", "age_band",
                                        "sex"]).assign(count=1)
    scheme = measures.ISTV
    cube = CountCube.from_counts(
        geography=geography, months=month_list, categories=dict(scheme.categories),
        placed=frame.groupby(["lsoa21_code", "month", "category"], as_index=False)["count"]
        .sum(),
        groups={k: CategoryGroup(label=g.label, members=g.members, levels=g.levels,
                                 monthly=g.monthly) for k, g in scheme.groups.items()},
        fine_published=False, source=scheme.source, all_label=scheme.all_label,
        people=frame.groupby(["month", "age_band", "sex"], as_index=False)["count"].sum(),
        age_bands=measures.AGE_BANDS, sexes=measures.SEXES, under_25=measures.UNDER_25,
        under_25_members=measures.under_25_members(scheme))
    return cube, frame
