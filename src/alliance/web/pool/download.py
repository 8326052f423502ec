"""Download police.uk months for a force from data.police.uk and load them as one batch.

The API gives the same records as the CSV archive (crimes in the force boundary, plus the
force's crimes without a location); each month becomes one piece of the batch, identified by the
SHA-256 of its canonical rows, so downloading an unchanged month again adds nothing.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import shapely

from alliance.sources.police_api import PoliceApi, download_force_months
from alliance.sources.police_api_frame import check_month_text, shift_month
from alliance.sources.police_forces import force as force_info
from alliance.web.pool import geography as geo_store
from alliance.web.pool.services import LoadResult, Piece, PoolError, Progress, load_pieces


def month_range(spec: str) -> list[str]:
    """'2025-01:2025-12' -> the months from first to last inclusive."""
    first, sep, last = spec.partition(":")
    first = check_month_text(first.strip(), what="--months start")
    last = check_month_text((last if sep else first).strip(), what="--months end")
    if last < first:
        raise ValueError(f"--months {spec}: the end comes before the start")
    months = [first]
    while months[-1] != last:
        months.append(shift_month(months[-1], 1))
    return months


def download_police_uk(*, force: str, months: str, reference_dir: Path,
                       api: PoliceApi | None = None, progress: Progress | None = None,
                       confirm_removals: bool = False) -> LoadResult:
    info = force_info(force)
    wanted = month_range(months)
    tables = geo_store.stored_tables()
    if tables is None:
        raise PoolError("no geography loaded: run `alliance load geography --from DIR` first "
                        "(the force boundary comes from it)")
    pfa = tables.pfa_boundaries
    row = pfa.loc[pfa["code"] == info.pfa_code]
    if row.empty:
        raise PoolError(f"{info.name}: no police force area boundary {info.pfa_code} in the "
                        "loaded geography")
    boundary = shapely.from_wkb(row["geometry_wkb"].iloc[0])
    api = api or PoliceApi()
    pieces = []
    for i, (month, frame) in enumerate(download_force_months(
            api, force=force, months=wanted, boundary_polygon=boundary)):
        if progress:
            progress(f"downloaded {force} {month}", i + 1, len(wanted))
        # only hashed (the month's identity, so an unchanged month adds nothing), never written
        body = frame.to_csv(index=False).encode("utf-8")
        pieces.append(Piece(kind="street", force=force, month=month,
                            name=f"data.police.uk API {force} {month}", member="",
                            sha256=hashlib.sha256(body).hexdigest(), size=len(body),
                            chunks=functools.partial(iter, [frame])))
    return load_pieces(pieces, reference_dir=reference_dir, created_by="cli",
                       progress=progress, description="data.police.uk download",
                       confirm_removals=confirm_removals)
