"""Fast columnar counts of police.uk street crime by LSOA, month and local category.

For national-size work (about six million rows a year) the row-level reader is the wrong tool:
it builds a Python record per row. Here each file is parsed and checked by pyarrow in C++
(:func:`alliance.sources.police_uk_count.count_file`, one file per core) into counts by
(LSOA code, Crime type), and the counts of all files are merged with NumPy over integer codes:
no string is hashed or sorted per row, and memory holds a few files at a time however many
there are.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.police_uk_count import FileCounts, count_file
from alliance.sources.police_uk_files import PoliceUkFile, discover

UNKNOWN_CATEGORY = "unknown"
_COLUMNS = ["lsoa_code", "month", "category", "count"]


def aggregate_lsoa_month(
    files: Iterable[PoliceUkFile | Path],
    *,
    category_map: Mapping[str, str],
    max_workers: int | None = None,
) -> pd.DataFrame:
    """Count street-level crimes by LSOA, month and local category.

    Parameters
    ----------
    files
        police.uk street files (``PoliceUkFile`` from :func:`discover`, or paths to discover).
    category_map
        police.uk ``Crime type`` -> local category. Crime types not in the map are counted
        under ``'unknown'`` (never dropped), so the total always equals the number of rows.
    max_workers
        Files parsed at once (default: the number of CPUs).

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa_code`` (published LSOA code; null for "No Location" rows, which are
        kept so that force totals stay whole), ``month``, ``category``, ``count`` (int64),
        sorted by month, lsoa_code, category.

    Raises
    ------
    SourceFileError
        Any file fails validation; no partial result is returned.
    """
    chosen = _as_files(files)
    workers = max_workers or os.cpu_count() or 1
    parts: list[FileCounts] = []
    if chosen:
        with ThreadPoolExecutor(max_workers=min(workers, len(chosen))) as pool:
            for counted in pool.map(count_file, chosen):
                parts.extend(counted)
    return _merged(parts, category_map)


def _as_files(files: Iterable[PoliceUkFile | Path]) -> list[PoliceUkFile]:
    items = list(files)
    paths = [Path(f) for f in items if not isinstance(f, PoliceUkFile)]
    chosen = [f for f in items if isinstance(f, PoliceUkFile)]
    if paths:
        chosen.extend(discover(paths))
    for f in chosen:
        if f.kind != "street":
            raise ValueError(f"{f.display_name}: aggregate_lsoa_month counts street-level "
                             f"crime only, got a {f.kind} file")
    return chosen


def _merged(parts: list[FileCounts], category_map: Mapping[str, str]) -> pd.DataFrame:
    """All files' counts summed by (LSOA code, month, category), in the documented order.

    Each file's LSOA codes and crime types get a number in one shared table, numbered in the
    output's sort order (codes as text, the empty "No Location" code last; categories as
    text), so that within a month the sorted integer key is already the output order.
    """
    lsoa_ids: dict[str, int] = {}
    type_ids: dict[str, int] = {}
    by_month: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for part in parts:
        lsoa = np.fromiter((lsoa_ids.setdefault(v, len(lsoa_ids)) for v in part.lsoa),
                           dtype=np.int64, count=len(part.lsoa))
        kind = np.fromiter((type_ids.setdefault(v, len(type_ids)) for v in part.crime_type),
                           dtype=np.int64, count=len(part.crime_type))
        by_month.setdefault(part.month, []).append(
            (lsoa[part.lsoa_index], kind[part.type_index], part.count))
    codes = sorted(lsoa_ids, key=lambda code: (code == "", code))
    rank = np.empty(len(codes), dtype=np.int64)
    rank[[lsoa_ids[c] for c in codes]] = np.arange(len(codes))
    categories = sorted({category_map.get(t, UNKNOWN_CATEGORY) for t in type_ids})
    category_of = np.array([categories.index(category_map.get(t, UNKNOWN_CATEGORY))
                            for t in type_ids], dtype=np.int64)
    n_categories = max(len(categories), 1)
    columns: dict[str, list[np.ndarray]] = {name: [] for name in _COLUMNS}
    for month in sorted(by_month):
        lsoa, kind, count = (np.concatenate(c) for c in zip(*by_month[month], strict=True))
        key = rank[lsoa] * n_categories + category_of[kind]
        unique, position = np.unique(key, return_inverse=True)
        columns["lsoa_code"].append(unique // n_categories)
        columns["month"].append(np.full(unique.size, month, dtype=object))
        columns["category"].append(unique % n_categories)
        columns["count"].append(np.bincount(position, weights=count).astype(np.int64))
    joined = {name: np.concatenate(c) if c else np.array([], dtype=np.int64)
              for name, c in columns.items()}
    text = pd.StringDtype(na_value=np.nan)
    published = np.array([c or None for c in codes], dtype=object)
    return pd.DataFrame({
        "lsoa_code": pd.array(published[joined["lsoa_code"]], dtype=text),
        "month": pd.array(joined["month"].astype(object), dtype=text),
        "category": pd.array(np.array(categories, dtype=object)[joined["category"]],
                             dtype=text),
        "count": joined["count"],
    })
