"""Kernel density bandwidth chosen from the points by a documented rule, never from the map.

A kernel density map's bandwidth decides what it shows: a few hundred metres picks out streets
and town centres, a few kilometres the broad shape of a county. Choosing it from the size of
the map (as a fraction of its width) makes the picture depend on where the map happens to be
cut, not on the events, so this module offers only rules that read the points themselves or a
stated fixed value:

* ``"fixed"`` — the module's street-scale default, 400 m (:data:`kde.DEFAULT_BANDWIDTH`): the
  scale at which crime "hot spots" are usually mapped (Chainey, S. (2013) Examining the
  influence of cell size and bandwidth size on kernel density estimation crime hotspot maps,
  Geomatica 67(3)), and wide enough not to draw police.uk's anonymous snap points.
* ``"scott"`` — Scott's rule for a two-dimensional Gaussian kernel, h = sigma n^(-1/6), with
  sigma the pooled standard deviation of eastings and northings (sqrt of the mean of the two
  variances). In two dimensions Silverman's rule of thumb gives the same factor. Equals
  ``scipy.stats.gaussian_kde(points.T).scotts_factor()`` times sigma (tested).
* ``"spatial_silverman"`` — the spatial variant of Silverman's rule used by ArcGIS Pro's Kernel
  Density tool: h = 0.9 min(SD, sqrt(1 / ln 2) D_m) n^(-0.2), with SD the standard distance of
  the points about their mean centre and D_m the median distance to it. The median keeps a few
  far-off points from widening the kernel.

Both data rules are optimal for a single, roughly normal cloud of points. Violence across a
county is many small clusters, so they describe the county's overall spread and give
kilometre-scale bandwidths (about 2.5 km and 1.6 km for Northamptonshire's 2025 police.uk
violence): a smooth overview, not street-level hot spots. Say which rule was used, and use
``"fixed"`` for a hot-spot map.

References: Scott, D. W. (1992) Multivariate Density Estimation, s. 6.3; Silverman, B. W.
(1986) Density Estimation for Statistics and Data Analysis, s. 4.3.2; Esri, "How Kernel
Density works" (ArcGIS Pro documentation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from alliance.stats.hotspots.kde import DEFAULT_BANDWIDTH, validated_points

BandwidthRule = Literal["fixed", "scott", "spatial_silverman"]
RULES: tuple[str, ...] = ("fixed", "scott", "spatial_silverman")

_DESCRIPTION = {
    "fixed": "fixed street-scale bandwidth of {h:,.0f} m (the Alliance default)",
    "scott": "Scott's rule on the points' spread ({h:,.0f} m from {n:,} points)",
    "spatial_silverman": ("spatial Silverman rule, as ArcGIS Pro ({h:,.0f} m from {n:,} "
                          "points)"),
}


@dataclass(frozen=True, kw_only=True)
class KdeBandwidth:
    """A kernel bandwidth and how it was chosen.

    Attributes
    ----------
    metres : the Gaussian kernel's standard deviation h, in metres (pass to ``kernel_density``).
    rule : 'fixed', 'scott' or 'spatial_silverman'.
    n_points : number of points the rule read (0 for 'fixed').
    spread : the spread the rule used, in metres: the pooled standard deviation ('scott'), the
        smaller of SD and sqrt(1/ln 2) D_m ('spatial_silverman'), NaN for 'fixed'.
    description : one plain-English phrase for a caption or method note.
    """

    metres: float
    rule: str
    n_points: int
    spread: float
    description: str


def kde_bandwidth(points: ArrayLike | None = None, *, rule: BandwidthRule = "fixed",
                  fixed: float = DEFAULT_BANDWIDTH) -> KdeBandwidth:
    """Choose a kernel density bandwidth from the points by a documented rule (module notes).

    It estimates nothing to test (no null hypothesis): it states the smoothing scale.

    Parameters
    ----------
    points : (n, 2) easting, northing in British National Grid metres; needed by the data
        rules (at least 2 distinct points), ignored by ``"fixed"``.
    rule : ``"fixed"`` (default, 400 m), ``"scott"`` or ``"spatial_silverman"``.
    fixed : the bandwidth for ``rule="fixed"``, in metres.

    Raises
    ------
    ValueError
        An unknown rule, a non-positive fixed bandwidth, missing/invalid points for a data
        rule, or points that do not spread (all at one place).
    """
    if rule not in RULES:
        raise ValueError(f"unknown bandwidth rule {rule!r}; choose one of {RULES}")
    if rule == "fixed":
        if not (math.isfinite(fixed) and fixed > 0):
            raise ValueError(f"the fixed bandwidth must be a positive number of metres: {fixed}")
        return KdeBandwidth(metres=float(fixed), rule=rule, n_points=0, spread=float("nan"),
                            description=_DESCRIPTION[rule].format(h=fixed, n=0))
    if points is None:
        raise ValueError(f"the {rule!r} rule needs the points")
    xy, _ = validated_points(points, None)
    n = xy.shape[0]
    if n < 2:
        raise ValueError(f"the {rule!r} rule needs at least 2 points, got {n}")
    if rule == "scott":
        spread = math.sqrt(float(np.mean(np.var(xy, axis=0, ddof=1))))
        metres = spread * n ** (-1.0 / 6.0)
    else:
        distance = np.hypot(*(xy - xy.mean(axis=0)).T)
        standard_distance = math.sqrt(float((distance**2).sum()) / (n - 1))
        spread = min(standard_distance, math.sqrt(1.0 / math.log(2.0)) * float(
            np.median(distance)))
        metres = 0.9 * spread * n ** -0.2
    if not metres > 0:
        raise ValueError(f"the points do not spread (all at one place): the {rule!r} rule "
                         "gives no bandwidth; use rule='fixed'")
    return KdeBandwidth(metres=float(metres), rule=rule, n_points=n, spread=float(spread),
                        description=_DESCRIPTION[rule].format(h=metres, n=n))
