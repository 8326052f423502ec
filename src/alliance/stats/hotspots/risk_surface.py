"""Dual kernel density: a risk surface of events per resident.

A plain density map of violence shows where people are as much as where risk is: busy places
have more of everything. Dividing the density of events by the density of the population at risk
(both smoothed with the same kernel on the same grid) gives events per resident — a risk
surface (Levine, CrimeStat III ch. 10, "dual kernel density"; Bithell 1990).

It is descriptive (no test, no p-value). Where the population surface is near zero (fields,
industrial estates) a single event would give an enormous ratio, so the population intensity
is floored: cells below ``population_floor`` residents per km² are divided by the floor
instead, and flagged in ``floored`` so the map can grey them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliance.stats.hotspots.kde import (
    DEFAULT_BANDWIDTH,
    DEFAULT_CELL_SIZE,
    Extent,
    grid_extent,
    kernel_density,
)

if TYPE_CHECKING:
    import pandas as pd

FloatArray = NDArray[np.float64]
DEFAULT_POPULATION_FLOOR = 100.0  # residents per km²: roughly the density of rural England


@dataclass(frozen=True, kw_only=True)
class RiskSurface:
    """Events per 1,000 residents on a grid (rows at ``y``, columns at ``x``).

    Attributes
    ----------
    risk_per_1000 : events per km² / max(residents per km², floor) x 1,000.
    events_per_km2, residents_per_km2 : the two smoothed surfaces.
    floored : cells whose population intensity was below the floor.
    """

    risk_per_1000: FloatArray
    events_per_km2: FloatArray
    residents_per_km2: FloatArray
    floored: NDArray[np.bool_]
    x: FloatArray
    y: FloatArray
    cell_size: float
    bandwidth: float
    population_floor: float

    def to_frame(self) -> pd.DataFrame:
        """One row per cell."""
        import pandas as pd

        xx, yy = np.meshgrid(self.x, self.y)
        return pd.DataFrame({
            "x": xx.ravel(), "y": yy.ravel(), "risk_per_1000": self.risk_per_1000.ravel(),
            "events_per_km2": self.events_per_km2.ravel(),
            "residents_per_km2": self.residents_per_km2.ravel(), "floored": self.floored.ravel(),
        })


def risk_surface(
    events: ArrayLike,
    population_points: ArrayLike,
    population: ArrayLike,
    *,
    cell_size: float = DEFAULT_CELL_SIZE,
    bandwidth: float = DEFAULT_BANDWIDTH,
    extent: Extent | None = None,
    population_floor: float = DEFAULT_POPULATION_FLOOR,
) -> RiskSurface:
    """Dual-KDE risk: smoothed events over smoothed residents, with a population floor.

    Parameters
    ----------
    events : (n, 2) event locations, BNG metres.
    population_points : (m, 2) locations carrying population, e.g. LSOA population-weighted
        centroids, BNG metres.
    population : (m,) residents at each population point (non-negative).
    cell_size, bandwidth : as :func:`~alliance.stats.hotspots.kde.kernel_density`; the same
        kernel is used for both surfaces so their ratio is meaningful.
    extent : grid extent; default covers both sets of points padded by 3 bandwidths.
    population_floor : residents per km² below which the population surface is floored
        (default 100, about rural England's density).
    """
    if population_floor <= 0:
        raise ValueError("population_floor must be positive (residents per km²)")
    event_xy = np.asarray(events, dtype=float)
    pop_xy = np.asarray(population_points, dtype=float)
    if extent is None:
        both = np.vstack([event_xy.reshape(-1, 2), pop_xy.reshape(-1, 2)])
        extent = grid_extent(both, bandwidth=bandwidth, cell_size=cell_size)
    event_surface = kernel_density(event_xy, cell_size=cell_size, bandwidth=bandwidth,
                                   extent=extent)
    pop_surface = kernel_density(pop_xy, cell_size=cell_size, bandwidth=bandwidth,
                                 extent=extent, weights=population)
    residents = pop_surface.events_per_km2
    floored = residents < population_floor
    risk = event_surface.events_per_km2 / np.maximum(residents, population_floor) * 1000.0
    return RiskSurface(
        risk_per_1000=risk, events_per_km2=event_surface.events_per_km2,
        residents_per_km2=residents, floored=floored, x=event_surface.x, y=event_surface.y,
        cell_size=float(cell_size), bandwidth=float(bandwidth),
        population_floor=float(population_floor),
    )
