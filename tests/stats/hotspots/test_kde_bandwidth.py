"""KDE bandwidth rules against scipy's Scott factor and the ArcGIS Pro formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import gaussian_kde

from alliance.stats.hotspots import kde_bandwidth
from alliance.stats.hotspots.kde import DEFAULT_BANDWIDTH


def test_scott_equals_scipy_factor_times_pooled_sd(county_points: np.ndarray) -> None:
    """Reference: scipy.stats.gaussian_kde(points.T).scotts_factor() (n^(-1/6) in 2-D) times
    the pooled standard deviation sqrt(trace(cov) / 2) of real police.uk points."""
    result = kde_bandwidth(county_points, rule="scott")
    ref = gaussian_kde(county_points.T)
    pooled_sd = math.sqrt(np.trace(np.cov(county_points.T)) / 2)
    assert result.metres == pytest.approx(ref.scotts_factor() * pooled_sd, rel=1e-12)
    # Silverman's rule of thumb has the same factor in two dimensions.
    assert ref.silverman_factor() == pytest.approx(ref.scotts_factor(), rel=1e-12)
    assert result.n_points == len(county_points) and "Scott" in result.description


def test_spatial_silverman_follows_the_arcgis_formula() -> None:
    """Reference: Esri, 'How Kernel Density works': 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2."""
    rng = np.random.default_rng(5)
    points = rng.normal([450_000, 260_000], [3_000, 1_500], size=(400, 2))
    points[:5] += 60_000  # a few far-off points: the median distance resists them
    centre = points.mean(axis=0)
    distance = np.sqrt(((points - centre) ** 2).sum(axis=1))
    sd = math.sqrt((distance**2).sum() / (len(points) - 1))
    dm = float(np.median(distance))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * 400 ** -0.2
    result = kde_bandwidth(points, rule="spatial_silverman")
    assert result.metres == pytest.approx(expected, rel=1e-12)
    assert result.spread == pytest.approx(math.sqrt(1 / math.log(2)) * dm, rel=1e-12)


def test_does_not_depend_on_the_map_extent(county_points: np.ndarray) -> None:
    """The rules read only the points: the same points give the same bandwidth whatever grid
    they are drawn on; a fixed bandwidth is the module's default unless stated."""
    a = kde_bandwidth(county_points, rule="spatial_silverman")
    b = kde_bandwidth(county_points[::-1].copy(), rule="spatial_silverman")
    assert a.metres == pytest.approx(b.metres, rel=1e-12)
    fixed = kde_bandwidth()
    assert fixed.metres == DEFAULT_BANDWIDTH == 400 and fixed.rule == "fixed"
    assert "400 m" in fixed.description
    assert kde_bandwidth(rule="fixed", fixed=250).metres == 250


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="unknown bandwidth rule"):
        kde_bandwidth(np.zeros((3, 2)), rule="extent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs the points"):
        kde_bandwidth(rule="scott")
    with pytest.raises(ValueError, match="do not spread"):
        kde_bandwidth(np.full((10, 2), 450_000.0), rule="scott")
    with pytest.raises(ValueError, match="positive"):
        kde_bandwidth(rule="fixed", fixed=0)
    with pytest.raises(ValueError, match="missing coordinates"):
        kde_bandwidth(np.array([[1.0, np.nan], [2.0, 3.0]]), rule="scott")
