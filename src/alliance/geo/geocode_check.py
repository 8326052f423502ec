"""How well the geocoder does on an area's own places: a labelled set, and its score.

The labelled set is made from real records, never from the geocoder's own answers:

* **street texts** — police.uk records drawn at random (so busy streets come up as often as
  they do in real data), their "On or near" street written the way reception staff write it:
  abbreviated ("Rd", "St", "Ave"), misspelt (one slip of the keyboard in a longer word), in
  capitals or lower case, behind "o/s", "nr", "opp", "rear of" or a house number, with or
  without the town after it. The right answer is the LSOA police.uk gives the record.
* **postcode texts** — live postcodes in any spacing and case, sometimes behind "outside" or
  after a house number; the right answer is the postcode's LSOA 2021.
* **junction texts** — two streets whose map points are within 150 m ("jct of A and B",
  "A/B", "corner of A & B"); the right answer is the LSOA of the first street.
* **no-place texts** — "home", "N/K", "in a car", "friends house" …; the right answer is to
  leave them unplaced.

Texts are split into a tuning part and a held-back part by the street name (or postcode), so
no held-back name was seen while tuning (:func:`split`). :func:`score` counts right, wrong and
unplaced per kind.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.geo.gazetteer import POLICE_UK_GENERIC, Gazetteer
from alliance.geo.geocode import GeocodeResult
from alliance.geo.place_text import canonical

KINDS = ("street", "postcode", "junction", "no place")
SHORT = {"Road": ["Rd", "rd", "RD", "Rd."], "Street": ["St", "st", "St.", "Str"],
         "Avenue": ["Ave", "Av"], "Close": ["Cl"], "Lane": ["Ln"], "Crescent": ["Cres"],
         "Drive": ["Dr"], "Gardens": ["Gdns"], "Court": ["Ct"], "Place": ["Pl"],
         "Square": ["Sq"], "Terrace": ["Tce", "Terr"], "Grove": ["Gr"], "Park": ["Pk"]}
PREFIXES = ("o/s ", "outside ", "nr ", "near ", "opp ", "opposite ", "rear of ", "outside no ",
            "in ", "on ", "by ", "at ", "o/s the shops on ", "behind ", "alleyway off ")
NO_PLACE_TEXTS = (
    "home", "HOME", "Home address", "at home", "own home", "his house", "her house",
    "friends house", "friend's house", "a friends house", "partners house", "ex partners house",
    "unknown", "UNKNOWN", "Unk", "N/K", "NK", "nk", "not known", "Not stated", "n/a", "N/A",
    "in a car", "in car", "in a taxi", "on a bus", "at work", "work", "school", "at school",
    "pub", "in a pub", "nightclub", "a party", "at a party", "in the street", "street",
    "in the park", "park", "shop", "prison", "HMP", "police custody", "refused", "pt refused",
    "patient refused to say", "declined", "?", "-", "none", "nfa", "no fixed abode",
    "elsewhere", "out of area", "abroad", "see notes", "tbc", "dont know", "cannot remember",
    "at his girlfriends house", "in the kitchen", "bedroom", "outside a pub", "outside a shop",
)
_KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm", "wertyuiopqsdfghjklaxcvbnmz",
                                  strict=True)}


@dataclass(frozen=True)
class Labelled:
    """Texts with the right answer (``lsoa21_code`` None: should be left unplaced)."""

    frame: pd.DataFrame  # text, kind, lsoa21_code, key (street name or postcode), held_back


def _typo(word: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return word[:i] + word[i + 1:]  # a letter dropped
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # two swapped
    if kind == 2:
        c = word[i].lower()
        return word[:i] + _KEYBOARD.get(c, c) + word[i + 1:]  # the next key
    return word[:i] + word[i] + word[i:]  # a letter doubled


def _written(name: str, town: str | None, rng: np.random.Generator) -> str:
    words = name.split()
    if words and words[-1] in SHORT and rng.random() < 0.5:
        options = SHORT[words[-1]]
        words[-1] = options[int(rng.integers(0, len(options)))]
    if rng.random() < 0.3:
        long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
        if long:
            i = long[int(rng.integers(0, len(long)))]
            words[i] = _typo(words[i], rng)
    if rng.random() < 0.3:
        words = [w.replace("'", "") for w in words]
    text = " ".join(words)
    if rng.random() < 0.35:
        prefix = PREFIXES[int(rng.integers(0, len(PREFIXES)))]
        number = f"{int(rng.integers(1, 120))} " if prefix == "outside no " else ""
        text = prefix + number + text
    elif rng.random() < 0.15:
        text = f"{int(rng.integers(1, 200))} {text}"
    if town:
        text += (", " if rng.random() < 0.6 else " ") + town
    case = rng.random()
    return text.upper() if case < 0.25 else text.lower() if case < 0.45 else text


def _held_back(key: str, share: float) -> bool:
    return (zlib.crc32(key.encode()) % 1000) < share * 1000


def labelled_texts(*, records: pd.DataFrame, postcodes: pd.DataFrame, places: pd.DataFrame,
                   gazetteer: Gazetteer, n_street: int = 3000, n_postcode: int = 600,
                   n_junction: int = 200, seed: int = 13, held_back: float = 0.3) -> Labelled:
    """A labelled set (see the module notes).

    ``records`` are police.uk rows (``location``, ``lsoa21_code``), ``postcodes`` the postcode
    table, ``places`` (lsoa21_code, place) town names, ``gazetteer`` only for the junctions'
    nearby street pairs.
    """
    rng = np.random.default_rng(seed)
    rows = records.dropna(subset=["location", "lsoa21_code"])
    rows = rows.assign(name=rows["location"].astype(str).str.replace(
        r"^On or near\s+", "", regex=True).str.strip())
    rows = rows[(rows["name"] != "") & ~rows["name"].map(canonical).isin(POLICE_UK_GENERIC)
                & ~rows["name"].str.contains("/")]
    short = places["place"].astype(str).map(lambda p: len(p.split()) <= 2)
    towns = places[short].groupby("lsoa21_code")["place"].agg(list)
    out = []
    pick = rows.iloc[rng.integers(0, len(rows), n_street)]
    for name, lsoa in pick[["name", "lsoa21_code"]].itertuples(index=False):
        options = [t for t in towns.get(lsoa, []) if "northamptonshire" not in t]
        town = options[int(rng.integers(0, len(options)))].title() if options and \
            rng.random() < 0.5 else None
        out.append((_written(str(name), town, rng), "street", lsoa, str(name)))
    live = postcodes[postcodes["live"].astype(bool)]
    for code, lsoa in live.iloc[rng.integers(0, len(live), n_postcode)][
            ["postcode", "lsoa21_code"]].itertuples(index=False):
        style = int(rng.integers(0, 5))
        text = [code, code.replace(" ", "").lower(), code.replace(" ", "  "),
                f"outside {int(rng.integers(1, 90))} {code}", code.lower()][style]
        out.append((text, "postcode", lsoa, code))
    out += _junctions(gazetteer, n_junction, rng)
    for text in NO_PLACE_TEXTS:
        out.append((text, "no place", None, text))
    frame = pd.DataFrame(out, columns=["text", "kind", "lsoa21_code", "key"])
    frame["held_back"] = frame["key"].map(lambda k: _held_back(str(k), held_back))
    return Labelled(frame=frame)


def _junctions(gazetteer: Gazetteer, n: int,
               rng: np.random.Generator) -> list[tuple[str, str, str, str]]:
    streets = [(i, e) for i, e in enumerate(gazetteer.entries) if e.kind == "street"
               and len(gazetteer.names.get(canonical(e.name), ())) == 1]
    xy = np.array([[e.easting, e.northing] for _, e in streets])
    from scipy.spatial import cKDTree

    pairs = sorted(cKDTree(xy).query_pairs(150.0))
    out: list[tuple[str, str, str, str]] = []
    if not pairs:
        return out
    for k in rng.choice(len(pairs), size=min(n, len(pairs)), replace=False):
        a, b = streets[pairs[int(k)][0]][1], streets[pairs[int(k)][1]][1]
        style = int(rng.integers(0, 3))
        text = [f"jct of {a.name} and {b.name}", f"{a.name}/{b.name}",
                f"corner of {a.name} & {b.name}"][style]
        out.append((text, "junction", a.lsoa21_code, a.name))
    return out


def score(labelled: pd.DataFrame, result: GeocodeResult) -> pd.DataFrame:
    """Right, wrong and unplaced (counts and shares) per kind of text, and for texts that
    name a street or postcode together."""
    got = result.to_frame()
    frame = labelled.reset_index(drop=True).assign(got=got["lsoa21_code"].to_numpy())
    placed = frame["got"].notna()
    frame["outcome"] = np.where(
        frame["lsoa21_code"].isna(), np.where(placed, "wrong", "right"),
        np.where(~placed, "unplaced", np.where(frame["got"] == frame["lsoa21_code"], "right",
                                               "wrong")))
    groups = {kind: frame[frame["kind"] == kind] for kind in KINDS}
    groups["street or postcode"] = frame[frame["kind"].isin(["street", "postcode",
                                                             "junction"])]
    rows = []
    for kind, part in groups.items():
        n = len(part)
        counts = part["outcome"].value_counts()
        rows.append({"texts": kind, "n": n,
                     **{k: int(counts.get(k, 0)) for k in ("right", "wrong", "unplaced")},
                     **{f"{k} %": round(100 * counts.get(k, 0) / n, 1) if n else np.nan
                        for k in ("right", "wrong", "unplaced")}})
    return pd.DataFrame(rows)
