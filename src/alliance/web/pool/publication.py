"""An area's count cube and its published lattice, read from the pool (cached per pool version).

The dashboard, the SNA build and the CLI all get their figures through :func:`publication`, so
they count the same rows (:mod:`alliance.figures.cube` defines the universe) and hide the same
cells.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import pandas as pd
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db.models import Count, Q

from alliance import config
from alliance.figures.cube import AreaGeography, CategoryGroup, CountCube
from alliance.figures.publication import Publication, publish
from alliance.pool import measures
from alliance.sources.police_forces import FORCES
from alliance.web.pool import geography as geo_store
from alliance.web.pool import queries
from alliance.web.pool.models import ImportBatch, Incident
from alliance.web.pool.queries import current_incidents
from alliance.web.pool.services import active_definition

logger = logging.getLogger(__name__)

#: the pooled dataset the proxy measure is counted from
POLICE_UK = "police_uk_street"
#: a force with at least this share of an area's rows decides which months are held
MATERIAL_SHARE = 0.05

_lock = threading.Lock()
_cache: OrderedDict[tuple[object, ...], Publication] = OrderedDict()
_CACHE_SIZE = 16
_sources_cache: dict[tuple[object, ...], tuple[str, ...]] = {}


class NoFigures(Exception):
    """No figures can be made for the area (no geography, no data); the message says why."""


def pool_version() -> tuple[object, ...]:
    """Changes whenever the data in use changes: a new batch, a batch rolled back, or an
    agreement expiring or renewed (its rows leave or rejoin every output)."""
    return queries.version()


def area_geography(area_code: str) -> AreaGeography:
    """The LSOAs of an area with population, CSP, local authority, IMD decile and boundary."""
    geo = geo_store.geography()
    tables = geo_store.stored_tables()
    if geo is None or tables is None:
        raise NoFigures("no geography is loaded yet: an analyst must load it first")
    try:
        area = geo.resolve(area_code)
    except Exception as exc:  # an unknown code: the message names it
        raise NoFigures(str(exc)) from exc
    codes = list(area.lsoa21)
    parents = tables.area_parents
    links = parents[parents["child_level"] == "lsoa21"]

    def parent(level: str) -> pd.Series:
        mine = links[links["parent_level"] == level].drop_duplicates("child_code")
        return mine.set_index("child_code")["parent_code"].reindex(codes)

    names = tables.areas.drop_duplicates("code").set_index("code")["name"]
    pop = tables.population
    census = (pop[pop["lsoa_vintage"] == "2021"].drop_duplicates("lsoa_code")
              .set_index("lsoa_code")["total"])
    imd = tables.imd2025.drop_duplicates("lsoa21_code").set_index("lsoa21_code")
    bounds = tables.lsoa21_boundaries.drop_duplicates("code").set_index("code")
    frame = pd.DataFrame({
        "name": bounds["name"].reindex(codes).to_numpy(),
        "population": census.reindex(codes).round().to_numpy(),
        "csp_code": parent("csp").to_numpy(), "lad_code": parent("lad").to_numpy(),
        "imd_decile": imd["imd_decile"].reindex(codes).to_numpy(),
        "geometry_wkb": bounds["geometry_wkb"].reindex(codes).to_numpy()}, index=codes)
    frame["csp_code"] = frame["csp_code"].fillna("unknown-csp")
    frame["lad_code"] = frame["lad_code"].fillna("unknown-lad")
    frame["csp_name"] = frame["csp_code"].map(names).fillna("Unknown CSP")
    frame["lad_name"] = frame["lad_code"].map(names).fillna("Unknown local authority")
    frame.index.name = "lsoa21_code"
    return AreaGeography(code=area.code or area_code, name=area.name, level=area.level,
                         lsoa=frame)


def home_force(area: AreaGeography) -> str | None:
    """The police.uk slug of the force whose area holds most of ``area``'s LSOAs."""
    tables = geo_store.stored_tables()
    if tables is None:
        return None
    links = tables.area_parents
    pfas = links[(links["child_level"] == "lsoa21") & (links["parent_level"] == "pfa")
                 & links["child_code"].isin(area.codes)]["parent_code"]
    if pfas.empty:
        return None
    pfa = str(pfas.value_counts().idxmax())
    return next((f.slug for f in FORCES if f.pfa_code == pfa), None)


def _grouped(q: object, by: Sequence[str]) -> pd.DataFrame:
    rows = list(q.values(*by).annotate(count=Count("id")).order_by(*by))  # type: ignore[attr-defined]
    return pd.DataFrame(rows, columns=[*by, "count"])


def months_held(frame: pd.DataFrame) -> list[str]:
    """Months held by every force publishing a material share (5% or more) of the rows:
    another force's few rows placed in the area must not make a month the home force has not
    published look held."""
    if frame.empty:
        return []
    by_force = frame.groupby("partition")["count"].sum()
    major = by_force.index[by_force / by_force.sum() >= MATERIAL_SHARE]
    held = [set(frame.loc[frame["partition"] == p, "month"].astype(str)) for p in major]
    return sorted(set.intersection(*held))


def count_cube(area_code: str, *, source: str = POLICE_UK) -> CountCube:
    """The unsuppressed count cube of an area (see :mod:`alliance.figures.cube`)."""
    geography = area_geography(area_code)
    home = home_force(geography)
    rows = current_incidents().filter(source=source)
    counted = rows.filter(sv_included=True)
    placed = _grouped(counted.filter(lsoa21_code__in=list(geography.codes)),
                      ["month", "lsoa21_code", "sv_category", "partition"])
    everything = _grouped(rows.filter(lsoa21_code__in=list(geography.codes)),
                          ["month", "partition"])
    months = months_held(everything)
    if not months:
        raise NoFigures(f"No incident data is loaded yet: no police.uk street crime is pooled "
                        f"for {geography.name}.")
    placed = placed[placed["month"].isin(months)]
    unlocated = pd.DataFrame(columns=["month", "category", "count"])
    outside = pd.DataFrame(columns=["month", "count"])
    if home is not None:
        mine = counted.filter(partition=home, month__in=months)
        unlocated = _grouped(mine.filter(lsoa21_code__isnull=True),
                             ["month", "sv_category"]).rename(columns={"sv_category": "category"})
        outside = _grouped(mine.filter(lsoa21_code__isnull=False).exclude(
            lsoa21_code__in=list(geography.codes)), ["month"])
    others = pd.DataFrame(placed[placed["partition"] != home].groupby(
        "month", as_index=False)["count"].sum())
    _, definition = active_definition(reference_dir=config.load().reference)
    labels: dict[str, str] = {}
    for rule in definition.rules:
        if rule.included and rule.category not in labels:
            label = rule.label or rule.category.replace("_", " ")
            if rule.proxy and "proxy" not in label.lower():
                label += " (proxy)"
            labels[rule.category] = label[0].upper() + label[1:]
    present = set(placed["sv_category"]) | set(unlocated["category"])
    categories = {k: v for k, v in sorted(labels.items()) if k in present}
    for extra in sorted(present - set(categories)):  # rows counted under an older definition
        categories[extra] = extra.replace("_", " ").capitalize()
    batches = sorted(int(b) for b in counted.filter(month__in=months).filter(
        Q(lsoa21_code__in=list(geography.codes)) | Q(lsoa21_code__isnull=True, partition=home)
    ).values_list("batch_id", flat=True).distinct())
    return CountCube.from_counts(
        geography=geography, months=months, categories=categories,
        placed=placed.rename(columns={"sv_category": "category"}), unlocated=unlocated,
        outside=outside, other_forces=others, batches=batches)


def partner_cube(area_code: str, *, source: str) -> CountCube:
    """The unsuppressed count cube of a partner source (A&E, a local police extract, youth
    justice ...), counted by its scheme (:mod:`alliance.pool.measures`): fine categories that
    are never published one by one, and their published sums (a weapon, the under-25s, a core
    measure and its under-25 view). Months are those the source holds anywhere; rows without a
    place, or placed outside the area, are the universe's lines."""
    scheme = measures.scheme_for(source, reference_dir=config.load().reference)
    if scheme is None:
        raise NoFigures(f"{source.replace('_', ' ')} is not counted in published figures")
    geography = area_geography(area_code)
    codes = list(geography.codes)
    rows = current_incidents().filter(source=source)
    dims = list(measures.DIMENSION_COLUMNS)
    frame = _grouped(rows, ["month", "lsoa21_code", *dims])
    if frame.empty:
        raise NoFigures(f"No {scheme.label} is pooled yet.")
    months = sorted(set(frame["month"].astype(str)))
    frame = frame[scheme.counted(frame).to_numpy(dtype=bool)].copy()
    frame["category"] = scheme.categorise(frame).to_numpy()
    inside = frame["lsoa21_code"].isin(codes)
    placed = pd.DataFrame(frame[inside].groupby(["month", "lsoa21_code", "category"],
                                                as_index=False)["count"].sum())
    unlocated = pd.DataFrame(frame[frame["lsoa21_code"].isna()].groupby(
        ["month", "category"], as_index=False)["count"].sum())
    outside = pd.DataFrame(frame[~inside & frame["lsoa21_code"].notna()].groupby(
        "month", as_index=False)["count"].sum())
    groups = {k: CategoryGroup(label=g.label, members=g.members, levels=g.levels,
                               monthly=g.monthly) for k, g in scheme.groups.items()}
    batches = sorted(int(b) for b in rows.values_list("batch_id", flat=True).distinct())
    return CountCube.from_counts(
        geography=geography, months=months, categories=dict(scheme.categories), placed=placed,
        unlocated=unlocated, outside=outside, batches=batches, groups=groups,
        fine_published=not groups, source=source, all_label=scheme.all_label,
        **_people(frame, inside, scheme))


def _people(frame: pd.DataFrame, inside: pd.Series,
            scheme: measures.Scheme) -> dict[str, Any]:
    """The placed rows by age band and sex (:mod:`alliance.figures.who`), if the source
    carries either; a row with neither counts as 'not known'."""
    if not (frame["age"].notna().any() or frame["sex"].notna().any()):
        return {}
    mine = frame[inside]
    people = pd.DataFrame({"month": mine["month"].astype(str),
                           "age_band": mine["age"].map(measures.age_band),
                           "sex": mine["sex"].map(measures.sex_of), "count": mine["count"]})
    return {"people": people.groupby(["month", "age_band", "sex"], as_index=False)["count"]
            .sum(), "age_bands": measures.AGE_BANDS, "sexes": measures.SEXES,
            "under_25": measures.UNDER_25,
            "under_25_members": measures.under_25_members(scheme)}


def pooled_partner_sources() -> tuple[str, ...]:
    """Partner sources with a counting scheme that have rows in active batches, whether or
    not their agreement has expired (an output offering them refuses an expired one and names
    who can renew it), in the order :data:`alliance.pool.measures.SOURCE_ORDER` gives."""
    key = ("sources", pool_version())
    with _lock:
        hit = _sources_cache.get(key)
    if hit is not None:
        return hit
    # one process reads the pool for them, the others read what it found
    shared = shared_figures().get(shared_key("sources", key))
    hit = tuple(shared) if isinstance(shared, tuple) else None
    if hit is None:
        hit = _pooled_sources()
        shared_figures().set(shared_key("sources", key), hit)
    with _lock:
        _sources_cache.clear()
        _sources_cache[key] = hit
    return hit


def _pooled_sources() -> tuple[str, ...]:
    found = set(Incident.objects.filter(superseded_by__isnull=True,
                                        batch__status=ImportBatch.Status.ACTIVE)
                .exclude(source=POLICE_UK).order_by().values_list("source", flat=True)
                .distinct())
    reference = config.load().reference
    return tuple(s for s in measures.SOURCE_ORDER if s in found
                 and measures.scheme_for(s, reference_dir=reference) is not None)


def forget_cache() -> None:
    """Drop every cached publication (a store restored or a test database rolled back can
    repeat a pool version with other rows behind it), in this process and shared."""
    with _lock:
        _cache.clear()
        _sources_cache.clear()
    shared_figures().clear()


def shared_figures() -> BaseCache:
    """The cache every process of the deployment shares for computed figures."""
    return caches["figures"]


def shared_key(kind: str, key: tuple[object, ...]) -> str:
    """A key of the shared cache: ``kind`` and a digest of the local key (which holds the pool
    version, so an entry is never read for other data)."""
    return f"{kind}:{hashlib.sha256(repr(key).encode()).hexdigest()}"


#: how long a mark that new figures are being worked out holds (a worker killed mid-way)
WORKING_FOR = 120


def partnership_areas() -> list[str]:
    from alliance.web.accounts.models import Partnership

    return list(Partnership.objects.values_list("area_code", flat=True).distinct())


@contextlib.contextmanager
def working_on_figures() -> Iterator[None]:
    """Mark, for every process, that the partnership areas' figures are being worked out (a
    load and its warm-up): meanwhile a dashboard a process has already drawn for the same
    choice is shown rather than each web process working the new figures out again while
    people wait (see :func:`being_worked_out`)."""
    areas = partnership_areas()
    cache = shared_figures()
    for code in areas:
        cache.set(f"working:{code}", True, timeout=WORKING_FOR)
    try:
        yield
    finally:
        for code in areas:
            cache.delete(f"working:{code}")


def being_worked_out(area_code: str) -> bool:
    """Whether a load or its warm-up is working out the area's figures now."""
    return bool(shared_figures().get(f"working:{area_code}"))


def warm_figures() -> None:
    """After a load: work out each partnership area's published figures once, in this (task)
    process, into the shared cache, so that the web processes read them rather than each
    working them out while people wait. A failure here never fails the load."""
    pooled_partner_sources()  # every staff page's list of data reads it
    for code in partnership_areas():
        try:
            publication(code)
        except NoFigures:
            continue
        except Exception:  # a warm-up only: the pages work the figures out themselves
            logger.exception("could not work out the figures of %s after a load", code)


class _Wanted(NamedTuple):
    """A publication asked for: its key in this process (the pool's version and geography in
    it), in the shared cache (None: unsuppressed figures are never shared), and its settings."""

    key: tuple[object, ...]
    shared: str | None
    limit: int | None
    year_start: int


def _wanted(area_code: str, *, record_level: bool, threshold: int | None,
            source: str) -> _Wanted:
    cfg = config.load()
    limit = None if record_level else (threshold or cfg.suppression_threshold)
    key = (area_code, source, limit, cfg.reporting_year_start, pool_version(),
           getattr(geo_store.current_batch(), "pk", None))
    return _Wanted(key, shared_key("publication", key) if limit is not None else None, limit,
                   cfg.reporting_year_start)


def _held(key: tuple[object, ...], shared: str | None) -> Publication | None:
    """The publication this process or (suppressed only) the deployment already has."""
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    found = shared_figures().get(shared) if shared else None
    if not isinstance(found, Publication):
        return None
    _keep(key, found)
    return found


def _keep(key: tuple[object, ...], result: Publication) -> None:
    with _lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def publication(area_code: str, *, record_level: bool = False, threshold: int | None = None,
                source: str = POLICE_UK) -> Publication:
    """The published figures of an area (``record_level``: nothing hidden), cached per pool
    version and settings, so every page and report of one data version shows the same cells.
    ``source``: police.uk street crime, or a pooled partner source (:func:`partner_cube`),
    suppressed by the same lattice rules."""
    wanted = _wanted(area_code, record_level=record_level, threshold=threshold, source=source)
    result = _held(wanted.key, wanted.shared)
    if result is None:
        cube = count_cube(area_code) if source == POLICE_UK else partner_cube(area_code,
                                                                             source=source)
        result = publish(cube, threshold=wanted.limit, year_start=wanted.year_start)
        if wanted.shared:
            # suppressed figures only are shared (unsuppressed counts stay in this process)
            shared_figures().set(wanted.shared, result)
        _keep(wanted.key, result)
    return result


def shown_publication(area_code: str, *, record_level: bool = False,
                      source: str = POLICE_UK) -> tuple[Publication, bool]:
    """The figures a page shows, and whether they are the current data's.

    As :func:`publication`, except in the seconds after a load's commit while a task worker
    works out the new figures (:func:`being_worked_out`) and neither this process nor the
    shared cache has them yet: then the suppressed figures this process last held for the
    same area, source and settings from the data before, so that a page answers at once
    instead of each web process working the new figures out while people wait (ADR 0017).
    Those were published in their own right; the caller must not keep what it draws from them
    as the new data's (the second value is False)."""
    wanted = _wanted(area_code, record_level=record_level, threshold=None, source=source)
    held = _held(wanted.key, wanted.shared)
    if held is not None:
        return held, True
    if wanted.shared is not None and being_worked_out(area_code):
        same = wanted.key[:4] + wanted.key[5:]
        with _lock:
            before = [pub for k, pub in reversed(_cache.items()) if k[:4] + k[5:] == same]
        if before:
            return before[0], False
    return publication(area_code, record_level=record_level, source=source), True
