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
from django.db.models import QuerySet
from django.utils import timezone

from alliance import config
from alliance.pool.definition import Definition, default_definition
from alliance.pool.placement import PlacementContext, place_rows
from alliance.pool.quality import QualityReport
from alliance.pool.reissue import MonthReplacement, month_changes, month_replacement
from alliance.sources import police_uk
from alliance.sources.police_forces import force as force_info
from alliance.web.pool import geography as geo_store
from alliance.web.pool import ownership
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


class ReplacementNeedsConfirmation(PoolError):
    """The load would remove more than ``ALLIANCE_REPLACE_CONFIRM_SHARE`` of the rows of a month
    already in the pool; ``replacements`` says what would change. Nothing was changed."""

    def __init__(self, replacements: Sequence[MonthReplacement], share: float) -> None:
        self.replacements = tuple(replacements)
        self.share = share
        months = " ".join(r.describe() for r in self.replacements)
        super().__init__(f"this would remove more than {share:.0%} of the rows of "
                         f"{len(self.replacements)} month(s) already in the pool: {months} "
                         "Nothing was changed; confirm the replacement to go ahead.")


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
    #: months this load replaced, with what changed in each
    replacements: list[MonthReplacement] = field(default_factory=list)

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
    #: the force names the file's rows give ("Reported by", "Falls within"), when it has them
    forces: Callable[[], set[str]] | None = None

    @property
    def source(self) -> str:
        """The pooled source: a police.uk kind names its source; any other kind (a partner
        extract) is its own source."""
        return ownership.source_of_kind(self.kind)


def file_pieces(paths: Sequence[Path]) -> list[Piece]:
    files = police_uk.discover([Path(p) for p in paths])
    if not files:
        raise PoolError(f"no police.uk CSV files found in {', '.join(map(str, paths))}")
    return [Piece(kind=f.kind, force=f.force, month=f.month, name=f.display_name,
                  member=f.member or "", sha256=f.sha256(), size=f.size(),
                  chunks=functools.partial(police_uk.read, f),
                  forces=functools.partial(police_uk.forces_named, f)) for f in files]


def load_police_uk(paths: Sequence[Path], *, reference_dir: Path, created_by: str = "cli",
                   progress: Progress | None = None, user: Any = None,
                   confirm_removals: bool = False) -> LoadResult:
    """Load police.uk CSV files, folders or archive zips as ONE batch (all or nothing).

    ``user`` is the person loading (None: the command line, acting for the partnership); see
    :func:`check_pieces` and :func:`load_pieces` for what is refused.
    """
    return load_pieces(file_pieces(paths), reference_dir=reference_dir, created_by=created_by,
                       progress=progress, description="police.uk files", user=user,
                       confirm_removals=confirm_removals)


def check_pieces(pieces: Sequence[Piece], *, user: Any = None) -> None:
    """Refuse (:class:`PoolError`) a load that may not go ahead, before anything is read:

    - a dataset whose data-sharing agreement has expired (naming who can renew it);
    - a dataset ``user`` may not change: not their organisation's and they do not act for the
      partnership (:mod:`alliance.web.pool.ownership`);
    - police.uk data of a force outside the partnership's area, by the file name's force and
      by the forces its rows name.
    """
    sources = {p.source for p in pieces}
    membership = getattr(user, "membership", None) if user is not None else None
    partnership = membership.partnership if membership is not None else None
    try:
        ownership.check_usable(sources)
        ownership.check_may_change(user, sources, rule="upload_data", action="load or replace")
        for p in pieces:
            if p.kind not in police_uk.LAYOUTS:
                continue
            slugs = {p.force}
            for name in sorted(p.forces() if p.forces is not None else ()):
                slug = ownership.force_named(name)
                if slug is None:
                    raise PoolError(f"{p.name}: its rows give the force {name!r}, which is not "
                                    "a police force on police.uk. Nothing was changed.")
                slugs.add(slug)
            ownership.check_area(slugs, file=p.name, partnership=partnership)
    except ownership.OwnershipError as exc:
        raise PoolError(str(exc)) from None


def _pooled_month(source: str, partition: str, month: str) -> QuerySet[Incident]:
    return Incident.objects.filter(source=source, partition=partition, month=month,
                                   superseded_by__isnull=True,
                                   batch__status=ImportBatch.Status.ACTIVE)


def _frame(query: QuerySet[Incident], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(query.values_list(*columns)), columns=columns)


def replacement_plan(pieces: Sequence[Piece]) -> list[MonthReplacement]:
    """What loading ``pieces`` would change in the months already pooled (read, nothing
    written): one :class:`MonthReplacement` per month that would be replaced."""
    plans = []
    for p in pieces:
        old_q = _pooled_month(p.source, p.force, p.month)
        if not old_q.exists() or _already_loaded(p.sha256, p.kind) is not None:
            continue
        old = _frame(old_q, _PLAN_COLUMNS)
        new = pd.concat([c[_PLAN_COLUMNS] for c in p.chunks()], ignore_index=True)
        plans.append(month_replacement(old, new, source=p.source, partition=p.force,
                                       month=p.month))
    return plans


_PLAN_COLUMNS = ["record_key", "outcome", "source_category"]


def load_pieces(pieces: Sequence[Piece], *, reference_dir: Path, created_by: str,
                progress: Progress | None = None, description: str,
                source: str = "police_uk", user: Any = None,
                confirm_removals: bool = False) -> LoadResult:
    """Load ``pieces`` as one batch, all or nothing; the pieces not already loaded must pass
    :func:`check_pieces`.

    A piece that replaces a month already pooled and removes more than
    ``ALLIANCE_REPLACE_CONFIRM_SHARE`` of its rows stops the whole load with
    :class:`ReplacementNeedsConfirmation` (saying what would change) unless
    ``confirm_removals``.
    """
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
    check_pieces(todo, user=user)  # what is already loaded changes nothing, so needs no check
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
        share = config.load().replace_confirm_share
        too_many = [r for r in result.replacements if r.needs_confirmation(share)]
        if too_many and not confirm_removals:
            raise ReplacementNeedsConfirmation(too_many, share)  # the transaction rolls back
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
    source = p.source
    old_q = _pooled_month(source, p.force, p.month)
    old = _frame(old_q, [*_PLAN_COLUMNS, "batch_id"])
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
        new_keys.append(classified[_PLAN_COLUMNS])
        file_rows += len(classified)
    if file_rows == 0:
        raise PoolError(f"{p.name}: no rows")
    if not old.empty:
        new = pd.concat(new_keys, ignore_index=True)
        changes = month_changes(old, new)
        result.replacements.append(month_replacement(
            old, new, source=source, partition=p.force, month=p.month, changes=changes))
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
