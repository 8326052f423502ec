"""Reporting periods of the partner files: academic, financial and calendar years, rolling years."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def academic_year(first_year: int) -> Period:
    """1 September to 31 August, label ``2023/24``."""
    return Period(f"{first_year}/{(first_year + 1) % 100:02d}", date(first_year, 9, 1),
                  date(first_year + 1, 8, 31))


def financial_year(first_year: int) -> Period:
    """1 April to 31 March, label ``2023/24``."""
    return Period(f"{first_year}/{(first_year + 1) % 100:02d}", date(first_year, 4, 1),
                  date(first_year + 1, 3, 31))


def calendar_year(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def year_ending(month: int, year: int, *, months: int = 12) -> Period:
    """The ``months`` months ending with ``month``/``year``, label ``YE Mar 2019``."""
    end = (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()
    start = (pd.Timestamp(year=year, month=month, day=1)
             - pd.DateOffset(months=months - 1)).date()
    label = f"YE {MONTHS[month - 1]} {year}" if months == 12 else \
        f"{months} months to {MONTHS[month - 1]} {year}"
    return Period(label, start, end)


def apply_periods(frame: pd.DataFrame, column: str,
                  periods: Mapping[str, Period | None]) -> None:
    """Set period/period_start/period_end from ``frame[column]`` (rows with a None period must
    already have been left out)."""
    good: dict[str, Period] = {k: v for k, v in periods.items() if v is not None}
    keys = frame[column]
    frame["period_start"] = pd.to_datetime(keys.map(lambda k: good[k].start))
    frame["period_end"] = pd.to_datetime(keys.map(lambda k: good[k].end))
    frame["period"] = keys.map(lambda k: good[k].label)
