"""Place canonical rows on the ONS geography: BNG coordinates, an LSOA 2021 code, flags.

Rules (each flagged and counted, never silent):

* The published LSOA code is the reliable small-area key for police.uk (points are snapped to
  anonymous map points), so a published LSOA 2021 code is kept even when the point falls in a
  neighbouring polygon; that disagreement is flagged ``LSOA_MISMATCH``.
* A published LSOA 2011 code (older police.uk files, IMD 2019 era extracts) is converted through
  the ONS 2011→2021 lookup: unchanged and merged areas map directly (``LSOA_CONVERTED``); a 2011
  area that *split* is resolved from the point when there is one (``LSOA_SPLIT``) and otherwise
  left without a 2021 code — never guessed.
* A code the loaded geography does not know is flagged ``UNKNOWN_LSOA``; the point, if any,
  then gives the LSOA.
* Rows without a published code take the LSOA their point falls in; a point in no polygon is
  flagged ``NO_POINT_IN_LSOA``.
* A row whose LSOA lies outside the partition's area (a force's PFA) is flagged
  ``OUTSIDE_AREA``: police.uk snaps some points across force borders. The row is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.sources.schema import RowFlag


@dataclass(frozen=True, kw_only=True)
class PlacementContext:
    """What placement needs from the loaded geography (built by the shell from alliance.geo)."""

    place: Callable[[np.ndarray, np.ndarray], np.ndarray]
    to_bng: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    lsoa21_codes: frozenset[str]
    lsoa11_direct: Mapping[str, str]  # 2011 code -> 2021 code for unchanged / merged areas
    lsoa11_split: frozenset[str]  # 2011 codes that split in 2021
    area_lsoas: frozenset[str] | None = None  # LSOAs of the partition's area (None: no check)


def place_rows(chunk: pd.DataFrame, ctx: PlacementContext) -> pd.DataFrame:
    out = chunk.copy()
    n = len(out)
    flags = out["flags"].fillna(0).astype("int64").to_numpy().copy()
    lon = pd.to_numeric(out["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(out["latitude"], errors="coerce").to_numpy(dtype=float)
    has_point = ~(np.isnan(lon) | np.isnan(lat))

    easting = np.full(n, np.nan)
    northing = np.full(n, np.nan)
    placed = np.full(n, None, dtype=object)
    if has_point.any():
        e, nn = ctx.to_bng(lon[has_point], lat[has_point])
        easting[has_point] = e
        northing[has_point] = nn
        placed[has_point] = ctx.place(lon[has_point], lat[has_point])
    out["easting"] = easting
    out["northing"] = northing

    published = out["lsoa_published"].astype("object").where(
        out["lsoa_published"].notna(), None).to_numpy()
    pub = np.array([p.strip() if isinstance(p, str) else "" for p in published], dtype=object)
    result = np.full(n, None, dtype=object)

    is21 = np.array([p in ctx.lsoa21_codes for p in pub], dtype=bool)
    direct = np.array([ctx.lsoa11_direct.get(p) if not is21[i] else None
                       for i, p in enumerate(pub)], dtype=object)
    is11_direct = np.array([d is not None for d in direct], dtype=bool)
    is11_split = np.array([(not is21[i]) and p in ctx.lsoa11_split for i, p in enumerate(pub)],
                          dtype=bool)
    blank = pub == ""
    unknown = ~(is21 | is11_direct | is11_split | blank)
    placed_ok = np.array([p is not None for p in placed], dtype=bool)

    result[is21] = pub[is21]
    result[is11_direct] = direct[is11_direct]
    flags[is11_direct | is11_split] |= int(RowFlag.LSOA_CONVERTED)
    split_resolved = is11_split & placed_ok
    result[split_resolved] = placed[split_resolved]
    flags[is11_split] |= int(RowFlag.LSOA_SPLIT)
    flags[unknown] |= int(RowFlag.UNKNOWN_LSOA)
    from_point = (blank | unknown) & placed_ok
    result[from_point] = placed[from_point]

    mismatch = is21 & placed_ok & (placed != pub)
    flags[mismatch] |= int(RowFlag.LSOA_MISMATCH)
    flags[has_point & ~placed_ok] |= int(RowFlag.NO_POINT_IN_LSOA)

    if ctx.area_lsoas is not None:
        known = np.array([r is not None for r in result], dtype=bool)
        outside = known & np.array([r not in ctx.area_lsoas if r is not None else False
                                    for r in result], dtype=bool)
        flags[outside] |= int(RowFlag.OUTSIDE_AREA)

    out["lsoa21_code"] = result
    out["flags"] = flags
    return out
