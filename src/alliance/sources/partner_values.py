"""Reading one partner value: dates in the formats partners send, times, numbers, ages.

Dates are read day first, as UK systems write them. Three shapes are common in one and the
same return (an Excel export, a database dump and a hand-typed row): ISO ``2025-03-04``,
``04/03/2025`` (or ``4/3/25``) and ``04-Mar-2025`` (or ``4 March 2025``); each may carry a
time. A date that can only be month first (``03/31/2025``) is refused with a message saying so:
Alliance never guesses which of two readings was meant.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

AGE = re.compile(r"^(\d{1,3})$|^(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})$|^(\d{1,3})\s*\+$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y", "%d-%b-%Y",
                 "%d-%b-%y", "%d %b %Y", "%d %B %Y", "%d-%B-%Y", "%d.%m.%Y", "%Y%m%d")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H%M", "%H.%M", "%I:%M %p", "%I:%M%p",
                 "%H:%M:%S.%f")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
DATE_EXAMPLES = "2025-03-04, 04/03/2025 or 04-Mar-2025"


class ValueProblem(ValueError):
    """A value that cannot be read; the message says what was expected."""


def parse_date(value: str) -> tuple[date, time | None]:
    """A date, with its time if one follows (``"2025-03-04 23:10"``, ``"04/03/2025 23:10"``,
    ``"2025-03-04T23:10:00"``)."""
    text = " ".join(value.strip().replace("T", " ").split())
    for day_part, time_part in _splits(text):
        for fmt in _DATE_FORMATS:
            try:
                day = datetime.strptime(day_part, fmt).date()
            except ValueError:
                continue
            if not time_part:
                return day, None
            parsed = parse_time(time_part)
            if parsed is not None:
                return day, parsed
            raise ValueProblem(f"{value!r}: the date reads but its time does not")
    us = _US_DATE.match(text.split(" ")[0])
    if us and int(us.group(2)) > 12 >= int(us.group(1)):
        raise ValueProblem(f"{value!r} reads only month first (US style); dates are read day "
                           f"first, e.g. {DATE_EXAMPLES}")
    raise ValueProblem(f"{value!r} is not a date (expected e.g. {DATE_EXAMPLES})")


def _splits(text: str) -> list[tuple[str, str]]:
    """(date, time) readings of ``text``: the whole as a date, then the last one or two words
    as a time ("4 March 2025 23:10" splits after "2025", "04/03/2025 11:10 pm" before "11")."""
    words = text.split(" ")
    out = [(text, "")]
    for k in (1, 2):
        if len(words) > k:
            out.append((" ".join(words[:-k]), " ".join(words[-k:])))
    return out


def parse_time(value: str) -> time | None:
    text = value.strip().upper()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return None


def number(value: str, low: float, high: float) -> float | str:
    """The number, or a message when ``value`` is not one between ``low`` and ``high``."""
    try:
        x = float(value)
    except ValueError:
        return f"{value!r} is not a number"
    if not (low <= x <= high):  # also refuses NaN
        return f"{value} is outside {low:g} to {high:g}"
    return x


def age_problem(value: str) -> str | None:
    """None when ``value`` is an age (0-120) or a band such as 18-24 or 65+."""
    m = AGE.match(value.strip())
    nums = [int(g) for g in m.groups() if g] if m else []
    if not nums or max(nums) > 120 or (len(nums) == 2 and nums[0] > nums[1]):
        return f"{value!r} is not an age (0-120) or an age band such as 18-24"
    return None
