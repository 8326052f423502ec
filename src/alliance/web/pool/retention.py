"""Retention: delete pooled rows past their data-sharing agreement's retention date.

An agreement may say how long record-level rows are kept (``Agreement.retention_months``): a
row describing month *M* is kept to the end of *M* plus that many months, then deleted, in
every batch, current or superseded. The governing agreement of each dataset decides (its
current version's rule: a renewal that shortens retention applies at once). The scheduled job
calls :func:`apply_retention` (``alliance retention``, run daily by the scheduler); every
deletion is one audit event per dataset (action ``retention_deletion``) naming the agreement,
the cut-off month and the rows deleted from each batch, and each batch counts its
``rows_deleted``, which changes :func:`alliance.web.pool.queries.version`, so every cached
figure is rebuilt without the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db import transaction
from django.db.models import Count, F

from alliance import clock
from alliance.web.audit.services import record
from alliance.web.partnerships.models import DATASETS, SOURCE_DATASETS
from alliance.web.partnerships.services import governing_agreements
from alliance.web.pool.models import ImportBatch, Incident

ACTOR = "the scheduled retention task"


@dataclass(frozen=True)
class Deletion:
    """Rows of one dataset deleted because they passed their retention date."""

    dataset: str
    agreement: str
    keep_from: str  # the first month kept (YYYY-MM)
    rows: int
    by_batch: dict[int, int]

    @property
    def message(self) -> str:
        label = DATASETS.get(self.dataset, self.dataset)
        return (f"{label}: {self.rows:,} row(s) describing months before {self.keep_from} "
                f"deleted, as the agreement \u201c{self.agreement}\u201d requires.")


def first_month_kept(today: date, months: int) -> str:
    """Rows of months before this one have passed their retention date on ``today``: a row
    of month M is kept to the last day of M + ``months``."""
    return str(pd.Period(today, freq="M") - months)


def apply_retention(*, today: date | None = None, dry_run: bool = False) -> list[Deletion]:
    """Delete every row past its retention date (``dry_run``: only say what would go)."""
    today = today or clock.today()
    done: list[Deletion] = []
    for dataset, governing in governing_agreements(None).items():
        months = governing.current.retention_months
        if not months:
            continue
        sources = [s for s, d in SOURCE_DATASETS.items() if d == dataset]
        keep_from = first_month_kept(today, months)
        with transaction.atomic():
            rows = Incident.objects.filter(source__in=sources, month__lt=keep_from)
            by_batch = {int(b): int(n) for b, n in rows.order_by().values("batch_id")
                        .annotate(n=Count("id")).values_list("batch_id", "n")}
            if not by_batch:
                continue
            deletion = Deletion(dataset=dataset, agreement=governing.current.title,
                                keep_from=keep_from, rows=sum(by_batch.values()),
                                by_batch=by_batch)
            done.append(deletion)
            if dry_run:
                continue
            rows.delete()
            for batch_id, n in by_batch.items():
                ImportBatch.objects.filter(pk=batch_id).update(
                    rows_deleted=F("rows_deleted") + n)
            record(None, "retention_deletion", target=DATASETS.get(dataset, dataset),
                   actor_email=ACTOR, agreement=deletion.agreement, keep_from=keep_from,
                   rows=deletion.rows, batches={str(k): v for k, v in by_batch.items()})
    if done and not dry_run:
        from alliance.web.pool.publication import forget_cache
        from alliance.web.pool.queries import forget_version

        forget_version()  # rows_deleted changed by update(), which sends no signal
        forget_cache()
    return done
