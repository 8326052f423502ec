"""Hot and cold spots (Getis–Ord Gi*) of neighbourhood rates, as published.

Gi* is computed on values derived from published figures only (hidden neighbourhoods hold
their share of their district's published remainder), so neither a label nor a z-score of a
neighbour can be solved for a hidden count; hidden neighbourhoods get no label of their own.
The same function serves the dashboard, the SNA and every later output, with the same fixed
seed, so their labels are the same; ``seed`` lets anyone check that the labels do not move.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from alliance.figures.counts import PER
from alliance.figures.publication import Period, Publication
from alliance.stats.hotspots import gi_star, queen_contiguity

DEFAULT_SEED = 20_250_101
HOT, COLD, NOT_SIGNIFICANT = "Hot spot", "Cold spot", "Not significant"
NOT_PUBLISHED, NOT_TESTED = "Not published (small number)", "Not tested"
UNDECIDED = "Undecided (borderline)"


@dataclass(frozen=True, kw_only=True)
class HotSpots:
    """A label per LSOA of the unit, the z-score that agrees with it, and how it was found."""

    labels: pd.Series  # HOT / COLD / NOT_SIGNIFICANT / UNDECIDED / NOT_PUBLISHED / NOT_TESTED
    z: pd.Series  # the z of the p-value that decided (agrees with the label); NaN if none
    z_critical: float  # |z| at or above this is significant
    method: str
    warnings: tuple[str, ...]

    @property
    def n_hot(self) -> int:
        return int((self.labels == HOT).sum())

    @property
    def n_cold(self) -> int:
        return int((self.labels == COLD).sum())


def hotspots(pub: Publication, *, level: str, code: str, period: Period,
             seed: int = DEFAULT_SEED) -> HotSpots:
    """Labels for the LSOAs of a unit. Gi* is always computed over the whole area, so a
    district's view shows the same label for a neighbourhood as the area's view does."""
    whole: HotSpots = pub.memo(("hotspots", period.months, seed),
                               lambda: _area_hotspots(pub, period=period, seed=seed))
    codes = list(pub.cube.geography.lsoas_of(level, code))
    return HotSpots(labels=whole.labels.reindex(codes), z=whole.z.reindex(codes),
                    z_critical=whole.z_critical, method=whole.method, warnings=whole.warnings)


def _area_hotspots(pub: Publication, *, period: Period, seed: int) -> HotSpots:
    geo = pub.cube.geography
    codes = list(geo.codes)
    labels = pd.Series(NOT_TESTED, index=codes, dtype=object)
    z = pd.Series(np.nan, index=codes)
    if "geometry_wkb" not in geo.lsoa.columns or len(codes) < 8:
        return HotSpots(labels=labels, z=z, z_critical=np.nan, method="not tested: fewer "
                        "than 8 neighbourhoods or no boundaries", warnings=())
    values = pub.lsoa_values_for_statistics(period).reindex(codes)
    pop = geo.lsoa.loc[codes, "population"].astype(float)
    rates = values / pop * PER
    if not (rates > 0).any():
        return HotSpots(labels=labels, z=z, z_critical=np.nan, method="not tested: no "
                        "offences", warnings=())
    graph = queen_contiguity(shapely.from_wkb(geo.lsoa.loc[codes, "geometry_wkb"].to_numpy()),
                             codes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = gi_star(rates, graph, seed=seed)
    frame = res.to_frame()
    raw = frame["label"].reindex(codes)
    labels = raw.map({"hot": HOT, "cold": COLD, "not significant": NOT_SIGNIFICANT,
                      "undecided": UNDECIDED}).fillna(NOT_TESTED).astype(object)
    z = frame["z"].reindex(codes)
    hidden = pub.lsoa_counts(period).reindex(codes).isna()
    labels[hidden] = NOT_PUBLISHED
    z[hidden] = np.nan
    method = ("Getis–Ord Gi* on neighbourhood rates per 1,000 residents, queen contiguity, "
              "conditional permutations drawn until each neighbourhood's decision is settled "
              f"(sequential Monte Carlo testing, seed {seed}; the labels are the same for any "
              "seed with probability at least 0.999), Benjamini–Hochberg false discovery rate "
              f"5%; z is the normal equivalent of the deciding p-value, significant when |z| "
              f"is {res.z_critical:.2f} or more")
    return HotSpots(labels=labels, z=z, z_critical=float(res.z_critical), method=method,
                    warnings=tuple(str(w.message) for w in caught))
