"""How people write places, reduced to one form the gazetteer can be searched with.

Reception staff in an emergency department type the place of an assault as it is said to
them: "o/s Wetherspoons, Abington St", "nr jct of Kettering Rd & Wellingborough Rd NN1",
"HIGH ST RUSHDEN", "home", "N/K". :func:`canonical` turns any such text, and every gazetteer
name, into the same form: lower case, punctuation and apostrophes gone, abbreviations written
out ("rd" -> "road", a last "st" -> "street", "saint" -> "st" elsewhere), so that
"St. George's Ave" and police.uk's "St George'S Avenue" meet as ``"st georges avenue"``.
:func:`strip_prefix` takes off what says *where near* a place is ("outside", "o/s", "opp",
"nr", "rear of", house numbers) and :func:`is_no_place` recognises texts that name no place at
all ("home", "unknown", "NK", "in a car"), which are left unplaced, never forced onto a map.
"""

from __future__ import annotations

import re
import unicodedata


def _words(text: str) -> list[str]:
    return text.split()


#: abbreviations written out (a last "st" is "street"; elsewhere "st" stays "st" = saint)
ABBREVIATIONS: dict[str, str] = {
    "rd": "road", "raod": "road", "ave": "avenue", "av": "avenue", "avn": "avenue",
    "ln": "lane", "cl": "close", "cls": "close", "cres": "crescent", "cresc": "crescent",
    "cr": "crescent", "dr": "drive", "drv": "drive", "gdns": "gardens", "gdn": "gardens",
    "grdns": "gardens", "ct": "court", "crt": "court", "pl": "place", "plc": "place",
    "sq": "square", "sqr": "square", "ter": "terrace", "terr": "terrace", "tce": "terrace",
    "gr": "grove", "grv": "grove", "pk": "park", "wy": "way", "wk": "walk", "wlk": "walk",
    "hl": "hill", "mws": "mews", "pde": "parade", "prde": "parade", "bvd": "boulevard",
    "blvd": "boulevard", "app": "approach", "cnr": "corner", "ctr": "centre",
    "center": "centre", "nth": "north", "sth": "south", "gt": "great", "lt": "little",
    "upr": "upper", "lwr": "lower", "mkt": "market", "stn": "station", "hse": "house",
    "rbt": "roundabout", "rdbt": "roundabout", "r/about": "roundabout", "saint": "st",
    "str": "street", "streeet": "street", "steet": "street", "sreet": "street",
}

#: words that end a street name (what makes "Abington Street" a street)
STREET_TYPES: frozenset[str] = frozenset(_words("""
road street lane close avenue way drive gardens court crescent place terrace walk grove hill
row square park view rise green mews end yard parade vale field fields approach boulevard
chase croft meadow meadows wharf gate path bank circus hollow nook paddock spinney leys
orchard brook dale lea side way wood mead furlong pathway promenade causeway bypass
"""))

#: how a text says where *near* a place it was; taken off the front (longest first)
PREFIXES: tuple[str, ...] = tuple(sorted("""
on or near|on or nr|outside|outside of|o s|os|opp|opposite|opposite to|nr|near|near to|
nearby|by|behind|rear of|r o|back of|in front of|infront of|front of|at|in|on|the|top of|
bottom of|end of|corner of|cnr of|corner|junction of|junction with|jct of|jct with|jct|jnc|
junc|junction|j w|adjacent to|adjacent|adj|adj to|next to|nxt to|off|just off|along|
alleyway off|alley off|alley by|footpath off|footpath by|car park of|car park at|
outside the|inside|inside the|within|area of|around|round|beside|across from|over|under|
underpass|subway|bus stop|bus stop on|bus stop outside|taxi rank|taxi rank on|entrance to|
exit of|shop on|shops on|shops at|flats on|flat|house on|garden of""".replace(
    "\n", "").split("|"), key=lambda p: -len(p)))

#: words that name no particular place: a text of only these (and town names) is no place
NO_PLACE_WORDS: frozenset[str] = frozenset(_words("""
home house own his her their my a an the at in on of to from and or with near by friends
friend s partners partner ex girlfriends boyfriends relatives relative family families
mothers mums dads fathers brothers sisters parents neighbours neighbour address residence
private residential property unknown unk not known nk n k stated ns recorded none nil na
refused declined pt patient withheld wont say would wouldnt say says did didnt give given
unable to state car vehicle van taxi cab bus coach train lorry work workplace job school
college pub bar club nightclub party street road roads park shop shops prison hmp custody
cell police station hospital ward nfa no fixed abode various elsewhere out area abroad other
see notes tbc tba n a unsure cannot remember recall dont know idk somewhere someone someones
indoors outdoors outside inside flat room bedroom kitchen garden gym town city centre center
local locally same as above ditto
"""))

#: whole texts that name no place, after :func:`canonical`
NO_PLACE_TEXTS: frozenset[str] = frozenset({
    "", "home", "at home", "nk", "n k", "unknown", "unk", "not known", "not stated",
    "in a car", "na", "n a", "nil", "none", "nfa", "no fixed abode", "refused",
    "pt refused", "patient refused", "declined", "not recorded", "address withheld",
    "withheld", "see notes", "tbc", "various", "elsewhere", "out of area", "abroad",
})

JUNCTION_WORDS = ("junction of", "junction with", "jct of", "jct with", "jct", "jnc", "junc",
                  "junction", "j w", "corner of", "cnr of", "corner")
_PUNCT = re.compile(r"[^\w\s&/]")
#: "o/s", "j/w", "r/o", "n/k", "n/a": one word written with a slash, not two places
_SLASHED = re.compile(r"\b([ojrn])\s*/\s*([swoka])\b")
_QUOTES = re.compile(r"[\u2019\u2018]")
_HOUSE_NUMBER = re.compile(
    r"^(?:(?:no|number|flat|unit|apt|house)\s+)?\d+[a-z]?(?:\s*-\s*\d+[a-z]?)?$")


def fold(text: str) -> str:
    """Lower case without accents, apostrophes or punctuation (slashes and & kept, for
    "o/s" and "A & B"), spaces collapsed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = _QUOTES.sub("", text)
    text = text.casefold().replace("'", "").replace("`", "")  # "George's" -> "georges"
    return " ".join(_PUNCT.sub(" ", text).split())


def expand(tokens: list[str]) -> list[str]:
    """Abbreviations written out; a last "st" is "street" (a first or middle one is saint)."""
    out = [ABBREVIATIONS.get(t, t) for t in tokens]
    if out and out[-1] == "st" and len(out) > 1:
        out[-1] = "street"
    return out


def canonical(text: str) -> str:
    """The searchable form of a place name or a typed location (see the module notes)."""
    tokens = fold(text).replace("/", " ").replace("&", " ").split()
    return " ".join(expand(tokens))


def tokens_of(text: str) -> list[str]:
    """Folded tokens, slashes kept as separate tokens ("o/s" -> "o s"; "A/B" -> A, "/", B)."""
    folded = fold(text)
    if "/" in folded:
        folded = _SLASHED.sub(r"\1 \2", folded).replace("/", " / ")
    return folded.replace("&", " & ").split()


_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _prefix in PREFIXES:
    _split = tuple(_prefix.split())
    _BY_FIRST[_split[0]] = (*_BY_FIRST.get(_split[0], ()), _split)


def strip_prefix(tokens: list[str]) -> list[str]:
    """Tokens without what says where near the place is, and without house numbers."""
    out = list(tokens)
    changed = True
    while changed and out:
        changed = False
        for words in _BY_FIRST.get(out[0], ()):  # longest first
            n = len(words)
            if len(out) > n and tuple(out[:n]) == words:
                out = out[n:]
                changed = True
                break
        while out and (_HOUSE_NUMBER.match(out[0]) or (out[0] in ("no", "flat", "unit")
                       and len(out) > 1 and out[1][:1].isdigit())):
            out = out[2:] if out[0] in ("no", "flat", "unit") else out[1:]
            changed = True
    return out


def is_no_place(words: list[str]) -> bool:
    """Whether ``words`` (folded, prefixes off) name no place: empty, a known no-place text,
    or only no-place words."""
    text = " ".join(words)
    if text in NO_PLACE_TEXTS:
        return True
    return all(w in NO_PLACE_WORDS or w in ("/", "&") for w in words)
