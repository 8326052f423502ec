"""Carry LSOA 2011 codes and counts to LSOA 2021.

Uses the ONS "LSOA (2011) to LSOA (2021) to LAD (2022)" lookup (``lsoa11_to_21`` table):

* an LSOA 2011 with one LSOA 2021 (change U, M, or an X row with one successor) maps
  directly — ``unchanged`` when the code is the same, else ``merged``;
* an LSOA 2011 that was SPLIT has several LSOA 2021 successors. A record is placed in one of
  them only from its own point (``split_by_point``), and only when the point falls in one of
  those successors; otherwise it stays unresolved (``split_unresolved``, code ``None``) and is
  counted. Nothing is guessed.
* a code not in the lookup is ``unknown`` (code ``None``).

For area-level values (population denominators) use :func:`apportion_to_lsoa21`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from alliance.geo.spatial import LsoaIndex
from alliance.geo.tables import GeographyInputError, require_columns

STATUSES: tuple[str, ...] = ("unchanged", "merged", "split_by_point", "split_unresolved",
                             "unknown")


@dataclass(frozen=True, kw_only=True)
class ConversionResult:
    """LSOA 2021 code (``None`` when unresolved/unknown) and status of each input row."""

    lsoa11: tuple[str | None, ...]
    lsoa21: tuple[str | None, ...]
    status: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        """Rows per status (every status listed, zeros included)."""
        found = pd.Series(self.status, dtype=object).value_counts()
        return {s: int(found.get(s, 0)) for s in STATUSES}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"lsoa11_code": self.lsoa11, "lsoa21_code": self.lsoa21,
                             "status": self.status})


def _check_lookup(lookup: pd.DataFrame) -> pd.DataFrame:
    require_columns(lookup, ["lsoa11_code", "lsoa21_code"], source="LSOA 2011->2021 lookup")
    return lookup[["lsoa11_code", "lsoa21_code"]].drop_duplicates()


def convert_lsoa11(codes: Sequence[str | None] | pd.Series, *, lookup: pd.DataFrame,
                   lon: ArrayLike | None = None, lat: ArrayLike | None = None,
                   index: LsoaIndex | None = None) -> ConversionResult:
    """Convert LSOA 2011 codes row by row (see the module docstring).

    Parameters
    ----------
    codes
        LSOA 2011 code of each record (``None``/NaN counts as ``unknown``).
    lookup
        The ``lsoa11_to_21`` table (``lsoa11_code``, ``lsoa21_code``).
    lon, lat, index
        Optional point of each record (EPSG:4326) and an :class:`LsoaIndex` of LSOA 2021
        polygons, used only to settle splits. Give all three or none.
    """
    pairs = _check_lookup(lookup)
    codes_s = pd.Series(list(codes), dtype=object)
    if (lon is None) != (lat is None) or ((lon is not None) and index is None):
        raise ValueError("give lon, lat and index together (or none of them)")
    n_succ = pairs.groupby("lsoa11_code")["lsoa21_code"].agg(["size", "first"])
    single = n_succ[n_succ["size"] == 1]["first"]
    found = codes_s.map(single)
    status = np.where(found.isna(), "unknown", np.where(found == codes_s, "unchanged", "merged"))
    out = found.astype(object).where(found.notna(), None)
    is_split = codes_s.isin(n_succ.index[n_succ["size"] > 1]).to_numpy()
    status = status.astype(object)
    status[is_split] = "split_unresolved"
    if lon is not None and lat is not None and index is not None and is_split.any():
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
        if lon_a.shape != (len(codes_s),) or lat_a.shape != (len(codes_s),):
            raise ValueError(f"lon/lat must have one value per code ({len(codes_s)})")
        rows = np.flatnonzero(is_split)
        placed = pd.Series(index.place(lon_a[rows], lat_a[rows]), dtype=object)
        candidate = pd.DataFrame({"lsoa11_code": codes_s.iloc[rows].to_numpy(),
                                  "lsoa21_code": placed.to_numpy(), "row": rows})
        valid = candidate.merge(pairs, on=["lsoa11_code", "lsoa21_code"])["row"].to_numpy()
        ok = np.isin(rows, valid)
        out.iloc[rows[ok]] = placed[ok].to_numpy()
        status[rows[ok]] = "split_by_point"
    return ConversionResult(
        lsoa11=tuple(None if pd.isna(c) else str(c) for c in codes_s),
        lsoa21=tuple(None if pd.isna(c) else str(c) for c in out),
        status=tuple(str(s) for s in status),
    )


def apportion_to_lsoa21(values_by_lsoa11: pd.Series, lookup: pd.DataFrame, *,
                        weights: pd.Series) -> pd.Series:
    """Carry counts held by LSOA 2011 (e.g. mid-2020 population) to LSOA 2021.

    Method: each LSOA 2011's value is shared among its LSOA 2021 successors in proportion to
    ``weights`` (Census 2021 usual residents of each LSOA 2021 is the intended weight); an
    unchanged LSOA passes its value on whole, and merged LSOAs are summed. When all the
    successors of a split have weight 0 the value is shared equally. Every LSOA 2011 value is
    passed on in full, so totals are preserved exactly (up to floating point). For the few
    irregular (X) redefinitions a successor made from parts of several LSOAs 2011 counts its
    whole weight in each parent's share — an approximation ONS's lookup does not let us refine.

    Parameters
    ----------
    values_by_lsoa11
        Non-negative values indexed by LSOA 2011 code; no NaN, no duplicated or unknown codes.
    lookup
        The ``lsoa11_to_21`` table.
    weights
        Non-negative weights indexed by LSOA 2021 code, covering every successor needed.

    Returns
    -------
    pandas.Series
        Values indexed by LSOA 2021 code (named like the input), sorted by code.
    """
    pairs = _check_lookup(lookup)
    values = values_by_lsoa11
    _check_values(values, "values_by_lsoa11")
    _check_values(weights, "weights")
    unknown = sorted(set(values.index) - set(pairs["lsoa11_code"]))
    if unknown:
        raise GeographyInputError(
            f"values_by_lsoa11: {len(unknown)} code(s) not in the LSOA 2011->2021 lookup: "
            f"{unknown[:10]}")
    used = pairs[pairs["lsoa11_code"].isin(values.index)].copy()
    missing = sorted(set(used["lsoa21_code"]) - set(weights.index))
    if missing:
        raise GeographyInputError(
            f"weights: no weight for {len(missing)} LSOA 2021 code(s): {missing[:10]}")
    used["weight"] = used["lsoa21_code"].map(weights).astype(float)
    total = used.groupby("lsoa11_code")["weight"].transform("sum")
    size = used.groupby("lsoa11_code")["weight"].transform("size")
    used["share"] = np.where(total > 0, used["weight"] / total.where(total > 0, 1.0), 1.0 / size)
    used["value"] = used["share"] * used["lsoa11_code"].map(values).astype(float)
    result = used.groupby("lsoa21_code")["value"].sum().sort_index()
    result.name = values.name
    result.index.name = "lsoa21_code"
    return result


def _check_values(series: pd.Series, name: str) -> None:
    if series.index.duplicated().any():
        dup = sorted(set(series.index[series.index.duplicated()]))
        raise GeographyInputError(f"{name}: duplicated code(s) {dup[:10]}")
    numeric = pd.to_numeric(series, errors="coerce")
    bad = numeric.isna() | (numeric < 0)
    if bad.any():
        raise GeographyInputError(
            f"{name}: missing, non-numeric or negative value for {list(series.index[bad])[:10]}")
