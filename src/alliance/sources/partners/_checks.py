"""Checks of a whole indicator table that a single cell cannot show.

A national rate or percentage is a weighted average of its regions' (England's rate is the
regions' events over the regions' population), so it must lie between the lowest and the
highest region. LAIT publishes some England figures as a count beside regional rates (first-time
entrants to the youth justice system: England "1,258" beside regions from 98 to 181 per
100,000); such a figure would make every area look far below England. It is kept as a row with
no value, its notes saying why, and recorded as a problem, never shown as a comparator.
"""

from __future__ import annotations

import pandas as pd

from alliance.sources.partners._table import ProblemLog

#: Relative slack for rounding in published figures.
TOLERANCE = 0.01


def national_within_regions(table: pd.DataFrame, log: ProblemLog, *,
                            national: str = "E92000001", region_prefix: str = "E12",
                            min_regions: int = 9, field: str = "value") -> pd.DataFrame:
    """``table`` with national rates/percentages outside their regions' range blanked out."""
    if table.empty:
        return table
    averaged = table["unit"].astype(str).str.contains("rate|percentage", regex=True)
    keys = ["measure", "period", "breakdown"]
    regions = table[averaged & table["area_code"].astype(str).str.startswith(region_prefix)
                    & table["value"].notna()]
    span = regions.groupby(keys)["value"].agg(["min", "max", "count"])
    span = span[span["count"] >= min_regions]
    if span.empty:
        return table
    nat = table[averaged & (table["area_code"] == national) & table["value"].notna()]
    joined = nat.join(span, on=keys, how="inner")
    outside = joined[(joined["value"] < joined["min"] * (1 - TOLERANCE))
                     | (joined["value"] > joined["max"] * (1 + TOLERANCE))]
    if outside.empty:
        return table
    table = table.copy()
    for idx, row in outside.iterrows():
        why = (f"published England value {row['value']:g} lies outside the range of the English "
               f"regions' values ({row['min']:g} to {row['max']:g}), which a national "
               f"{row['unit']} cannot; not used")
        notes = str(table.at[idx, "notes"] or "")
        table.at[idx, "notes"] = f"{notes}; {why}" if notes else why
        table.at[idx, "value"] = float("nan")
        line = row.get("source_line")
        log.add(int(line) if pd.notna(line) else None, field, f"{row['value']:g}", why)
    return table
