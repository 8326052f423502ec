"""A synthetic year of A&E assault attendances (ISTV-shaped) for tests that need partner data.

Synthetic, documented as such: 900 attendances in 2024 over 40 real Northamptonshire LSOAs,
about a third with a knife, a third of patients under 25, one in twenty without a place. It is
loaded as a partner would load it (mapped extract, pooled batch) after the demo's A&E agreement
is renewed (the demo's is expired).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

AREA = "E23000022"  # Northamptonshire police force area
ISTV_MAPPING = {"reference": "Attendance ID", "date": "Assault Date", "weapon": "Assault Method",
                "age": "Age Band", "lsoa": "LSOA"}


def istv_year(codes: list[str], seed: int = 7, rows: int = 900,
              points: pd.DataFrame | None = None,
              sex: bool = False) -> tuple[str, dict[str, Any]]:
    """(CSV text, the truth: rows, sharp and sharp_u25 placed, unplaced); ``rows`` fewer than
    the default make a quiet year whose local authorities' counts are small. ``points``
    (police.uk rows: ``month``, ``easting``, ``northing``): every fourth attendance of a
    month they hold is given a map point (no LSOA) at one of their points, of its own month
    or another, so some have a police record nearby and some may not. ``sex``: a Sex column
    too (about three in four male, drawn apart so the other columns stay as they were); the
    truth then has ``people``, placed rows by (age band, sex)."""
    rng = np.random.default_rng(seed)
    sexes = np.random.default_rng(seed + 1).choice(["M", "F", "U"], size=rows,
                                                   p=[0.74, 0.23, 0.03])
    people: dict[tuple[str, str], int] = {}
    busy = list(rng.choice(codes, size=40, replace=False))
    lines = ["Attendance ID,Assault Date,Assault Method,Age Band,LSOA,Easting,Northing"
             + (",Sex" if sex else "")]
    truth: dict[str, Any] = {"rows": 0, "sharp": 0, "sharp_u25": 0, "unplaced": 0,
                             "pointed": 0}
    held = sorted(set(points["month"])) if points is not None else []
    for i in range(rows):
        month = 1 + i % 12
        knife = rng.random() < 0.33
        young = rng.random() < 0.35
        lsoa = "" if rng.random() < 0.05 else str(rng.choice(busy))
        point = ","
        if points is not None and f"2024-{month:02d}" in held and i % 4 == 0:
            mine = points[points["month"] == str(rng.choice(held))]
            spot = mine.iloc[int(rng.integers(len(mine)))]
            lsoa, point = "", f"{spot['easting']:.0f},{spot['northing']:.0f}"
            truth["pointed"] += 1
        lines.append(f"ED-{i},2024-{month:02d}-{1 + i % 27:02d},{'Knife' if knife else 'Fist'},"
                     f"{'18-24' if young else '35-49'},{lsoa},{point}"
                     + (f",{sexes[i]}" if sex else ""))
        truth["rows"] += 1
        placed = lsoa != "" or point != ","
        if placed:
            key = ("18-24" if young else "35+",
                   {"M": "male", "F": "female"}.get(str(sexes[i]), "not known") if sex
                   else "not known")
            people[key] = people.get(key, 0) + 1
        truth["unplaced"] += not placed
        truth["sharp"] += knife and placed
        truth["sharp_u25"] += knife and young and placed
    return "\n".join(lines) + "\n", {**truth, **({"people": people} if sex else {})}


def load_istv_year(reference: Path, *, seed: int = 7, rows: int = 900,
                   points: pd.DataFrame | None = None, sex: bool = False) -> dict[str, Any]:
    """Renew the A&E agreement and pool a synthetic ISTV year; returns its truth."""
    from alliance.sources.partner_extract import map_extract
    from alliance.web.mappings.loading import pieces
    from alliance.web.pool import services
    from alliance.web.pool.publication import area_geography
    from tests.web.pool.test_agreements import renew

    renew("ae_assaults")
    text, truth = istv_year(list(area_geography(AREA).codes), seed=seed, rows=rows,
                            points=points, sex=sex)
    mapping = {**ISTV_MAPPING, **({"easting": "Easting", "northing": "Northing"}
                                  if points is not None else {}),
               **({"sex": "Sex"} if sex else {})}
    extract = map_extract(text.encode(), mapping, file="kgh-istv-2024.csv",
                          source="istv_ae", partition="nhs/istv")
    result = services.load_pieces(pieces(extract, len(text)), reference_dir=reference,
                                  created_by="tests", description="ISTV 2024", source="istv_ae")
    truth["batch"] = int(result.batch_id or 0)
    return truth
