"""A pooled outcome measure beside England and similar areas, for the scorecard and board.

police.uk data are pooled for the partnership's own area only, so England's figure for a
police.uk measure is the published police recorded crime rate of the same offences: the ONS
police force area tables (Table P3, offences per 1,000 residents over 12 months, published for
the years ending March, June, September and December), read into the pool as partner
statistics. Only a measure whose offences are one published offence group has such a figure
(:data:`NATIONAL_EQUIVALENT`: robbery, possession of weapons); the local definition of serious
violence is the partnership's own and has none, and a partner source's core measure has none
in the data held. The figures are compared for the same 12 months only (never a quarter
against a year), so a quarter's measure is compared over the 12 months ending with it.

Similar areas are the partnership's list of comparable police force areas (HMICFRS most
similar group, say), given as ``MeasureInput.similar``; their value is their counts pooled
(:func:`alliance.report.sna.comparators.similar_value`), never a mean of rates.

The comparison is the SNA comparator table's, one function for both
(:func:`alliance.stats.rates.comparators.compare_figure`, the Fingertips rule): the measure's
95% confidence interval (exact Poisson below 10 offences, Byar's from 10: the interval every
output prints) against the comparator's value, taken as known. Null hypothesis: the area's
true rate equals the comparator's; two-sided at 95%; no correction across the scorecard's
measures (the scorecard says how many differences chance alone would give).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from alliance.figures.measures import MeasureSpec, MeasureValue
from alliance.report.monitoring.inputs import MeasureInput
from alliance.report.sna.comparators import national_value, similar_value
from alliance.report.wording import format_number
from alliance.stats.rates.comparators import FigureComparison, compare_figure, figure_interval

#: (source, categories counted) -> (the published measure of the same offences, in words)
NATIONAL_EQUIVALENT: dict[tuple[str, frozenset[str]], tuple[str, str]] = {
    ("police_uk_street", frozenset({"robbery"})):
        ("prc_robbery_rate", "robbery recorded by the police (ONS)"),
    ("police_uk_street", frozenset({"possession_of_weapons"})):
        ("prc_possession_of_weapons_offences_rate",
         "possession of weapons offences recorded by the police (ONS)"),
}
PER = 1_000.0
SIMILAR = "similar areas"
NO_LIST = "No list of similar areas is held, so it is compared with England only."


def national_equivalent(spec: MeasureSpec) -> tuple[str, str] | None:
    """The published statistic that counts the same offences as ``spec`` nationally (its
    measure name and what it is, in words), or None."""
    return NATIONAL_EQUIVALENT.get((spec.source, frozenset(spec.categories)))


@dataclass(frozen=True, kw_only=True)
class Comparisons:
    """The measure over ``label`` beside England and similar areas.

    ``england`` / ``similar`` are the comparisons (None where none could be made);
    ``england_words`` / ``similar_words`` say the result, or why there is none, in plain
    words.
    """

    label: str
    england: FigureComparison | None
    england_name: str
    similar: FigureComparison | None
    england_words: str
    similar_words: str

    @property
    def tests(self) -> int:
        """Comparisons made (for the scorecard's note on chance differences)."""
        return sum(c is not None and c.result != "not compared"
                   for c in (self.england, self.similar))


def _same_months(rows: pd.DataFrame, value: MeasureValue) -> pd.DataFrame:
    first = pd.Period(value.months[0], freq="M").start_time.normalize()
    last = pd.Period(value.months[-1], freq="M").end_time.normalize()
    start = pd.to_datetime(rows["period_start"], errors="coerce")
    end = pd.to_datetime(rows["period_end"], errors="coerce")
    return rows[(start == first) & (end == last)]


def _words(result: FigureComparison, *, ours: float, name: str, label: str,
           polarity: str) -> str:
    assert result.comparator_value is not None
    whose = "similar areas'" if name == "similar areas" else f"{name}'s"
    shown = (f"{format_number(ours, dp=2)} here against {whose} "
             f"{format_number(result.comparator_value, dp=2)} per 1,000 residents a year")
    if result.result == "similar":
        return f"Similar to {name} in {label}: {shown}; the difference could be chance."
    if result.result not in ("higher", "lower"):
        return f"Not compared with {name} in {label}: {result.basis}."
    good = (result.result == "lower") == (polarity == "low is good")
    judged = "" if polarity == "not applicable" else (" That is better." if good
                                                      else " That is worse.")
    return (f"{result.result.capitalize()} than {name} in {label}: {shown}, by more than "
            f"chance would explain.{judged}")


def compare_with_england(value: MeasureValue, m: MeasureInput, *,
                         area_code: str) -> Comparisons:
    """The measure's ``value`` (12 months, see the module notes) beside England and the
    similar areas, from ``m.comparators``: rows of the published equivalent measure (area_code,
    period_start, period_end, value, numerator, denominator) for England and the similar
    areas."""
    label = value.label

    def nothing(england_words: str, similar_words: str) -> Comparisons:
        return Comparisons(label=label, england=None, england_name="England", similar=None,
                           england_words=england_words, similar_words=similar_words)

    equivalent = national_equivalent(m.spec) if m.spec is not None else None
    if equivalent is None:
        why = ("No England figure: the local definition of serious violence is the "
               "partnership's own, and no national statistic counts the same offences."
               if m.spec is not None and m.spec.source == "police_uk_street" else
               "No England figure: none is published for this measure in the data held.")
        return nothing(why, "" if not m.similar else "No similar areas' figure for this "
                       "measure.")
    if not value.shown:
        why = ("Not compared with England: the 12 months are not all published"
               if value.state != "hidden" else
               "Not compared with England: the figure is too small to publish safely")
        return nothing(f"{why} ({label}).", "" if not m.similar else why.replace(
            "England", "similar areas") + ".")
    rows = m.comparators if m.comparators is not None else pd.DataFrame()
    same = _same_months(rows, value) if not rows.empty else rows
    national = national_value(same, area_code) if not same.empty else None
    if national is None:
        newest = ""
        if not rows.empty:
            held = rows.sort_values("period_end")
            newest = f" (the newest held is for {held['period'].iloc[-1]})"
        return nothing(f"No England figure for {label} in the data held: {equivalent[1]} is "
                       f"published for 12-month periods{newest}.",
                       "" if not m.similar else f"No similar areas' figure for {label}.")
    comparators: dict[str, float | None] = {national[0]: national[1]}
    if m.similar:
        comparators[SIMILAR] = similar_value(same, list(m.similar), PER)
    interval = figure_interval(value=value.rate.value, kind="rate",
                               published=(value.rate.lower, value.rate.upper))
    polarity = None if m.polarity == "not applicable" else m.polarity
    results = {r.comparator: r for r in compare_figure(
        interval, comparators, polarity=polarity)}
    england = results[national[0]]
    similar = results.get(SIMILAR)
    if not m.similar:
        similar_words = NO_LIST
    elif similar is None or similar.comparator_value is None:
        similar_words = f"Not compared with similar areas: not every one has a figure for {label}."
        similar = None
    else:
        similar_words = _words(similar, ours=value.rate.value, name="similar areas",
                               label=label, polarity=m.polarity)
    return Comparisons(label=label, england=england, england_name=national[0], similar=similar,
                       england_words=_words(england, ours=value.rate.value,
                                            name=national[0], label=label,
                                            polarity=m.polarity) + " England's figure is "
                       f"{equivalent[1]}; police.uk leaves out a few offences it cannot "
                       "place, so a small difference means little.",
                       similar_words=similar_words)
