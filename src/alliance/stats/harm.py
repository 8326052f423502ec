"""Harm-weighted crime counts (Cambridge Crime Harm Index or ONS Crime Severity Score).

A harm-weighted count adds, for each crime, a weight saying how serious it is, so one
grievous wounding counts for more than one shoplifting. The weights come from the reference
table ``crime_harm_weights.csv`` (see ``shared/reference/README.md``, section 3): never mix
schemes or editions in one total, and report offences that have no weight, because weighting
them 0 would quietly understate harm.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from alliance import config
from alliance.stats import _validate

WeightKind = Literal["cchi_policeuk_category", "cchi_ho_code", "cchi_ho_classification",
                     "ons_css"]
SeveralLines = Literal["error", "max", "median"]

# kind -> (scheme, start of the `level` column, column holding the join key)
_KINDS: dict[str, tuple[str, str, str]] = {
    "cchi_policeuk_category": ("CCHI", "police.uk crime category", "offence_or_group_name"),
    "cchi_ho_code": ("CCHI", "HO offence code", "ho_code_or_group"),
    "cchi_ho_classification": ("CCHI", "offence (ATHENA URN)", "ho_classification"),
    "ons_css": ("ONS CSS", "offence", "ho_code_or_group"),
}
WEIGHTS_FILE = "crime_harm_weights.csv"


@dataclass(frozen=True, eq=False)
class HarmWeights:
    """One weight per offence key, from one scheme and one edition of the reference table."""

    weights: pd.Series
    scheme: str
    edition: str
    unit: str
    kind: str
    rule: str
    source: str

    def to_frame(self) -> pd.DataFrame:
        frame = self.weights.rename("weight").to_frame()
        frame["scheme"], frame["edition"], frame["unit"] = self.scheme, self.edition, self.unit
        return frame


def load_harm_weights(
    kind: WeightKind = "cchi_policeuk_category",
    *,
    edition: str | None = None,
    path: Path | None = None,
    several_lines: SeveralLines = "error",
) -> HarmWeights:
    """Read one set of harm weights from the reference table.

    Parameters
    ----------
    kind : str
        'cchi_policeuk_category': CCHI 2026 weights per police.uk crime category (third-party
        derivation; fits police.uk open data, whose only offence field is the category).
        'cchi_ho_code': CCHI 2020 median per Home Office offence code (a fallback: codes mix
        very different offences). 'cchi_ho_classification': CCHI 2020 offence lines keyed by HO
        classification ('008/01'), the finest level a force extract allows. 'ons_css': ONS
        Crime Severity Score weights by HO code (partial; ``edition`` required).
    edition : str, keyword-only, optional
        Required when the rows of ``kind`` span more than one edition.
    path : Path, keyword-only, optional
        The CSV; default ``crime_harm_weights.csv`` in the configured reference folder.
    several_lines : {'error', 'max', 'median'}, keyword-only
        What to do when one key has several weights (e.g. classification 008/01 has a serious
        and a minor wound line): refuse, or take the maximum or median. The rule is kept on
        the result so it can be printed on every output.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {sorted(_KINDS)}")
    scheme, level, key = _KINDS[kind]
    csv = path if path is not None else config.load().reference / WEIGHTS_FILE
    table = pd.read_csv(csv, dtype=str)
    rows = table[(table["scheme"] == scheme) & table["level"].str.startswith(level)]
    if edition is not None:
        rows = rows[rows["edition"] == edition]
    editions = sorted(rows["edition"].dropna().unique())
    if len(editions) != 1:
        raise ValueError(f"{csv}: {kind} rows come from editions {editions}; pass one of them "
                         "as edition= (never mix editions in one harm total)")
    rows = rows.dropna(subset=[key])
    weights = pd.to_numeric(rows["weight"], errors="raise").set_axis(rows[key].str.strip())
    repeated = weights.index[weights.index.duplicated()].unique()
    rule = "one weight per key"
    if len(repeated) > 0:
        if several_lines == "error":
            raise ValueError(f"{csv}: several {kind} weights for keys "
                             f"{_validate.name_areas(repeated)}; choose several_lines='max' or "
                             "'median' (the rule is reported with the result)")
        weights = weights.groupby(level=0).agg(several_lines)
        rule = f"{several_lines} of the lines sharing a key"
    return HarmWeights(weights=weights.astype(float), scheme=scheme, edition=editions[0],
                       unit=str(rows["unit"].iloc[0]), kind=kind, rule=rule, source=str(csv))


@dataclass(frozen=True, eq=False)
class HarmCounts:
    """Per area: events, harm from the weighted events, events that have no weight.

    ``missing_weights`` lists each offence key without a weight and how many events it has;
    those events are in ``events`` and ``events_without_weight`` but not in ``harm``.
    """

    table: pd.DataFrame
    missing_weights: pd.Series
    scheme: str
    edition: str
    unit: str
    rule: str

    def to_frame(self) -> pd.DataFrame:
        frame = self.table.copy()
        frame["scheme"], frame["edition"], frame["unit"] = self.scheme, self.edition, self.unit
        return frame


def harm_weighted_counts(
    events: pd.DataFrame,
    weights: HarmWeights,
    *,
    area_column: str = "LSOA code",
    offence_column: str = "Crime type",
) -> HarmCounts:
    """Add up harm per area: the sum of the weights of its events.

    Describes severity-weighted volume; it tests nothing. Unit: that of the scheme (CCHI: days
    of custody in the sentencing guideline starting point for a first offender; Sherman,
    Neyroud & Neyroud 2016, "The Cambridge Crime Harm Index").

    An offence with no weight is never counted as 0 harm silently: its events are reported per
    area (``events_without_weight``), listed in ``missing_weights`` and a warning names them.

    Raises
    ------
    ValueError
        A named column is missing, or area or offence values are blank (rows listed).
    """
    for column in (area_column, offence_column):
        if column not in events.columns:
            raise ValueError(f"events: no column {column!r} (columns: {list(events.columns)})")
    blank = events.index[events[area_column].isna() | events[offence_column].isna()]
    if len(blank) > 0:
        raise ValueError(f"events: blank {area_column!r} or {offence_column!r} in rows "
                         f"{_validate.name_areas(blank)}; set those rows aside first")
    offence = events[offence_column].astype(str).str.strip()
    weight = offence.map(weights.weights)
    has_weight = weight.notna()
    frame = pd.DataFrame({"area": events[area_column], "weight": weight.fillna(0.0),
                          "weighted": has_weight})
    grouped = frame.groupby("area", sort=True)
    table = pd.DataFrame({
        "events": grouped.size(),
        "events_without_weight": grouped["weighted"].apply(lambda s: int((~s).sum())),
        "harm": grouped["weight"].sum(),
    })
    table.index.name = "area"
    missing = offence[~has_weight].value_counts().rename("events")
    if len(missing) > 0:
        warnings.warn(f"no {weights.scheme} ({weights.edition}) weight for "
                      f"{_validate.name_areas(f'{k} ({v} events)' for k, v in missing.items())}"
                      "; their events are left out of harm and reported",
                      UserWarning, stacklevel=2)
    return HarmCounts(table=table, missing_weights=missing, scheme=weights.scheme,
                      edition=weights.edition, unit=weights.unit, rule=weights.rule)
