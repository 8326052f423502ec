"""Interrupted time series: did the monthly counts depart from their own path when an
intervention started (and, with a comparison area, from the comparison's)?

Segmented regression of monthly counts (Bernal, Cummins & Gasparrini 2017, "Interrupted time
series regression for the evaluation of public health interventions: a tutorial", IJE 46(1)),
on the count scale with the quasi-Poisson model the rest of :mod:`alliance.stats.trends` uses:

    log E[y_t] = log(days_t) + b0 + b1 t + b2 after_t + b3 after_t (t - t0) [+ season]

``t`` in years from the first month, ``t0`` the start, ``after`` 1 from the start month on.
``exp(b2)`` is the *level change* (the rate ratio at the start against the pre-start path) and
``exp(b3)`` the *slope change* (the ratio by which the yearly trend changed). Season: one annual
harmonic (sine and cosine) when the months span two years and hold every calendar month
(:func:`alliance.stats.trends.forecast.seasonal_terms_identifiable`), else none, and the result
says so. Over-dispersion phi by Pearson chi-square / residual df, floored at 1; standard errors
scaled by sqrt(phi) with a t reference on the residual df.

With a **comparison area** (a controlled interrupted time series, Lopez Bernal et al. 2018,
"The use of controls in interrupted time series studies of public health interventions",
IJE 47(6)) both series are fitted together, each with its own level and trend, the season
shared, and the intervention terms are the *differences* between the areas: ``exp(b2)`` is
then the level change in the intervention area over and above any change in the comparison
area at the same time, which removes changes common to both (a county-wide campaign, a change
in recording that affects both).

Hypotheses: for the level change, null "no change in level at the start, given the pre-start
trend" (rate ratio 1); for the slope change, null "no change in trend". Both two-sided, Wald t
on the residual df. The two are tested together, so their p-values are Holm-corrected
(``p_adjusted``); the intervals are not adjusted.

The plain statement of what this design can and cannot show is :attr:`ItsResult.limits`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.multiple_testing import adjust_p_values
from alliance.stats.trends.breaks import BreakLike, month_index
from alliance.stats.trends.forecast import seasonal_terms_identifiable

#: fewest months held before the start, and after it
MIN_BEFORE, MIN_AFTER = 6, 3
#: fewest months after the start to estimate a change of slope
MIN_AFTER_FOR_SLOPE = 6


@dataclass(frozen=True, kw_only=True)
class Effect:
    """One intervention effect: a rate ratio with its interval and p-values."""

    name: str  # 'level change' or 'slope change'
    ratio: float
    lower: float
    upper: float
    p_value: float
    p_adjusted: float


@dataclass(frozen=True, kw_only=True)
class ItsResult:
    """The fitted interrupted time series.

    Attributes
    ----------
    level, slope : the effects (``slope`` None when too few months after the start).
    series : one row per month and area: ``area`` ('intervention' or 'comparison'), ``month``,
        ``count``, ``fitted``, ``without`` (the intervention area's path had nothing started:
        the fit with the intervention terms set to 0; NaN for the comparison).
    months_before, months_after : months held either side of the start (intervention area).
    comparison : whether a comparison area was fitted.
    seasonal : whether the annual harmonic was included.
    phi, phi_used, df : over-dispersion and residual df.
    method : the model in words.
    limits : what this design can and cannot show, in plain words.
    """

    start: str
    level: Effect
    slope: Effect | None
    series: pd.DataFrame
    months_before: int
    months_after: int
    comparison: bool
    seasonal: bool
    phi: float
    phi_used: float
    df: int
    confidence: float
    method: str
    limits: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        rows = [self.level.__dict__] + ([self.slope.__dict__] if self.slope else [])
        return pd.DataFrame(rows)


def _clean(series: pd.Series, what: str) -> pd.Series:
    index = month_index(series.index, what=what)
    out = pd.Series(pd.to_numeric(series, errors="coerce").to_numpy(dtype=float),
                    index=index).sort_index().dropna()
    if out.index.has_duplicates:
        raise ValueError(f"{what} has a month twice")
    _validate.check_counts(out, integer=True)
    return out


def limits_of_design(*, comparison: bool, months_before: int, seasonal: bool) -> tuple[str, ...]:
    """What an interrupted time series of this shape can and cannot show (plain words)."""
    can = ("It can show whether the monthly numbers moved away from the path they were on "
           "before the start, at the start (a step) or after it (a change of direction)"
           + (", and whether they moved more than in the comparison area at the same time."
              if comparison else "."))
    out = [can,
           "It cannot prove that the intervention caused the change: anything else that "
           "began at the same time in the same places (another scheme, more police patrols, a "
           "change in how crimes are recorded) would look the same."
           + ("" if comparison else " With no comparison area, changes that happened "
              "everywhere at once cannot be told apart from the intervention's effect.")]
    if months_before < 12:
        out.append(f"Only {months_before} months before the start are held, so the path it "
                   "was on is uncertain and a seasonal rise or fall can pass for a change.")
    if not seasonal:
        out.append("The months held do not cover every calendar month over two years, so "
                   "the season is not allowed for.")
    out.append("If the places were chosen because violence there had just peaked, some fall "
               "was likely anyway (regression to the mean), and violence that moved to "
               "nearby places is not counted here.")
    out.append("police.uk figures are a proxy: they count violence and sexual offences "
               "recorded by the police, not serious violence itself.")
    return tuple(out)


def interrupted_time_series(
    monthly_counts: pd.Series,
    *,
    start: BreakLike,
    comparison: pd.Series | None = None,
    confidence: float = 0.95,
) -> ItsResult:
    """Segmented quasi-Poisson regression of monthly counts around ``start``.

    Parameters
    ----------
    monthly_counts : the intervention area's counts by month; NaN marks a month not held or
        hidden (left out, never a zero).
    start : the first month the intervention ran.
    comparison : a comparison area's counts by month (same rules), or None.
    confidence : interval level.

    Raises
    ------
    ValueError
        Fewer than :data:`MIN_BEFORE` months before or :data:`MIN_AFTER` after the start (in
        either area), negative or non-integer counts, no events.
    """
    import statsmodels.api as sm

    confidence = _validate.check_confidence(confidence)
    t0 = pd.Period(start, freq="M")
    areas = {"intervention": _clean(monthly_counts, "monthly_counts")}
    if comparison is not None:
        areas["comparison"] = _clean(comparison, "comparison")
    for name, s in areas.items():
        before, after = int((s.index < t0).sum()), int((s.index >= t0).sum())
        if before < MIN_BEFORE or after < MIN_AFTER:
            raise ValueError(f"the {name} area has {before} month(s) before {t0} and {after} "
                             f"from it; an interrupted time series needs at least "
                             f"{MIN_BEFORE} before and {MIN_AFTER} after")
        if s.sum() == 0:
            raise ValueError(f"no events in the {name} area")
    mine = areas["intervention"]
    n_after = int((mine.index >= t0).sum())
    with_slope = n_after >= MIN_AFTER_FOR_SLOPE
    all_months = pd.PeriodIndex(sorted(set().union(*(s.index for s in areas.values()))))
    seasonal = seasonal_terms_identifiable(pd.PeriodIndex(mine.index))
    origin = all_months.min()
    rows = []
    for name, s in areas.items():
        idx = pd.PeriodIndex(s.index)
        t = np.array([(m - origin).n for m in idx], dtype=float) / 12.0
        started = np.asarray(idx >= t0, dtype=float)
        since = started * np.array([(m - t0).n for m in idx], dtype=float) / 12.0
        rows.append(pd.DataFrame({
            "area": name, "month": idx.astype(str), "count": s.to_numpy(), "t": t,
            "after": started, "since": since, "month_no": idx.month,
            "days": [m.days_in_month for m in idx]}))
    data = pd.concat(rows, ignore_index=True)
    g = (data["area"] == "intervention").astype(float).to_numpy()
    design = pd.DataFrame({"const": 1.0, "t": data["t"]})
    if comparison is not None:
        # each area its own level and trend; a step and slope change common to both; the
        # intervention area's differences from them are the effects
        design["group"], design["group_t"] = g, g * data["t"]
        design["after"] = data["after"]
        if with_slope:
            design["since"] = data["since"]
        level_term, slope_term = "group_after", "group_since"
        design[level_term] = data["after"] * g
        if with_slope:
            design[slope_term] = data["since"] * g
    else:
        level_term, slope_term = "after", "since"
        design[level_term] = data["after"]
        if with_slope:
            design[slope_term] = data["since"]
    if seasonal:
        angle = 2 * np.pi * data["month_no"].to_numpy(dtype=float) / 12.0
        design["sin"], design["cos"] = np.sin(angle), np.cos(angle)
    y = data["count"].to_numpy(dtype=float)
    offset = np.log(data["days"].to_numpy(dtype=float))
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=offset)
    poisson = model.fit()
    df = int(poisson.df_resid)
    if df < 1:
        raise ValueError("too few months for the model's terms: no residual degrees of freedom")
    phi = float(poisson.pearson_chi2 / df)
    phi_used = max(phi, 1.0)
    fit = model.fit(scale=phi_used, use_t=True)
    ci = fit.conf_int(alpha=1 - confidence)
    terms = [level_term] + ([slope_term] if with_slope else [])
    adjusted = adjust_p_values([float(fit.pvalues[t]) for t in terms], method="holm")
    effects = [Effect(name=name, ratio=float(np.exp(fit.params[term])),
                      lower=float(np.exp(ci.loc[term, 0])),
                      upper=float(np.exp(ci.loc[term, 1])), p_value=float(fit.pvalues[term]),
                      p_adjusted=float(q))
               for name, term, q in zip(("level change", "slope change"), terms, adjusted.q,
                                        strict=False)]
    without_design = design.copy()
    for term in terms:
        without_design[term] = 0.0
    without = np.exp(without_design.to_numpy() @ fit.params.to_numpy() + offset)
    series = data[["area", "month", "count"]].copy()
    series["fitted"] = np.asarray(fit.fittedvalues, dtype=float)
    series["without"] = np.where(g == 1, without, np.nan)
    before = int((mine.index < t0).sum())
    season_text = ("an annual season (one harmonic)" if seasonal
                   else "no season (the months held do not cover every calendar month twice)")
    method = ("segmented quasi-Poisson regression of monthly counts (exposure in days), "
              + ("with a comparison area (each area its own level and trend, the effects as "
                 "differences between the areas), " if comparison is not None else "")
              + f"{season_text}; level change" + (" and slope change" if with_slope else "")
              + f" at {t0}; phi = {phi:.2f} (Pearson chi-square / {df} df), used "
              f"{phi_used:.2f}; t intervals; Holm-corrected p-values across the "
              f"{len(terms)} effect(s)")
    return ItsResult(
        start=str(t0), level=effects[0], slope=effects[1] if with_slope else None,
        series=series, months_before=before, months_after=n_after,
        comparison=comparison is not None, seasonal=seasonal, phi=phi, phi_used=phi_used,
        df=df, confidence=confidence, method=method,
        limits=limits_of_design(comparison=comparison is not None, months_before=before,
                                seasonal=seasonal))
