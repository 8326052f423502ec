"""One check for a YYYY-MM month, used by every reader, the command line and the web upload.

A month must be written YYYY-MM with a month from 01 to 12, must not be after the current month
(:func:`alliance.clock.this_month`: nothing is recorded in the future) and must not be before a
floor: police.uk publishes street crime from December 2010 (:data:`POLICE_UK_FIRST_MONTH`);
partner data is accepted from January 2000 (:data:`PARTNER_FIRST_MONTH`), earlier than any
Serious Violence Duty partnership will pool and late enough to catch a two-digit year read
as 19xx.
"""

from __future__ import annotations

import re
from datetime import date

from alliance import clock

__all__ = ["PARTNER_FIRST_MONTH", "POLICE_UK_FIRST_MONTH", "MonthError", "check_day",
           "check_month", "month_name"]

#: the first month of street-level crime on data.police.uk
POLICE_UK_FIRST_MONTH = "2010-12"
#: the earliest month a partner extract may hold
PARTNER_FIRST_MONTH = "2000-01"

_SHAPE = re.compile(r"^(\d{4})-(\d{2})$")
_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


class MonthError(ValueError):
    """Not a usable month; the message says why in plain words."""


def month_name(month: str) -> str:
    """``2010-12`` -> ``December 2010``."""
    return f"{_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def check_month(value: str, *, floor: str = POLICE_UK_FIRST_MONTH,
                today: date | None = None) -> str:
    """``value`` when it is a real month between ``floor`` and the current month.

    Raises
    ------
    MonthError
        Not YYYY-MM, a month number outside 01-12, a month after the current one, or one
        before ``floor``.
    """
    text = (value or "").strip()
    match = _SHAPE.match(text)
    if match is None:
        raise MonthError(f"{value!r} is not a month: write it as YYYY-MM, like 2025-01")
    if not 1 <= int(match.group(2)) <= 12:
        raise MonthError(f"{text} is not a month: the month must be 01 to 12")
    now = (today or clock.today()).strftime("%Y-%m")
    if text > now:
        raise MonthError(f"{text} is in the future (this month is {now})")
    if text < floor:
        raise MonthError(f"{text} is before {month_name(floor)}, the first month accepted"
                         + (" (police.uk starts then)" if floor == POLICE_UK_FIRST_MONTH
                            else ""))
    return text


def check_day(day: date, *, floor: str = PARTNER_FIRST_MONTH, today: date | None = None) -> date:
    """``day`` when its month passes :func:`check_month` and it is not after today."""
    now = today or clock.today()
    if day > now:
        raise MonthError(f"{day.isoformat()} is in the future (today is {now.isoformat()})")
    check_month(day.strftime("%Y-%m"), floor=floor, today=now)
    return day
