"""Funnel-plot limits against PHStatsMethods and Spiegelhalter (2005)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PHStatsMethods import assign_funnel_significance, calculate_funnel_limits
from scipy import stats

from alliance.stats.rates import funnel_limits

_PHE_FLAG = {"High (0.001)": "above 99.8%", "High (0.025)": "above 95%",
             "Not significant": "within limits", "Low (0.025)": "below 95%",
             "Low (0.001)": "below 99.8%"}


def _areas(seed: int = 3, n: int = 60, spread: float = 0.0) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    pops = pd.Series(rng.integers(1_200, 3_000, n), index=[f"E01{i:06d}" for i in range(n)])
    true_rate = 0.01 * np.exp(rng.normal(0, spread, n))
    counts = pd.Series(rng.poisson(pops * true_rate), index=pops.index)
    return counts, pops


def test_rate_flags_match_phstatsmethods() -> None:
    """Reference: PHStatsMethods.assign_funnel_significance, statistic='rate', crude rates."""
    counts, pops = _areas(spread=0.4)
    ours = funnel_limits(counts, pops)
    frame = pd.DataFrame({"n": counts, "d": pops, "r": counts / pops * 1e5})
    ref = assign_funnel_significance(frame, "n", "rate", denom_col="d", rate="r",
                                     rate_type="crude", multiplier=100_000)
    assert list(ours.flag) == list(ref["significance"].map(_PHE_FLAG))
    assert ours.flag.ne("within limits").any()


def test_proportion_flags_and_limits_match_phstatsmethods() -> None:
    """Reference: PHStatsMethods.assign_funnel_significance / calculate_funnel_limits
    (PHE Wilson-based proportion limits)."""
    rng = np.random.default_rng(11)
    den = pd.Series(rng.integers(50, 900, 40), index=[f"A{i}" for i in range(40)])
    num = pd.Series(rng.binomial(den, rng.uniform(0.1, 0.4, 40)), index=den.index)
    ours = funnel_limits(num, den, statistic="proportion")
    frame = pd.DataFrame({"n": num, "d": den})
    ref = assign_funnel_significance(frame.copy(), "n", "proportion", denom_col="d")
    assert list(ours.flag) == list(ref["significance"].map(_PHE_FLAG))
    lines = calculate_funnel_limits(frame.copy(), "n", "proportion", 1, denom_col="d")
    curve_at = ours.curve(points=50)
    sizes = lines["Population"].to_numpy(dtype=float)
    from alliance.stats.rates.funnel import _phe_proportion_limits
    lower, upper = _phe_proportion_limits(ours.target, sizes, 0.998)
    np.testing.assert_allclose(lower, lines["lower_3s_limit"], rtol=1e-9)
    # PHStatsMethods caps at 100 (percent) even with multiplier 1; ours caps a fraction at 1
    np.testing.assert_allclose(upper, np.minimum(lines["upper_3s_limit"], 1.0), rtol=1e-9)
    assert set(curve_at.columns) >= {"lower_95", "upper_99_8", "target"}


def test_exact_limits_follow_spiegelhalter_interpolation() -> None:
    """Reference: Spiegelhalter (2005) Stat Med 24:1185, appendix: Poisson quantile r_p with
    alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1)); limit = (r_p - alpha) / n."""
    counts, pops = _areas()
    result = funnel_limits(counts, pops)
    theta = counts.sum() / pops.sum()
    n = float(pops.iloc[0])
    r = stats.poisson.ppf(0.999, theta * n)
    alpha = (stats.poisson.cdf(r, theta * n) - 0.999) / stats.poisson.pmf(r, theta * n)
    assert result.limits["upper_99_8"].iloc[0] == pytest.approx((r - alpha) / n * 1e5)


def test_overdispersion_widens_limits_and_reports_phi() -> None:
    """Reference: Spiegelhalter (2005) Qual Saf Health Care 14:347 (winsorised phi, tau2)."""
    counts, pops = _areas(spread=0.5)
    plain = funnel_limits(counts, pops)
    mult = funnel_limits(counts, pops, overdispersion="multiplicative")
    add = funnel_limits(counts, pops, overdispersion="additive")
    assert mult.phi > 2 and mult.overdispersion_p < 0.001
    assert add.tau2 > 0
    for wider in (mult, add):
        assert (wider.limits["upper_99_8"] > plain.limits["upper_99_8"]).all()
        assert wider.flag.ne("within limits").sum() < plain.flag.ne("within limits").sum()
    theta = counts.sum() / pops.sum()
    z = (counts / pops - theta) / np.sqrt(theta / pops)
    lo, hi = np.quantile(z, [0.1, 0.9])
    assert mult.phi == pytest.approx(float(np.mean(np.clip(z, lo, hi) ** 2)))


def test_bad_funnel_input() -> None:
    with pytest.raises(ValueError, match="at least 3 areas"):
        funnel_limits([1, 2], [10, 20])
    with pytest.raises(ValueError, match="zero for every area"):
        funnel_limits([0, 0, 0], [10, 20, 30])


def test_drawn_funnel_agrees_with_per_area_limits() -> None:
    """The curve for plotting and the per-area table use the same limits."""
    rng = np.random.default_rng(2)
    den = pd.Series(rng.integers(50, 900, 30))
    num = pd.Series(rng.binomial(den, 0.2))
    for statistic, overdispersion in (("proportion", "none"), ("rate", "additive"),
                                      ("proportion", "multiplicative")):
        result = funnel_limits(num, den, statistic=statistic,  # type: ignore[arg-type]
                               overdispersion=overdispersion)  # type: ignore[arg-type]
        curve = result.curve(points=400)
        at = np.interp(den.to_numpy(dtype=float), curve.index.to_numpy(dtype=float),
                       curve["upper_99_8"].to_numpy())
        np.testing.assert_allclose(at, result.limits["upper_99_8"], rtol=0.02)


def _funnelplotr_phi_tau2(counts: pd.Series, pops: pd.Series) -> tuple[float, float]:
    """Reference: FunnelPlotR (NHS-R community) R/od_adjustment.R, transcribed: z-scores
    (y - target) / s, winsorised at the 10% and 90% quantiles (R type 7, numpy's default),
    phi_func = mean(z^2), tau_func = max(0, (n phi - (n - 1)) / (sum w - sum w^2 / sum w)),
    w = 1 / s^2, here on the natural rate scale with s^2 = target / population."""
    theta = counts.sum() / pops.sum()
    s = np.sqrt(theta / pops.to_numpy())
    z = (counts.to_numpy() / pops.to_numpy() - theta) / s
    low, high = np.quantile(z, [0.1, 0.9])
    z = np.where(z < low, low, np.where(z > high, high, z))
    n = len(z)
    phi = float(np.sum(z**2) / n)
    w = 1 / s**2
    tau2 = 0.0 if n * phi < n - 1 else max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum()
                                                                        / w.sum()))
    return phi, tau2


def test_auto_uses_additive_limits_when_phi_is_significant() -> None:
    """'auto': phi and tau2 as FunnelPlotR computes them; chi-square test of n phi on n - 1
    df (Spiegelhalter 2005, QSHC 14:347); additive limits when significant; counts above and
    below each limit reported."""
    counts, pops = _areas(spread=0.5)
    result = funnel_limits(counts, pops, overdispersion="auto")
    phi, tau2 = _funnelplotr_phi_tau2(counts, pops)
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.overdispersion_p == pytest.approx(stats.chi2.sf(len(counts) * phi,
                                                                  len(counts) - 1), rel=1e-9)
    assert result.overdispersion_significant and result.overdispersion == "additive"
    assert result.tau2 == pytest.approx(tau2, rel=1e-12)
    assert result.requested == "auto" and "additive random effects" in result.method
    out = result.outside
    assert out.loc["99.8%", "above"] == (result.flag == "above 99.8%").sum()
    assert out.loc["95%", "below"] == result.flag.str.startswith("below").sum()
    assert "phi = " in result.summary() and "below the 99.8% limits" in result.summary()
    calm_counts, calm_pops = _areas(seed=4)
    calm = funnel_limits(calm_counts, calm_pops, overdispersion="auto")
    assert not calm.overdispersion_significant and calm.overdispersion == "none"
    assert calm.tau2 == 0 and "exact Poisson" in calm.method


def test_sna_lsoa_funnel_is_overdispersed(northants_sna_counts: pd.DataFrame) -> None:
    """Issue 11 on the real data: phi = 14.9 over the 443 Northamptonshire LSOAs (2025 SNA
    proxy-measure violence per Census 2021 resident); plain Poisson limits put 248 LSOAs
    outside 99.8% (79 above, 169 below); 'auto' switches to the additive limits."""
    frame = northants_sna_counts
    plain = funnel_limits(frame["count"], frame["residents"], multiplier=1000)
    assert plain.phi == pytest.approx(14.9, abs=0.05)
    assert (plain.outside.loc["99.8%", "above"], plain.outside.loc["99.8%", "below"]) == (79, 169)
    auto = funnel_limits(frame["count"], frame["residents"], multiplier=1000,
                         overdispersion="auto")
    assert auto.overdispersion == "additive" and auto.overdispersion_p < 1e-6
    assert auto.outside.loc["99.8%"].sum() < 30


def test_transformed_scale_follows_funnelplotr_cqc() -> None:
    """Reference: FunnelPlotR (NHS-R community) R/od_adjustment.R, 'SR' data with the 'CQC'
    method, transcribed: Y = sqrt(O / E), target 1, s = 1 / (2 sqrt(E)), z = (Y - 1) / s,
    winsorised 10%; phi_func, tau_func with S = s; limits 1 +/- z sqrt(s^2 + tau^2), squared
    back onto the ratio scale (times the target rate for ours)."""
    counts, pops = _areas(spread=0.5)
    ours = funnel_limits(counts, pops, overdispersion="additive",
                         overdispersion_scale="transformed")
    theta = counts.sum() / pops.sum()
    expected = theta * pops.to_numpy()
    s = 1 / (2 * np.sqrt(expected))
    z = (np.sqrt(counts.to_numpy() / expected) - 1) / s
    low, high = np.quantile(z, [0.1, 0.9])
    z = np.where(z < low, low, np.where(z > high, high, z))
    n = len(z)
    phi = float(np.sum(z**2) / n)
    w = 1 / s**2
    tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    assert ours.phi == pytest.approx(phi, rel=1e-12)
    # Ours works on sqrt(rate), FunnelPlotR on sqrt(rate / target): tau2 scales by the target.
    assert ours.tau2 / theta == pytest.approx(tau2, rel=1e-9)
    upper = (1 + stats.norm.ppf(0.999) * np.sqrt(s**2 + tau2)) ** 2 * theta * 1e5
    lower = np.clip(1 - stats.norm.ppf(0.999) * np.sqrt(s**2 + tau2), 0, None) ** 2 * theta * 1e5
    np.testing.assert_allclose(ours.limits["upper_99_8"], upper, rtol=1e-9)
    np.testing.assert_allclose(ours.limits["lower_99_8"], lower, rtol=1e-9)
    assert "square-root scale" in ours.method


def test_sna_transformed_limits_flag_both_sides(northants_sna_counts: pd.DataFrame) -> None:
    """On the real SNA data the natural-scale additive limits are symmetric about the county
    rate while the LSOA rates are skewed, so their lower limits sit at or near 0 and no LSOA is
    flagged low; on the square-root scale the limits are asymmetric and some LSOAs are below
    the 95% limit."""
    frame = northants_sna_counts
    natural = funnel_limits(frame["count"], frame["residents"], multiplier=1000,
                            overdispersion="auto")
    assert natural.outside["below"].sum() == 0
    sqrt = funnel_limits(frame["count"], frame["residents"], multiplier=1000,
                         overdispersion="auto", overdispersion_scale="transformed")
    assert sqrt.overdispersion == "additive" and sqrt.phi > 10
    assert sqrt.outside.loc["95%", "below"] > 0
