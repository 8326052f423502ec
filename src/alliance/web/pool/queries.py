"""Read current pooled data as tables for the core (statistics, reports, dashboards).

"Current" means rows of active batches that no re-issue has superseded, of datasets whose
data-sharing agreement has not expired: every output reads pooled rows through
:func:`current_incidents`, so the dashboard, the SNA and every export leave out the data of an
expired agreement, and :func:`withheld` tells them what was left out and who can renew it. Reads
are columnar (``values_list`` straight into pandas, no model instances), and every read says
which import batches it used, so a report can name them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save

from alliance.web.partnerships.services import BlockedDataset
from alliance.web.pool import ownership
from alliance.web.pool.models import ImportBatch, Incident, IndicatorValue
from alliance.web.pool.per_request import OncePerRequest

DEFAULT_COLUMNS: tuple[str, ...] = (
    "source", "partition", "month", "occurred_date", "occurred_time", "source_category",
    "offence_code", "sv_category", "sv_included", "sv_proxy", "definition_version",
    "knife_flag", "longitude", "latitude", "easting", "northing", "lsoa21_code", "outcome",
    "flags", "batch_id",
)
#: record-level person columns: read only by record-level views, which audit the access
PERSON_COLUMNS: tuple[str, ...] = ("subject_role", "age", "sex", "person_key")


def current_incidents() -> QuerySet[Incident]:
    """Rows in use: active batches, not superseded, agreement not expired."""
    rows = Incident.objects.filter(superseded_by__isnull=True,
                                   batch__status=ImportBatch.Status.ACTIVE)
    stopped = ownership.withheld_sources()
    return rows.exclude(source__in=stopped) if stopped else rows


def _read_version() -> tuple[object, ...]:
    from django.db.models import Count, Max, Sum

    agg = ImportBatch.objects.aggregate(
        last=Max("id"), active=Count("id", filter=Q(status=ImportBatch.Status.ACTIVE)),
        finished=Max("finished_at"), undone=Max("rolled_back_at"), deleted=Sum("rows_deleted"))
    return (int(agg["last"] or 0), int(agg["active"] or 0), agg["finished"], agg["undone"],
            int(agg["deleted"] or 0), ownership.withheld_sources())


#: read once per web request (a dashboard page asks four times, each an aggregate over the
#: batches); a batch saved or deleted during the request (an inline load, a rollback) forgets it
_version: OncePerRequest[tuple[object, ...]] = OncePerRequest("alliance.pool.version",
                                                               _read_version)
forget_version = _version.forget
post_save.connect(forget_version, sender=ImportBatch, dispatch_uid="alliance.pool.v.saved")
post_delete.connect(forget_version, sender=ImportBatch, dispatch_uid="alliance.pool.v.deleted")


def version() -> tuple[object, ...]:
    """Changes whenever what the outputs may read changes: a batch loaded or rolled back, or an
    agreement expiring or renewed (a cache of computed figures should key on it).

    The times a batch last finished or was rolled back are part of it: a store emptied and
    loaded again (a test database rolled back, a restored backup) can reuse batch numbers.
    """
    return _version.get()


def withheld() -> list[BlockedDataset]:
    """The datasets left out of every output because their agreement expired, each with the
    organisation that can renew it (``.message`` says it in a sentence)."""
    return [blocked for blocked, _ in ownership.withheld()]


@dataclass(frozen=True)
class IncidentTable:
    rows: pd.DataFrame
    batch_ids: tuple[int, ...]


def incidents(*, lsoa21: Sequence[str] | None = None, months: Sequence[str] | None = None,
              sources: Sequence[str] | None = None, partitions: Sequence[str] | None = None,
              included_only: bool = False, columns: Sequence[str] = DEFAULT_COLUMNS,
              include_no_location_of: Sequence[str] | None = None) -> IncidentTable:
    """Current incidents as a DataFrame.

    ``lsoa21`` restricts to rows placed in those LSOAs. Rows without an LSOA ("No Location"
    police.uk rows) belong to no area; pass the force slugs in ``include_no_location_of`` to
    keep them too, for force-level totals.
    """
    bad = [c for c in columns if c not in {f.attname for f in Incident._meta.fields}]
    if bad:
        raise ValueError(f"unknown incident columns: {', '.join(bad)}")
    q = current_incidents()
    if months is not None:
        q = q.filter(month__in=list(months))
    if sources is not None:
        q = q.filter(source__in=list(sources))
    if partitions is not None:
        q = q.filter(partition__in=list(partitions))
    if included_only:
        q = q.filter(sv_included=True)
    if lsoa21 is not None:
        cond = Q(lsoa21_code__in=list(lsoa21))
        if include_no_location_of:
            cond |= Q(lsoa21_code__isnull=True, partition__in=list(include_no_location_of))
        q = q.filter(cond)
    frame = pd.DataFrame.from_records(list(q.values_list(*columns)), columns=list(columns))
    batch_ids = tuple(sorted(int(b) for b in frame["batch_id"].unique())) \
        if "batch_id" in frame and not frame.empty else ()
    return IncidentTable(rows=frame, batch_ids=batch_ids)


def counts(*, by: Sequence[str], lsoa21: Sequence[str] | None = None,
           months: Sequence[str] | None = None, included_only: bool = False) -> pd.DataFrame:
    """Aggregated counts done by the database (GROUP BY), for dashboards."""
    from django.db.models import Count

    q = current_incidents()
    if months is not None:
        q = q.filter(month__in=list(months))
    if lsoa21 is not None:
        q = q.filter(lsoa21_code__in=list(lsoa21))
    if included_only:
        q = q.filter(sv_included=True)
    rows = list(q.values(*by).annotate(count=Count("id")).order_by(*by))
    return pd.DataFrame(rows, columns=[*by, "count"])


def indicators(*, measures: Sequence[str] | None = None,
               area_codes: Sequence[str] | None = None) -> pd.DataFrame:
    q = IndicatorValue.objects.filter(batch__status=ImportBatch.Status.ACTIVE)
    if measures is not None:
        q = q.filter(measure__in=list(measures))
    if area_codes is not None:
        q = q.filter(area_code__in=list(area_codes))
    cols = ["area_code", "area_name", "area_level", "period", "period_start", "period_end",
            "measure", "measure_label", "breakdown", "numerator", "denominator", "value", "unit",
            "source", "source_file", "notes", "batch_id"]
    return pd.DataFrame.from_records(list(q.values_list(*cols)), columns=cols)


def batches(ids: Sequence[int]) -> pd.DataFrame:
    cols = ["id", "kind", "source", "description", "created_at", "finished_at", "rows_loaded"]
    q = ImportBatch.objects.filter(pk__in=list(ids)).order_by("id").values_list(*cols)
    return pd.DataFrame.from_records(list(q), columns=cols)
