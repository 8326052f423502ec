"""Pool services: load, roll back and describe what the store holds.

Views, the CLI and background tasks call these; these call the core (alliance.sources,
alliance.geo, alliance.pool) and save results. Every load is one transaction: a broken file
leaves the store exactly as it was, and a killed process leaves the old state (SQLite and
PostgreSQL both roll back an unfinished transaction).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from alliance.pool.definition import Definition, default_definition
from alliance.pool.placement import PlacementContext, place_rows
from alliance.pool.quality import QualityReport
from alliance.pool.reissue import month_changes
from alliance.sources import police_uk
from alliance.sources.police_forces import force as force_info
from alliance.web.pool import geography as geo_store
from alliance.web.pool.bulk import write_incidents
from alliance.web.pool.models import (
    DefinitionVersion,
    ImportBatch,
    Incident,
    IncidentChange,
    SourceFile,
)

Progress = Callable[[str, int, int], None]  # (what, done, total)


class PoolError(Exception):
    """A load or rollback that cannot go ahead; the message says why in one line."""


# --- the local definition ---------------------------------------------------------------

def active_definition(*, reference_dir: Path) -> tuple[DefinitionVersion, Definition]:
    """The definition in force, creating the documented default on first use."""
    row = DefinitionVersion.objects.filter(is_active=True).first()
    if row is None:
        definition = default_definition(reference_dir, version=1)
        row = DefinitionVersion.objects.create(
            version=1, name=definition.name, body=definition.to_json(), is_active=True,
            created_by="default")
        return row, definition
    return row, Definition.from_json(row.body, origin=f"definition v{row.version}")


@transaction.atomic
def install_definition(definition: Definition, *, created_by: str) -> DefinitionVersion:
    """Store ``definition`` as the next version and make it the one in force."""
    latest = DefinitionVersion.objects.order_by("-version").first()
    version = (latest.version + 1) if latest else 1
    stored = definition.with_version(version)
    DefinitionVersion.objects.update(is_active=False)
    return DefinitionVersion.objects.create(
        version=version, name=stored.name, body=stored.to_json(), is_active=True,
        created_by=created_by)


# --- police.uk ------------------------------------------------------------------------------

@dataclass
class LoadResult:
    batch_id: int | None
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    rows: int = 0
    rows_set_aside: int = 0
    rows_superseded: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)

    @property
    def nothing_new(self) -> bool:
        return self.batch_id is None


def _pfa_for(force_slug: str) -> str | None:
    try:
        return force_info(force_slug).pfa_code
    except KeyError:
        return None  # an unlisted force: rows load, no outside-area check


def _already_loaded(sha: str, kind: str) -> SourceFile | None:
    return (SourceFile.objects.filter(sha256=sha, kind=kind,
                                      batch__status=ImportBatch.Status.ACTIVE)
            .select_related("batch").first())


@dataclass(frozen=True)
class Piece:
    """One unit of a load: a file, or one month downloaded from the API."""

    kind: str  # street / outcomes / stop-and-search
    force: str
    month: str
    name: str
    member: str
    sha256: str
    size: int
    chunks: Callable[[], Iterator[pd.DataFrame]]


def _file_pieces(paths: Sequence[Path]) -> list[Piece]:
    files = police_uk.discover([Path(p) for p in paths])
    if not files:
        raise PoolError(f"no police.uk CSV files found in {', '.join(map(str, paths))}")
    return [Piece(kind=f.kind, force=f.force, month=f.month, name=f.display_name,
                  member=f.member or "", sha256=f.sha256(), size=f.size(),
                  chunks=functools.partial(police_uk.read, f)) for f in files]


def load_police_uk(paths: Sequence[Path], *, reference_dir: Path, created_by: str = "cli",
                   progress: Progress | None = None) -> LoadResult:
    """Load police.uk CSV files, folders or archive zips as ONE batch (all or nothing)."""
    return load_pieces(_file_pieces(paths), reference_dir=reference_dir, created_by=created_by,
                       progress=progress, description="police.uk files")


def load_pieces(pieces: Sequence[Piece], *, reference_dir: Path, created_by: str,
                progress: Progress | None = None, description: str,
                source: str = "police_uk") -> LoadResult:
    seen: dict[tuple[str, str, str], str] = {}
    for p in pieces:
        key = (p.kind, p.force, p.month)
        if key in seen:
            raise PoolError(
                f"two files for {p.force} {p.kind} {p.month} in one load: {seen[key]} and "
                f"{p.name}; load one copy at a time")
        seen[key] = p.name
    result = LoadResult(batch_id=None)
    todo = []
    for i, p in enumerate(pieces):
        if progress:
            progress("checking files", i, len(pieces))
        previous = _already_loaded(p.sha256, p.kind)
        if previous is not None:
            result.files_skipped.append((p.name, f"already loaded in batch {previous.batch_id}"))
        else:
            todo.append(p)
    if not todo:
        return result

    context = geo_store.placement_context_cache()
    if context.tables is None:
        raise PoolError("no geography loaded: run `alliance load geography --from DIR` first "
                        "(police.uk rows are placed on LSOA 2021 areas as they load)")
    with transaction.atomic():
        def_row, definition = active_definition(reference_dir=reference_dir)
        batch = ImportBatch.objects.create(
            kind="incidents", source=source, created_by=created_by, definition=def_row,
            description=f"{description}: {len(todo)} file(s), "
                        f"{', '.join(sorted({p.force for p in todo}))}")
        quality = QualityReport()
        total_rows = 0
        for i, p in enumerate(todo):
            if progress:
                progress(f"loading {p.name}", i, len(todo))
            file_rows = _load_piece(p, batch, def_row.version, definition,
                                    context.for_partition(_pfa_for(p.force)), quality, result,
                                    progress=progress, step=(i, len(todo)))
            quality.files.append({"file": p.name, "month": p.month, "rows": file_rows,
                                  "sha256": p.sha256})
            result.files_loaded.append(p.name)
            total_rows += file_rows
        if progress:
            progress("finishing", len(todo), len(todo))
        report = quality.to_dict()
        report["changes"] = result.changes
        batch.rows_read = batch.rows_loaded = total_rows
        batch.rows_set_aside = quality.set_aside
        batch.rows_superseded = result.rows_superseded
        batch.quality = report
        batch.status = ImportBatch.Status.ACTIVE
        batch.finished_at = timezone.now()
        batch.save()
    result.batch_id = batch.pk
    result.rows = total_rows
    result.rows_set_aside = quality.set_aside
    result.quality = report
    return result


def _load_piece(p: Piece, batch: ImportBatch, definition_version: int, definition: Definition,
                ctx: PlacementContext | None, quality: QualityReport,
                result: LoadResult, *, progress: Progress | None = None,
                step: tuple[int, int] = (0, 1)) -> int:
    # a police.uk kind names its source; any other kind (a partner extract) is its own source
    source = police_uk.LAYOUTS[p.kind].source if p.kind in police_uk.LAYOUTS else p.kind
    old_q = Incident.objects.filter(
        source=source, partition=p.force, month=p.month, superseded_by__isnull=True,
        batch__status=ImportBatch.Status.ACTIVE)
    old = pd.DataFrame.from_records(
        list(old_q.values_list("record_key", "outcome", "batch_id")),
        columns=["record_key", "outcome", "batch_id"])
    new_keys: list[pd.DataFrame] = []
    file_rows = 0
    for chunk in p.chunks():
        if progress is not None and file_rows:
            progress(f"loading {p.name}: {file_rows:,} rows so far", *step)
        placed = place_rows(chunk, ctx) if ctx is not None else chunk
        classified = definition.classify(placed)
        classified["definition_version"] = definition_version
        classified["batch_id"] = batch.pk
        write_incidents(classified)
        quality.add(classified)
        new_keys.append(classified[["record_key", "outcome"]])
        file_rows += len(classified)
    if file_rows == 0:
        raise PoolError(f"{p.name}: no rows")
    if not old.empty:
        changes = month_changes(old, pd.concat(new_keys, ignore_index=True))
        previous_batch = int(old["batch_id"].mode().iloc[0])
        IncidentChange.objects.bulk_create(
            [IncidentChange(batch=batch, previous_batch_id=previous_batch, source=source,
                            partition=p.force, month=p.month, record_key=c.record_key,
                            change=c.change, old_outcome=c.old_outcome,
                            new_outcome=c.new_outcome)
             for c in changes.itertuples(index=False)], batch_size=2000)
        for kind, n in changes["change"].value_counts().items():
            result.changes[str(kind)] = result.changes.get(str(kind), 0) + int(n)
        result.rows_superseded += old_q.update(superseded_by=batch)
    SourceFile.objects.create(
        batch=batch, name=p.name, member=p.member, kind=p.kind, partition=p.force,
        month=p.month, sha256=p.sha256, size=p.size, rows=file_rows)
    return file_rows


# --- rollback -------------------------------------------------------------------------------

@transaction.atomic
def rollback(batch_id: int, *, by: str = "cli") -> ImportBatch:
    """Undo a batch: its rows go, the rows it superseded come back."""
    try:
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    except ImportBatch.DoesNotExist:
        raise PoolError(f"no batch {batch_id}") from None
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
