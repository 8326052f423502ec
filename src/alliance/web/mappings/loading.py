"""Load a validated partner extract into the pool: the work of the ``load_partner_extract`` task.

The upload and mapping pages check every row first; this runs after the person confirms, in the
background (a worker, or at once in the request when tasks run inline), with progress on the
task's page. The whole file is one batch in one transaction, and the column mapping is saved in
the same transaction, so a failed load leaves neither rows nor a remembered mapping behind.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils.text import slugify

from alliance import config
from alliance.privacy.pseudonym import MissingPseudonymKey
from alliance.sources import istv
from alliance.sources.errors import SourceFileError
from alliance.sources.partner_extract import (
    ExtractInvalid,
    PartnerExtract,
    RowError,
    map_extract,
)
from alliance.web.accounts.models import Organisation
from alliance.web.audit.services import record_for_task
from alliance.web.mappings.models import ColumnMapping, PendingExtract
from alliance.web.mappings.ownership import data_owner_name
from alliance.web.places import services as places
from alliance.web.pool import services as pool_services
from alliance.web.tasks.models import Task
from alliance.web.tasks.services import Progress, TaskFailed, handler

KIND = "load_partner_extract"


def source_for(organisation: Organisation, dataset: str, kind: str) -> tuple[str, str]:
    """(source, partition) written on the rows.

    The source is the kind chosen on upload (``police_extract``, ``istv_ae`` ...) or, for other
    partner data, ``partner_<dataset>``; the partition is the organisation that owns the data
    (:func:`alliance.web.mappings.ownership.data_owner_name`, not whoever uploaded it) and the
    dataset, so a corrected re-issue of a month replaces that month of that dataset only,
    whoever sends it.
    """
    dataset_slug = slugify(dataset).replace("-", "_")[:40] or "dataset"
    source = f"partner_{dataset_slug}" if kind == "partner" else kind
    owner = data_owner_name(source, uploader=organisation)
    partition = f"{slugify(owner)[:50]}/{dataset_slug}"
    return source, partition


def read_extract(pending: PendingExtract, mapping: dict[str, str]) -> PartnerExtract:
    """The pending file read through ``mapping`` (raises ExtractInvalid with every row fault);
    an A&E return is also checked as a return (one site, its own reporting period)."""
    source, partition = source_for(pending.organisation, pending.dataset, pending.kind)
    if source == istv.SOURCE:
        try:
            return istv.read_return(bytes(pending.content), file=pending.name,
                                    partition=partition, mapping=mapping).extract
        except istv.ReturnRefused as exc:
            raise ExtractInvalid(pending.name, [RowError(exc.line, "site" if exc.field and
                                                         "site" in exc.field.lower() else "date",
                                                         exc.field, exc.message)]) from exc
    return map_extract(bytes(pending.content), mapping, file=pending.name, source=source,
                       partition=partition)


def extract_of(pending: PendingExtract, mapping: dict[str, str]) -> PartnerExtract:
    """:func:`read_extract`, its rows placed by postcode or written location."""
    extract, _ = places.place_extract(read_extract(pending, mapping))
    return extract


def pieces(extract: PartnerExtract, size: int) -> list[pool_services.Piece]:
    def chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
        yield frame

    pieces = []
    for month in extract.months:
        # one piece per month; its identity is the file, where its rows are filed, and the month
        sha = hashlib.sha256(f"{extract.sha256}:{extract.source}:{extract.partition}:{month}"
                             .encode()).hexdigest()
        pieces.append(pool_services.Piece(
            kind=extract.source, force=extract.partition, month=month,
            name=f"{extract.file} ({month})", member="", sha256=sha, size=size,
            chunks=functools.partial(chunks, extract.month_frame(month))))
    return pieces


@handler(KIND)
def load_partner_extract(task: Task, progress: Progress) -> dict[str, Any]:
    """Load the confirmed :class:`PendingExtract` ``arguments['token']`` as one batch."""
    pending = (PendingExtract.objects.select_related("organisation", "uploaded_by")
               .filter(token=str(task.arguments.get("token", ""))).first())
    name = str(task.arguments.get("name", ""))
    if pending is None:
        raise TaskFailed(f"The upload {name!r} is no longer waiting (it was loaded already, or "
                         "it was more than a day old and was deleted). Upload it again.")
    actor = pending.uploaded_by.email
    progress(f"Checking {pending.name}", 0, 1)
    try:
        extract = extract_of(pending, dict(pending.columns))
    except (ExtractInvalid, MissingPseudonymKey, SourceFileError) as exc:
        # the file passed when confirmed; this means the key or the rules changed since
        pending.validated = False
        pending.save(update_fields=["validated"])
        record_for_task(task, "upload_rejected", target=pending.name, reason=str(exc)[:300])
        raise TaskFailed(f"{pending.name} no longer passes its checks: {exc}. Check the "
                         "column mapping again.") from exc
    confirmed = bool(task.arguments.get("confirm_removals"))
    try:
        with transaction.atomic():
            # refused unless the uploader may change this dataset (its owner, or an analyst)
            result = pool_services.load_pieces(
                pieces(extract, len(pending.content)), reference_dir=config.load().reference,
                created_by=actor, source=extract.source, progress=progress,
                description=f"{pending.dataset} from "
                            f"{data_owner_name(extract.source, uploader=pending.organisation)}",
                user=pending.uploaded_by, confirm_removals=confirmed)
            ColumnMapping.objects.update_or_create(
                organisation=pending.organisation, dataset=pending.dataset,
                defaults={"columns": dict(pending.columns), "source": extract.source,
                          "updated_by": actor})
    except pool_services.PoolError as exc:
        record_for_task(task, "upload_rejected", target=pending.name, reason=str(exc)[:300])
        raise TaskFailed(f"{pending.name} was not loaded: {exc}") from exc
    record_for_task(task, "upload", target=pending.name, batch=result.batch_id,
                    rows=result.rows, dataset=pending.dataset, source=extract.source,
                    columns=dict(pending.columns), replace_confirmed=confirmed,
                    replaced=[r.describe() for r in result.replacements])
    # loaded, or known already: the raw upload (which may hold identifiers) is not kept
    pending.delete()
    return {"name": pending.name, "dataset": pending.dataset, "batch_id": result.batch_id,
            "rows": result.rows, "months": list(extract.months),
            "files_skipped": [list(s) for s in result.files_skipped]}
