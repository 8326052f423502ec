"""Funnel-plot control limits for rates and proportions, with optional over-dispersion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from alliance.stats import _validate
from alliance.stats.rates._intervals import poisson_count_limits, z_value

Statistic = Literal["rate", "proportion"]
Overdispersion = Literal["none", "multiplicative", "additive", "auto"]
Scale = Literal["natural", "transformed"]
_TRANSFORM = {"rate": "square-root", "proportion": "arcsine square-root"}
_METHODS = {
    "none": "exact Poisson limits (no allowance for over-dispersion)",
    "multiplicative": ("Spiegelhalter (2005) multiplicative over-dispersion: normal limits "
                       "widened by sqrt(phi)"),
    "additive": ("Spiegelhalter (2005) additive random effects: between-area variance tau² "
                 "(DerSimonian–Laird) added to each area's own variance"),
}
_METHODS_PROPORTION_NONE = "PHE Wilson-score limits (no allowance for over-dispersion)"
#: The test for over-dispersion (Spiegelhalter 2005, Qual Saf Health Care 14:347).
OVERDISPERSION_TEST = ("n x phi against chi-square with n - 1 degrees of freedom, phi the mean "
                       "squared z-score after winsorising 10% at each end")

#: The two Fingertips control-limit levels: about 2 and 3 standard deviations.
LEVELS = (0.95, 0.998)
_WINSOR = 0.10  # Spiegelhalter (2005): winsorise 10% of z-scores at each end


@dataclass(frozen=True, eq=False)
class FunnelLimits:
    """Control limits at each area's denominator and where each area falls.

    Attributes
    ----------
    value : Series
        Each area's rate (per ``multiplier``) or proportion.
    target : float
        The centre line: the pooled value over all areas unless a target was given.
    limits : DataFrame
        Columns lower_95, upper_95, lower_99_8, upper_99_8 per area.
    flag : Series
        'above 99.8%', 'above 95%', 'within limits', 'below 95%', 'below 99.8%'.
    phi : float
        Over-dispersion factor from winsorised z-scores (1 means none; reported even when not
        used). ``overdispersion_p`` is the chi-square p-value for phi > 1.
    tau2 : float
        Additive between-area variance (0 unless ``overdispersion='additive'``), on the
        per-person scale (rate / multiplier).
    overdispersion : str
        The limits used: 'none', 'multiplicative' or 'additive' (what 'auto' resolved to).
    overdispersion_significant : bool
        ``overdispersion_p < overdispersion_alpha`` (test: :data:`OVERDISPERSION_TEST`).
    requested : str
        The ``overdispersion`` option as given ('auto' when chosen from the test).
    method : str
        The limits' method in plain English, for a caption or method note.
    outside : DataFrame
        Areas above and below each limit: index '95%', '99.8%'; columns 'above', 'below'.
        "Above 95%" includes the areas also above 99.8%.
    """

    value: pd.Series
    numerator: pd.Series
    denominator: pd.Series
    target: float
    limits: pd.DataFrame
    flag: pd.Series
    statistic: str
    overdispersion: str
    phi: float
    overdispersion_p: float
    tau2: float
    multiplier: float
    overdispersion_significant: bool = False
    overdispersion_alpha: float = 0.05
    requested: str = "none"
    scale: str = "natural"

    @property
    def method(self) -> str:
        if self.statistic == "proportion" and self.overdispersion == "none":
            return _METHODS_PROPORTION_NONE
        if self.scale == "transformed" and self.overdispersion != "none":
            return (f"{_METHODS[self.overdispersion]}, on the {_TRANSFORM[self.statistic]} "
                    "scale")
        return _METHODS[self.overdispersion]

    def _outside(self) -> dict[tuple[str, str], int]:
        flag = self.flag
        return {("95%", "above"): int(flag.str.startswith("above").sum()),
                ("95%", "below"): int(flag.str.startswith("below").sum()),
                ("99.8%", "above"): int((flag == "above 99.8%").sum()),
                ("99.8%", "below"): int((flag == "below 99.8%").sum())}

    @property
    def outside(self) -> pd.DataFrame:
        counts = self._outside()
        return pd.DataFrame({side: [counts[level, side] for level in ("95%", "99.8%")]
                             for side in ("above", "below")}, index=["95%", "99.8%"])

    def summary(self, *, areas: str = "areas") -> str:
        """One plain-English sentence: phi, its test, the limits used and both sides' counts."""
        out = self._outside()
        test = (f"phi = {self.phi:.1f} (over-dispersion test p "
                + ("< 0.001" if self.overdispersion_p < 0.001 else
                   f"= {self.overdispersion_p:.3f}") + ")")
        return (f"{test}; limits: {self.method}. {out['99.8%', 'above']} {areas} above and "
                f"{out['99.8%', 'below']} below the 99.8% limits; {out['95%', 'above']} above "
                f"and {out['95%', 'below']} below the 95% limits.")

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"numerator": self.numerator, "denominator": self.denominator,
                              "value": self.value, "target": self.target})
        frame = frame.join(self.limits)
        frame["flag"] = self.flag
        frame["overdispersion"] = self.overdispersion
        frame["phi"] = self.phi
        frame["tau2"] = self.tau2
        return frame

    def curve(self, *, points: int = 100) -> pd.DataFrame:
        """The limit lines over the range of denominators, for drawing the funnel."""
        low, high = float(self.denominator.min()), float(self.denominator.max())
        sizes = pd.Index(np.unique(np.geomspace(max(low / 2, 1.0), high * 1.1, points)),
                         name="denominator")
        theta = self.target / self.multiplier
        columns = {}
        for level in LEVELS:
            lower, upper = _limit_lines(theta, sizes.to_numpy(), level, self.statistic,
                                        self.overdispersion, self.phi, self.tau2, self.scale)
            tag = _tag(level)
            columns[f"lower_{tag}"] = lower * self.multiplier
            columns[f"upper_{tag}"] = upper * self.multiplier
        return pd.DataFrame(columns, index=sizes).assign(target=self.target)


def _tag(level: float) -> str:
    return "95" if level == 0.95 else "99_8"


def _variance(theta: float, statistic: str) -> float:
    return theta if statistic == "rate" else theta * (1 - theta)


def _exact_limits(theta: float, sizes: np.ndarray, level: float,
                  statistic: str) -> tuple[np.ndarray, np.ndarray]:
    """Spiegelhalter (2005, Stat Med 24:1185) exact limits with interpolation between counts."""
    out = []
    for p in ((1 - level) / 2, 1 - (1 - level) / 2):
        if statistic == "rate":
            dist = stats.poisson(theta * sizes)
        else:
            dist = stats.binom(np.round(sizes).astype(int), theta)
        quantile = dist.ppf(p)
        at = dist.cdf(quantile)
        below = dist.cdf(quantile - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.where(at > below, (at - p) / (at - below), 0.0)
        out.append(np.maximum(quantile - alpha, 0.0) / sizes)
    return out[0], out[1]


def _transform(values: np.ndarray | float, statistic: str) -> np.ndarray:
    """Variance-stabilising transform: sqrt for a rate, arcsine sqrt for a proportion; either
    has variance 1 / (4 n) for a denominator n (Spiegelhalter 2005, QSHC)."""
    v = np.asarray(values, dtype=float)
    return np.sqrt(v) if statistic == "rate" else np.arcsin(np.sqrt(np.clip(v, 0.0, 1.0)))


def _untransform(values: np.ndarray, statistic: str) -> np.ndarray:
    if statistic == "rate":
        return np.asarray(np.clip(values, 0.0, None) ** 2, dtype=float)
    return np.asarray(np.sin(np.clip(values, 0.0, np.pi / 2)) ** 2, dtype=float)


def _limits(theta: float, sizes: np.ndarray, level: float, statistic: str,
            overdispersion: str, phi: float, tau2: float,
            scale: str = "natural") -> tuple[np.ndarray, np.ndarray]:
    if overdispersion == "none":
        return _exact_limits(theta, sizes, level, statistic)
    z = z_value(level)
    if scale == "transformed":
        within_t = 1 / (4 * sizes)
        spread_t = np.sqrt(max(phi, 1.0) * within_t if overdispersion == "multiplicative"
                           else within_t + tau2)
        centre = _transform(theta, statistic)
        return (_untransform(centre - z * spread_t, statistic),
                _untransform(centre + z * spread_t, statistic))
    within = _variance(theta, statistic) / sizes
    spread = np.sqrt(max(phi, 1.0) * within if overdispersion == "multiplicative"
                     else within + tau2)
    lower, upper = theta - z * spread, theta + z * spread
    ceiling = 1.0 if statistic == "proportion" else np.inf
    return np.clip(lower, 0.0, ceiling), np.clip(upper, 0.0, ceiling)


def _limit_lines(theta: float, sizes: np.ndarray, level: float, statistic: str,
                 overdispersion: str, phi: float, tau2: float,
                 scale: str = "natural") -> tuple[np.ndarray, np.ndarray]:
    """The limits used for both the per-area table and the drawn funnel, so they agree."""
    if statistic == "proportion" and overdispersion == "none":
        return _phe_proportion_limits(theta, sizes, level)
    return _limits(theta, sizes, level, statistic, overdispersion, phi, tau2, scale)


def _dispersion(y: np.ndarray, sizes: np.ndarray, theta: float,
                statistic: str, scale: str = "natural") -> tuple[float, float, float]:
    """phi from winsorised z-scores, its chi-square p-value, and the DerSimonian-Laird tau2
    (on the transformed scale, per unit of the transformed value, when ``scale`` says so)."""
    if scale == "transformed":
        within = 1 / (4 * sizes)
        z = (_transform(y, statistic) - _transform(theta, statistic)) / np.sqrt(within)
    else:
        within = _variance(theta, statistic) / sizes
        z = (y - theta) / np.sqrt(within)
    low, high = np.quantile(z, [_WINSOR, 1 - _WINSOR])
    z_wins = np.clip(z, low, high)
    areas = len(z)
    phi = float(np.mean(z_wins**2))
    p_value = float(stats.chi2.sf(areas * phi, areas - 1))
    weights = 1 / within
    denominator = weights.sum() - (weights**2).sum() / weights.sum()
    tau2 = max(0.0, (areas * phi - (areas - 1)) / denominator)
    return phi, p_value, float(tau2)


def funnel_limits(
    counts: _validate.ArrayLike,
    denominators: _validate.ArrayLike,
    *,
    statistic: Statistic = "rate",
    multiplier: float = 100_000,
    target: float | None = None,
    overdispersion: Overdispersion = "none",
    overdispersion_alpha: float = 0.05,
    overdispersion_scale: Scale = "natural",
    known_areas: Iterable[object] | None = None,
) -> FunnelLimits:
    """Funnel-plot control limits (95% and 99.8%) and each area's position against them.

    Tests, for each area, the null hypothesis that its true rate (or proportion) equals the
    target, two-sided, at the 95% and 99.8% levels (about 2 and 3 standard deviations). The
    99.8% limit is the usual guard against many comparisons; no further multiple-testing
    correction is applied. Reference: Spiegelhalter DJ (2005) "Funnel plots for comparing
    institutional performance", Stat Med 24:1185-1202, and the PHE Fingertips technical guidance.

    Without over-dispersion (default) the flag for a rate follows PHE/PHStatsMethods
    ``assign_funnel_significance``: the area's exact/Byar's interval at 95% or 99.8% excludes
    the target. For a proportion it compares the area's value with the PHE Wilson-based limits.
    The plotted limits use exact Poisson/binomial quantiles with Spiegelhalter's interpolation.

    Over-dispersion (Spiegelhalter 2005, Qual Saf Health Care 14:347-351): when areas differ
    more than chance allows, limits that assume pure chance flag too many areas. z-scores are
    winsorised (10% each end) and phi = mean(z^2). 'multiplicative' widens the normal limits by
    sqrt(phi) (phi below 1 is not used to narrow them); 'additive' adds a between-area variance
    tau^2 (DerSimonian-Laird) to each area's own variance. Flags then compare the value with the
    widened limits. Both work on the natural scale of the statistic (phi and tau^2 by the same
    formulas as FunnelPlotR's ``phi_func`` / ``tau_func``). 'auto' tests phi first (n x phi
    against chi-square(n - 1), Spiegelhalter 2005) and uses the additive limits when the test
    is significant at ``overdispersion_alpha``, the plain limits otherwise; the result states
    phi, the test, the method (``method``) and the areas above and below each limit
    (``outside``, ``summary()``). Additive is the choice for 'auto' because it keeps the
    limits from narrowing to nothing for the largest areas (Spiegelhalter 2005; the NHS SHMI
    and FunnelPlotR default).

    Parameters
    ----------
    counts, denominators : array or Series
        Events (or numerators) and population (or denominators) per area; at least 3 areas.
    statistic : {'rate', 'proportion'}, keyword-only
    multiplier : float, keyword-only
        Rate scale (ignored for proportions, which are fractions 0-1).
    target : float, keyword-only, optional
        The centre line on the scale of the values (e.g. the England rate per 100,000).
        Default: the pooled value sum(counts) / sum(denominators).
    overdispersion : {'none', 'multiplicative', 'additive', 'auto'}, keyword-only
    overdispersion_alpha : float, keyword-only
        Level of the over-dispersion test that switches 'auto' to the additive limits.
    overdispersion_scale : {'natural', 'transformed'}, keyword-only
        Where phi, tau^2 and the over-dispersed limits are worked out. 'natural' (default):
        on the rate or proportion itself, normal limits symmetric about the target (a skewed
        spread of rates can then leave the lower limit at 0, so no area is ever flagged low).
        'transformed': on the variance-stabilising square-root scale (rates) or arcsine
        square-root scale (proportions), within-area variance 1 / (4 n), limits transformed
        back, so they are asymmetric like the rates (Spiegelhalter 2005, QSHC; FunnelPlotR's
        'CQC' and proportion methods). Limits without over-dispersion are unaffected.

    Raises
    ------
    ValueError
        Bad counts or denominators (naming areas), fewer than 3 areas, all-zero counts with
        no target, numerator above denominator for a proportion.
    """
    if statistic not in ("rate", "proportion"):
        raise ValueError("statistic must be 'rate' or 'proportion'")
    if overdispersion not in ("none", "multiplicative", "additive", "auto"):
        raise ValueError("overdispersion must be 'none', 'multiplicative', 'additive' or 'auto'")
    if not 0 < overdispersion_alpha < 1:
        raise ValueError(f"overdispersion_alpha must be between 0 and 1: {overdispersion_alpha}")
    count, size = _validate.counts_and_denominators(
        counts, denominators, known_areas=known_areas
    )
    _validate.check_min_areas(count, 3, purpose="A funnel plot")
    scale = 1.0 if statistic == "proportion" else _validate.check_multiplier(multiplier)
    if statistic == "proportion":
        _validate.check_numerator_within(count, size)
    if target is None:
        _validate.check_not_all_zero(count, purpose="The pooled funnel target")
        theta = float(count.sum() / size.sum())
    else:
        theta = float(target) / scale
        if not 0 < theta < (1 if statistic == "proportion" else np.inf):
            raise ValueError(f"target must be above 0 (and below 1 for a proportion): {target}")
    y = (count / size).to_numpy()
    if overdispersion_scale not in ("natural", "transformed"):
        raise ValueError("overdispersion_scale must be 'natural' or 'transformed', got "
                         f"{overdispersion_scale!r}")
    phi, p_value, tau2 = _dispersion(y, size.to_numpy(), theta, statistic, overdispersion_scale)
    significant = p_value < overdispersion_alpha
    requested = overdispersion
    if overdispersion == "auto":
        overdispersion = "additive" if significant else "none"
    tau2_used = 0.0 if overdispersion != "additive" else tau2
    limits = {}
    for level in LEVELS:
        lower, upper = _limit_lines(theta, size.to_numpy(), level, statistic, overdispersion,
                                    phi, tau2_used, overdispersion_scale)
        limits[f"lower_{_tag(level)}"] = lower * scale
        limits[f"upper_{_tag(level)}"] = upper * scale
    limit_frame = pd.DataFrame(limits, index=count.index)
    value = count / size * scale
    if statistic == "rate" and overdispersion == "none":
        flag = _phe_rate_flags(count, theta * size)
    else:
        flag = _flags_from_limits(value, limit_frame)
    return FunnelLimits(
        value=value.rename("value"), numerator=count, denominator=size, target=theta * scale,
        limits=limit_frame, flag=flag, statistic=statistic, overdispersion=overdispersion,
        phi=phi, overdispersion_p=p_value, tau2=tau2_used, multiplier=scale,
        overdispersion_significant=bool(significant), overdispersion_alpha=overdispersion_alpha,
        requested=requested, scale=overdispersion_scale,
    )


def _phe_proportion_limits(theta: float, sizes: np.ndarray,
                           level: float) -> tuple[np.ndarray, np.ndarray]:
    """PHE funnel limits for a proportion: the Wilson interval solved around the target."""
    z2 = stats.norm.ppf(0.5 + level / 2) ** 2
    a = theta * (sizes / z2 + 1)
    root = np.sqrt((-8 * a) ** 2 - 64 * (1 / z2 + 1 / sizes) * theta
                   * (sizes * (theta * (sizes / z2 + 2) - 1) + z2 * (theta - 1)))
    last = 1 / z2 + 1 / sizes
    lower = (a - root / 8) / last / sizes
    upper = (a + root / 8) / last / sizes
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def _phe_rate_flags(count: pd.Series, expected: pd.Series) -> pd.Series:
    """Flag an area when its own exact/Byar's interval for the count excludes the expected."""
    flag = pd.Series("within limits", index=count.index, name="flag")
    for level in LEVELS:  # 99.8% last, so it overrides 95%
        lower, upper, _ = poisson_count_limits(count.to_numpy(), level)
        flag[lower > expected.to_numpy()] = f"above {_tag(level).replace('_', '.')}%"
        flag[upper < expected.to_numpy()] = f"below {_tag(level).replace('_', '.')}%"
    return flag


def _flags_from_limits(value: pd.Series, limits: pd.DataFrame) -> pd.Series:
    flag = pd.Series("within limits", index=value.index, name="flag")
    for level in LEVELS:
        tag = _tag(level)
        flag[value > limits[f"upper_{tag}"]] = f"above {tag.replace('_', '.')}%"
        flag[value < limits[f"lower_{tag}"]] = f"below {tag.replace('_', '.')}%"
    return flag


__all__ = ["OVERDISPERSION_TEST", "FunnelLimits", "funnel_limits"]
