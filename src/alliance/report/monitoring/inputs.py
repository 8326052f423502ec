"""What a monitoring report is built from: the published figures and the strategy as plain data.

The web shell (or a test) gathers these from its store; nothing here knows where they came
from. Every number about violence is computed by the builder from ``publication``
(:mod:`alliance.figures`), never passed in as a number: the report is computed, not typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd

from alliance.figures.measures import MeasureSpec, Polarity
from alliance.figures.publication import Publication
from alliance.sources.yef_toolkit import YefApproach

MeasureKind = Literal["pooled", "published", "not held"]


@dataclass(frozen=True, kw_only=True)
class MeasureInput:
    """An outcome measure of the strategy.

    ``pooled``: computed from the pooled offences by ``spec``; ``target`` is per 1,000
    residents a year. ``published``: a partner statistic from the pool's published figures
    (``published`` rows: period, period_end, value, lower, upper, numerator, denominator,
    unit, england, source), ``target`` in the publisher's unit. ``not held``: the data are not
    pooled; ``status`` says what is needed from whom.

    A pooled measure is computed from ``publication`` when given (a partner source's published
    lattice: a Home Office core measure from pooled A&E or police records), else from the
    report's (police.uk). ``comparators``: rows of the published statistic that counts the same
    offences nationally (area_code, period, period_start, period_end, value, numerator,
    denominator) for England and the ``similar`` areas (their codes; empty when the
    partnership holds no list), :mod:`alliance.report.monitoring.comparison`.
    """

    key: str
    title: str
    kind: MeasureKind
    polarity: Polarity = "low is good"
    priority: str = ""
    spec: MeasureSpec | None = None
    baseline_period: str = ""
    target: float | None = None
    target_period: str = ""
    status: str = ""
    core: bool = False  # one of the Home Office core measures
    published: pd.DataFrame | None = None
    unit: str = "per 1,000 residents a year"
    publication: Publication | None = None
    comparators: pd.DataFrame | None = None
    similar: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class InterventionInput:
    """An intervention: what it is, its evidence, who delivers it, where and from when."""

    title: str
    priority: str
    approach: str = ""
    rating: YefApproach | None = None
    description: str = ""
    partner: str = ""
    cost: float | None = None
    reach: int | None = None
    cohort: str = ""
    places: tuple[str, ...] = ()  # place names
    start: str = ""  # first month it ran ('2025-07'), or ''
    outputs: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    #: the published unit its places are ((level, code)), for "did it work?"; None otherwise
    unit: tuple[str, str] | None = None
    comparison: tuple[str, str] | None = None
    comparison_name: str = ""
    ref: int = 0  # the caller's own id of it (the web shell links to it)


@dataclass(frozen=True, kw_only=True)
class ActionInput:
    title: str
    priority: str
    organisation: str
    due: date | None
    status: str  # plain label: 'Not started', 'In progress', 'Done', 'Blocked', 'Cancelled'
    done: bool
    latest_note: str = ""
    came_from: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class YouSaidInput:
    """One thing the partnership heard and what it did about it."""

    said: str  # the theme or a quoted note (screened), or a consultation finding
    where: str  # "Workshop 'How to talk with young people', 12 March 2025"
    who: tuple[str, ...]  # organisations (never people)
    did: str  # the action or priority it became
    status: str


@dataclass(frozen=True, kw_only=True)
class PriorityInput:
    number: int
    title: str
    description: str = ""
    objectives: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()  # what needs the board's decision, in words
    ref: int = 0  # the caller's own id of it (the web shell links to it)


@dataclass(frozen=True, kw_only=True)
class MonitoringInputs:
    partnership: str
    area_name: str
    strategy_title: str
    strategy_version: str
    strategy_start: str  # first month of the strategy ('2025-07'): the baseline ends before
    publication: Publication
    unit_names: dict[tuple[str, str], str]  # (level, code) -> place name
    priorities: tuple[PriorityInput, ...]
    measures: tuple[MeasureInput, ...]
    interventions: tuple[InterventionInput, ...] = ()
    actions: tuple[ActionInput, ...] = ()
    you_said: tuple[YouSaidInput, ...] = ()
    today: date = field(default_factory=date.today)
    batches: tuple[int, ...] = ()
    narrative_dir: Path | None = None
