"""What the store holds: batches, rows, months, sources, areas — for `alliance status`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Q

from alliance.pool.definition import Definition
from alliance.web.pool import ownership
from alliance.web.pool.models import (
    Area,
    DefinitionVersion,
    ImportBatch,
    Incident,
    IndicatorValue,
)

_CURRENT = Q(superseded_by__isnull=True, batch__status=ImportBatch.Status.ACTIVE)


def status() -> dict[str, Any]:
    current = Incident.objects.filter(_CURRENT)
    by_source = list(
        current.values("source", "partition")
        .annotate(rows=Count("id"), first_month=Min("month"), last_month=Max("month"),
                  months=Count("month", distinct=True))
        .order_by("source", "partition"))
    months = list(current.values("month").annotate(rows=Count("id")).order_by("month"))
    included = list(current.filter(sv_included=True).values("sv_category", "sv_proxy")
                    .annotate(rows=Count("id")).order_by("sv_category"))
    batches = list(
        ImportBatch.objects.order_by("id").values(
            "id", "kind", "source", "status", "description", "created_at", "rows_loaded",
            "rows_set_aside", "rows_superseded", "created_by"))
    for b in batches:
        b["created_at"] = b["created_at"].isoformat() if b["created_at"] else None
    geo_batch = (ImportBatch.objects.filter(kind="geography", status="active")
                 .order_by("-id").first())
    areas: dict[str, int] = {}
    if geo_batch is not None:
        areas = {r["level"]: r["n"] for r in Area.objects.filter(batch=geo_batch)
                 .values("level").annotate(n=Count("id"))}
    definition = DefinitionVersion.objects.filter(is_active=True).first()
    labels: dict[str, str] = {}
    if definition is not None:
        labels = Definition.from_json(definition.body).categories
    for c in included:
        c["label"] = labels.get(c["sv_category"], c["sv_category"])
    active_batches = [b for b in batches if b["status"] == "active"]
    reasons: dict[str, dict[str, Any]] = {}
    for b in ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE, kind="incidents"):
        for name, info in ((b.quality or {}).get("flags") or {}).items():
            entry = reasons.setdefault(name, {"rows": 0, "meaning": info.get("meaning", "")})
            entry["rows"] += int(info.get("rows", 0))
    return {
        "rows": current.count(),
        "rows_set_aside": int(sum(b["rows_set_aside"] for b in active_batches
                                  if b["kind"] == "incidents")),
        "flagged_rows_by_reason": reasons,
        "rows_superseded": Incident.objects.filter(superseded_by__isnull=False).count(),
        "months": [m["month"] for m in months],
        "month_count": len(months),
        "rows_by_month": {m["month"]: m["rows"] for m in months},
        "sources": by_source,
        "serious_violence": included,
        "definition": ({"version": definition.version, "name": definition.name}
                       if definition else None),
        "geography_batch": geo_batch.pk if geo_batch else None,
        "areas": areas,
        "indicators": IndicatorValue.objects.filter(batch__status="active").count(),
        "batches": batches,
        # held in the store but left out of every output until their agreement is renewed
        "withheld": [{"dataset": blocked.dataset, "sources": list(sources),
                      "message": blocked.message}
                     for blocked, sources in ownership.withheld()],
    }


def quality() -> dict[str, Any]:
    """The quality reports of the active batches, and totals of each flag."""
    totals: dict[str, int] = {}
    reports = []
    for b in ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE).order_by("id"):
        q = b.quality or {}
        for name, info in (q.get("flags") or {}).items():
            totals[name] = totals.get(name, 0) + int(info.get("rows", 0))
        reports.append({"batch": b.pk, "kind": b.kind, "source": b.source,
                        "description": b.description, "report": q})
    return {"flag_totals": totals, "batches": reports}
