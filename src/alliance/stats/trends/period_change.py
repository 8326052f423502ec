"""Change between two periods allowing for extra-Poisson variation, season and calendar days.

Monthly counts of violence vary more than a Poisson count would (in Northamptonshire the same
month of two years differs about 4.6 times more than Poisson allows), so an exact Poisson test
of "this year against last" calls too many changes significant. This module fits a
quasi-Poisson log-linear model to the monthly counts of the two periods:

    log E[count_m] = log(days_m x population) + b0 + b_after [m in after] + month-of-year_m

with the over-dispersion phi estimated by Pearson chi-square / residual df and floored at 1
(variation below Poisson is not used to narrow the interval), standard errors multiplied by
sqrt(phi), and a t reference distribution on the residual df (McCullagh & Nelder 1989, s. 4.5).
Exposure is counted in days, so February 2024 (29 days) is not compared with February 2025
(28) as if equal. The month-of-year terms are included when one period's calendar months are
all among the other's: a year against the year before, or a quarter against a baseline year
(then only the quarter's three like months of the baseline inform the change: a month held in
one period only is fitted exactly by its own term, so it adds nothing to the ratio nor to phi,
and costs a residual df). The comparison is of like months and the season cannot pass for
change: July to September against a whole year would otherwise show summer's peak as a rise.
When neither period's months are among the other's (January to March against April to June)
the terms are left out and the result says so.

Quasi-Poisson rather than negative binomial: with a dozen or two monthly counts the negative
binomial's extra parameter is poorly estimated, and its variance (mu + mu^2 / theta) weights
months differently; the quasi-Poisson keeps the rate ratio equal to the ratio of rates and only
widens the interval, which is what an analyst expects to publish.

Several categories tested together (violence, robbery, weapons ...) are corrected by
:func:`compare_categories` (Holm by default: each "rose significantly" stands on its own in a
public report, so the chance of any false claim is controlled; Benjamini–Hochberg possible).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.multiple_testing import Correction, adjust_p_values
from alliance.stats.trends.breaks import BreakLike, month_index
from alliance.stats.trends.rate_ratio import RateRatio, two_periods


@dataclass(frozen=True, eq=False, kw_only=True)
class PeriodChange(RateRatio):
    """Rate ratio of the later period to the earlier, allowing for over-dispersion.

    The :class:`RateRatio` attributes (counts, exposures = days x population, ``ratio``,
    ``lower``/``upper`` at ``confidence`` (t on ``df``, widened by sqrt(``phi_used``)),
    ``p_value`` (two-sided; null: equal rates after the month-of-year terms), ``method``,
    ``crosses_break``, ``breaks_crossed``), and:

    phi : Pearson chi-square / residual df of the Poisson fit (NaN when df = 0).
    phi_used : max(phi, 1) (1 when phi cannot be estimated).
    df : residual degrees of freedom.
    seasonal : whether month-of-year terms were included.
    months_before, months_after : months in each period.
    """

    phi: float
    phi_used: float
    df: int
    seasonal: bool
    months_before: int
    months_after: int

    def to_frame(self) -> pd.DataFrame:
        row = dict(self.__dict__)
        row["breaks_crossed"] = ", ".join(self.breaks_crossed)
        return pd.DataFrame([row])


def period_change(
    monthly_counts: pd.Series,
    *,
    before: tuple[BreakLike, BreakLike],
    after: tuple[BreakLike, BreakLike],
    population: float = 1.0,
    confidence: float = 0.95,
    breaks: Iterable[BreakLike] = (),
    allow_across_break: bool = False,
) -> PeriodChange:
    """Rate ratio of two periods of monthly counts, quasi-Poisson, season and days allowed for.

    See the module notes for the model. Null hypothesis: the rate (per day and resident) is the
    same in both periods, like months compared with like; two-sided; one comparison (correct
    several categories with :func:`compare_categories`).

    Parameters
    ----------
    monthly_counts : counts indexed by month; every month of both periods must be present
        (a missing month is an error, not a zero).
    before, after : (first month, last month) of each period, inclusive.
    population : residents (the same in both periods), multiplies the days of exposure.
    confidence : interval level.
    breaks, allow_across_break : as :func:`alliance.stats.trends.compare_periods`: a recording
        break inside or between the periods refuses the comparison unless allowed (then warned
        and flagged).

    Raises
    ------
    ValueError
        Missing months, negative or non-integer counts, overlapping periods, no events, a
        recording break crossed without ``allow_across_break``.
    """
    import statsmodels.api as sm

    confidence = _validate.check_confidence(confidence)
    if not population > 0:
        raise ValueError(f"population must be positive, got {population}")
    months = month_index(monthly_counts.index, what="monthly_counts")
    series = pd.Series(monthly_counts.to_numpy(), index=months, name="monthly_counts")
    _validate.check_unique_areas(series)
    first, second, crossed = two_periods(series, before, after, breaks,
                                         allow=allow_across_break, what="period change")
    used = pd.PeriodIndex(first.append(second))
    counts = series.loc[used]
    _validate.check_counts(counts, integer=True)
    y = counts.to_numpy(dtype=float)
    if y.sum() == 0:
        raise ValueError("no events in either period: the rate ratio is undefined")
    days = np.array([m.days_in_month for m in used], dtype=float)
    after_flag = np.r_[np.zeros(len(first)), np.ones(len(second))]
    months_b, months_a = set(first.month), set(second.month)
    seasonal = (months_a <= months_b or months_b <= months_a) and len(months_a | months_b) > 1
    like = len(months_a & months_b)
    design = pd.DataFrame({"const": 1.0, "after": after_flag})
    if seasonal:
        design = design.join(pd.get_dummies(pd.Series(used.month), prefix="month",
                                            drop_first=True, dtype=float))
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=np.log(days * population))
    poisson = model.fit()
    df = int(poisson.df_resid)
    phi = float(poisson.pearson_chi2 / df) if df > 0 else float("nan")
    phi_used = max(phi, 1.0) if df > 0 else 1.0
    fit = model.fit(scale=phi_used, use_t=df > 0)
    low, high = fit.conf_int(alpha=1 - confidence).loc["after"]
    before_exposure = float((days[: len(first)] * population).sum())
    after_exposure = float((days[len(first):] * population).sum())
    adjust = ("month-of-year terms (like months compared)" if seasonal
              and months_a == months_b else
              f"month-of-year terms (like months compared: the {like} calendar months held "
              "in both periods)" if seasonal else
              "no month-of-year terms (the periods hold different calendar months)")
    dispersion = (f"phi = {phi:.2f} (Pearson chi-square / {df} df), used {phi_used:.2f}"
                  if df > 0 else "phi not estimable (no residual df), Poisson")
    return PeriodChange(
        before_count=float(y[: len(first)].sum()), before_exposure=before_exposure,
        after_count=float(y[len(first):].sum()), after_exposure=after_exposure,
        ratio=float(np.exp(fit.params["after"])), lower=float(np.exp(low)),
        upper=float(np.exp(high)), p_value=float(fit.pvalues["after"]), confidence=confidence,
        phi=phi, phi_used=phi_used, df=df, seasonal=seasonal, months_before=len(first),
        months_after=len(second),
        method=(f"quasi-Poisson log-linear model of monthly counts, exposure in days x "
                f"population, {adjust}; {dispersion}"),
        crosses_break=bool(crossed), breaks_crossed=crossed,
    )


@dataclass(frozen=True, kw_only=True)
class CategoryChanges:
    """Period changes of several categories tested together, with corrected p-values.

    ``table`` has one row per category: ratio, lower, upper, p_value, p_adjusted,
    significant, label ('higher', 'lower' or 'no significant change'), phi_used, seasonal.
    The intervals are per category (not adjusted for multiplicity).
    """

    table: pd.DataFrame
    correction: str
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def compare_categories(changes: Mapping[str, PeriodChange], *, correction: Correction = "holm",
                       alpha: float = 0.05) -> CategoryChanges:
    """Correct the p-values of several categories' period changes tested together.

    Null hypothesis per category: no change in rate. Two-sided. ``correction`` "holm"
    (default; family-wise error rate: the chance of any false "changed" claim is at most
    ``alpha``), "fdr_bh" or "none" (numbers equal statsmodels ``multipletests``).
    """
    if not changes:
        raise ValueError("no categories given")
    names = list(changes)
    p_values = [changes[name].p_value for name in names]
    adjusted = adjust_p_values(p_values, method=correction, alpha=alpha, labels=names)
    ratio = np.array([changes[name].ratio for name in names])
    label = np.where(~adjusted.significant, "no significant change",
                     np.where(ratio > 1, "higher", "lower"))
    table = pd.DataFrame({
        "ratio": ratio, "lower": [changes[n].lower for n in names],
        "upper": [changes[n].upper for n in names], "p_value": p_values,
        "p_adjusted": adjusted.q, "significant": adjusted.significant, "label": label,
        "phi_used": [changes[n].phi_used for n in names],
        "seasonal": [changes[n].seasonal for n in names],
    }, index=pd.Index(names, name="category"))
    return CategoryChanges(table=table, correction=correction, alpha=alpha)
