"""Hot-spot statistics: Gi*, local Moran, kernel density, near repeats, SPPT, map accuracy.

Submodules import only NumPy at load time (pandas, SciPy and pyproj are imported when a function
needs them), so ``from alliance.stats.hotspots import gi_star`` stays quick.
"""

from alliance.stats.hotspots._graph import AreaGraph, as_area_graph, queen_contiguity
from alliance.stats.hotspots.accuracy import HotspotAccuracy, hotspot_accuracy
from alliance.stats.hotspots.gi_star import GiStarResult, gi_star
from alliance.stats.hotspots.hotspot_trend import HotspotTrend, classify_hotspot_trend
from alliance.stats.hotspots.kde import DensitySurface, kernel_density
from alliance.stats.hotspots.kde_bandwidth import KdeBandwidth, kde_bandwidth
from alliance.stats.hotspots.knox import KnoxResult, knox_test
from alliance.stats.hotspots.local_moran import LocalMoranResult, local_moran
from alliance.stats.hotspots.risk_surface import RiskSurface, risk_surface
from alliance.stats.hotspots.sppt import SpptResult, spatial_point_pattern_test

__all__ = [
    "AreaGraph",
    "DensitySurface",
    "GiStarResult",
    "HotspotAccuracy",
    "HotspotTrend",
    "KdeBandwidth",
    "KnoxResult",
    "LocalMoranResult",
    "RiskSurface",
    "SpptResult",
    "as_area_graph",
    "classify_hotspot_trend",
    "gi_star",
    "hotspot_accuracy",
    "kde_bandwidth",
    "kernel_density",
    "knox_test",
    "local_moran",
    "queen_contiguity",
    "risk_surface",
    "spatial_point_pattern_test",
]
