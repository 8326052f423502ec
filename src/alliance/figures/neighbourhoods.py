"""Figures by neighbourhood (LSOA 2021): counts and rates, deprivation deciles, concentration
and the funnel plot. Counts come from the published lattice; statistics over many areas use
values worked out from published figures only (see
:meth:`alliance.figures.publication.Publication.lsoa_values_for_statistics`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.figures.counts import PER, Rate, rate_of, year_scale
from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import Period, Publication
from alliance.stats.concentration import Concentration
from alliance.stats.concentration import concentration as concentration_of
from alliance.stats.rates.crude import rate as crude_rate
from alliance.stats.rates.funnel import FunnelLimits, funnel_limits
from alliance.stats.trends.rate_ratio import RateRatio, rate_ratio


def neighbourhoods(pub: Publication, *, level: str, code: str, period: Period,
                   category: str = ALL) -> pd.DataFrame:
    """One row per LSOA of the unit: ``lsoa21_code``, ``name``, ``population`` (whole
    residents), ``count``, ``rate``, ``lower``, ``upper`` (per 1,000 a year; NaN when
    hidden) and ``hidden``."""
    geo = pub.cube.geography
    codes = list(geo.lsoas_of(level, code))
    counts = pub.lsoa_counts(period, category=category).reindex(codes)
    pop = geo.lsoa.loc[codes, "population"].astype(float).round().astype(np.int64)
    shown = counts.notna()
    frame = pd.DataFrame({"lsoa21_code": codes, "name": geo.lsoa.loc[codes, "name"].to_numpy(),
                          "population": pop.to_numpy(), "count": counts.to_numpy(),
                          "rate": np.nan, "lower": np.nan, "upper": np.nan,
                          "hidden": (~shown).to_numpy()})
    if shown.any():
        scale = year_scale(period)
        est = crude_rate(counts[shown], pop[shown].astype(float), multiplier=PER)
        frame.loc[shown.to_numpy(), "rate"] = (est.value * scale).to_numpy()
        frame.loc[shown.to_numpy(), "lower"] = (est.lower * scale).to_numpy()
        frame.loc[shown.to_numpy(), "upper"] = (est.upper * scale).to_numpy()
    return frame


def top(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` LSOAs with the most published offences. Ranking uses published values only:
    a hidden LSOA is never placed in the ranking, since its place would bound its count."""
    shown = frame[~frame["hidden"]]
    return shown.sort_values(["count", "lsoa21_code"], ascending=[False, True],
                             kind="stable").head(n).reset_index(drop=True)


@dataclass(frozen=True, kw_only=True)
class DecileFigures:
    """Offences by IMD decile of the neighbourhood: counts (NaN hidden), populations, rates,
    and the rate ratio of the most deprived fifth (deciles 1–2) to the least (9–10)."""

    table: pd.DataFrame  # decile, count, population, rate, lower, upper, hidden
    most_vs_least: RateRatio | None


def deciles(pub: Publication, *, period: Period) -> DecileFigures:
    geo = pub.cube.geography
    dec = geo.lsoa["imd_decile"].astype(int)
    rows = []
    for d in sorted(dec.unique()):
        if pub.record_level and period.key is None:
            members = list(geo.lsoa.index[dec == d])
            value = float(pub.cube.total(lsoas=members, months=period.months, category=ALL))
        else:
            value = pub.value(CellKey("decile", str(d), str(period.key)))
        population = round(float(geo.lsoa.loc[dec == d, "population"].sum()))
        r: Rate = rate_of(value, population=population, period=period)
        rows.append({"decile": int(d), "count": value, "population": population,
                     "rate": r.value, "lower": r.lower, "upper": r.upper,
                     "hidden": bool(np.isnan(value))})
    table = pd.DataFrame(rows)
    most = table[table["decile"] <= 2]
    least = table[table["decile"] >= 9]
    ratio = None
    if len(most) and len(least) and not most["hidden"].any() and not least["hidden"].any():
        a, b = float(most["count"].sum()), float(least["count"].sum())
        if b > 0 and a + b > 0:
            ratio = rate_ratio(int(b), float(least["population"].sum()), int(a),
                               float(most["population"].sum()))
    return DecileFigures(table=table, most_vs_least=ratio)


def concentration(pub: Publication, *, level: str, code: str,
                  period: Period) -> Concentration:
    """Lorenz curve and shares in the top LSOAs, from values derived from published figures."""
    codes = list(pub.cube.geography.lsoas_of(level, code))
    values = pub.lsoa_values_for_statistics(period).reindex(codes)
    return concentration_of(values.round(6))


def funnel(pub: Publication, *, level: str, code: str, period: Period) -> FunnelLimits | None:
    """Funnel limits for the published LSOA rates around the unit's rate, allowing for
    over-dispersion when the areas differ more than chance allows (Spiegelhalter 2005: the
    dispersion test, then additive random-effects limits on the square-root scale, so that
    skewed small-area rates can be flagged low as well as high). Only published counts enter,
    so phi itself reveals nothing hidden. ``None`` when fewer than three LSOAs are published
    or none has an offence."""
    frame = neighbourhoods(pub, level=level, code=code, period=period)
    shown = frame[~frame["hidden"]].set_index("lsoa21_code")
    if len(shown) < 3 or float(shown["count"].sum()) == 0:
        return None
    unit_total = pub.count(level=level, code=code, period=period)
    target = None
    if not np.isnan(unit_total):
        target = unit_total / float(frame["population"].sum()) * PER
    return funnel_limits(shown["count"], shown["population"].astype(float), multiplier=PER,
                         target=target, overdispersion="auto",
                         overdispersion_scale="transformed")
