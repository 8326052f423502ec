"""The strategy: versions, priorities, interventions and measures, and the places they name.

Views call these; every change is audited and refused on an adopted version (which is the
record of what the partnership agreed, and stays as it was).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from alliance import config
from alliance.sources.yef_toolkit import YefApproach, YefToolkit, YefToolkitError, read_yef_toolkit
from alliance.web.audit.services import record
from alliance.web.strategy.models import Intervention, Measure, Objective, Priority, Strategy

_lock = threading.Lock()
_places: dict[tuple[object, ...], dict[str, Place]] = {}


class StrategyError(ValueError):
    """A refused change, in words for the page."""


@dataclass(frozen=True)
class Place:
    code: str
    level: str  # area, lad, csp
    name: str


# ------------------------------------------------------------------------------ reading
def toolkit() -> YefToolkit | None:
    """The YEF Toolkit table held in the reference folder (None when it cannot be read)."""
    try:
        return read_yef_toolkit(config.load().reference / "yef_toolkit.csv")
    except YefToolkitError:
        return None


def rating(approach: str) -> YefApproach | None:
    table = toolkit()
    return table.get(approach) if table is not None and approach else None


def places(partnership: Any) -> dict[str, Place]:
    """The places a strategy can name: the area, its local authorities and community safety
    partnerships (code -> place), from the ONS geography held."""
    from alliance.web.pool import geography as geo_store
    from alliance.web.pool.publication import NoFigures, area_geography

    batch = geo_store.current_batch()
    key = (partnership.area_code, getattr(batch, "pk", None))
    with _lock:
        if key in _places:
            return _places[key]
    try:
        geo = area_geography(partnership.area_code)
    except NoFigures:
        return {}
    found = {geo.code: Place(geo.code, "area", f"{geo.name} (the whole area)")}
    for level, kind in (("lad", "local authority"), ("csp", "community safety partnership")):
        for code, name in geo.units(level).items():
            if code not in found and set(geo.lsoas_of(level, code)) != set(geo.codes):
                found[code] = Place(code, level, f"{name} ({kind})")
    with _lock:
        _places[key] = found
    return found


def place_names(partnership: Any, codes: list[str]) -> list[str]:
    known = places(partnership)
    return [known[c].name if c in known else c for c in codes]


def shown(partnership: Any) -> Strategy | None:
    """The strategy shown by default: the newest draft if there is one, else the newest
    adopted version."""
    strategies = Strategy.objects.filter(partnership=partnership)
    return (strategies.filter(status=Strategy.Status.DRAFT).first()
            or strategies.filter(status=Strategy.Status.ADOPTED).first() or strategies.first())


def in_force(partnership: Any) -> Strategy | None:
    """The adopted strategy (what is monitored), or the draft when none is adopted yet."""
    strategies = Strategy.objects.filter(partnership=partnership)
    return strategies.filter(status=Strategy.Status.ADOPTED).first() or strategies.filter(
        status=Strategy.Status.DRAFT).first()


def draft(partnership: Any) -> Strategy | None:
    return Strategy.objects.filter(partnership=partnership,
                                   status=Strategy.Status.DRAFT).first()


def editable(strategy: Strategy) -> None:
    if not strategy.editable:
        raise StrategyError(f"{strategy} was adopted and cannot be changed: start a new "
                            "version to change it")


# ----------------------------------------------------------------------------- versions
def create(partnership: Any, user: Any, *, title: str, period: str, starts: date,
           vision: str = "", request: Any = None) -> Strategy:
    if draft(partnership) is not None:
        raise StrategyError("there is already a draft strategy: finish or adopt it first")
    strategy = Strategy.objects.create(partnership=partnership, title=title, period=period,
                                       starts=starts, vision=vision, created_by=user)
    record(request, "strategy_change", actor=user, target=str(strategy), change="created")
    return strategy


@transaction.atomic
def new_version(strategy: Strategy, user: Any, *, request: Any = None,
                period: str | None = None, starts: date | None = None) -> Strategy:
    """A new draft copied from ``strategy`` (priorities, objectives, interventions,
    measures); ``strategy`` itself is not changed."""
    if draft(strategy.partnership) is not None:
        raise StrategyError("there is already a draft strategy: finish or adopt it first")
    copy = Strategy.objects.create(
        partnership=strategy.partnership, title=strategy.title,
        period=period or strategy.period, starts=starts or strategy.starts,
        version=strategy.version + 1, vision=strategy.vision, previous=strategy,
        similar_areas=strategy.similar_areas,
        created_by=user)
    priorities: dict[int, Priority] = {}
    for p in strategy.priorities.all():
        priorities[p.pk] = Priority.objects.create(strategy=copy, number=p.number,
                                                   title=p.title, description=p.description,
                                                   status=p.status)
        for o in p.objectives.all():
            Objective.objects.create(priority=priorities[p.pk], text=o.text)
        for i in p.interventions.all():
            fields = {f.name: getattr(i, f.name) for f in Intervention._meta.fields
                      if f.name not in ("id", "priority")}
            Intervention.objects.create(priority=priorities[p.pk], **fields)
    for m in strategy.measures.all():
        fields = {f.name: getattr(m, f.name) for f in Measure._meta.fields
                  if f.name not in ("id", "strategy", "priority")}
        Measure.objects.create(strategy=copy, priority=priorities.get(m.priority_id or 0),
                               **fields)
    record(request, "strategy_change", actor=user, target=str(copy),
           change="new version", copied_from=strategy.pk)
    return copy


@transaction.atomic
def adopt(strategy: Strategy, user: Any, *, request: Any = None) -> Strategy:
    editable(strategy)
    if not strategy.priorities.exists():
        raise StrategyError("a strategy needs at least one priority before it is adopted")
    Strategy.objects.filter(partnership=strategy.partnership,
                            status=Strategy.Status.ADOPTED).update(
        status=Strategy.Status.SUPERSEDED)
    strategy.status = Strategy.Status.ADOPTED
    strategy.adopted_at, strategy.adopted_by = timezone.now(), user
    strategy.save(update_fields=["status", "adopted_at", "adopted_by"])
    record(request, "strategy_change", actor=user, target=str(strategy), change="adopted")
    return strategy


# ----------------------------------------------------------------------------- contents
def save(obj: Any, user: Any, *, strategy: Strategy, request: Any = None,
         change: str = "saved") -> Any:
    """Save a priority, objective, intervention or measure of a draft ``strategy``."""
    editable(strategy)
    adding = obj.pk is None
    if isinstance(obj, Priority) and adding and not obj.number:
        obj.number = (max((p.number for p in strategy.priorities.all()), default=0) + 1)
    obj.save()
    record(request, "strategy_change", actor=user, target=f"{strategy}: {obj}",
           change="added" if adding else change, item=type(obj).__name__.lower())
    return obj


def delete(obj: Any, user: Any, *, strategy: Strategy, request: Any = None) -> None:
    editable(strategy)
    what = f"{strategy}: {obj}"
    obj.delete()
    record(request, "strategy_change", actor=user, target=what, change="removed",
           item=type(obj).__name__.lower())
