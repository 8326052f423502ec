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
import pyarrow as pa
import pyarrow.compute as pc

from alliance.sources.police_uk_count import FileCounts, count_file
from alliance.sources.police_uk_files import PoliceUkFile, discover

UNKNOWN_CATEGORY = "unknown"


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

    The LSOA codes and crime types of all files are numbered together (one dictionary
    encoding each), the codes in the output's sort order (as text, the empty "No Location"
    code last) and the categories as text, so that within a month the sorted integer key
    (code rank x categories + category) is already the output order.
    """
    if not parts:
        return _frame(np.array([], dtype=object), [], {})
    lsoa_id, codes = _numbered([p.lsoa for p in parts])
    type_id, kinds = _numbered([p.crime_type for p in parts])
    rank = np.empty(len(codes), dtype=np.int64)
    empty_last = pa.table({"empty": pc.equal(codes, ""), "code": codes})
    rank[pc.sort_indices(empty_last, sort_keys=[("empty", "ascending"),
                                                 ("code", "ascending")]).to_numpy()] = (
        np.arange(len(codes)))
    local = [category_map.get(t, UNKNOWN_CATEGORY) for t in kinds.to_pylist()]
    categories = sorted(set(local))
    n_categories = len(categories)
    category_of = np.array([categories.index(c) for c in local], dtype=np.int64)
    by_month: dict[str, list[np.ndarray]] = {}
    counts: dict[str, list[np.ndarray]] = {}
    for part, lsoa, kind in zip(parts, lsoa_id, type_id, strict=True):
        key = rank[lsoa[part.lsoa_index]] * n_categories + category_of[kind[part.type_index]]
        by_month.setdefault(part.month, []).append(key)
        counts.setdefault(part.month, []).append(part.count)
    columns: dict[str, list[np.ndarray]] = {"key": [], "month": [], "count": []}
    for month in sorted(by_month):
        key, count = np.concatenate(by_month[month]), np.concatenate(counts[month])
        if len(codes) * n_categories <= _DENSE_LIMIT:
            tally = np.bincount(key, weights=count, minlength=len(codes) * n_categories)
            unique = np.flatnonzero(tally)
            summed = tally[unique]
        else:  # a sparse sum: sort the keys instead of a table of every possible one
            unique, position = np.unique(key, return_inverse=True)
            summed = np.bincount(position, weights=count)
        columns["key"].append(unique)
        columns["month"].append(np.full(unique.size, month, dtype=object))
        columns["count"].append(summed.astype(np.int64))
    order = np.argsort(rank)  # code of each rank
    published = np.array(codes.to_pylist(), dtype=object)[order]
    published[published == ""] = None
    key = np.concatenate(columns["key"])
    return _frame(published[key // n_categories], [categories[c] for c in key % n_categories],
                  {"month": np.concatenate(columns["month"]),
                   "count": np.concatenate(columns["count"])})


#: Largest (LSOA codes x categories) summed in a dense table per month (8 bytes each).
_DENSE_LIMIT = 1 << 22


def _numbered(values: list[pa.StringArray]) -> tuple[list[np.ndarray], pa.StringArray]:
    """One number per distinct string across all arrays: each array's numbers, and the strings."""
    encoded = pc.dictionary_encode(pa.concat_arrays(values))
    ends = np.cumsum([len(v) for v in values])[:-1]
    return np.split(encoded.indices.to_numpy(), ends), encoded.dictionary


def _frame(lsoa: np.ndarray, category: list[str], rest: dict[str, np.ndarray]) -> pd.DataFrame:
    text = pd.StringDtype(na_value=np.nan)
    return pd.DataFrame({
        "lsoa_code": pd.array(lsoa, dtype=text),
        "month": pd.array(rest.get("month", np.array([], dtype=object)), dtype=text),
        "category": pd.array(np.array(category, dtype=object), dtype=text),
        "count": rest.get("count", np.array([], dtype=np.int64)),
    })
