"""Survey results as published: counts, percentages with Wilson intervals, cross-tabs by group,
"whom we heard" counts, all protected together (:mod:`alliance.voice.surveys.disclosure`).

Closed questions only (single, Likert, multiple, ranking by first choice); free text goes to the
theme finder, numbers and dates are summarised for staff, pins are published by area elsewhere.
A hidden count is NaN here and "[c]" on a page; a percentage is hidden with its count or its
base. Percentages are of those who answered the question (who saw it and answered), with 95%
Wilson score intervals (Wilson 1927; the PHE method of :func:`alliance.stats.rates.proportion`,
reproduced here with statsmodels because voice and stats are separate layers).

Weighted shares (:func:`weighted_shares`) are published only for a whole question whose every
option count is shown and whose unweighted base is at least :data:`MIN_WEIGHTED_BASE`: a weighted
share of a small or partly hidden table could be undone with the weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from alliance.voice.surveys.definition import Question, SurveyDefinition
from alliance.voice.surveys.disclosure import Linked, merge, protect
from alliance.voice.weighting import weighted_proportions

NOT_GIVEN = "Not given"
CLOSED = ("single", "likert", "multiple", "ranking")
MIN_WEIGHTED_BASE = 50


@dataclass(frozen=True)
class CrossTab:
    """Counts (NaN hidden) of each option (rows) in each group (columns), the group bases
    (those in the group who answered) and the percentage of each group's base."""

    grouping: str
    counts: pd.DataFrame
    bases: pd.Series
    percents: pd.DataFrame


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: float
    options: pd.DataFrame  # index option value; label, count, percent, lower, upper
    crosstabs: dict[str, CrossTab] = field(default_factory=dict)
    #: too few answers to publish anything of it safely
    withheld: bool = False

    @property
    def note(self) -> str:
        if self.question.type == "multiple":
            return ("People could choose more than one answer, so percentages add up to more "
                    "than 100.")
        if self.question.type == "ranking":
            return "Counts are of the option each person ranked first."
        return ""


@dataclass(frozen=True)
class SurveyResults:
    respondents: int
    heard: dict[str, pd.Series]  # grouping -> count per group (NaN hidden)
    questions: list[QuestionResult]
    threshold: int | None

    @property
    def hidden_any(self) -> bool:
        if any(s.isna().any() for s in self.heard.values()):
            return True
        return any(q.options["count"].isna().any() or any(
            t.counts.isna().to_numpy().any() for t in q.crosstabs.values())
            for q in self.questions)


def _rows_of(q: Question, answer: Any) -> list[str]:
    """The option rows one answer counts in (several for a multiple choice)."""
    if answer in (None, "", []):
        return []
    if q.type == "multiple":
        return list(answer)
    if q.type == "ranking":
        return [answer[0]]
    return [str(answer)]


def _wilson(count: pd.Series, base: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    ok = (base > 0) & count.notna() & base.notna()
    lower = np.full(len(count), np.nan)
    upper = np.full(len(count), np.nan)
    if ok.any():
        lo, hi = proportion_confint(count[ok].to_numpy(), base[ok].to_numpy(), method="wilson")
        lower[ok.to_numpy()], upper[ok.to_numpy()] = lo, hi
    return lower, upper


def tabulate(definition: SurveyDefinition, responses: Sequence[Mapping[str, Any]],
             groups: pd.DataFrame, *, threshold: int | None) -> SurveyResults:
    """Published tables of every closed question. ``groups`` has one row per response (same
    order) and one column per grouping (age band, sex, …) holding the group's label; empty
    means not given. ``threshold=None``: nothing hidden (record-level staff only)."""
    n = len(responses)
    groups = groups.reset_index(drop=True).astype(object).where(groups.notna().to_numpy(),
                                                                NOT_GIVEN)
    heard_system = Linked()
    total = heard_system.cell(("respondents",), n)
    heard_cells: dict[str, dict[str, int]] = {}
    for grouping in groups.columns:
        counts = groups[grouping].value_counts()
        cells = {str(g): heard_system.cell(("heard", grouping, g), int(c))
                 for g, c in counts.sort_index().items()}
        heard_system.adds_up(list(cells.values()), total)
        heard_cells[grouping] = cells
    heard_hidden = (np.zeros(len(heard_system.values), dtype=bool) if threshold is None
                    else protect(heard_system, threshold=threshold)[0])
    heard = {g: pd.Series({k: np.nan if heard_hidden[c] else float(heard_system.values[c])
                           for k, c in cells.items()}, dtype=float)
             for g, cells in heard_cells.items()}
    built = [_system(q, [r.get(q.id) for r in responses], groups, heard_system, heard_hidden,
                     heard_cells) for q in definition.questions if q.type in CLOSED]
    if threshold is None:
        patterns: list[np.ndarray | None] = [np.zeros(len(b.system.values), dtype=bool)
                                              for b in built]
    else:
        patterns = [_protect_one(b.system, threshold) for b in built]
        if heard_hidden.any():
            patterns = _protect_together(built, patterns, heard_system, heard_hidden, threshold)
    questions = [b.result(hidden) if hidden is not None else b.withheld()
                 for b, hidden in zip(built, patterns, strict=True)]
    return SurveyResults(respondents=n, heard=heard, questions=questions, threshold=threshold)


@dataclass
class _Built:
    question: Question
    system: Linked
    answered: int
    option_cells: dict[str, int]
    tab_cells: dict[str, tuple[dict[tuple[str, str], int], dict[str, int]]]

    def result(self, hidden: np.ndarray) -> QuestionResult:
        return _publish(self, hidden)

    def withheld(self) -> QuestionResult:
        """Nothing of the question published (even its zeros would give a count away)."""
        everything = np.ones(len(self.system.values), dtype=bool)
        published = _publish(self, everything)
        return QuestionResult(question=self.question, answered=np.nan,
                              options=published.options, crosstabs=published.crosstabs,
                              withheld=True)


def _protect_one(system: Linked, threshold: int) -> np.ndarray | None:
    hidden, safe = protect(system, threshold=threshold)
    return hidden if safe else None


def _protect_together(built: list[_Built], patterns: list[np.ndarray | None],
                      heard: Linked, heard_hidden: np.ndarray,
                      threshold: int) -> list[np.ndarray | None]:
    """The questions share hidden "whom we heard" cells, through which one question's tables
    can narrow another's: protect them together, as the attacker holds them all, withholding
    the most suppressed question while that is not enough."""
    shared = len(heard.values)
    patterns = list(patterns)
    while True:
        kept = [k for k, p in enumerate(patterns) if p is not None]
        if not kept:
            return patterns
        joint, maps = merge([built[k].system for k in kept], shared)
        start = np.zeros(len(joint.values), dtype=bool)
        for k, where in zip(kept, maps, strict=True):
            start[where] |= patterns[k]
        joint.fixed = {c: bool(heard_hidden[c]) for c in range(shared)}
        final, safe = protect(joint, threshold=threshold, start=start)
        if safe:
            for k, where in zip(kept, maps, strict=True):
                patterns[k] = final[where]
            return patterns
        worst = max(kept, key=lambda k: float(np.mean(final[maps[kept.index(k)]])))
        patterns[worst] = None


def _system(q: Question, answers: list[Any], groups: pd.DataFrame, heard: Linked,
            heard_hidden: np.ndarray, heard_cells: Mapping[str, Mapping[str, int]]) -> _Built:
    system = Linked(values=list(heard.values), labels=list(heard.labels),
                    implied=list(heard.implied), relations=list(heard.relations),
                    cost=list(heard.cost),
                    fixed={c: bool(heard_hidden[c]) for c in range(len(heard.values))})
    answered_mask = np.array([a not in (None, "", []) for a in answers])
    answered = system.cell(("answered",), int(answered_mask.sum()), cost=100)
    system.no_more_than(answered, 0)  # cell 0 is all respondents
    options = [c.value for c in q.choices]
    rows = [_rows_of(q, a) for a in answers]
    overall = {o: sum(o in r for r in rows) for o in options}
    option_cells = {o: system.cell(("count", o), overall[o], cost=50) for o in options}
    complement: dict[str, int] = {}
    if q.type == "multiple":
        for o in options:
            complement[o] = system.cell(("not chosen", o), int(answered_mask.sum()) - overall[o],
                                        implied=True)
            system.adds_up([option_cells[o], complement[o]], answered)
    else:
        system.adds_up(list(option_cells.values()), answered)
    tab_cells: dict[str, tuple[dict[tuple[str, str], int], dict[str, int]]] = {}
    for grouping in groups.columns:
        labels = groups[grouping].to_numpy()
        group_names = list(heard_cells[grouping])
        base_cells = {}
        cells: dict[tuple[str, str], int] = {}
        for g in group_names:
            in_group = labels == g
            base_cells[g] = system.cell(("base", grouping, g),
                                        int((answered_mask & in_group).sum()), cost=10)
            system.no_more_than(base_cells[g], heard_cells[grouping][g])
            for o in options:
                cells[(o, g)] = system.cell(
                    ("cell", grouping, o, g),
                    sum(o in r for r, inside in zip(rows, in_group, strict=True) if inside))
        system.adds_up(list(base_cells.values()), answered)
        for o in options:
            system.adds_up([cells[(o, g)] for g in group_names], option_cells[o])
        for g in group_names:
            if q.type == "multiple":
                for o in options:
                    miss = system.cell(("not chosen", grouping, o, g),
                                       system.values[base_cells[g]] - system.values[cells[(o, g)]],
                                       implied=True)
                    system.adds_up([cells[(o, g)], miss], base_cells[g])
            else:
                system.adds_up([cells[(o, g)] for o in options], base_cells[g])
        tab_cells[grouping] = (cells, base_cells)
    return _Built(q, system, answered, option_cells, tab_cells)


def _publish(built: _Built, hidden: np.ndarray) -> QuestionResult:
    system, q = built.system, built.question
    options = [c.value for c in q.choices]
    option_cells, tab_cells = built.option_cells, built.tab_cells

    def shown(c: int) -> float:
        return np.nan if hidden[c] else float(system.values[c])

    answered_shown = shown(built.answered)
    table = pd.DataFrame({"label": [c.label for c in q.choices],
                          "count": [shown(option_cells[o]) for o in options]}, index=options)
    base = pd.Series(answered_shown, index=options)
    table["percent"] = 100 * table["count"] / base.replace(0, np.nan)
    lower, upper = _wilson(table["count"], base)
    table["lower"], table["upper"] = 100 * lower, 100 * upper
    crosstabs = {}
    for grouping, (cells, base_cells) in tab_cells.items():
        group_names = list(base_cells)
        counts = pd.DataFrame([[shown(cells[(o, g)]) for g in group_names] for o in options],
                              index=options, columns=group_names)
        bases = pd.Series({g: shown(base_cells[g]) for g in group_names}, dtype=float)
        percents = 100 * counts / bases.replace(0, np.nan)
        crosstabs[grouping] = CrossTab(grouping=grouping, counts=counts, bases=bases,
                                       percents=percents)
    return QuestionResult(question=q, answered=answered_shown, options=table,
                          crosstabs=crosstabs)


def weighted_shares(result: QuestionResult, answers: Sequence[Any],
                    weights: pd.Series) -> pd.DataFrame | None:
    """Weighted percentage of each option with effective-n Wilson limits, or None when the
    question may not carry them (a hidden count, or fewer than MIN_WEIGHTED_BASE answers)."""
    q = result.question
    if result.options["count"].isna().any() or not result.answered >= MIN_WEIGHTED_BASE:
        return None
    keep = [i for i, a in enumerate(answers) if a not in (None, "", [])]
    rows = [_rows_of(q, answers[i]) for i in keep]
    chosen = pd.DataFrame([[c.value in r for c in q.choices] for r in rows],
                          columns=[c.value for c in q.choices], index=keep)
    shares = weighted_proportions(chosen, weights.iloc[keep].set_axis(keep))
    return 100 * shares[["share", "lower", "upper"]]
