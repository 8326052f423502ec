"""Finding the street (or venue) a run of words names, and settling which one.

Used by :mod:`alliance.geo.geocode` once prefixes, house numbers and postcodes are off a text.
The words are searched for, in order:

1. **exactly**: the longest run of words that is a gazetteer name ("abington street"); a
   one-word run only if it is no town, no word that names no place and no bare street type,
   unless nothing else in the text is a name ("Queensway" is a road and a ward);
2. **by spelling**: a run ending in a street type against the names of that type ("abingtton
   avenue" -> "abington avenue"), else a short run against names with no type ("draprry" ->
   "drapery"), allowing :func:`max_edits` typing slips (optimal string alignment distance: a
   letter dropped, added, changed or two swapped each count one), and only when no other name
   is as close.

A word before the name that is neither a town nor a word that names no place means a longer
name was meant (misspelt), so a one-word match is then refused and a longer one trusted less.
Towns are looked for in the other words: exactly on either side, and by spelling (see
:data:`TOWN_EDITS`) after the name only, since a misspelt word before it is more likely part
of the name. Which of several same-named streets is meant is settled by
:meth:`StreetSearch.choose`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from alliance.geo.gazetteer import Gazetteer
from alliance.geo.place_text import ABBREVIATIONS, NO_PLACE_WORDS, STREET_TYPES

MAX_WINDOW = 6
#: typing slips allowed in a town name of at least six letters
TOWN_EDITS = 1
_ROAD_NUMBER = re.compile(r"^[abm]\d{1,4}(?:\(m\))?$")


def max_edits(query: str) -> int:
    """Typing slips allowed in a name (without its street type) of this length: none under 5
    letters, one up to 8, two from 9."""
    letters = len(query.replace(" ", ""))
    return 0 if letters < 5 else 1 if letters < 9 else 2


@dataclass(frozen=True)
class Found:
    """Names found for a run of words ``words[start:end]`` (several: equally close)."""

    start: int
    end: int
    names: tuple[str, ...]
    edits: int  # 0: exact


class StreetSearch:
    """Searches one gazetteer's names (see the module notes)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        vocabulary: set[str] = set()
        saints: set[str] = set()
        cores: dict[str, list[str]] = {}
        for name in gazetteer.names:
            words = name.split()
            vocabulary.update(words)
            saints.update(words[k + 1] for k in range(len(words) - 1) if words[k] == "st")
            if len(words) > 1 and words[-1] in STREET_TYPES:
                cores.setdefault(" ".join(words[:-1]), []).append(name)
        for town in gazetteer.towns:
            words = town.split()
            vocabulary.update(words)
            saints.update(words[k + 1] for k in range(len(words) - 1) if words[k] == "st")
        self.cores = {k: tuple(v) for k, v in cores.items()}
        self.untyped = tuple(n for n in gazetteer.untyped
                             if n not in gazetteer.major_towns and n not in NO_PLACE_WORDS)
        self.town_names = tuple(t for t in gazetteer.towns if len(t) >= 6)
        self.vocabulary = frozenset(vocabulary | NO_PLACE_WORDS)
        self.saints = frozenset(saints)

    # --- words ---------------------------------------------------------------------------
    def expand(self, words: Sequence[str]) -> list[str]:
        """Abbreviations written out ("St" is "street" unless a saint's name follows); a
        word no name holds that is close to a street type ("raod", "steet") taken for it."""
        out = []
        for k, w in enumerate(words):
            if w == "st" and k > 0 and (k + 1 == len(words) or words[k + 1] not in self.saints):
                out.append("street")  # a first "St" is a saint: "St Giles Street"
                continue
            w = ABBREVIATIONS.get(w, w)
            if len(w) >= 4 and w not in self.vocabulary and not w.isdigit():
                fixed = process.extractOne(w, STREET_TYPES, scorer=OSA.distance,
                                           score_cutoff=1 if len(w) <= 5 else 2)
                if fixed is not None and abs(len(str(fixed[0])) - len(w)) <= 1:
                    w = str(fixed[0])
            out.append(w)
        return out

    def towns(self, words: Sequence[str], *, by_spelling: bool = True
              ) -> tuple[set[str], list[bool]]:
        """Town names and postcode districts among ``words``, and which words they used."""
        found: set[str] = set()
        towns = self.gazetteer.towns
        n = len(words)
        used = [False] * n
        for length in range(min(n, 4), 0, -1):
            for i in range(n - length + 1):
                if any(used[i:i + length]):
                    continue
                key = " ".join(words[i:i + length])
                hit = key if key in towns else None
                if hit is None and by_spelling and len(key) >= 6:
                    near = process.extractOne(key, self.town_names, scorer=OSA.distance,
                                              score_cutoff=TOWN_EDITS)
                    hit = str(near[0]) if near is not None else None
                if hit is not None:
                    found.add(hit)
                    used[i:i + length] = [True] * length
        return found, used

    @staticmethod
    def unexplained(words: Sequence[str], used: Sequence[bool]) -> bool:
        """Whether any of ``words`` is neither a town nor a word that names no place."""
        return any(not u and w not in NO_PLACE_WORDS and not w.isdigit()
                   for w, u in zip(words, used, strict=True))

    # --- names ---------------------------------------------------------------------------
    def exact(self, words: Sequence[str]) -> Found | None:
        """The longest run of words that is a name (rightmost first); see the module notes
        for one-word runs."""
        names, towns = self.gazetteer.names, self.gazetteer.towns
        for strict in (True, False):
            n = len(words)
            for length in range(min(n, MAX_WINDOW), 0, -1):
                for i in range(n - length, -1, -1):
                    key = " ".join(words[i:i + length])
                    if key not in names:
                        continue
                    others = [w for k, w in enumerate(words) if k != i]
                    alone = all(w in towns or w in NO_PLACE_WORDS or w.isdigit()
                                for w in others)
                    if length == 1 and not self._one_word(key, strict=strict, alone=alone):
                        continue
                    return Found(i, i + length, (key,), 0)
            if not any(w in towns for w in words):
                break
        return None

    def _one_word(self, key: str, *, strict: bool, alone: bool) -> bool:
        if key in NO_PLACE_WORDS or (len(key) < 4 and not _ROAD_NUMBER.match(key)):
            return False
        if key in STREET_TYPES and f"the {key}" not in self.gazetteer.names:
            return False
        if key in self.gazetteer.major_towns:
            return False  # "Corby" is the town, whatever police.uk calls a map point
        if key in self.gazetteer.towns:
            # a ward's name is a street ("Queensway") only when nothing else can be
            return not strict and alone
        return True

    def by_spelling(self, words: Sequence[str], *, before: int | None = None) -> Found | None:
        """The closest names by spelling: runs ending in a street type against names of that
        type; failing any, short runs against names with no type. ``before``: only runs
        starting before that word."""
        found = self._runs(words, typed=True, before=before)
        return found if found is not None else self._runs(words, typed=False, before=before)

    def near(self, name: str) -> tuple[str, ...]:
        """Other names within :func:`max_edits` of ``name`` (a real name typed with a slip
        can be another real name: "Canon Street" for "Cannon Street")."""
        core, _, last = name.rpartition(" ")
        typed = last in STREET_TYPES and bool(core)
        pool = self.gazetteer.by_type.get(last) if typed else self.untyped
        allowed = max_edits(core if typed else name)
        if not pool or not allowed:
            return ()
        hits = process.extract(name, pool, scorer=OSA.distance, limit=6,
                               score_cutoff=allowed)
        return tuple(str(h[0]) for h in hits if str(h[0]) != name)

    def _runs(self, words: Sequence[str], *, typed: bool, before: int | None) -> Found | None:
        best: Found | None = None
        n = len(words)
        for end in range(n, 0, -1):
            last = words[end - 1]
            if typed:
                pool = self.gazetteer.by_type.get(last) if last in STREET_TYPES else None
                starts = range(max(0, end - MAX_WINDOW), end - 1)
            else:
                pool = self.untyped
                starts = range(max(0, end - 3), end)
            if not pool:
                continue
            for start in starts:
                if before is not None and start >= before:
                    continue
                query = " ".join(words[start:end])
                # slips are allowed by the length of the name without its type word, so
                # "Gold Street" never becomes "Hood Street"
                allowed = max_edits(" ".join(words[start:end - 1]) if typed else query)
                if not allowed or query in self.gazetteer.towns:
                    continue
                hits = process.extract(query, pool, scorer=OSA.distance, limit=3,
                                       score_cutoff=allowed)
                if not hits:
                    continue
                edits = int(hits[0][1])
                names = tuple(str(h[0]) for h in hits if int(h[1]) == edits)
                if best is None or edits < best.edits or (
                        edits == best.edits and end - start > best.end - best.start):
                    best = Found(start, end, names, edits)
        return best
