"""Words and number formats for findings, in plain British English.

Style follows the GOV.UK style guide and the Analysis Function guidance *Writing about
statistics*: numerals with thousands separators ("12,345"), "%" after the number, rates "per
1,000", a true minus sign (−, which screen readers read as "minus"), a change only called a rise
or fall when its confidence interval excludes no change, and the interval always given.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from fractions import Fraction
from numbers import Real

MINUS = "−"


def _check(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    if math.isnan(float(value)):
        raise ValueError(f"{what} is NaN: suppressed or missing values must not be worded")
    return float(value)


def format_number(value: float, *, dp: int = 0, signed: bool = False) -> str:
    """A number with thousands separators, ``dp`` decimals and a true minus sign."""
    v = _check(value, "value")
    text = f"{abs(v):,.{dp}f}"
    if float(text.replace(",", "")) == 0:
        return text
    if v < 0:
        return MINUS + text
    return ("+" + text) if signed else text


def format_count(value: float) -> str:
    """A whole count: '12,345'. Non-whole input raises (a count is never fractional)."""
    v = _check(value, "count")
    if v != int(v) or v < 0:
        raise ValueError(f"a count must be a whole number >= 0, not {value}")
    return f"{int(v):,}"


def format_rate(value: float, *, per: int = 1000, dp: int = 1, unit: bool = True) -> str:
    """A rate: '4.3 per 1,000' (or '4.3' with ``unit=False``)."""
    text = format_number(value, dp=dp)
    return f"{text} per {per:,}" if unit else text


def format_percent(value: float, *, dp: int = 1, signed: bool = False) -> str:
    """A percentage given as a percentage (12.3 means 12.3%): '12.3%'."""
    return format_number(value, dp=dp, signed=signed) + "%"


def percent_of(part: int, whole: int) -> int:
    """The whole-number percentage ``part`` is of ``whole``, halves rounded up (0 of 0 is 0).

    The one rule for a share of votes wherever it is published (the conversation results page
    and the SNA): the raw share, not a smoothed estimate, computed exactly (no float halves
    lost to binary rounding): 7 of 8 is 88%, 1 of 8 is 13%, 9 of 10 is 90%.
    """
    if isinstance(part, bool) or isinstance(whole, bool) or int(part) != part \
            or int(whole) != whole:
        raise TypeError("a share of votes needs whole counts")
    if whole < 0 or part < 0 or part > whole:
        raise ValueError(f"a share needs 0 <= part <= whole, not {part} of {whole}")
    if whole == 0:
        return 0
    return math.floor(Fraction(100 * int(part), int(whole)) + Fraction(1, 2))


def format_share(part: int, whole: int) -> str:
    """``percent_of`` with its sign: '88%'."""
    return f"{percent_of(part, whole)}%"


def format_cell(value: object, fmt: str | None = None) -> str:
    """Format a table cell by a named format: 'count', 'rate[:dp]', 'percent[:dp]', 'number[:dp]'.

    Text (such as the suppression marker '[c]') passes through unchanged; NaN shows as '[c]'
    only when ``fmt`` is given, otherwise as an empty cell, so a missing value is never shown
    as a number.
    """
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[c]" if fmt else ""
    if isinstance(value, datetime):
        midnight = value.hour == value.minute == value.second == 0
        return value.strftime("%-d %b %Y" if midnight else "%-d %b %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    if fmt is None and isinstance(value, Real) and not isinstance(value, bool):
        # No format given: whole numbers with separators, others to one decimal place.
        v = float(value)
        return format_number(v, dp=0 if v.is_integer() else 1)
    if fmt is None or not isinstance(value, Real) or isinstance(value, bool):
        return str(value)
    name, _, dp_text = fmt.partition(":")
    dp = int(dp_text) if dp_text else None
    if name == "count":
        return format_count(float(value))
    if name == "rate":
        return format_rate(float(value), dp=1 if dp is None else dp, unit=False)
    if name == "percent":
        return format_percent(float(value), dp=1 if dp is None else dp)
    if name == "number":
        return format_number(float(value), dp=0 if dp is None else dp)
    if name == "text":
        return str(value)
    raise ValueError(f"unknown column format {fmt!r}; use count, rate, percent, number or text")


def is_significant(ci_low: float, ci_high: float, *, null: float = 0.0) -> bool:
    """True when the interval excludes the no-change value ``null``."""
    lo, hi = _check(ci_low, "ci_low"), _check(ci_high, "ci_high")
    if lo > hi:
        raise ValueError(f"confidence interval is reversed: {ci_low} > {ci_high}")
    return not (lo <= null <= hi)


def describe_change(change_pct: float, ci_low_pct: float, ci_high_pct: float, *,
                    level: int = 95, dp: int = 0) -> str:
    """Word a percentage change with its confidence interval.

    >>> describe_change(12, 5, 19)
    'rose by 12% (95% CI 5% to 19%)'
    >>> describe_change(-3, -10, 4)
    'showed no significant change (−3%, 95% CI −10% to +4%)'
    """
    change = _check(change_pct, "change")
    ci = f"{level}% CI {format_percent(ci_low_pct, dp=dp)} to {format_percent(ci_high_pct, dp=dp)}"
    if not is_significant(ci_low_pct, ci_high_pct):
        ci = (f"{level}% CI {format_percent(ci_low_pct, dp=dp, signed=True)} to "
              f"{format_percent(ci_high_pct, dp=dp, signed=True)}")
        return (f"showed no significant change ({format_percent(change, dp=dp, signed=True)}, "
                f"{ci})")
    if change > 0:
        return f"rose by {format_percent(change, dp=dp)} ({ci})"
    ci = (f"{level}% CI {format_percent(-ci_high_pct, dp=dp)} to "
          f"{format_percent(-ci_low_pct, dp=dp)}")
    return f"fell by {format_percent(-change, dp=dp)} ({ci})"


def describe_ratio(ratio: float, ci_low: float, ci_high: float, *, comparator: str,
                   level: int = 95, dp: int = 1) -> str:
    """Word a rate ratio against a comparator (a disparity or a benchmark).

    >>> describe_ratio(1.42, 1.2, 1.66, comparator="the England rate")
    '1.4 times the England rate (95% CI 1.2 to 1.7)'
    """
    r = _check(ratio, "ratio")
    ci = f"{level}% CI {format_number(ci_low, dp=dp)} to {format_number(ci_high, dp=dp)}"
    if not is_significant(ci_low, ci_high, null=1.0):
        ratio_text = format_number(r, dp=dp)
        return f"not significantly different from {comparator} (ratio {ratio_text}, {ci})"
    return f"{format_number(r, dp=dp)} times {comparator} ({ci})"
