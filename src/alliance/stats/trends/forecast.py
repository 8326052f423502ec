"""A forecast of monthly counts with prediction intervals: the baseline of "turning the curve".

Results-Based Accountability draws the *baseline*: where the measure was heading before the
partnership acted, carried forward. This module fits the history and carries it forward with
the same model the rest of :mod:`alliance.stats.trends` uses for monthly counts, a
quasi-Poisson log-linear regression:

    log E[count_m] = log(days_m) + b0 + b1 t_m [+ a1 sin(2 pi month_m / 12) + a2 cos(...)]

with ``t`` in years, exposure in days (February is not a fall), over-dispersion phi estimated
by Pearson chi-square / residual df and floored at 1, as in
:func:`alliance.stats.trends.period_change`.

Why this model and not ETS, SARIMA or the seasonal naive forecast
------------------------------------------------------------------
A partnership holds a year or two of months, often with gaps (police.uk months not loaded,
months hidden by suppression). ETS and SARIMA need an unbroken series and two full seasons
before they can estimate a season; the seasonal naive forecast needs the same month of the
year before for every month forecast. The regression uses every month held, wherever the gaps
fall, needs no imputation, keeps the count scale (no log of zero), and allows for
over-dispersion. The season enters as one annual harmonic (two parameters rather than eleven)
and only when the history spans two years and holds every calendar month, so that it can be
told apart from the trend; otherwise the forecast is trend only and says so. With fewer than
:data:`MIN_MONTHS_FOR_TREND` months there is no trend either: the forecast is the mean.

Prediction intervals
--------------------
An interval for a future month's count must hold both the uncertainty of the fitted mean and
the month-to-month variation around it. Neither has a closed form together, so the interval
is simulated (the parametric bootstrap of Gelman & Hill 2007, s. 7.2; R ``ciTools::add_pi``
for GLMs): coefficients drawn from their estimated normal distribution (covariance scaled by
phi), a mean for each month, and a count drawn around it with variance phi x mean (negative
binomial with that variance; Poisson when phi is 1). The interval is the central
``confidence`` share of the simulated counts; :attr:`CountForecast.total` sums the same draws
over several months (a quarter), so its interval allows for their correlation. ``seed`` fixes
the draws; with the default number of draws the limits move by well under 1% between seeds.

No hypothesis is tested here: the forecast is an estimate, not a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.trends.breaks import BreakLike, as_months, month_index

#: fewest months held to forecast at all (a mean of fewer is not a baseline)
MIN_MONTHS = 6
#: fewest months held to estimate a trend
MIN_MONTHS_FOR_TREND = 9
#: simulated futures for the prediction intervals
DRAWS = 20_000


@dataclass(frozen=True, kw_only=True)
class CountForecast:
    """The fitted history and the forecast months.

    Attributes
    ----------
    history : one row per month held: ``month``, ``count``, ``fitted`` (the model's mean).
    forecast : one row per forecast month: ``month``, ``expected`` (the mean), ``lower`` and
        ``upper`` (prediction interval of the month's count at ``confidence``),
        ``mean_lower``/``mean_upper`` (interval of the mean only).
    trend_per_year : the fitted rate ratio a year (1 when no trend was fitted).
    seasonal, trend : which terms the model has.
    phi, phi_used, df : over-dispersion (Pearson chi-square / df), as used (floored at 1),
        residual degrees of freedom.
    method : the model in words, for a report's notes.
    """

    history: pd.DataFrame
    forecast: pd.DataFrame
    confidence: float
    trend_per_year: float
    seasonal: bool
    trend: bool
    phi: float
    phi_used: float
    df: int
    method: str
    _draws: np.ndarray = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        return self.forecast.copy()

    def total(self, months: Sequence[str]) -> tuple[float, float, float]:
        """Expected total over ``months`` (all forecast months) and its prediction interval."""
        position = {m: i for i, m in enumerate(self.forecast["month"])}
        missing = [m for m in months if m not in position]
        if missing or not months:
            raise KeyError(f"months not forecast: {', '.join(missing) or 'none given'}")
        index = [position[m] for m in months]
        sums = self._draws[:, index].sum(axis=1)
        alpha = 1 - self.confidence
        lower, upper = np.quantile(sums, [alpha / 2, 1 - alpha / 2])
        expected = float(self.forecast["expected"].to_numpy()[index].sum())
        return expected, float(lower), float(upper)


def _design(months: pd.PeriodIndex, *, origin: pd.Period, trend: bool,
            seasonal: bool) -> pd.DataFrame:
    t = np.array([(m - origin).n for m in months], dtype=float) / 12.0
    design = pd.DataFrame({"const": np.ones(len(months))})
    if trend:
        design["trend"] = t
    if seasonal:
        angle = 2 * np.pi * np.asarray(months.month, dtype=float) / 12.0
        design["sin"], design["cos"] = np.sin(angle), np.cos(angle)
    return design


def seasonal_terms_identifiable(months: pd.PeriodIndex) -> bool:
    """An annual harmonic is fitted only when the months span two years and hold every
    calendar month (so the season cannot stand in for the trend)."""
    if not len(months):
        return False
    span = (months.max() - months.min()).n + 1
    return span >= 24 and len(set(months.month)) == 12


def forecast_counts(
    monthly_counts: pd.Series,
    *,
    months: Sequence[str] | int,
    confidence: float = 0.95,
    breaks: Iterable[BreakLike] = (),
    seed: int = 0,
    draws: int = DRAWS,
) -> CountForecast:
    """Fit the monthly counts held and forecast ``months`` with prediction intervals.

    Parameters
    ----------
    monthly_counts : counts indexed by month ('YYYY-MM', dates or a monthly PeriodIndex); NaN
        marks a month not held or hidden (a gap, never a zero).
    months : the months to forecast, or how many months after the last one held.
    confidence : interval level.
    breaks : recording breaks; only the months after the last break before the forecast are
        fitted (nothing is fitted across a break).
    seed, draws : the simulation behind the prediction intervals.

    Raises
    ------
    ValueError
        Negative or non-integer counts, fewer than :data:`MIN_MONTHS` months held, forecast
        months that are not after the history.
    """
    import statsmodels.api as sm

    confidence = _validate.check_confidence(confidence)
    if draws < 1000:
        raise ValueError(f"draws must be at least 1000 for stable limits, not {draws}")
    index = month_index(monthly_counts.index, what="monthly_counts")
    series = pd.Series(pd.to_numeric(monthly_counts, errors="coerce").to_numpy(dtype=float),
                       index=index).sort_index()
    if series.index.has_duplicates:
        raise ValueError("monthly_counts has a month twice")
    held = series.dropna()
    _validate.check_counts(held, integer=True)
    if isinstance(months, int):
        if months < 1:
            raise ValueError("forecast at least one month")
        last = held.index.max() if len(held) else None
        if last is None:
            raise ValueError("no months held to forecast from")
        future = pd.period_range(last + 1, periods=months, freq="M")
    else:
        future = month_index(list(months), what="months")
    for brk in as_months(breaks):
        if len(future) and brk <= future.min():
            held = held[held.index >= brk]
    if len(held) < MIN_MONTHS:
        raise ValueError(f"{len(held)} month(s) held; a forecast needs at least {MIN_MONTHS}")
    if len(future) and future.min() <= held.index.max():
        raise ValueError("the months forecast must come after the months held")
    trend = len(held) >= MIN_MONTHS_FOR_TREND
    seasonal = trend and seasonal_terms_identifiable(pd.PeriodIndex(held.index))
    origin = held.index.min()
    x = _design(pd.PeriodIndex(held.index), origin=origin, trend=trend, seasonal=seasonal)
    days = np.array([m.days_in_month for m in held.index], dtype=float)
    y = held.to_numpy(dtype=float)
    model = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.log(days))
    poisson = model.fit()
    df = int(poisson.df_resid)
    phi = float(poisson.pearson_chi2 / df) if df > 0 else float("nan")
    phi_used = max(phi, 1.0) if df > 0 else 1.0
    fit = model.fit(scale=phi_used)
    beta = fit.params.to_numpy()
    cov = fit.cov_params().to_numpy()
    xf = _design(future, origin=origin, trend=trend, seasonal=seasonal).to_numpy()
    days_f = np.array([m.days_in_month for m in future], dtype=float)
    expected = np.exp(xf @ beta) * days_f
    rng = np.random.default_rng(seed)
    betas = rng.multivariate_normal(beta, cov, size=draws, method="cholesky")
    means = np.exp(betas @ xf.T) * days_f
    if phi_used > 1:
        # negative binomial with variance phi x mean: n = mean / (phi - 1), p = 1 / phi
        counts = rng.negative_binomial(means / (phi_used - 1), 1 / phi_used)
    else:
        counts = rng.poisson(means)
    counts = counts.astype(float)
    alpha = 1 - confidence
    qs = [alpha / 2, 1 - alpha / 2]
    low, high = np.quantile(counts, qs, axis=0) if len(future) else (np.array([]), np.array([]))
    m_low, m_high = np.quantile(means, qs, axis=0) if len(future) else (low, high)
    forecast = pd.DataFrame({"month": [str(m) for m in future], "expected": expected,
                             "lower": low, "upper": high, "mean_lower": m_low,
                             "mean_upper": m_high})
    history = pd.DataFrame({"month": [str(m) for m in held.index], "count": y,
                            "fitted": np.asarray(fit.fittedvalues, dtype=float)})
    terms = ("trend and an annual season (one harmonic)" if seasonal else
             "trend, no season (the months held do not cover every calendar month twice over "
             "two years)" if trend else
             f"the mean only (fewer than {MIN_MONTHS_FOR_TREND} months held)")
    dispersion = (f"phi = {phi:.2f} (Pearson chi-square / {df} df), used {phi_used:.2f}"
                  if df > 0 else "phi not estimable, Poisson")
    method = (f"quasi-Poisson log-linear regression of {len(held)} monthly counts "
              f"({held.index.min()} to {held.index.max()}) on {terms}, exposure in days; "
              f"{dispersion}; {confidence:.0%} prediction intervals from {draws:,} simulated "
              "futures (coefficient uncertainty and month-to-month variation)")
    return CountForecast(
        history=history, forecast=forecast, confidence=confidence,
        trend_per_year=float(np.exp(fit.params["trend"])) if trend else 1.0,
        seasonal=seasonal, trend=trend, phi=phi, phi_used=phi_used, df=df, method=method,
        _draws=counts)
