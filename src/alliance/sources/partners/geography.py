"""Reading a series across a local-government reorganisation (Northamptonshire, April 2021).

On 1 April 2021 Northamptonshire county council (E10000021, DfE LA 928) and its seven districts
were replaced by two unitary authorities, North Northamptonshire (E06000061, DfE 940) and West
Northamptonshire (E06000062, DfE 941). Publishers report the county up to 2020/21 and the two
unitaries afterwards; some (Fingertips on 2023 geography) back-cast the unitaries instead.

:func:`harmonise_successors` turns an indicator table into one series per measure that can be
read across the break, with a ``harmonisation`` column saying where each figure comes from:

``county as published``            the predecessor's own figure (periods before the change, or
                                   straddling it when no complete unitary figures exist);
``unitary as published``           each successor's own figure (always kept, back-casts too);
``county-equivalent: sum of counts``  a count summed over all successors;
``county-equivalent: summed numerators / summed denominators``  a crude rate or percentage
                                   recomputed from the successors' published numerators and
                                   denominators (value = sum num / sum den x scale).

Rates are never averaged: a rate or percentage without a numerator and denominator for every
successor, a standardised rate, a score, or any suppressed successor figure gives no
county-equivalent, and the successor rows say why in ``notes``. A county-equivalent is made only
for periods where no county figure was chosen, so the predecessor code carries one figure per
period: county as published before April 2021, county-equivalent after. A county-equivalent
row has ``source_line`` 0 and lists the successor rows it was built from in ``source_file``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from alliance.sources.partners._table import COLUMNS, finish


@dataclass(frozen=True, kw_only=True)
class Succession:
    """One predecessor area replaced by successors on ``change`` (first day of the new areas)."""

    predecessor: str
    predecessor_name: str
    successors: tuple[str, ...]
    change: date
    aliases: tuple[str, ...] = ()  # older codes the predecessor was published under

    def __post_init__(self) -> None:
        if not self.successors:
            raise ValueError(f"succession of {self.predecessor} has no successors")
        if self.predecessor in self.successors:
            raise ValueError(f"{self.predecessor} is listed as its own successor")


NORTHAMPTONSHIRE = Succession(
    predecessor="E10000021", predecessor_name="Northamptonshire",
    successors=("E06000061", "E06000062"), change=date(2021, 4, 1),
    aliases=("34",),  # the pre-2009 ONS county code
)
NORTHAMPTONSHIRE_DISTRICTS: dict[str, str] = {
    # lower-tier districts (to March 2021) -> the unitary that absorbed them
    "E07000150": "E06000061", "E07000152": "E06000061", "E07000153": "E06000061",
    "E07000156": "E06000061", "E07000151": "E06000062", "E07000154": "E06000062",
    "E07000155": "E06000062",
}

BASIS_COUNTY = "county as published"
BASIS_UNITARY = "unitary as published"
BASIS_SUM = "county-equivalent: sum of counts"
BASIS_RATIO = "county-equivalent: summed numerators / summed denominators"
KEY = ["source", "measure", "breakdown", "period", "period_start", "period_end", "unit"]
_LEVEL_PREFERENCE = {"utla": 0, "country": 0, "region": 0, "pfa": 0, "la": 1}


def rate_scale(unit: str) -> float | None:
    """100 for a percentage, 100000 for 'rate per 100,000'; None for anything not a crude
    ratio (standardised rates, scores, averages)."""
    u = unit.strip().lower()
    if "standardised" in u or "average" in u or "score" in u:
        return None
    if u == "percentage":
        return 100.0
    m = re.fullmatch(r"rate per ([\d,]+)( population| households)?", u)
    return float(m[1].replace(",", "")) if m else None


def northamptonshire_series(table: pd.DataFrame) -> pd.DataFrame:
    """Northamptonshire county -> North and West Northamptonshire, April 2021."""
    return harmonise_successors(table, NORTHAMPTONSHIRE)


def harmonise_successors(table: pd.DataFrame,
                         successions: Succession | Sequence[Succession]
                         | Mapping[str, Sequence[str]], *,
                         change: date | None = None) -> pd.DataFrame:
    """Rows of the predecessor and successor areas, labelled and completed across the change.

    Parameters
    ----------
    table
        An indicator table (columns :data:`COLUMNS`), from one or more readers.
    successions
        The change(s) to bridge, e.g. :data:`NORTHAMPTONSHIRE`, or a plain successor map
        ``{predecessor_code: [successor_code, ...]}`` together with ``change``.
    change
        First day of the successor areas; required with a plain successor map.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS` plus ``harmonisation``; see the module docstring for its values.
    """
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"not an indicator table: column(s) missing: {', '.join(missing)}")
    if isinstance(successions, Mapping):
        if change is None:
            raise ValueError("a successor map needs change=<first day of the new areas>")
        names = table.drop_duplicates("area_code").set_index("area_code")["area_name"]
        items = [Succession(predecessor=p, predecessor_name=str(names.get(p, p)),
                            successors=tuple(sc), change=change)
                 for p, sc in successions.items()]
    elif isinstance(successions, Succession):
        items = [successions]
    else:
        items = list(successions)
    parts = [_one(table, s) for s in items]
    out = pd.concat(parts, ignore_index=True) if parts else table.iloc[0:0].assign(
        harmonisation="")
    return out.sort_values(["measure", "breakdown", "period_start", "area_code"],
                           kind="stable").reset_index(drop=True)


def _one(table: pd.DataFrame, s: Succession) -> pd.DataFrame:
    county_codes = {s.predecessor, *s.aliases}
    rows = table[table["area_code"].isin(county_codes | set(s.successors))].copy()
    # a unitary can appear both as upper and lower tier (ONS files): keep one
    rows["_pref"] = rows["area_level"].map(_LEVEL_PREFERENCE).fillna(2)
    rows = rows.sort_values("_pref", kind="stable").drop_duplicates([*KEY, "area_code"])
    rows = rows.drop(columns="_pref")
    change = pd.Timestamp(s.change)
    out: list[pd.DataFrame] = []
    for _, g in rows.groupby(KEY, sort=False, dropna=False):
        county = g[g["area_code"].isin(county_codes)]
        succ = g[g["area_code"].isin(s.successors)]
        start, end = g["period_start"].iloc[0], g["period_end"].iloc[0]
        complete = (set(succ.loc[succ["value"].notna(), "area_code"]) == set(s.successors))
        before, after = end < change, start >= change
        use_county = (not county.empty) and not after and (
            county["value"].notna().any() or not complete)
        if not county.empty and (use_county or succ.empty):
            c = county.copy()
            c["harmonisation"] = BASIS_COUNTY
            why = ("period before the change" if before else "period straddles the change"
                   if not after else "no unitary figures for this period")
            c["notes"] = _add(c["notes"], f"{s.predecessor_name} county figure ({why})")
            out.append(c)
        if succ.empty:
            continue
        u = succ.copy()
        u["harmonisation"] = BASIS_UNITARY
        if before:
            has = u["value"].notna()
            u.loc[has, "notes"] = _add(u.loc[has, "notes"], "unitary figure for a period "
                                       "before the change (back-cast by the publisher)")
            u.loc[~has, "notes"] = _add(u.loc[~has, "notes"], "no unitary figure before the "
                                        "change")
        if use_county:
            out.append(u)
            continue
        equivalent, reason = _equivalent(succ, s, complete)
        if equivalent is None:
            u["notes"] = _add(u["notes"], f"no county-equivalent: {reason}")
        else:
            out.append(equivalent)
        out.append(u)
    if not out:
        return finish(rows.iloc[0:0].copy()).assign(harmonisation="")
    res = pd.concat(out, ignore_index=True)
    kept = finish(res.copy())
    kept["harmonisation"] = res["harmonisation"].to_numpy()
    return kept


def _equivalent(succ: pd.DataFrame, s: Succession, complete: bool
                ) -> tuple[pd.DataFrame | None, str]:
    unit = str(succ["unit"].iloc[0])
    if not complete:
        return None, "a unitary figure is missing or suppressed"
    row = succ.iloc[[0]].copy()
    row["area_code"] = s.predecessor
    row["area_name"] = f"{s.predecessor_name} (county-equivalent)"
    row["area_level"] = "utla"
    row["source_line"] = 0
    row["source_file"] = "; ".join(f"{f}:{n}" for f, n in zip(
        succ["source_file"], succ["source_line"], strict=True))
    names = " + ".join(succ["area_name"])
    if unit == "count":
        row["value"] = float(succ["value"].sum())
        for col in ("numerator", "denominator"):
            row[col] = float(succ[col].sum()) if succ[col].notna().all() else np.nan
        row["harmonisation"] = BASIS_SUM
        row["notes"] = f"sum of {names}"
        return row, ""
    scale = rate_scale(unit)
    if scale is None:
        return None, f"'{unit}' cannot be summed and rates are never averaged"
    if not (succ["numerator"].notna().all() and succ["denominator"].notna().all()):
        return None, (f"'{unit}' needs every unitary's numerator and denominator "
                      "(rates are never averaged)")
    num, den = float(succ["numerator"].sum()), float(succ["denominator"].sum())
    if den <= 0:
        return None, "summed denominator is not positive"
    row["numerator"], row["denominator"] = num, den
    row["value"] = num / den * scale
    row["harmonisation"] = BASIS_RATIO
    row["notes"] = f"recomputed: ({names}) numerators / denominators x {scale:,.0f}"
    return row, ""


def _add(notes: pd.Series, text: str) -> pd.Series:
    return notes.map(lambda n: f"{n}; {text}" if n else text)
