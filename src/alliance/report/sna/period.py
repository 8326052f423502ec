"""The reporting period of an SNA: parse what the analyst typed, find the comparison period.

Accepted forms: months ``2025-01:2025-12``; a financial year ``2025/26`` (April to March);
a calendar year ``2025``; a single month ``2025-03``. The comparison period is the period of
equal length immediately before. When only some of its months are held, the comparison is
made like for like over the months held (each compared with the same month one period later)
and the report says so; when none are held there is no comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2})\s*:\s*(\d{4}-\d{2})$")
_FY = re.compile(r"^(\d{4})/(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def _month(text: str, spec: str) -> pd.Period:
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"period {spec!r}: {text!r} is not a month written YYYY-MM")
    return pd.Period(text, freq="M")


def month_label(month: pd.Period | str) -> str:
    """'2025-01' -> 'January 2025'."""
    return pd.Period(str(month), freq="M").strftime("%B %Y")


@dataclass(frozen=True, kw_only=True)
class ReportPeriod:
    """The months reported on, as 'YYYY-MM' strings, and how the analyst named them."""

    months: tuple[str, ...]
    label: str
    spec: str

    @property
    def first(self) -> str:
        return self.months[0]

    @property
    def last(self) -> str:
        return self.months[-1]

    def span(self) -> str:
        """'January 2025 to December 2025'."""
        if len(self.months) == 1:
            return month_label(self.first)
        return f"{month_label(self.first)} to {month_label(self.last)}"

    def previous(self) -> ReportPeriod:
        """The period of equal length immediately before this one."""
        n = len(self.months)
        start = pd.Period(self.first, freq="M") - n
        months = tuple(str(start + i) for i in range(n))
        return ReportPeriod(months=months, label=f"previous {n} months", spec="")


def parse_period(spec: str) -> ReportPeriod:
    """Read ``2025-01:2025-12``, ``2025/26``, ``2025`` or ``2025-03`` as a :class:`ReportPeriod`.

    Raises ``ValueError`` naming the text for anything else, for an end before the start and
    for a financial year whose two halves do not follow each other (``2025/27``).
    """
    text = spec.strip()
    if m := _RANGE.match(text):
        start, end = _month(m.group(1), spec), _month(m.group(2), spec)
        if end < start:
            raise ValueError(f"period {spec!r} ends before it starts")
        label = f"{month_label(start)} to {month_label(end)}"
    elif m := _FY.match(text):
        first = int(m.group(1))
        second = int(m.group(2))
        expected = (first + 1) % 100 if len(m.group(2)) == 2 else first + 1
        if second != expected:
            raise ValueError(f"period {spec!r}: a financial year is written like 2025/26 "
                             f"(the second year must follow the first)")
        start, end = pd.Period(f"{first}-04", freq="M"), pd.Period(f"{first + 1}-03", freq="M")
        label = f"financial year {first}/{str(first + 1)[2:]}"
    elif m := _YEAR.match(text):
        start, end = pd.Period(f"{text}-01", freq="M"), pd.Period(f"{text}-12", freq="M")
        label = f"calendar year {text}"
    elif _MONTH.match(text):
        start = end = _month(text, spec)
        label = month_label(start)
    else:
        raise ValueError(f"period {spec!r} not understood: use months (2025-01:2025-12), a "
                         "financial year (2025/26) or a calendar year (2025)")
    n = (end - start).n + 1
    if n > 120:
        raise ValueError(f"period {spec!r} spans {n} months; an SNA period is at most 10 years")
    return ReportPeriod(months=tuple(str(start + i) for i in range(n)), label=label, spec=text)


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Which months are compared: ``before[i]`` is compared with ``after[i]``.

    ``kind`` is 'full' (the whole previous period is held), 'partial' (only some of its
    months are held: like-for-like months) or 'none'.
    """

    kind: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    def describe(self) -> str:
        if self.kind == "none":
            return "no earlier months are held, so no comparison can be made"
        span = (f"{month_label(self.before[0])}–{month_label(self.before[-1])}" if
                len(self.before) > 1 else month_label(self.before[0]))
        later = (f"{month_label(self.after[0])}–{month_label(self.after[-1])}" if
                 len(self.after) > 1 else month_label(self.after[0]))
        if self.kind == "full":
            return f"compared with the previous period of equal length ({span})"
        return (f"only {len(self.before)} month(s) of the previous period are held, so the "
                f"comparison is like for like: {span} against the same months of the "
                f"reporting period ({later})")


def comparison(period: ReportPeriod, available: Iterable[str]) -> Comparison:
    """The comparison the held months allow (see the module docstring)."""
    held = set(available)
    prev = period.previous()
    pairs = [(b, a) for b, a in zip(prev.months, period.months, strict=True)
             if b in held and a in held]
    if not pairs:
        return Comparison(kind="none", before=(), after=())
    kind = "full" if len(pairs) == len(period.months) else "partial"
    return Comparison(kind=kind, before=tuple(b for b, _ in pairs),
                      after=tuple(a for _, a in pairs))
