"""Words and number formats for findings, in plain British English.

Style follows the GOV.UK style guide and the Analysis Function guidance *Writing about
statistics*: numerals with thousands separators ("12,345"), "%" after the number, rates "per
1,000", a true minus sign (−, which screen readers read as "minus"), a change only called a rise
or fall when its confidence interval excludes no change, and the interval always given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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


def _share(pct: float) -> str:
    """'5%' for a percentage already rounded to whole numbers, never '0%' for a small one."""
    return "less than 1%" if 0 < abs(pct) < 0.5 else format_percent(abs(pct), dp=0)


def _fewer_more(pct: float) -> str:
    if round(pct) == 0:
        return "no change" if pct == 0 else f"{_share(pct)} {'more' if pct > 0 else 'fewer'}"
    return f"{_share(pct)} {'more' if pct > 0 else 'fewer'}"


def describe_change_plainly(change_pct: float, ci_low_pct: float,
                            ci_high_pct: float) -> str:
    """A change in words a reader without statistics follows: its size, its range, and whether
    the range rules out no change (the 95% interval, as :func:`describe_change` uses it).

    >>> describe_change_plainly(-5, -8, -2)
    'about 5% fewer (between 2% and 8% fewer)'
    >>> describe_change_plainly(12, 5, 19)
    'about 12% more (between 5% and 19% more)'
    >>> describe_change_plainly(-5, -13, 4).split(", but ")
    ['about 5% fewer', 'anything from 13% fewer to 4% more is consistent with the figures, so \
this is no clear change']
    """
    change = _check(change_pct, "change")
    low, high = _check(ci_low_pct, "ci_low"), _check(ci_high_pct, "ci_high")
    if low > high:
        raise ValueError(f"confidence interval is reversed: {low} > {high}")
    size = "about the same" if round(change) == 0 else f"about {_fewer_more(change)}"
    if not is_significant(low, high):
        return (f"{size}, but anything from {_fewer_more(low)} to {_fewer_more(high)} is "
                "consistent with the figures, so this is no clear change")
    word = "more" if change > 0 else "fewer"
    near, far = sorted((abs(low), abs(high)))
    return f"{size} (between {_share(near)} and {_share(far)} {word})"


def describe_ratio_plainly(ratio: float, ci_low: float, ci_high: float, *,
                           comparator: str = "") -> str:
    """A rate ratio in words against ``comparator`` ('in the least deprived fifth'): 'about 4.0
    times as high as in the least deprived fifth (between 3.9 and 4.2 times)', or, when the
    interval includes 1, that no clear difference is shown.

    >>> describe_ratio_plainly(4.05, 3.9, 4.2, comparator="in the least deprived fifth")
    'about 4.0 times as high as in the least deprived fifth (between 3.9 and 4.2 times)'
    """
    r = _check(ratio, "ratio")
    low, high = _check(ci_low, "ci_low"), _check(ci_high, "ci_high")
    against = f" {comparator}" if comparator else ""
    if not is_significant(low, high, null=1.0):
        return (f"not clearly different from{against or ' the comparator'} (about "
                f"{format_number(r, dp=1)} times; anything from {format_number(low, dp=1)} to "
                f"{format_number(high, dp=1)} times is consistent with the figures)")
    if r < 1:
        return (f"about {format_percent((1 - r) * 100, dp=0)} lower than{against} (between "
                f"{format_percent((1 - high) * 100, dp=0)} and "
                f"{format_percent((1 - low) * 100, dp=0)} lower)")
    return (f"about {format_number(r, dp=1)} times as high as{against} (between "
            f"{format_number(low, dp=1)} and {format_number(high, dp=1)} times)")


def join_words(items: Iterable[str], *, last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (GOV.UK style: no Oxford comma)."""
    words = [str(i) for i in items if str(i)]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


# ------------------------------------------------------------------- published figures by unit
#
# Partner statistics come with a unit as published ('count', 'percentage', 'rate per 10,000',
# 'directly standardised rate per 100,000' ...). Every published figure the report prints goes
# through :func:`format_value`, so a count read from a file as 2221.0 prints as "2,221", a
# percentage as "12.3%" and a rate with the decimals stated for its row.

#: Most decimals a rate is ever printed with (a homicide rate per 1,000 needs four).
MAX_DECIMALS = 4


def unit_kind(unit: str) -> tuple[str, int | None]:
    """What a published unit is: ('count', None), ('percentage', None), ('rate', per) for a
    rate or standardised rate per ``per``, or ('other', None).

    >>> unit_kind("directly standardised rate per 100,000")
    ('rate', 100000)
    """
    text = " ".join(str(unit or "").lower().split())
    if text in ("count", "number", "total cases", "entries"):
        return "count", None
    if text in ("percentage", "percent", "%"):
        return "percentage", None
    if "rate per " in text:
        per = text.split("rate per ", 1)[1].split()[0].replace(",", "")
        if per.isdigit():
            return "rate", int(per)
    return "other", None


def decimals_for(values: Iterable[float] | float, *, unit: str) -> int:
    """Decimals to print a row of figures in one ``unit`` with: none for whole counts, one for
    percentages, none for rates published as whole numbers, else one, or more when the smallest
    non-zero value needs them to show two significant figures (0.85 per 1,000, not 0.9), at most
    :data:`MAX_DECIMALS`. One number of decimals per row, so an area and its comparators line up.
    """
    items: list[float] = [values] if isinstance(values, int | float) else list(values)
    numbers = [abs(float(v)) for v in items
               if isinstance(v, Real) and not isinstance(v, bool) and not math.isnan(float(v))]
    kind, _ = unit_kind(unit)
    if kind == "count":
        return 0 if all(v.is_integer() for v in numbers) else 1
    if kind == "percentage":
        return 1
    if all(v.is_integer() for v in numbers):
        return 0  # published whole ('109 per 100,000'): no decimals invented
    small = min((v for v in numbers if v > 0), default=None)
    if small is None or small >= 1:
        return 1
    return max(1, min(MAX_DECIMALS, 1 - math.floor(math.log10(small))))


def format_value(value: float, *, unit: str, dp: int | None = None) -> str:
    """A published figure as people write it: '2,221' (count), '12.3%' (percentage), '10.3'
    (rate; the unit goes in its own column or in :func:`unit_label`).

    ``dp`` (from :func:`decimals_for`) fixes the decimals; otherwise they follow the unit.
    """
    v = _check(value, "value")
    kind, _ = unit_kind(unit)
    places = decimals_for([v], unit=unit) if dp is None else dp
    if kind == "percentage":
        return format_percent(v, dp=places)
    return format_number(v, dp=places)


def format_interval(lower: float, upper: float, *, unit: str, dp: int | None = None) -> str:
    """'9.6 to 11.0' (or '9.6% to 11.0%'), in the decimals of its row."""
    places = decimals_for([lower, upper], unit=unit) if dp is None else dp
    return (f"{format_value(lower, unit=unit, dp=places)} to "
            f"{format_value(upper, unit=unit, dp=places)}")


def unit_label(unit: str) -> str:
    """The unit as a column heading reads it: 'per 10,000', 'DSR per 100,000', '%', 'count'."""
    kind, per = unit_kind(unit)
    text = " ".join(str(unit or "").split())
    if kind == "rate" and per is not None:
        words = text.lower().split("rate per ", 1)[1].split()[1:]
        prefix = "DSR " if "standardised" in text.lower() else ""
        label = f"{prefix}per {per:,}"
        if per == 1_000_000:
            label = f"{prefix}per million"
        return " ".join([label, *words])
    if kind == "percentage":
        return "%"
    return text


_MONTHS = {m[:3]: m for m in ("January", "February", "March", "April", "May", "June", "July",
                              "August", "September", "October", "November", "December")}


def period_label(period: str) -> str:
    """A publisher's period label in words: 'YE Dec 2019' -> 'year ending December 2019',
    'Apr 2022-Mar 2025' -> 'April 2022 to March 2025'; academic and financial years
    ('2023/24') and calendar years are already plain and pass through."""
    text = " ".join(str(period or "").split())
    if text.upper().startswith("YE "):
        month, _, year = text[3:].partition(" ")
        return f"year ending {_MONTHS.get(month[:3].title(), month)} {year}".strip()
    if "-" in text and text.count(" ") == 2:
        first, _, last = text.partition("-")
        parts = [p.split() for p in (first, last)]
        if all(len(p) == 2 and p[0][:3].title() in _MONTHS for p in parts):
            return " to ".join(f"{_MONTHS[p[0][:3].title()]} {p[1]}" for p in parts)
    return text
