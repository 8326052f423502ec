"""Welsh names of the partner sources the SNA pools and of what they count, shared by the
Welsh of the chapters built from them (:mod:`~alliance.report.sna.cymraeg_partners`,
:mod:`~alliance.report.sna.cymraeg_who`). Each source's key is its scheme's own label."""

from __future__ import annotations

import numpy as np

from alliance.figures.publication import MARKER
from alliance.pool import measures

_POLICE = measures.police_scheme(frozenset())
#: each partner source's name and what it counts, in Welsh
LABELS = {measures.ISTV.label: "Ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV)",
          measures.AMBULANCE.label: "Galwadau ambiwlans am ymosodiad",
          _POLICE.label: "Trais difrifol a gofnodwyd gan yr heddlu (detholiad lleol)"}
UNITS = {"attendances": "ymweliadau", "call-outs": "galwadau", "offences": "troseddau"}
#: one of a unit, after "pob" ("every")
UNIT_ONE = {"attendances": "ymweliad", "call-outs": "galwad", "offences": "trosedd"}
PERSONS = {"patients": "cleifion", "victims": "dioddefwyr", "people": "pobl"}
PERSON_ONE = {"patients": "claf", "victims": "dioddefwr", "people": "person"}


def lower(text: str) -> str:
    """``text`` with its first letter small, for a name inside a sentence."""
    return text[:1].lower() + text[1:]


def figure(value: float) -> str:
    """A published count as the chapters print it ([c] where hidden)."""
    return MARKER if np.isnan(value) else f"{value:,.0f}"
