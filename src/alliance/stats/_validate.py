"""Shared input checks for the statistics core.

Every statistic turns its inputs into pandas Series through these helpers, so that bad input is
refused in the same words everywhere: NaN, infinite or negative counts, zero or missing
denominators, duplicated or unknown area codes, too few areas, all-zero data. Errors name the
offending areas (the first few, and how many in all) so an analyst can find them in the source.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

ArrayLike = pd.Series | np.ndarray | Sequence[float] | Sequence[int]

_SHOW = 10  # how many offending areas an error message lists before "and N more"


def name_areas(labels: Iterable[Any]) -> str:
    """The first few area labels, then "and N more", for an error message."""
    items = [str(label) for label in labels]
    shown = ", ".join(items[:_SHOW])
    if len(items) > _SHOW:
        shown += f" and {len(items) - _SHOW} more"
    return shown


def as_series(values: ArrayLike, *, name: str, index: pd.Index | None = None) -> pd.Series:
    """A float Series from an array or Series; a Series keeps its own index (the area codes).

    Raises ValueError for an empty input or text that is not numeric.
    """
    if isinstance(values, pd.Series):
        series = values.copy()
    else:
        array = np.asarray(values)
        if array.ndim != 1:
            raise ValueError(f"{name}: expected one value per area (1-D), got shape {array.shape}")
        if index is not None and len(index) != len(array):
            raise ValueError(f"{name} has {len(array)} values but {len(index)} areas were given")
        series = pd.Series(array, index=index if index is not None else pd.RangeIndex(len(array)))
    if len(series) == 0:
        raise ValueError(f"{name}: no values given (empty input)")
    try:
        series = pd.to_numeric(series, errors="raise").astype(float)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name}: values must be numeric ({exc})") from exc
    series.name = name
    return series


def align(first: pd.Series, second: pd.Series) -> None:
    """Refuse two per-area inputs whose area labels differ (never a silent re-alignment)."""
    if len(first) != len(second):
        raise ValueError(
            f"{first.name} has {len(first)} values but {second.name} has {len(second)}"
        )
    if not first.index.equals(second.index):
        only_first = first.index.difference(second.index)
        only_second = second.index.difference(first.index)
        if len(only_first) == 0 and len(only_second) == 0:
            raise ValueError(
                f"{first.name} and {second.name} list the same areas in a different order; "
                "sort or reindex one of them first"
            )
        raise ValueError(
            f"{first.name} and {second.name} cover different areas: only in {first.name}: "
            f"{name_areas(only_first) or 'none'}; only in {second.name}: "
            f"{name_areas(only_second) or 'none'}"
        )


def check_unique_areas(series: pd.Series) -> None:
    """Refuse duplicated area codes: each area must appear once."""
    duplicated = series.index[series.index.duplicated()].unique()
    if len(duplicated) > 0:
        raise ValueError(f"{series.name}: duplicated area codes: {name_areas(duplicated)}")


def check_known_areas(codes: Iterable[Any], known: Iterable[Any], *, what: str) -> None:
    """Refuse area codes that are not in the loaded geography (``known``)."""
    known_set = set(known)
    unknown = [code for code in pd.unique(pd.Series(list(codes), dtype=object))
               if code not in known_set]
    if unknown:
        raise ValueError(f"{what}: unknown area codes (not in the geography): "
                         f"{name_areas(unknown)}")


def check_counts(series: pd.Series, *, integer: bool = False) -> None:
    """Counts must be present, finite and not negative (and whole numbers if ``integer``)."""
    missing = series.index[series.isna()]
    if len(missing) > 0:
        raise ValueError(f"{series.name}: missing (NaN) values for areas {name_areas(missing)}; "
                         "give 0 where no events were recorded")
    infinite = series.index[np.isinf(series.to_numpy())]
    if len(infinite) > 0:
        raise ValueError(f"{series.name}: infinite values for areas {name_areas(infinite)}")
    negative = series.index[series < 0]
    if len(negative) > 0:
        raise ValueError(f"{series.name}: negative values for areas {name_areas(negative)}")
    if integer:
        fractional = series.index[series != np.round(series)]
        if len(fractional) > 0:
            raise ValueError(f"{series.name}: counts must be whole numbers; not so for areas "
                             f"{name_areas(fractional)}")


def check_denominators(series: pd.Series) -> None:
    """Denominators must be present, finite and strictly positive."""
    missing = series.index[series.isna()]
    if len(missing) > 0:
        raise ValueError(f"{series.name}: missing denominator for areas {name_areas(missing)}")
    bad = series.index[~np.isfinite(series.to_numpy()) | (series <= 0)]
    if len(bad) > 0:
        raise ValueError(f"{series.name}: denominator must be above zero; zero, negative or "
                         f"infinite for areas {name_areas(bad)}")


def check_numerator_within(numerators: pd.Series, denominators: pd.Series) -> None:
    """For a proportion the numerator cannot exceed the denominator."""
    over = numerators.index[numerators > denominators]
    if len(over) > 0:
        raise ValueError(f"{numerators.name} exceeds {denominators.name} for areas "
                         f"{name_areas(over)}; a proportion needs numerator <= denominator")


def check_min_areas(series: pd.Series, minimum: int, *, purpose: str) -> None:
    """Refuse too few areas for a between-area statistic (a single area has no spread)."""
    if len(series) < minimum:
        raise ValueError(f"{purpose} needs at least {minimum} areas; got {len(series)}")


def check_not_all_zero(series: pd.Series, *, purpose: str) -> None:
    """Refuse all-zero data where the statistic is undefined without any events."""
    if float(series.sum()) == 0.0:
        raise ValueError(f"{purpose}: {series.name} is zero for every area, so it is undefined")


def check_confidence(confidence: float) -> float:
    """A confidence level strictly between 0 and 1 (0.95 is 95%)."""
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence}")
    return float(confidence)


def check_multiplier(multiplier: float) -> float:
    if not np.isfinite(multiplier) or multiplier <= 0:
        raise ValueError(f"multiplier must be a positive number, got {multiplier}")
    return float(multiplier)


def counts_and_denominators(
    counts: ArrayLike,
    denominators: ArrayLike,
    *,
    count_name: str = "counts",
    denominator_name: str = "denominators",
    known_areas: Iterable[Any] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """The usual pair check: aligned, unique areas, valid counts, positive denominators, and
    (if ``known_areas`` is given) every area code in the loaded geography."""
    count_series = as_series(counts, name=count_name)
    index = count_series.index if not isinstance(denominators, pd.Series) else None
    denominator_series = as_series(denominators, name=denominator_name, index=index)
    align(count_series, denominator_series)
    check_unique_areas(count_series)
    if known_areas is not None:
        check_known_areas(count_series.index, known_areas, what=count_name)
    check_counts(count_series)
    check_denominators(denominator_series)
    return count_series, denominator_series


def warn_areas(message: str, labels: Iterable[Any]) -> None:
    """A UserWarning naming the areas concerned (used where a result is still meaningful)."""
    warnings.warn(f"{message}: {name_areas(labels)}", UserWarning, stacklevel=3)
