"""Rolling a batch back, and saying first what that will change.

Rolling back removes the batch's rows and brings back the rows it had replaced (a re-issued
month), in one transaction. The confirmation page and the command line show
:func:`rollback_plan` first: the rows removed and restored in each month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from alliance.web.pool import geography as geo_store
from alliance.web.pool import ownership
from alliance.web.pool.models import ImportBatch, Incident
from alliance.web.pool.services import PoolError


@dataclass(frozen=True)
class MonthRollback:
    partition: str
    month: str
    removed: int  # rows of the batch in use now, which go
    restored: int  # rows the batch replaced, which come back


@dataclass(frozen=True)
class RollbackPlan:
    """What rolling a batch back will change, for the confirmation page and the command line."""

    batch_id: int
    kind: str
    source: str
    description: str
    created_by: str
    rows: int  # every row the batch loaded (incidents, areas or indicator values)
    months: tuple[MonthRollback, ...]
    owners: tuple[ownership.Owner, ...]

    @property
    def owner(self) -> str:
        """Who owns the batch's data, in words."""
        return ", ".join(sorted({o.organisation for o in self.owners}))

    @property
    def removed(self) -> int:
        return sum(m.removed for m in self.months)

    @property
    def restored(self) -> int:
        return sum(m.restored for m in self.months)

    def describe(self) -> str:
        """The change in one paragraph."""
        if self.kind != "incidents":
            return (f"Batch {self.batch_id} ({self.description or self.source}) will stop being "
                    f"used: its {self.rows:,} rows are removed.")
        text = (f"Batch {self.batch_id} ({self.description or self.source}) will be rolled "
                f"back: {self.removed:,} rows in use are removed from {len(self.months)} "
                f"month(s)")
        if self.restored:
            text += f" and {self.restored:,} rows it had replaced come back"
        return text + "."


def rollback_plan(batch_id: int) -> RollbackPlan:
    """What :func:`rollback` of ``batch_id`` would change (nothing is changed)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise PoolError(f"no batch {batch_id}")
    months: dict[tuple[str, str], list[int]] = {}
    for key, index in (("batch", 0), ("superseded_by", 1)):
        rows = (Incident.objects.filter(**{key: batch}, **({"superseded_by__isnull": True}
                                                             if key == "batch" else {}))
                .values_list("partition", "month").annotate(n=Count("id")))
        for partition, month, n in rows:
            months.setdefault((partition, month), [0, 0])[index] = n
    return RollbackPlan(
        batch_id=batch.pk, kind=batch.kind, source=batch.source,
        description=batch.description, created_by=batch.created_by, rows=batch.rows_loaded,
        months=tuple(MonthRollback(partition=p, month=m, removed=n[0], restored=n[1])
                     for (p, m), n in sorted(months.items(), key=lambda kv: (kv[0][1],
                                                                              kv[0][0]))),
        owners=tuple(ownership.owner_of(s) for s in ownership.batch_sources([batch.pk])[
            batch.pk]))


@transaction.atomic
def rollback(batch_id: int, *, by: str = "cli", user: Any = None) -> ImportBatch:
    """Undo a batch: its rows go, the rows it superseded come back.

    ``user`` is the person asking (None: the command line, acting for the partnership); only
    the data's owner or someone acting for the partnership may roll it back.
    """
    try:
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    except ImportBatch.DoesNotExist:
        raise PoolError(f"no batch {batch_id}") from None
    try:
        ownership.check_may_change(user, ownership.batch_sources([batch.pk])[batch.pk],
                                   rule="rollback_batch",
                                   action="roll back")
    except ownership.OwnershipError as exc:
        raise PoolError(str(exc)) from None
    if batch.status != ImportBatch.Status.ACTIVE:
        raise PoolError(f"batch {batch_id} is {batch.status}, not active")
    later = (Incident.objects.filter(batch=batch, superseded_by__isnull=False)
             .values_list("superseded_by_id", flat=True).distinct())
    later_active = ImportBatch.objects.filter(pk__in=list(later),
                                              status=ImportBatch.Status.ACTIVE)
    if later_active.exists():
        ids = ", ".join(str(b.pk) for b in later_active)
        raise PoolError(f"batch {batch_id} was partly replaced by batch {ids}; "
                        f"roll back {ids} first")
    Incident.objects.filter(superseded_by=batch).update(superseded_by=None)
    Incident.objects.filter(batch=batch).delete()
    batch.layers.all().delete()
    batch.areas.all().delete()
    batch.indicator_values.all().delete()
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.quality = {**batch.quality, "rolled_back_by": by}
    batch.save()
    if batch.kind == "geography":
        geo_store.forget_cache()
    return batch
