"""Whose data is it, may this person change it, may it be used, and is it the partnership's area.

The rules, as a member of the partnership meets them:

- **Every dataset has an owner.** A pooled source belongs to an agreement dataset
  (:data:`~alliance.web.partnerships.models.SOURCE_DATASETS`: police.uk street crime, the local
  police extract, A&E assaults ...). The organisation that owns the data-sharing agreement
  covering that dataset - the one that can renew it - owns the dataset (the agreement whose
  expiry is latest decides, as for blocking). Put datasets from different providers under their
  own agreements to give each its owner. A dataset no agreement covers (published statistics,
  geography, "other partner data") is owned by the partnership itself.
- **police.uk** is open data, but in the pool it is the force's: the demo's core agreement
  covers it with Northamptonshire Police as owner, so only the police (and the analyst) can
  replace a month. Without an agreement it is the partnership's.
- **Who may load, replace or roll back** a dataset: members of the owning organisation who may
  upload (partner leads, analysts, administrators), or the partnership's analysts and
  administrators acting for the partnership (rule ``act_for_partnership``), who may act on
  every dataset and are the only ones for data the partnership owns. The command line is run
  on the server by the partnership's analyst and acts for the partnership.
- **Expired agreements stop the data**: a dataset whose governing agreement has expired is left
  out of every output (:mod:`alliance.web.pool.queries`) and cannot be loaded; the message
  names the organisation that can renew it and its contact.
- **The partnership's area**: a police.uk file for a force whose area does not overlap the
  partnership's area (a City of London month in the Northamptonshire pool) is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save

from alliance.sources import police_uk
from alliance.sources.police_forces import FORCES, force
from alliance.web.accounts.models import Partnership
from alliance.web.accounts.rules import can
from alliance.web.partnerships.models import DATASETS, SOURCE_DATASETS, Agreement
from alliance.web.partnerships.services import (
    BlockedDataset,
    expired_datasets,
    governing_agreements,
)
from alliance.web.pool import geography as geo_store
from alliance.web.pool.models import ImportBatch, SourceFile
from alliance.web.pool.per_request import OncePerRequest

PARTNERSHIP = "the partnership"


class OwnershipError(Exception):
    """The person (or the file) may not change this data; the message says who may."""


@dataclass(frozen=True)
class Owner:
    """Who owns the rows of one pooled ``source``."""

    source: str
    dataset: str | None
    organisation_id: int | None
    organisation: str
    agreement: str | None

    @property
    def label(self) -> str:
        return DATASETS.get(self.dataset or "", self.source.replace("_", " "))

    @property
    def who_may_act(self) -> str:
        if self.organisation_id is None:
            return "the partnership's analysts and administrators"
        return (f"members of {self.organisation} who upload data, or the partnership's "
                "analysts and administrators")

    def describe(self) -> str:
        if self.agreement:
            return (f"{self.label} belongs to {self.organisation} (the owner of the agreement "
                    f"\u201c{self.agreement}\u201d)")
        return f"{self.label} belongs to {PARTNERSHIP} (no data-sharing agreement covers it)"


def owner_of(source: str, *, partnership: Partnership | None = None) -> Owner:
    """The owner of pooled rows of ``source`` (see the module notes)."""
    dataset = SOURCE_DATASETS.get(source)
    governing = governing_agreements(partnership, [dataset]).get(dataset) if dataset else None
    if governing is None:
        return Owner(source=source, dataset=dataset, organisation_id=None,
                     organisation=PARTNERSHIP, agreement=None)
    current = governing.current
    return Owner(source=source, dataset=dataset, organisation_id=current.owner_id,
                 organisation=current.owner.name, agreement=current.title)


def source_of_kind(kind: str) -> str:
    """The pooled source of a file kind: a police.uk kind names its source; any other kind (a
    partner extract) is its own source."""
    layout = police_uk.LAYOUTS.get(kind)
    return layout.source if layout is not None else kind


def batch_sources(batch_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Batch id -> the pooled sources of its rows (from its files; the batch's own ``source``
    for batches without files: geography, indicators)."""
    ids = list(batch_ids)
    found: dict[int, set[str]] = {}
    for batch_id, kind in (SourceFile.objects.filter(batch_id__in=ids)
                           .values_list("batch_id", "kind").distinct()):
        found.setdefault(batch_id, set()).add(source_of_kind(kind))
    labels = dict(ImportBatch.objects.filter(pk__in=ids).values_list("pk", "source"))
    return {b: tuple(sorted(found.get(b) or {labels.get(b, "")})) for b in ids}


def may_change(user: Any, owner: Owner, *, rule: str = "upload_data") -> bool:
    """May ``user`` (None: the command line) load, replace (``upload_data``) or roll back
    (``rollback_batch``) data of ``owner``?"""
    if user is None:
        return True
    if not can(user, rule):
        return False
    if can(user, "act_for_partnership"):
        return True
    membership = getattr(user, "membership", None)
    return (owner.organisation_id is not None and membership is not None
            and membership.organisation_id == owner.organisation_id)


def check_may_change(user: Any, sources: Iterable[str], *, rule: str, action: str) -> None:
    """Raise :class:`OwnershipError` unless ``user`` may ``action`` every one of ``sources``."""
    partnership = _partnership_of(user)
    for source in sorted(set(sources)):
        owner = owner_of(source, partnership=partnership)
        if not may_change(user, owner, rule=rule):
            raise OwnershipError(
                f"You cannot {action} {owner.label}: {owner.describe()}, so only "
                f"{owner.who_may_act} can {action} it. Nothing was changed.")


def _partnership_of(user: Any) -> Partnership | None:
    membership = getattr(user, "membership", None) if user is not None else None
    return membership.partnership if membership is not None else None


# --- agreements -----------------------------------------------------------------------------

#: within one web request the register is read once (every pooled read asks); outside a
#: request (the command line, a task, a test calling directly) it is read every time
_register: OncePerRequest[list[BlockedDataset]] = OncePerRequest("alliance.pool.ownership",
                                                                  lambda: expired_datasets())
# (a lambda, so that the name is looked up when read)
post_save.connect(_register.forget, sender=Agreement, dispatch_uid="alliance.pool.own.saved")
post_delete.connect(_register.forget, sender=Agreement,
                    dispatch_uid="alliance.pool.own.deleted")


def _expired() -> list[BlockedDataset]:
    return list(_register.get())


def withheld(*, sources: Iterable[str] | None = None) -> list[tuple[BlockedDataset, tuple[str,
                                                                                           ...]]]:
    """(the blocked dataset, its pooled sources) for every dataset an expired agreement stops.

    ``sources`` limits the answer to datasets of those sources."""
    wanted = None if sources is None else {SOURCE_DATASETS.get(s) for s in sources}
    out = []
    for blocked in _expired():
        if wanted is not None and blocked.dataset not in wanted:
            continue
        out.append((blocked, tuple(sorted(s for s, d in SOURCE_DATASETS.items()
                                          if d == blocked.dataset))))
    return out


def withheld_sources() -> tuple[str, ...]:
    """Pooled sources whose agreement has expired: left out of every output."""
    return tuple(sorted(s for _, group in withheld() for s in group))


def check_usable(sources: Iterable[str]) -> None:
    """Refuse to load data whose agreement has expired, naming who can renew it."""
    stopped = withheld(sources=sources)
    if stopped:
        blocked = stopped[0][0]
        raise OwnershipError(f"{blocked.message} It cannot be loaded until the agreement is "
                             "renewed. Nothing was changed.")


# --- the partnership's area -----------------------------------------------------------------

_BY_NAME = {f.name.casefold(): f for f in FORCES}


def force_named(name: str) -> str | None:
    """The police.uk slug of a force given by its name in a file ("City of London Police")."""
    found = _BY_NAME.get(name.strip().casefold())
    return found.slug if found is not None else None


def partnership_areas(partnership: Partnership | None) -> list[tuple[str, str]]:
    """(area code, partnership name) the data must fall in: the given partnership's area, or
    every partnership's for the command line; empty when none is set up yet."""
    if partnership is not None:
        return [(partnership.area_code, partnership.name)]
    return list(Partnership.objects.order_by("name").values_list("area_code", "name"))


@functools.lru_cache(maxsize=256)
def _overlaps(pfa_code: str, area_code: str, geography_batch: int) -> bool:
    if pfa_code == area_code:
        return True
    geo = geo_store.geography()
    if geo is None:
        return False
    try:
        force_lsoas = set(geo.lsoa21_of(pfa_code))
        area_lsoas = set(geo.lsoa21_of(area_code))
    except LookupError:
        return False
    return bool(force_lsoas & area_lsoas)


def check_area(forces: Iterable[str], *, file: str, partnership: Partnership | None) -> None:
    """Refuse police.uk data of a force (slug) whose area does not overlap the partnership's."""
    areas = partnership_areas(partnership)
    batch = geo_store.current_batch()
    if not areas or batch is None:
        # no partnership yet (a first command-line load), or no geography (the load itself is
        # refused for that): nothing to check against
        return
    for slug in sorted(set(forces)):
        try:
            info = force(slug)
        except KeyError:
            info = None
        name = info.name if info is not None else slug
        inside = info is not None and info.pfa_code is not None and any(
            _overlaps(info.pfa_code, code, batch.pk) for code, _ in areas)
        if not inside:
            where = "; ".join(f"{n} ({c})" for c, n in areas)
            raise OwnershipError(
                f"{file} is {name} data, outside the partnership's area ({where}). Only data "
                "for the partnership's area can be loaded. Nothing was changed.")
