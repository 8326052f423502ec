"""Directly age-standardised rate (DSR) with Dobson confidence intervals."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.rates._intervals import BYARS_FROM, IntervalEstimate, poisson_count_limits

#: The 2013 European Standard Population (Eurostat 2013), in the 19 five-year bands PHE uses
#: (0-4, 5-9, ..., 85-89, 90+); the weights sum to 100,000.
ESP2013: pd.Series = pd.Series(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    index=pd.Index(
        ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
         "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89",
         "90+"],
        name="age_group",
    ),
    name="standard_population",
    dtype=float,
)


@dataclass(frozen=True, eq=False)
class DsrEstimate(IntervalEstimate):
    """A DSR per area; ``numerator`` is the total events and ``denominator`` the total population.

    ``standard`` is the standard population used (age band -> weight).
    """

    standard: pd.Series | None = None


def dsr(
    counts: _validate.ArrayLike,
    populations: _validate.ArrayLike,
    age_groups: _validate.ArrayLike | pd.Index,
    *,
    areas: _validate.ArrayLike | pd.Index | None = None,
    standard: pd.Series | None = None,
    multiplier: float = 100_000,
    confidence: float = 0.95,
) -> DsrEstimate:
    """Directly age-standardised rate per area, with Dobson confidence intervals.

    Estimates the rate each area would have if it had the age structure of the standard
    population, so areas with younger or older residents can be compared fairly. The value is
    sum(weight_band * count_band / population_band) / sum(weight_band) * multiplier.

    Interval: Dobson et al. (1991), with Byar's limits on the total count, as in the PHE
    Fingertips technical guidance and PHEindicatormethods ``phe_dsr``. Following that guidance a
    DSR is not published for fewer than 10 events: such areas get value, lower and upper NaN,
    method "not calculated: fewer than 10 events", and a warning naming them. No hypothesis is
    tested here.

    Parameters
    ----------
    counts, populations, age_groups : arrays of equal length
        One row per area and age band: events, resident population, band label. A band with
        population 0 is allowed only if it has no events (it then adds nothing).
    areas : array, keyword-only, optional
        The area of each row; omit for a single area (labelled "all").
    standard : Series, keyword-only, optional
        Standard population weights indexed by band label. Default: the European Standard
        Population 2013 (:data:`ESP2013`), 19 bands 0-4 ... 85-89, 90+. To standardise over
        an age range only (e.g. 10-24 year olds), pass the matching slice of ``ESP2013``.
        Every area must supply every band of the standard exactly once.
    multiplier : float, keyword-only
        Rate scale (per 100,000 by default).
    confidence : float, keyword-only
        Confidence level (0.95 = 95%).

    Raises
    ------
    ValueError
        Bad counts or populations (naming the rows), band labels not in the standard, a band
        missing or repeated for an area (naming the areas), all inputs not the same length.
    """
    multiplier = _validate.check_multiplier(multiplier)
    confidence = _validate.check_confidence(confidence)
    weights = (ESP2013 if standard is None else standard).astype(float)
    count = _validate.as_series(np.asarray(counts), name="counts")
    population = _validate.as_series(np.asarray(populations), name="populations")
    bands = pd.Series(np.asarray(age_groups, dtype=object).astype(str), name="age_groups")
    area = pd.Series(
        np.asarray(areas, dtype=object) if areas is not None else np.full(len(count), "all"),
        name="areas",
    )
    lengths = {len(count), len(population), len(bands), len(area)}
    if len(lengths) != 1:
        raise ValueError("counts, populations, age_groups and areas must have the same length")
    _validate.check_counts(count)
    _validate.check_counts(population)
    unknown_bands = sorted(set(bands) - set(weights.index.astype(str)))
    if unknown_bands:
        raise ValueError(f"age_groups not in the standard population: {unknown_bands}; "
                         f"expected labels {list(weights.index)}")
    table = pd.DataFrame({"area": area, "band": bands, "count": count, "pop": population})
    repeated = table.loc[table.duplicated(["area", "band"]), "area"].unique()
    if len(repeated) > 0:
        raise ValueError(f"an age band appears twice for areas {_validate.name_areas(repeated)}")
    per_area = table.groupby("area", sort=False)["band"].nunique()
    incomplete = per_area.index[per_area < len(weights)]
    if len(incomplete) > 0:
        raise ValueError(f"areas missing some of the {len(weights)} standard age bands "
                         f"(give 0 events where none): {_validate.name_areas(incomplete)}")
    table["weight"] = weights.rename(index=str).reindex(table["band"]).to_numpy()
    # A band nobody lives in (e.g. 90+ in a small area) with no events adds nothing; events
    # in a band with no population are an error in the inputs.
    impossible = table[(table["pop"] == 0) & (table["count"] > 0)]
    if not impossible.empty:
        where = [f"{a} {b}" for a, b in zip(impossible["area"], impossible["band"], strict=True)]
        raise ValueError(f"events in age bands with zero population: "
                         f"{_validate.name_areas(where)}")
    per_person = (table["weight"] / table["pop"].where(table["pop"] > 0)).fillna(0.0)
    table["weighted_rate"] = table["count"] * per_person
    table["variance_term"] = table["count"] * per_person**2
    summed = table.groupby("area", sort=False)[
        ["count", "pop", "weighted_rate", "variance_term", "weight"]].sum()
    no_people = summed.index[summed["pop"] <= 0]
    if len(no_people) > 0:
        raise ValueError(f"areas with zero total population: {_validate.name_areas(no_people)}")
    total_weight = summed["weight"]
    value = summed["weighted_rate"] / total_weight * multiplier
    variance = summed["variance_term"] / total_weight**2
    observed = summed["count"]
    count_lower, count_upper, _ = poisson_count_limits(observed.to_numpy(), confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(variance / observed) * multiplier
    lower = value + spread * (count_lower - observed)
    upper = value + spread * (count_upper - observed)
    too_few = observed < BYARS_FROM
    method = pd.Series("Dobson (Byar's limits on the total count)", index=summed.index)
    if too_few.any():
        value, lower, upper = (s.mask(too_few) for s in (value, lower, upper))
        method[too_few] = f"not calculated: fewer than {BYARS_FROM} events"
        warnings.warn(
            f"DSR not calculated (fewer than {BYARS_FROM} events, PHE rule) for areas "
            f"{_validate.name_areas(summed.index[too_few])}",
            UserWarning, stacklevel=2,
        )
    summed.index.name = "area"
    return DsrEstimate(
        value=value.rename("value"),
        lower=lower.rename("lower"),
        upper=upper.rename("upper"),
        method=method.rename("method"),
        numerator=observed.rename("counts"),
        denominator=summed["pop"].rename("populations"),
        statistic=f"directly age-standardised rate per {multiplier:,.0f}",
        confidence=confidence,
        multiplier=multiplier,
        standard=weights,
    )
