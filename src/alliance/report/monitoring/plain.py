"""Plain words for a board: what a figure, a change, a target status or a forecast means.

Written for a reader who is not an analyst (GOV.UK style; Analysis Function, *Communicating
uncertainty*): say the direction first, then how sure we are, with the range in words; never
call a change a rise or fall unless its interval excludes no change; explain each term once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from alliance.figures.counts import Change
from alliance.report.wording import format_number

if TYPE_CHECKING:
    from alliance.report.monitoring.scorecard import Score

#: one-line explanations of the terms the board pages and report use
GLOSSARY: dict[str, str] = {
    "rate": "Offences per 1,000 residents a year: lets places and periods of different "
            "sizes be compared (a quarter is scaled up to a year).",
    "range": "The range the true figure probably lies in (95 times in 100): small numbers "
             "give wide ranges.",
    "baseline forecast": "Where the figure was heading before the strategy began, carried "
                         "forward from the months before it (with the range it could "
                         "reasonably fall in).",
    "target status": "Green: better than the target by more than chance would explain. "
                     "Amber: too close to the target to tell. Red: worse than the target by "
                     "more than chance would explain. Grey: not rated. A quarter is judged "
                     "over the 12 months ending with it, so the season does not count.",
    "compared with England": "Whether the area's rate is higher or lower than England's by "
                             "more than chance would explain, over the same 12 months; "
                             "'similar' means the difference could be chance.",
    "proxy": "police.uk publishes only 'violence and sexual offences', which mixes the most "
             "serious violence with common assault and all sexual offences; it stands in for "
             "serious violence until the police's own records are pooled.",
    "hidden": "A number too small to publish safely (1 to 4), or one that would let a small "
              "number be worked out.",
}

RAG_WORDS = {"green": "Better than target", "amber": "Too close to call",
             "red": "Worse than target", "not rated": "Not rated"}


def _pct(x: float) -> str:
    return format_number(abs(x), dp=0) + "%"


def change_words(change: Change | None, *, polarity: str) -> str:
    """Whether the measure moved against the baseline, with its uncertainty, in words."""
    if change is None:
        return "No baseline period has been set, so there is nothing to compare with."
    since = change.before_label
    if change.verdict == "hidden":
        return (f"Cannot be compared with {since}: one of the two figures is too small to "
                "publish safely.")
    if change.verdict == "not calculable":
        return f"Cannot be compared with {since}: there were no offences then."
    pct, low, high = ((change.ratio - 1) * 100, (change.lower - 1) * 100,
                      (change.upper - 1) * 100)
    if change.verdict == "no significant change":
        return (f"No clear change since {since}: the figures fit anything from "
                f"{_range_end(low)} to {_range_end(high)}, so the difference could be "
                f"chance. With this much data only a change of more than about "
                f"{_pct(smallest_clear_change(change) * 100)} either way would show as real.")
    direction = "rose" if pct > 0 else "fell"
    good = (pct < 0) == (polarity == "low is good") if polarity != "not applicable" else None
    judged = "" if good is None else (" That is an improvement." if good
                                      else " That is a change for the worse.")
    lo, hi = sorted((abs(low), abs(high)))
    noun = "rise" if pct > 0 else "fall"
    return (f"{direction.capitalize()} by {_pct(pct)} since {since}. We can be confident "
            f"this is a real change, not chance: probably a {noun} of between "
            f"{format_number(lo, dp=0)}% and {format_number(hi, dp=0)}%.{judged}")


def smallest_clear_change(change: Change) -> float:
    """The smallest change the comparison could call real (as a fraction: 0.2 is 20%): half
    the width of its 95% interval on the log scale, exp(half) - 1. A true change of this size
    would be called real about half the time (50% power); one of 1.4 times it about 80% of
    the time (z 0.975 + z 0.8 = 2.80 against 1.96). ADR 0013."""
    half = (math.log(change.upper) - math.log(change.lower)) / 2
    return math.exp(half) - 1


def season_caution(before: Sequence[str], after: Sequence[str]) -> str:
    """A warning when the change compares different months of the year (January to March
    against July to September): violence has a season, so part of such a difference may be
    the time of year. Empty when one period's months of the year are all among the other's
    (then like months are compared)."""
    b, a = {m[5:7] for m in before}, {m[5:7] for m in after}
    if not a or not b or a <= b or b <= a:
        return ""
    return (" The two periods cover different months of the year, so part of the difference "
            "may be the season: a baseline of the same months a year earlier would be fairer.")


def _range_end(pct: float) -> str:
    if abs(pct) < 0.5:
        return "no change"
    return f"a {_pct(pct)} {'rise' if pct > 0 else 'fall'}"


def target_words(rag: str, *, target: float | None, unit: str, target_period: str) -> str:
    if target is None:
        return "No target has been set."
    when = f" for {target_period}" if target_period else ""
    aim = f"the target of {format_number(target, dp=1)} {unit}{when}"
    return {"green": f"Better than {aim}, by more than chance would explain.",
            "amber": f"Too close to {aim} to say whether it is met.",
            "red": f"Worse than {aim}, by more than chance would explain.",
            }.get(rag, f"Not rated against {aim}.")


def forecast_words(*, actual: float, expected: float, lower: float, upper: float,
                   polarity: str, period: str) -> str:
    """The period's count against the baseline forecast's prediction interval."""
    if any(math.isnan(v) for v in (actual, expected, lower, upper)):
        return "No comparison with the baseline forecast for this period."
    span = f"between {format_number(lower)} and {format_number(upper)}"
    if actual < lower:
        verdict = "lower than"
    elif actual > upper:
        verdict = "higher than"
    else:
        return (f"As expected if things had carried on as before: {format_number(actual)} "
                f"offences in {period}, and the baseline forecast was {span}.")
    good = (verdict == "lower than") == (polarity == "low is good")
    judged = "" if polarity == "not applicable" else (" Better than the trend." if good
                                                      else " Worse than the trend.")
    return (f"{format_number(actual)} offences in {period}: {verdict} the baseline forecast "
            f"({span} if things had carried on as before).{judged}")


def measure_decisions(scores: Sequence[Score]) -> tuple[str, ...]:
    """What the measures ask of the board: those worse than target, those not yet measured."""
    out = []
    for s in scores:
        m = s.measure
        if s.rag == "red":
            out.append(f"'{m.title}' is worse than its target by more than chance would "
                       "explain: decide whether to change course or the target.")
        if m.kind == "not held":
            why = (m.status or "its data are not pooled").rstrip(".")
            out.append(f"'{m.title}' cannot be measured yet: {why}. Decide who will provide "
                       "the data.")
    return tuple(out)
