"""Load published partner statistics as aggregate indicators, under the batch rules.

One command loads one batch (all or nothing); a file already loaded (same SHA-256) adds
nothing; the batch can be rolled back like any other.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from alliance.sources import partners
from alliance.web.pool.models import ImportBatch, IndicatorValue, SourceFile


@dataclass
class IndicatorLoad:
    batch_id: int | None
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[tuple[str, str]] = field(default_factory=list)
    rows: int = 0
    problems: int = 0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def load_indicators(paths: Sequence[Path], *, created_by: str = "cli") -> IndicatorLoad:
    files: list[Path] = []
    result = IndicatorLoad(batch_id=None)
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise FileNotFoundError(f"{p}: not found")
        if p.is_dir():
            for found in partners.discover(p):
                if found.reader is not None:
                    files.append(found.path)
                else:
                    result.files_skipped.append((found.path.name, found.note))
        else:
            files.append(p)
    if not files:
        raise ValueError(f"no partner statistics files recognised in {', '.join(map(str, paths))}")
    todo: list[tuple[Path, str]] = []
    for f in files:
        sha = _sha256(f)
        prev = SourceFile.objects.filter(sha256=sha, kind="indicators",
                                         batch__status=ImportBatch.Status.ACTIVE).first()
        if prev:
            result.files_skipped.append((f.name, f"already loaded in batch {prev.batch_id}"))
        else:
            todo.append((f, sha))
    if not todo:
        return result
    reads = [(f, sha, partners.read(f)) for f, sha in todo]  # parse everything before writing
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind="indicators", source="partners", created_by=created_by,
            description=f"partner statistics: {len(todo)} file(s)")
        problems: list[dict[str, Any]] = []
        for f, sha, read in reads:
            table = read.table
            objs = [
                IndicatorValue(
                    batch=batch, area_code=str(r.get("area_code") or ""),
                    area_name=str(r.get("area_name") or "")[:200],
                    area_level=str(r.get("area_level") or ""), period=str(r.get("period") or ""),
                    period_start=_date(r.get("period_start")),
                    period_end=_date(r.get("period_end")),
                    measure=str(r.get("measure") or ""),
                    measure_label=str(r.get("measure_label") or "")[:300],
                    breakdown=str(r.get("breakdown") or "")[:200],
                    numerator=_num(r.get("numerator")), denominator=_num(r.get("denominator")),
                    value=_num(r.get("value")), unit=str(r.get("unit") or ""),
                    source=str(r.get("source") or read.dataset),
                    source_file=f.name, source_line=int(r["source_line"])
                    if _num(r.get("source_line")) is not None else None,
                    notes=str(r.get("notes") or "")[:500])
                for r in table.to_dict("records")
            ]
            IndicatorValue.objects.bulk_create(objs, batch_size=5000)
            SourceFile.objects.create(batch=batch, name=f.name, kind="indicators",
                                      partition=read.dataset, sha256=sha,
                                      size=f.stat().st_size, rows=len(objs))
            problems.extend({"file": f.name, "problem": str(p)} for p in read.problems)
            result.files_loaded.append(f.name)
            result.rows += len(objs)
        result.problems = len(problems)
        batch.rows_read = batch.rows_loaded = result.rows
        batch.rows_set_aside = len(problems)
        batch.quality = {"rows": result.rows, "problems": problems[:200],
                         "problem_count": len(problems),
                         "files": [{"file": f.name, "dataset": r.dataset, "rows": len(r.table)}
                                   for f, _, r in reads]}
        batch.status = ImportBatch.Status.ACTIVE
        batch.finished_at = timezone.now()
        batch.save()
    result.batch_id = batch.pk
    return result
