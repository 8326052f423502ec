"""The words of the partner-data chapters (:mod:`alliance.report.sna.partners`): captions,
source lines and the sentences written around the figures, one function each, so that the
chapter and its Welsh (:mod:`alliance.report.sna.cymraeg_partners`) make them from the same
values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from alliance.figures.publication import MARKER

if TYPE_CHECKING:
    from alliance.report.sna.partners import PartnerData

#: what to ask for when a core measure's source is not pooled
MISSING_DATA = {"istv_ae": "A&E assault attendances (ISTV, ISB 1594) from the acute trusts",
                "police_extract": "a local police recorded crime extract with Home Office "
                                  "offence codes, the knife flag, the domestic abuse flag and "
                                  "victim age bands",
                "ambulance": "ambulance assault call-outs"}
#: the health lens's captions (``label``: the source's, ``unit``: what it counts)
BY_MONTH = "{label} by month"
BY_AREA = "{label} by local authority, {period}"
BY_WEAPON = "{label} by weapon, {period}"
PLACED = "How {unit} were placed on the map (geocoding quality)"
HIDDEN = "{label} with no police record nearby"
HIDDEN_LOCAL = "{label} with no record nearby in the local police extract"


def hidden_words(threshold: int) -> str:
    """A table's suppression line where small counts of a lattice are hidden."""
    return f"counts of 1 to {threshold - 1} hidden, with any figure that would reveal one"


def placed_words(threshold: int) -> str:
    """The placement table's suppression line."""
    return f"counts of 1 to {threshold - 1} hidden, with any that would reveal one"


def shares_words(threshold: int) -> str:
    """The hidden-share tables' suppression line."""
    return f"shares hidden where either part is 1 to {threshold - 1}"


def missing_words(sources: list[str]) -> str:
    wanted = "; ".join(MISSING_DATA.get(s, s.replace("_", " ")) for s in sources)
    return f"Still missing, and requested below: {wanted}."


def pooled_words(data: PartnerData) -> str:
    """The health lens's first words on a source: which months are pooled."""
    held = data.publication.cube.months
    return (f"{data.label}: {held[0]} to {held[-1]} pooled. Counts are of {data.unit} placed "
            "in the area's neighbourhoods; months too quiet to publish one by one are blank.")


def not_judged_words(unit: str) -> str:
    return (f"How many {unit} police data misses cannot be said yet: none has both a map "
            "point and a month that police data is held for. Ask for the assault location "
            "(a postcode or grid reference) in the return.")


def share_words(data: PartnerData, threshold: int) -> str:
    """What the table of the share with no police record nearby shows, and how it is hidden."""
    return (f"The share of {data.unit} with no police record nearby ({data.hidden_note}) is "
            "violence police data does not show. Only places and dates are compared, never "
            f"people. Shares are hidden where fewer than {threshold} {data.unit} had, or had "
            "not, a police record nearby.")


def local_share_words(data: PartnerData) -> str:
    return ("The same against the partnership's local police extract, whose records have a "
            f"date and a place ({data.hidden_local_note}): a tighter comparison than "
            "police.uk allows. Shares are hidden as above.")


def monthly_alt(data: PartnerData, span: str, peak: pd.Period, count: float, *,
                knife: bool) -> str:
    return (f"Line chart of {data.label.lower()} each month, {span}"
            + (", with those involving a knife or sharp object" if knife else "")
            + f"; the highest published month is {peak:%B %Y} with {count:,.0f}. "
            "Hidden months are gaps.")


def monthly_message(data: PartnerData, peak: pd.Period, count: float) -> str:
    return (f"The busiest published month was {peak:%B %Y} ({count:,.0f} {data.unit}); one or "
            "two years of months cannot show a trend or a season for certain.")


def weapon_alt(data: PartnerData, period: str, labels: list[str], values: list[float]) -> str:
    return (f"Bar chart of {data.label.lower()} in {period} by weapon: "
            + "; ".join(f"{lab} {_count(v)}" for lab, v in zip(labels, values, strict=True))
            + ".")


def weapon_message(data: PartnerData, share: float) -> str:
    return (f"{share:.0f}% of {data.unit} involved a knife or sharp object."
            if not np.isnan(share) else
            "Too few to say what share involved a knife or sharp object.")


def _count(value: float) -> str:
    return MARKER if np.isnan(value) else f"{value:,.0f}"
