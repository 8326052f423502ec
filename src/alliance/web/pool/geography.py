"""Geography in the store: load a folder of ONS files, keep it as layers, read it back.

Each table of :class:`alliance.geo.tables.GeographyTables` is stored as one Parquet blob in
:class:`GeographyLayer` (boundaries as WKB inside it), so the system of record holds the exact
tables the core works from, without a spatial database extension. Areas are also written as rows
(:class:`Area`) for look-ups and pickers. A new geography load is a batch like any other and
replaces the one before; rolling it back brings the previous one back.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from alliance.geo.areas import Geography
from alliance.geo.ons import read_geography_folder
from alliance.geo.spatial import LsoaIndex, to_bng
from alliance.geo.tables import GeographyTables
from alliance.pool.placement import PlacementContext
from alliance.web.pool.models import Area, GeographyLayer, ImportBatch
from alliance.web.pool.per_request import OncePerRequest

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _to_parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def load_geography(folder: Path, *, created_by: str = "cli",
                   progress: Callable[[str], None] | None = None) -> ImportBatch:
    """Read the published files in ``folder`` and store them as one geography batch."""
    tables = read_geography_folder(folder, progress=progress)
    layers = tables.layers()
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind="geography", source="ons_geography", created_by=created_by,
            description=f"ONS geography from {folder}")
        for name, frame in layers.items():
            if progress:
                progress(f"storing {name} ({len(frame):,} rows)")
            GeographyLayer.objects.create(batch=batch, name=name, rows=len(frame),
                                          data=_to_parquet(frame))
        areas = layers["areas"]
        Area.objects.bulk_create(
            [Area(batch=batch, code=r.code, name=r.name, level=r.level, vintage=r.vintage or "")
             for r in areas.itertuples(index=False)], batch_size=5000)
        issues = layers.get("input_issues", pd.DataFrame())
        batch.quality = {
            "layers": {name: len(frame) for name, frame in layers.items()},
            "areas_by_level": areas["level"].value_counts().to_dict(),
            "input_issues": len(issues),
            "input_issue_examples": issues.head(20).astype(str).to_dict("records"),
        }
        batch.rows_read = batch.rows_loaded = int(sum(len(f) for f in layers.values()))
        batch.status = ImportBatch.Status.ACTIVE
        batch.finished_at = timezone.now()
        batch.save()
    forget_cache()
    return batch


def _read_current_batch() -> tuple[ImportBatch | None]:
    return (ImportBatch.objects.filter(kind="geography", status=ImportBatch.Status.ACTIVE)
            .order_by("-id").first(),)


#: read once per web request (a page of figures asks for it more than once); a batch saved or
#: deleted during the request (a geography load) forgets it
_current: OncePerRequest[tuple[ImportBatch | None]] = OncePerRequest(
    "alliance.pool.geography", _read_current_batch)
post_save.connect(_current.forget, sender=ImportBatch, dispatch_uid="alliance.pool.geo.saved")
post_delete.connect(_current.forget, sender=ImportBatch,
                    dispatch_uid="alliance.pool.geo.deleted")


def current_batch() -> ImportBatch | None:
    """The geography in force (its batch), or None before any is loaded."""
    return _current.get()[0]


def forget_cache() -> None:
    with _lock:
        _cache.clear()


def stored_tables() -> GeographyTables | None:
    """The tables of the geography in force, read back from the store (cached)."""
    batch = current_batch()
    if batch is None:
        return None
    with _lock:
        cached = _cache.get("tables")
        if cached is not None and cached[0] == batch.pk:
            return cached[1]
        layers = {
            layer.name: pd.read_parquet(io.BytesIO(bytes(layer.data)))
            for layer in GeographyLayer.objects.filter(batch=batch)
        }
        tables = GeographyTables.from_layers(layers)
        _cache["tables"] = (batch.pk, tables)
        return tables


def geography() -> Geography | None:
    batch = current_batch()
    if batch is None:
        return None
    with _lock:
        cached = _cache.get("geography")
        if cached is not None and cached[0] == batch.pk:
            return cached[1]
    tables = stored_tables()
    if tables is None:
        return None
    geo = Geography(tables)
    with _lock:
        _cache["geography"] = (batch.pk, geo)
    return geo


@dataclass
class PlacementContextCache:
    """Builds a PlacementContext per partition (police force) from the stored geography."""

    geography: Geography | None
    tables: GeographyTables | None
    _index: LsoaIndex | None = None
    _contexts: dict[str | None, PlacementContext | None] = field(default_factory=dict)

    def for_partition(self, pfa_code: str | None) -> PlacementContext | None:
        if self.tables is None or self.geography is None:
            return None
        if pfa_code in self._contexts:
            return self._contexts[pfa_code]
        if self._index is None:
            self._index = LsoaIndex.from_boundaries(self.tables.lsoa21_boundaries)
        lookup = self.tables.lsoa11_to_21
        split_codes = lookup.loc[lookup["change_code"].isin(["S"]), "lsoa11_code"]
        direct = lookup.loc[~lookup["lsoa11_code"].isin(split_codes)]
        area_lsoas: frozenset[str] | None = None
        if pfa_code:
            try:
                area_lsoas = frozenset(self.geography.resolve(pfa_code).lsoa21)
            except (LookupError, ValueError):
                area_lsoas = None
        index = self._index
        ctx = PlacementContext(
            place=index.place,
            to_bng=to_bng,
            lsoa21_codes=frozenset(self.tables.lsoa21_boundaries["code"]),
            lsoa11_direct=dict(zip(direct["lsoa11_code"], direct["lsoa21_code"], strict=True)),
            lsoa11_split=frozenset(split_codes),
            area_lsoas=area_lsoas,
        )
        self._contexts[pfa_code] = ctx
        return ctx


def placement_context_cache() -> PlacementContextCache:
    return PlacementContextCache(geography=geography(), tables=stored_tables())
