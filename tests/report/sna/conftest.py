"""Synthetic SNA inputs for the unit tests of alliance.report.sna.

Real data covers the whole build (tests/web/sna/test_sna_build.py); these small inputs cover what
real files cannot: exact small counts to test suppression, recovery attempts and narrative
staleness on a map of nine 1 km squares near Northampton.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from alliance.report.sna import SnaArea, SnaDefinition, SnaInputs

_TO_WGS = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
CODES = tuple(f"E0199990{i}" for i in range(9))
#: Counted serious violence per LSOA per month of 2025 (robbery and weapons added below);
#: LSOA 8 has 3 offences in the whole year, so it must be hidden.
MONTHLY = (30, 12, 8, 6, 5, 4, 3, 2, 0)


def _square(col: int, row: int) -> bytes:
    x0, y0 = 475_000 + col * 1000, 260_000 + row * 1000
    xs, ys = [x0, x0 + 1000, x0 + 1000, x0, x0], [y0, y0, y0 + 1000, y0 + 1000, y0]
    lon, lat = _TO_WGS.transform(xs, ys)
    return shapely.to_wkb(shapely.Polygon(zip(lon, lat, strict=True)))


def make_inputs(*, monthly: tuple[int, ...] = MONTHLY, seed: int = 1) -> SnaInputs:
    rng = np.random.default_rng(seed)
    rows = []
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    for month in months:
        for i, (code, n) in enumerate(zip(CODES, monthly, strict=True)):
            col, row = i % 3, i // 3
            for _ in range(n):
                rows.append({"month": month, "source_category": "Violence and sexual offences",
                             "sv_category": "violence_and_sexual_offences_proxy",
                             "sv_included": True, "sv_proxy": True, "lsoa21_code": code,
                             "easting": 475_000 + col * 1000 + rng.uniform(0, 1000),
                             "northing": 260_000 + row * 1000 + rng.uniform(0, 1000),
                             "batch_id": 7})
        # Robbery and weapons: 6 and 5 a month, all in LSOA 0 (never small at area level).
        for cat, label, n in (("robbery", "Robbery", 6), ("possession_of_weapons",
                                                         "Possession of weapons", 5)):
            for _ in range(n):
                rows.append({"month": month, "source_category": label, "sv_category": cat,
                             "sv_included": True, "sv_proxy": False, "lsoa21_code": CODES[0],
                             "easting": 475_500.0, "northing": 260_500.0, "batch_id": 7})
        rows.append({"month": month, "source_category": "Shoplifting",
                     "sv_category": "shoplifting", "sv_included": False, "sv_proxy": False,
                     "lsoa21_code": None, "easting": np.nan, "northing": np.nan, "batch_id": 7})
    # LSOA 8: three offences in the whole of 2025
    for month in ("2025-02", "2025-06", "2025-09"):
        rows.append({"month": month, "source_category": "Violence and sexual offences",
                     "sv_category": "violence_and_sexual_offences_proxy", "sv_included": True,
                     "sv_proxy": True, "lsoa21_code": CODES[8], "easting": 477_500.0,
                     "northing": 262_500.0, "batch_id": 7})
    incidents = pd.DataFrame(rows)
    lsoa = pd.DataFrame({
        "name": [f"Testshire {i:03d}A" for i in range(9)],
        "population": [1500.0] * 9,
        "imd_decile": [1, 1, 2, 3, 5, 6, 8, 9, 10], "imd_score": np.linspace(60, 5, 9),
        "csp_code": ["E22000001"] * 5 + ["E22000002"] * 4,
        "csp_name": ["North Testshire"] * 5 + ["South Testshire"] * 4,
        "geometry_wkb": [_square(i % 3, i // 3) for i in range(9)]}, index=list(CODES))
    rules = pd.DataFrame([
        {"match": "source_category", "value": v, "category": c, "label": lbl, "counted": inc,
         "proxy": p} for v, c, lbl, inc, p in (
            ("Violence and sexual offences", "violence_and_sexual_offences_proxy",
             "Violence and sexual offences (proxy)", True, True),
            ("Robbery", "robbery", "Robbery", True, False),
            ("Possession of weapons", "possession_of_weapons", "Possession of weapons", True,
             False),
            ("Shoplifting", "shoplifting", "Shoplifting", False, False))])
    batches = pd.DataFrame([
        {"id": 1, "kind": "geography", "source": "ons_geography", "description": "ONS",
         "created_at": pd.Timestamp("2026-01-01"), "finished_at": pd.Timestamp("2026-01-01"),
         "rows_loaded": 9, "rows_set_aside": 0},
        {"id": 7, "kind": "incidents", "source": "police_uk", "description": "police.uk",
         "created_at": pd.Timestamp("2026-01-02"), "finished_at": pd.Timestamp("2026-01-02"),
         "rows_loaded": len(incidents), "rows_set_aside": 0}])
    indicators = pd.DataFrame(columns=["area_code", "area_name", "period", "measure",
                                       "measure_label", "breakdown", "numerator",
                                       "denominator", "value", "unit", "source", "batch_id"])
    return SnaInputs(
        area=SnaArea(code="E22000001", name="Testshire", level="csp", lsoa21=CODES),
        incidents=incidents, lsoa=lsoa,
        definition=SnaDefinition(version=3, name="Test definition", rules=rules,
                                 real_measure_needs="force records",
                                 categories={r.category: r.label for r in
                                             rules.itertuples()}),
        batches=batches, source_files=pd.DataFrame(columns=["batch_id", "name", "month",
                                                             "rows"]),
        indicators=indicators,
        harm_weights=pd.Series({"Violence and sexual offences": 194.21, "Robbery": 365.0,
                                "Possession of weapons": 273.75}),
        harm_description="CCHI 2026 (test)", population_source="test population",
        geography_batch=1)


@pytest.fixture
def inputs() -> SnaInputs:
    return make_inputs()
