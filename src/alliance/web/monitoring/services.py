"""Gather a strategy from the store as the core's :class:`MonitoringInputs`, and the board view.

Every figure is computed by :mod:`alliance.report.monitoring` from the partnership area's one
published lattice (:func:`alliance.web.pool.publication.publication`), so the board view, the
monitoring report, the dashboard and the SNA say the same for the same period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from django.contrib.contenttypes.models import ContentType

from alliance.figures.measures import MeasureSpec, quarters_held
from alliance.figures.publication import Publication
from alliance.report.monitoring import (
    ActionInput,
    InterventionInput,
    MeasureInput,
    MonitoringInputs,
    PriorityInput,
    Score,
    YouSaidInput,
    score,
)
from alliance.report.monitoring.comparison import national_equivalent
from alliance.report.monitoring.plain import GLOSSARY, measure_decisions
from alliance.web.actions.models import Action, Origin
from alliance.web.comms.models import Activity
from alliance.web.pool import queries
from alliance.web.pool.publication import POLICE_UK, NoFigures, publication
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.models import Intervention, Measure, Priority, Strategy

ENGLAND = "E92000001"
#: national rows a comparator may come from, in the SNA comparator table's order
NATIONAL = ("E92000001", "K04000001", "K02000001", "K03000001", "W92000004")
__all__ = ["GLOSSARY", "BoardPriority", "board", "gather", "latest_quarter", "measure_input"]


def _spec(m: Measure, pub: Publication) -> tuple[MeasureSpec | None, str]:
    spec = MeasureSpec(key=m.key, title=m.title, categories=tuple(m.categories),
                       level=m.level, code=m.code, polarity=m.polarity, source=m.source)
    try:
        spec.unit(pub)
        spec.category_keys(pub)
    except KeyError as exc:
        return None, f"Cannot be computed from the pooled data: {exc.args[0]}"
    return spec, ""


def _published(m: Measure, area_code: str) -> pd.DataFrame:
    rows = queries.indicators(measures=[m.published_measure], area_codes=[area_code, ENGLAND])
    if rows.empty:
        return rows
    rows = rows[rows["breakdown"].fillna("") == ""]
    mine = rows[rows["area_code"] == area_code].copy()
    england = rows[rows["area_code"] == ENGLAND].drop_duplicates("period").set_index(
        "period")["value"]
    mine["england"] = mine["period"].map(england)
    mine["lower"] = mine["upper"] = None
    mine["period_end"] = mine["period_end"].astype(str)
    mine["source"] = [publisher(str(s), str(f)) for s, f in zip(mine["source"],
                                                                mine["source_file"],
                                                                strict=True)]
    return mine.drop_duplicates("period").sort_values("period_end")


#: dataset id prefixes of the partner statistics readers -> their publishers, in words
PUBLISHERS = {"ons": "the Office for National Statistics", "dfe": "the Department for Education",
              "fingertips": "OHID (Fingertips)", "moj": "the Ministry of Justice",
              "yjb": "the Youth Justice Board"}


def publisher(dataset: str, source_file: str) -> str:
    """Who published a partner statistic, in words (never the reader's dataset id)."""
    name = next((v for k, v in PUBLISHERS.items() if dataset.lower().startswith(k)),
                "its publisher")
    return f"{name} ({source_file})" if source_file else name


def _comparators(spec: MeasureSpec, similar: tuple[str, ...]) -> pd.DataFrame | None:
    """Rows of the published statistic that counts the same offences nationally, for England
    (or the nation published) and the similar areas; None when there is no such statistic."""
    equivalent = national_equivalent(spec)
    if equivalent is None:
        return None
    rows = queries.indicators(measures=[equivalent[0]], area_codes=[*NATIONAL, *similar])
    return rows[rows["breakdown"].fillna("") == ""] if not rows.empty else rows


def measure_input(m: Measure, pub: Publication, area_code: str, *,
                  similar: tuple[str, ...] = ()) -> MeasureInput:
    """The core's view of measure ``m``: a pooled measure with its spec, the partner source's
    publication it is computed from (a Home Office core measure) and England's and the
    ``similar`` areas' published figures for the same offences; a published statistic; or a
    measure whose data are not pooled, with what is needed."""
    base: dict[str, Any] = dict(
        key=m.key, title=m.title, polarity=m.polarity,
        priority=m.priority.title if m.priority else "", baseline_period=m.baseline_period,
        target=float(m.target) if m.target is not None else None,
        target_period=m.target_period, status=m.status_note, core=m.core)
    if m.kind == Measure.Kind.POOLED:
        source_pub = None
        if m.source != POLICE_UK:
            try:
                source_pub = publication(area_code, source=m.source,
                                         record_level=pub.record_level)
            except NoFigures:
                return MeasureInput(kind="not held", **{**base, "status": (
                    m.status_note or f"Not pooled yet: no {m.source.replace('_', ' ')} data "
                                     "are held.")})
        spec, problem = _spec(m, source_pub or pub)
        if spec is None:
            return MeasureInput(kind="not held", **{**base, "status": problem})
        return MeasureInput(kind="pooled", spec=spec, publication=source_pub,
                            comparators=_comparators(spec, similar), similar=similar, **base)
    if m.kind == Measure.Kind.PUBLISHED and m.published_measure:
        return MeasureInput(kind="published", published=_published(m, area_code),
                            unit="as published", **base)
    return MeasureInput(kind="not held", **base)


def _unit(partnership: Any, codes: list[str]) -> tuple[str, str] | None:
    known = strategy_services.places(partnership)
    if len(codes) != 1 or codes[0] not in known:
        return None
    return known[codes[0]].level, codes[0]


def intervention_input(i: Intervention, partnership: Any) -> InterventionInput:
    comparison = _unit(partnership, [i.comparison]) if i.comparison else None
    return InterventionInput(
        title=i.title, priority=i.priority.title, approach=i.approach,
        rating=strategy_services.rating(i.approach), description=i.description,
        partner=str(i.partner) if i.partner else "",
        cost=float(i.cost) if i.cost is not None else None, reach=i.reach, cohort=i.cohort,
        places=tuple(strategy_services.place_names(partnership, list(i.places))),
        start=f"{i.start:%Y-%m}" if i.start else "", outputs=tuple(i.output_list()),
        outcomes=tuple(i.outcome_list()), unit=_unit(partnership, list(i.places)),
        comparison=comparison,
        comparison_name=strategy_services.place_names(partnership, [i.comparison])[0]
        if comparison else "", ref=i.pk)


def _origins(targets: dict[type, list[int]]) -> dict[tuple[type, int], list[Origin]]:
    found: dict[tuple[type, int], list[Origin]] = {}
    for model, ids in targets.items():
        ct = ContentType.objects.get_for_model(model)
        for o in Origin.objects.filter(target_type=ct, target_id__in=ids):
            found.setdefault((model, o.target_id), []).append(o)
    return found


def _decisions(p: Priority, actions: list[Action], today: date) -> tuple[str, ...]:
    out = []
    if p.status == Priority.Status.PROPOSED:
        out.append(f"Agree or drop this proposed priority ({p.title}).")
    late = [a for a in actions if a.priority_id == p.pk and a.is_open and a.due < today]
    if late:
        out.append(f"{len(late)} action(s) overdue: " + "; ".join(
            f"{a.title} ({a.organisation})" for a in late[:5]) + ".")
    for i in p.interventions.all():
        if not i.approach:
            out.append(f"Choose the YEF Toolkit approach of '{i.title}', or record that it "
                       "has none.")
    for m in p.measures.all():
        if (m.target is None and m.polarity != Measure.Polarity.CONTEXT
                and m.kind != Measure.Kind.NOT_HELD):
            out.append(f"Set a target for '{m.title}'.")
    return tuple(out)


def you_said_we_did(strategy: Strategy) -> tuple[YouSaidInput, ...]:
    """What the partnership heard (a workshop theme or screened note, a consultation finding;
    organisations, never people) and the action, priority or communications item of
    ``strategy`` it became, with its status: one row per link kept by
    :class:`alliance.web.actions.models.Origin`."""
    actions = list(Action.objects.filter(strategy=strategy))
    priorities = list(strategy.priorities.all())
    comms = list(Activity.objects.filter(partnership=strategy.partnership))
    return _you_said(_origins({Action: [a.pk for a in actions],
                               Priority: [p.pk for p in priorities],
                               Activity: [c.pk for c in comms]}), [*actions, *priorities, *comms])


def _you_said(origins: dict[tuple[type, int], list[Origin]],
              items: list[Any]) -> tuple[YouSaidInput, ...]:
    by_key = {(type(x), x.pk): x for x in items}
    rows: list[YouSaidInput] = []
    for key, found in sorted(origins.items(), key=lambda x: (x[0][0].__name__, x[0][1])):
        item = by_key.get(key)
        if item is None:
            continue
        status = item.get_status_display()
        did = f"{str(item._meta.verbose_name).capitalize()}: {item.title}"
        rows += [YouSaidInput(said=o.said, where=o.where, who=tuple(o.organisations),
                              did=did, status=status) for o in found]
    return tuple(rows)


def gather(strategy: Strategy, *, today: date, record_level: bool = False,
           pub: Publication | None = None) -> MonitoringInputs:
    partnership = strategy.partnership
    pub = pub or publication(partnership.area_code, record_level=record_level)
    priorities = list(strategy.priorities.prefetch_related("objectives", "interventions",
                                                           "measures"))
    actions = list(Action.objects.filter(strategy=strategy).select_related(
        "organisation", "priority").prefetch_related("updates"))
    interventions = [i for p in priorities for i in p.interventions.all()]
    comms = list(Activity.objects.filter(partnership=partnership))
    partners: dict[int, set[str]] = {}
    for i in interventions:
        if i.partner:
            partners.setdefault(i.priority_id, set()).add(str(i.partner))
    for a in actions:
        if a.priority_id:
            partners.setdefault(a.priority_id, set()).add(str(a.organisation))
    origins = _origins({Action: [a.pk for a in actions], Priority: [p.pk for p in priorities],
                        Activity: [c.pk for c in comms]})
    you_said = _you_said(origins, [*actions, *priorities, *comms])
    return MonitoringInputs(
        partnership=partnership.name, area_name=pub.cube.geography.name,
        strategy_title=strategy.title,
        strategy_version=f"{strategy.period}, version {strategy.version} "
                         f"({strategy.get_status_display().lower()})",
        strategy_start=strategy.start_month, publication=pub,
        unit_names={(p.level, p.code): p.name
                    for p in strategy_services.places(partnership).values()},
        priorities=tuple(PriorityInput(
            number=p.number, title=p.title, description=p.description,
            objectives=tuple(o.text for o in p.objectives.all()),
            partners=tuple(sorted(partners.get(p.pk, set()))),
            decisions=_decisions(p, actions, today), ref=p.pk) for p in priorities),
        measures=tuple(measure_input(m, pub, partnership.area_code,
                                     similar=strategy.similar_codes)
                       for m in strategy.measures.select_related("priority")),
        interventions=tuple(intervention_input(i, partnership) for i in interventions),
        actions=tuple(ActionInput(
            title=a.title, priority=a.priority.title if a.priority else "",
            organisation=str(a.organisation), due=a.due, status=a.get_status_display(),
            done=a.status == Action.Status.DONE,
            latest_note=next(iter(a.updates.all()), None).text  # type: ignore[union-attr]
            if a.updates.all() else "",
            came_from=tuple(o.where for o in origins.get((Action, a.pk), [])))
            for a in actions),
        you_said=you_said, today=today, batches=pub.cube.batches)


def latest_quarter(pub: Publication) -> str:
    held = quarters_held(pub)
    return held[-1] if held else (pub.years[-1].label if pub.years else pub.cube.months[-1])


@dataclass(frozen=True)
class BoardPriority:
    priority: PriorityInput
    interventions: tuple[InterventionInput, ...]
    scores: tuple[Score, ...]
    actions: tuple[ActionInput, ...]
    decisions: tuple[str, ...]
    done: int
    overdue: int


def board(inputs: MonitoringInputs, *, period: str) -> list[BoardPriority]:
    """What the board reads per priority, computed as the monitoring report computes it."""
    scores = [score(inputs.publication, m, period=period, start=inputs.strategy_start)
              for m in inputs.measures]
    out = []
    for p in inputs.priorities:
        mine = tuple(s for s in scores if s.measure.priority == p.title)
        acts = tuple(a for a in inputs.actions if a.priority == p.title)
        overdue = sum(1 for a in acts if a.due and not a.done and a.status != "Cancelled"
                      and a.due < inputs.today)
        out.append(BoardPriority(
            priority=p, interventions=tuple(i for i in inputs.interventions
                                            if i.priority == p.title),
            scores=mine, actions=acts, decisions=(*p.decisions, *measure_decisions(mine)),
            done=sum(a.done for a in acts), overdue=overdue))
    return out
