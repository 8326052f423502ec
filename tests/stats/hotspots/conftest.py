"""Real-data fixtures for the hot-spot tests: Northamptonshire LSOAs and police.uk counts."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.conftest import require_shared

NORTHANTS_LSOA = ("geo", "northants", "lsoa21_bsc_northants.geojson")
NORTHANTS_STREET = ("policeuk", "street", "northamptonshire")


@pytest.fixture(scope="session")
def northants_lsoas() -> Any:
    """The 443 Northamptonshire LSOA 2021 polygons (GeoDataFrame indexed by LSOA code)."""
    import geopandas as gpd

    return gpd.read_file(require_shared(*NORTHANTS_LSOA)).set_index("lsoa21_code")


@pytest.fixture(scope="session")
def northants_crimes() -> pd.DataFrame:
    """All 16 months of Northamptonshire street-level crime (police.uk bulk CSVs)."""
    folder: Path = require_shared(*NORTHANTS_STREET)
    files = sorted(folder.glob("*.csv.gz"))
    frames = [
        pd.read_csv(f, usecols=["Month", "Longitude", "Latitude", "LSOA code", "Crime type"])
        for f in files
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def violence_counts(northants_lsoas: Any, northants_crimes: pd.DataFrame) -> pd.Series:
    """'Violence and sexual offences' per Northamptonshire LSOA (0 where none recorded)."""
    violent = northants_crimes[northants_crimes["Crime type"] == "Violence and sexual offences"]
    counts = violent["LSOA code"].value_counts()
    return counts.reindex(northants_lsoas.index, fill_value=0).astype(float)


@pytest.fixture(scope="session")
def northants_queen(northants_lsoas: Any) -> Any:
    """libpysal queen contiguity Graph of the 443 LSOAs."""
    from libpysal.graph import Graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Graph.build_contiguity(northants_lsoas, rook=False)


def _to_bng(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(lon, lat)
    return np.c_[x, y]


@pytest.fixture(scope="module")
def county_points(northants_crimes: pd.DataFrame, northants_lsoas: Any) -> np.ndarray:
    """police.uk points of 2025-06 inside the county's box, in BNG metres."""
    month = northants_crimes[northants_crimes["Month"] == "2025-06"].dropna(
        subset=["Longitude", "Latitude"])
    xy = _to_bng(month["Longitude"].to_numpy(), month["Latitude"].to_numpy())
    xmin, ymin, xmax, ymax = northants_lsoas.to_crs(27700).total_bounds
    inside = (xy[:, 0] > xmin) & (xy[:, 0] < xmax) & (xy[:, 1] > ymin) & (xy[:, 1] < ymax)
    return xy[inside]


def monte_carlo_tolerance(p: np.ndarray, permutations: int) -> np.ndarray:
    """Allowed |difference| between two independent pseudo p-values of the same area.

    Each estimate is a binomial share over ``permutations`` draws, so the difference of two
    independent runs has standard deviation sqrt(2 p (1 - p) / permutations). We allow 5 such
    standard deviations plus 2 / (permutations + 1) for the "+1" in (count + 1) / (P + 1) and
    discreteness: across ~443 areas a 5-sd exceedance has probability ~3e-4 per run.
    """
    p = np.clip(p, 1.0 / (permutations + 1), 0.5)
    return 5 * np.sqrt(2 * p * (1 - p) / permutations) + 2.0 / (permutations + 1)


SNA_CATEGORIES = ("Violence and sexual offences", "Robbery", "Possession of weapons")


@pytest.fixture(scope="session")
def sna_rates_2025(northants_crimes: pd.DataFrame, northants_lsoas: Any) -> pd.Series:
    """The SNA's LSOA rate: police.uk violence and sexual offences, robbery and possession of
    weapons in 2025 per 1,000 usual residents (Census 2021), for the 443 LSOAs."""
    rows = northants_crimes[northants_crimes["Crime type"].isin(SNA_CATEGORIES)
                            & northants_crimes["Month"].str.startswith("2025-")]
    counts = rows["LSOA code"].value_counts().reindex(northants_lsoas.index, fill_value=0)
    residents = pd.read_csv(
        require_shared("geo", "census2021", "census21_usual_residents_lsoa21_ew_derived.csv.gz")
    ).set_index("lsoa21_code")["total_residents"].reindex(northants_lsoas.index)
    return (counts / residents * 1000).astype(float).rename("rate")
