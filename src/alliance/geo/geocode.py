"""Free-text locations to LSOA 2021 and a point, offline, with a confidence an analyst can use.

For each text :func:`geocode` returns the LSOA 2021, a point (British National Grid), a
confidence from 0 to 1, what it matched and how (:data:`METHODS`). In order:

1. **An analyst's decision** for the same text (:class:`Decision`), remembered from the review
   queue, is used as it stands.
2. **A postcode** anywhere in the text, in any spacing or case, is looked up
   (:mod:`alliance.geo.postcodes`).
3. **No place**: a text that, without what says *where near* ("outside", "o/s", "nr", house
   numbers), holds only words that name no place ("home", "unknown", "NK", "in a car", "a
   park") is left unplaced, never forced.
4. **A junction** ("jct of A and B", "A / B", "corner of A & B"): both streets are found and
   the nearest pair of them (within :data:`JUNCTION_METRES`) gives the place of the first.
5. **A street or venue** (:mod:`alliance.geo.street_search`): the longest run of words that is
   a gazetteer name, abbreviations written out; else the one closest name by spelling
   (`rapidfuzz`_, a slip or two of the keyboard). A name shared by
   several streets is settled by a town or postcode district named in the text; without one,
   only a street holding :data:`DOMINANT_SHARE` of the name's police.uk records is taken, at a
   lower confidence (:data:`DOMINANT_IN_TOWN` of those in a named town); otherwise the text
   is left unplaced as ambiguous.

Confidences are the share of texts of that kind placed in the right LSOA on the labelled set
(tests/geo/test_geocode_accuracy.py), rounded down: they say how far to trust a place, and
texts under :data:`REVIEW_BELOW` go to the review queue with every unplaced text.

.. _rapidfuzz: https://github.com/rapidfuzz/RapidFuzz
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.geo.gazetteer import Entry, Gazetteer
from alliance.geo.place_text import (
    JUNCTION_WORDS,
    canonical,
    is_no_place,
    strip_prefix,
    tokens_of,
)
from alliance.geo.postcodes import POSTCODE
from alliance.geo.street_search import Found, StreetSearch

DOMINANT_SHARE = 0.7
DOMINANT_IN_TOWN = 0.6
JUNCTION_METRES = 400.0
REVIEW_BELOW = 0.7

#: how a text was placed (or why not), in plain words
DECISION = "analyst decision"
POSTCODE_METHOD = "postcode"
STREET = "street"
STREET_TOWN = "street and town"
STREET_FUZZY = "street, spelling corrected"
STREET_LIKELY = "street, most likely of several"
VENUE = "venue"
JUNCTION = "junction"
NO_PLACE = "no place named"
AMBIGUOUS = "ambiguous: several places"
NOT_FOUND = "not found"
UNKNOWN_POSTCODE = "postcode not known"
METHODS = (DECISION, POSTCODE_METHOD, STREET, STREET_TOWN, STREET_FUZZY, STREET_LIKELY, VENUE,
           JUNCTION, NO_PLACE, AMBIGUOUS, NOT_FOUND, UNKNOWN_POSTCODE)
UNPLACED = (NO_PLACE, AMBIGUOUS, NOT_FOUND, UNKNOWN_POSTCODE)
#: confidence by method (see the module notes); fuzzy and likely scale down from these
CONFIDENCE: dict[str, float] = {DECISION: 1.0, POSTCODE_METHOD: 0.98, STREET: 0.95,
                                STREET_TOWN: 0.95, VENUE: 0.95, STREET_FUZZY: 0.9,
                                JUNCTION: 0.85, STREET_LIKELY: 0.75}
RESULT_COLUMNS = ("lsoa21_code", "easting", "northing", "confidence", "matched", "method")


@dataclass(frozen=True)
class Decision:
    """An analyst's answer for one text: a place, or ``no_place``."""

    lsoa21_code: str | None
    easting: float | None
    northing: float | None
    no_place: bool = False
    note: str = ""


@dataclass(frozen=True)
class Placed:
    """The geocoder's answer for one text."""

    lsoa21_code: str | None
    easting: float | None
    northing: float | None
    confidence: float
    matched: str
    method: str

    @property
    def placed(self) -> bool:
        return self.lsoa21_code is not None

    @property
    def needs_review(self) -> bool:
        return self.method in (AMBIGUOUS, NOT_FOUND, UNKNOWN_POSTCODE) or (
            self.placed and self.confidence < REVIEW_BELOW)


def _unplaced(method: str, matched: str = "") -> Placed:
    return Placed(None, None, None, 0.0, matched, method)


def _at(entry: Entry, confidence: float, method: str, matched: str) -> Placed:
    return Placed(entry.lsoa21_code, entry.easting, entry.northing, round(confidence, 3),
                  matched, method)


@dataclass(frozen=True)
class GeocodeResult:
    """One :class:`Placed` per input text, in order."""

    texts: tuple[str, ...]
    places: tuple[Placed, ...]

    def to_frame(self) -> pd.DataFrame:
        """Columns ``text`` and :data:`RESULT_COLUMNS` (NaN/None where unplaced)."""
        return pd.DataFrame({
            "text": list(self.texts),
            "lsoa21_code": [p.lsoa21_code for p in self.places],
            "easting": [np.nan if p.easting is None else p.easting for p in self.places],
            "northing": [np.nan if p.northing is None else p.northing for p in self.places],
            "confidence": [p.confidence for p in self.places],
            "matched": [p.matched for p in self.places],
            "method": [p.method for p in self.places]})

    def summary(self) -> pd.DataFrame:
        """Texts by method, with the share of all texts (for quality reports)."""
        frame = self.to_frame()
        counts = frame["method"].value_counts().reindex(list(METHODS)).dropna().astype(int)
        return pd.DataFrame({"method": counts.index, "texts": counts.to_numpy(),
                             "share": (counts / max(len(frame), 1)).round(4).to_numpy()})


@dataclass
class Geocoder:
    """Geocodes texts against one gazetteer; answers are kept per distinct text."""

    gazetteer: Gazetteer
    decisions: Mapping[str, Decision] = field(default_factory=dict)
    _memo: dict[str, Placed] = field(default_factory=dict, repr=False)
    _search: StreetSearch = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._search = StreetSearch(self.gazetteer)

    def __call__(self, text: str) -> Placed:
        key = str(text)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._geocode(key)
        return hit

    def many(self, texts: Iterable[object]) -> GeocodeResult:
        items = tuple("" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t)
                      for t in texts)
        return GeocodeResult(texts=items, places=tuple(self(t) for t in items))

    # --- the steps -----------------------------------------------------------------------
    def _geocode(self, text: str) -> Placed:
        decision = self.decisions.get(canonical(text)) if self.decisions else None
        if decision is not None:
            if decision.no_place or decision.lsoa21_code is None:
                return _unplaced(NO_PLACE, "analyst: no place")
            return Placed(decision.lsoa21_code, decision.easting, decision.northing, 1.0,
                          decision.note or "analyst decision", DECISION)
        upper = text.upper()
        unknown_postcode = ""
        for match in POSTCODE.finditer(upper):
            code = f"{match.group(1)} {match.group(2)}"
            place = self.gazetteer.postcodes.get(code)
            if place is not None:
                confidence = CONFIDENCE[POSTCODE_METHOD] if place.live else 0.9
                return Placed(place.lsoa21_code, place.easting, place.northing, confidence,
                              code, POSTCODE_METHOD)
            unknown_postcode = code
            upper = upper.replace(match.group(0), " ")
        tokens = tokens_of(upper)
        spaced = f" {' '.join(tokens)} "
        junction = any(f" {w} " in spaced for w in JUNCTION_WORDS)
        words = strip_prefix(tokens)
        if is_no_place(words) and not unknown_postcode and \
                self._search.exact(self._search.expand(words)) is None:
            return _unplaced(NO_PLACE)  # ("Station Road" is all such words, and a street)
        if junction or any(w in ("/", "&") for w in words):
            # said to be a junction: found as one, or by its first street, never by reading
            # the second street's name as a town
            return self._junction(words) or self._first_of_junction(words)
        if "and" in words:
            found = self._junction(words)
            if found is not None:
                return found
        placed = self._street(words)
        if placed is not None:
            return placed
        if unknown_postcode:
            return _unplaced(UNKNOWN_POSTCODE, unknown_postcode)
        return _unplaced(NO_PLACE if is_no_place(words) else NOT_FOUND)

    def _find(self, words: list[str]) -> tuple[Found, set[str], bool] | None:
        """The name the words hold, the towns named around it, and whether a word before it
        was not recognised (then a one-word name is refused)."""
        search = self._search
        exact = search.exact(words)
        if exact is None:
            core = search.cores.get(" ".join(words))
            if core is not None and len(core) == 1:  # "abington" for the one Abington ...
                return Found(0, len(words), core, 1), set(), False
            found = search.by_spelling(words)
            if found is None:
                return None
            return found, self._towns_around(words, found), False
        left_towns, left_used = search.towns(words[:exact.start], by_spelling=False)
        left = search.unexplained(words[:exact.start], left_used)
        if left:
            longer = search.by_spelling(words, before=exact.start)
            if longer is not None:
                return longer, self._towns_around(words, longer), False
            if exact.end - exact.start == 1:
                return None  # "Banbry Lane" is not "The Lane"
        right_towns, _ = search.towns(words[exact.end:])
        return exact, left_towns | right_towns, left

    def _towns_around(self, words: Sequence[str], found: Found) -> set[str]:
        before, _ = self._search.towns(words[:found.start], by_spelling=False)
        after, _ = self._search.towns(words[found.end:])
        return before | after

    def _street(self, words: list[str]) -> Placed | None:
        if not words:
            return None
        words = self._search.expand(words)
        result = self._find(words)
        if result is None:
            return None
        found, towns, doubt = result
        names = self.gazetteer.names
        indices = [e for name in found.names for e in names[name]]
        if len(found.names) > 1:
            indices = self._in_town(indices, towns) or ([] if towns else indices)
            if len({self.gazetteer.entries[e].name for e in indices}) != 1:
                return _unplaced(AMBIGUOUS, " or ".join(found.names[:3]))
        elif towns and found.edits == 0 and not self._in_town(indices, towns):
            # "Canon Street, Croyland": no Canon Street there, but a Cannon Street is
            near = [e for name in self._search.near(found.names[0]) for e in names[name]]
            near = self._in_town(near, towns)
            if len({self.gazetteer.entries[e].name for e in near}) == 1:
                name = canonical(self.gazetteer.entries[near[0]].name)
                indices, found = near, Found(found.start, found.end, (name,), 1)
        placed = self._choose(indices, towns, matched=found.names[0], edits=found.edits)
        if doubt and placed.placed:
            placed = Placed(placed.lsoa21_code, placed.easting, placed.northing,
                            round(placed.confidence * 0.6, 3),
                            f"{placed.matched} (words before it not recognised)", placed.method)
        return placed

    def _in_town(self, candidates: Sequence[int], towns: set[str]) -> list[int]:
        """Candidates a named town holds: by ward names first, then by district."""
        if not towns:
            return []
        entries = self.gazetteer.entries
        close = [i for i in candidates if entries[i].towns & towns]
        return close or [i for i in candidates if entries[i].districts & towns]

    def _choose(self, indices: Sequence[int], towns: set[str], *, matched: str,
                edits: int) -> Placed:
        entries = self.gazetteer.entries
        candidates = list(dict.fromkeys(indices))
        in_town = self._in_town(candidates, towns)
        method = STREET
        if in_town:
            method = STREET_TOWN if len(candidates) > 1 else STREET
            candidates = in_town
        elif towns and len(candidates) > 1:
            return _unplaced(AMBIGUOUS, f"{matched} (none in {', '.join(sorted(towns))})")
        by_lsoa: dict[str, float] = {}
        for i in candidates:
            by_lsoa[entries[i].lsoa21_code] = by_lsoa.get(entries[i].lsoa21_code, 0.0) + \
                entries[i].weight
        confidence = CONFIDENCE[method]
        if len(by_lsoa) > 1:
            lsoa = max(by_lsoa, key=lambda c: (by_lsoa[c], c))
            share = by_lsoa[lsoa] / sum(by_lsoa.values())
            if share < (DOMINANT_IN_TOWN if in_town else DOMINANT_SHARE):
                return _unplaced(AMBIGUOUS, f"{matched} ({len(candidates)} places)")
            mine = [i for i in candidates if entries[i].lsoa21_code == lsoa]
            candidates = [max(mine, key=lambda i: (entries[i].weight, -i))]
            method = STREET_LIKELY
            confidence = CONFIDENCE[STREET_LIKELY] * share
        entry = entries[candidates[0]]
        if towns and not in_town:
            confidence *= 0.6  # a town was named and the one street of that name is not in it
        if edits:
            method = STREET_FUZZY
            confidence *= CONFIDENCE[STREET_FUZZY] if edits == 1 else 0.8
        if entry.kind == "venue":
            method = VENUE
            confidence = min(confidence, CONFIDENCE[VENUE])
        label = entry.name + (f", {sorted(towns)[0].title()}" if towns and in_town else "")
        return _at(entry, confidence, method, label)

    def _junction(self, words: Sequence[str]) -> Placed | None:
        parts: list[list[str]] = [[]]
        for w in words:
            if w in ("/", "&", "and"):
                parts.append([])
            else:
                parts[-1].append(w)
        parts = [strip_prefix(p) for p in parts if p]
        if len(parts) < 2:
            return None
        first, second = self._street_entries(parts[0]), self._street_entries(parts[1])
        if not first or not second:
            return None
        entries = self.gazetteer.entries
        best = None
        for a in first:
            for b in second:
                d = float(np.hypot(entries[a].easting - entries[b].easting,
                                   entries[a].northing - entries[b].northing))
                if best is None or d < best[0]:
                    best = (d, a, b)
        if best is None or best[0] > JUNCTION_METRES:
            return None
        one, other = entries[best[1]], entries[best[2]]
        return _at(one, CONFIDENCE[JUNCTION], JUNCTION, f"{one.name} / {other.name}")

    def _first_of_junction(self, words: Sequence[str]) -> Placed:
        first: list[str] = []
        for w in words:
            if w in ("/", "&", "and"):
                break
            first.append(w)
        placed = self._street(strip_prefix(first)) if first else None
        if placed is None or not placed.placed:
            return _unplaced(NOT_FOUND, "junction not found")
        return Placed(placed.lsoa21_code, placed.easting, placed.northing,
                      round(min(placed.confidence, 0.6), 3),
                      f"{placed.matched} (the junction was not found)", placed.method)

    def _street_entries(self, words: list[str]) -> list[int]:
        result = self._find(self._search.expand(words))
        if result is None or len(result[0].names) != 1:
            return []
        found, towns, _ = result
        indices = list(self.gazetteer.names[found.names[0]])
        return self._in_town(indices, towns) or indices


def geocode(texts: Iterable[object], gazetteer: Gazetteer, *,
            decisions: Mapping[str, Decision] | None = None) -> GeocodeResult:
    """Place every text (see the module notes); the same text always gets the same answer."""
    return Geocoder(gazetteer, decisions or {}).many(texts)


def decision_key(text: str) -> str:
    """The key under which an analyst's decision for ``text`` is remembered."""
    return canonical(text)
