"""What a reader writes into an indicator row's ``notes`` that later stages read back.

The indicator table has one ``notes`` text per figure (see :mod:`._table`). Two things a
publisher gives beside a value are kept there in a fixed wording, written by the functions here
and read back by the same module, so the wording lives in one place:

* a published confidence interval: ``95% CI 9.6 to 11.0`` (ONS Explore Local Statistics
  ``lci_95``/``uci_95``, Fingertips ``Lower/Upper CI 95.0 limit``);
* a publisher's own comparison with England: ``compared with England: Worse`` (Fingertips
  "Compared to England value or percentiles").

Parts of a note are separated by ``"; "``.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

#: The publisher's words for a comparison with England that are kept (Fingertips).
COMPARISONS = ("Better", "Similar", "Worse", "Higher", "Lower")

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_INTERVAL = re.compile(rf"(?:^|; )(\d+(?:\.\d+)?)% CI ({_NUMBER}) to ({_NUMBER})(?=;|$)")
_COMPARED = re.compile(r"(?:^|; )compared with England: ([A-Za-z]+)(?=;|$)")


def interval_notes(lower: pd.Series, upper: pd.Series, *, level: str = "95") -> pd.Series:
    """``'95% CI {lower} to {upper}'`` where both limits are numbers as published, else ''."""
    lo, hi = lower.fillna("").astype(str).str.strip(), upper.fillna("").astype(str).str.strip()
    ok = lo.str.fullmatch(_NUMBER) & hi.str.fullmatch(_NUMBER)
    return pd.Series(np.where(ok, f"{level}% CI " + lo + " to " + hi, ""), index=lower.index,
                     dtype=object)


def comparison_notes(compared: pd.Series) -> pd.Series:
    """``'compared with England: Worse'`` for the publisher's comparisons in
    :data:`COMPARISONS` (case as published is normalised), else '' (e.g. 'Not compared')."""
    words = compared.fillna("").astype(str).str.strip().str.capitalize()
    return pd.Series(np.where(words.isin(COMPARISONS), "compared with England: " + words, ""),
                     index=compared.index, dtype=object)


def add_notes(notes: pd.Series, *parts: pd.Series) -> pd.Series:
    """``notes`` with each non-empty part appended after '; '."""
    out = notes.fillna("").astype(str)
    for part in parts:
        part = part.reindex(out.index).fillna("").astype(str)
        has = part.ne("")
        joined = np.where(out.eq(""), part, out + "; " + part)
        out = pd.Series(np.where(has, joined, out), index=out.index, dtype=object)
    return out


def published_interval(notes: object, *, level: float = 95.0) -> tuple[float, float] | None:
    """The ``level``% confidence interval written in ``notes``, or None if there is none."""
    for match in _INTERVAL.finditer(str(notes or "")):
        if math.isclose(float(match.group(1)), level):
            lower, upper = float(match.group(2)), float(match.group(3))
            if lower <= upper:
                return lower, upper
    return None


def published_comparison(notes: object) -> str | None:
    """The publisher's comparison with England written in ``notes`` ('Worse' ...), or None."""
    match = _COMPARED.search(str(notes or ""))
    if match and match.group(1).capitalize() in COMPARISONS:
        return match.group(1).capitalize()
    return None
