"""What partners' coded and written values mean: weapons, places, yes/no, sex.

The ISTV minimum data set (ISB 1594) codes the assault method and the location type, but its
value lists are not held here (``shared/reference/istv_isb1594.md``: "coded value lists not
captured"), and trusts and forces each send their own words or local codes. So a value is read
by what it *says*: "Knife", "KNIFE/BLADE", "stabbed", "01 - Knife or sharp object" all mean a
knife or sharp object. A value that matches nothing is not guessed: it is kept as written,
counted as "other" and its row flagged (``RowFlag.UNKNOWN_CODE``), so a new local code shows up
in the quality report and can be added to a mapping, never silently mislabelled.

Knife or sharp object follows the Home Office knife flag (ADR 160: a knife or sharp instrument
used or threatened) and hospital coding (ICD-10 X99, assault by sharp object, which includes
broken glass).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KNIFE = "knife or sharp object"
FIREARM = "firearm"
BLUNT = "blunt object"
BODY = "body (hit, kick, bite)"
CORROSIVE = "corrosive substance"
OTHER_WEAPON = "other"
NO_WEAPON = "none recorded"
UNKNOWN_WEAPON = "not known"
#: weapon categories, in the order tables show them
WEAPONS = (KNIFE, FIREARM, BLUNT, CORROSIVE, BODY, OTHER_WEAPON, UNKNOWN_WEAPON)

_WEAPON_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (KNIFE, ("knife", "knives", "blade", "bladed", "sharp", "stab", "stabbed", "stabbing",
             "machete", "sword", "dagger", "razor", "scissors", "glass", "glassed",
             "broken bottle", "screwdriver", "cut", "slash", "slashed", "x99")),
    (FIREARM, ("gun", "firearm", "shot", "shooting", "pistol", "rifle", "shotgun",
               "handgun", "x93", "x94", "x95")),
    (CORROSIVE, ("acid", "corrosive", "noxious", "bleach", "ammonia")),
    (BLUNT, ("blunt", "bat", "bar", "hammer", "stick", "club", "brick", "stone", "rock",
             "bottle", "pole", "iron", "baton", "object", "weapon", "y00")),
    (BODY, ("fist", "fists", "punch", "punched", "kick", "kicked", "feet", "foot", "head",
            "headbutt", "hand", "hands", "slap", "slapped", "body", "bite", "bitten",
            "strangle", "strangled", "push", "pushed", "stamp", "stamped", "elbow", "knee",
            "no weapon", "none", "y04")),
    (UNKNOWN_WEAPON, ("unknown", "not known", "nk", "n k", "not stated", "not recorded",
                      "unk", "refused")),
    (OTHER_WEAPON, ("other", "vehicle", "car", "dog", "animal", "fire", "burn", "burns",
                    "poison")),
)

STREET_PLACE = "street or public place"
LICENSED = "pub, bar or club"
HOME = "home"
SHOP = "shop or business"
EDUCATION = "school or college"
TRANSPORT = "transport"
OPEN_SPACE = "park or open space"
WORKPLACE = "workplace"
CUSTODY = "prison or custody"
OTHER_PLACE = "other"
UNKNOWN_PLACE = "not known"
LOCATION_TYPES = (STREET_PLACE, LICENSED, HOME, SHOP, EDUCATION, TRANSPORT, OPEN_SPACE,
                  WORKPLACE, CUSTODY, OTHER_PLACE, UNKNOWN_PLACE)
_PLACE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (LICENSED, ("pub", "bar", "club", "nightclub", "licensed", "licenced", "premises",
                "night time economy", "nte", "inn")),
    (HOME, ("home", "house", "dwelling", "residence", "residential", "flat", "domestic",
            "private")),
    (EDUCATION, ("school", "college", "university", "education", "academy")),
    (TRANSPORT, ("bus", "train", "station", "rail", "taxi", "transport", "tram", "vehicle",
                 "car park")),
    (OPEN_SPACE, ("park", "open space", "field", "playground", "recreation", "woods")),
    (SHOP, ("shop", "store", "supermarket", "takeaway", "restaurant", "cafe", "retail",
            "business", "commercial", "hotel")),
    (WORKPLACE, ("work", "workplace", "office")),
    (CUSTODY, ("prison", "custody", "hmp", "cell", "police station")),
    (STREET_PLACE, ("street", "road", "public", "outdoors", "outside", "alley", "footpath",
                    "pavement")),
    (UNKNOWN_PLACE, ("unknown", "not known", "nk", "n k", "not stated", "unk")),
    (OTHER_PLACE, ("other", "hospital")),
)

TRUE_WORDS = frozenset({"y", "yes", "true", "1", "t", "flagged", "knife", "da"})
FALSE_WORDS = frozenset({"n", "no", "false", "0", "f", "not flagged", "none"})
SEX = {"m": "male", "male": "male", "man": "male", "boy": "male", "1": "male",
       "f": "female", "female": "female", "woman": "female", "girl": "female", "2": "female",
       "x": "other", "other": "other", "non binary": "other", "nonbinary": "other",
       "9": "unknown", "0": "unknown",
       "u": "unknown", "unknown": "unknown", "not known": "unknown", "not stated": "unknown",
       "nk": "unknown", "indeterminate": "unknown", "prefer not to say": "unknown"}


@dataclass(frozen=True)
class Coded:
    """A written or coded value read: its ``category``, and whether it was ``recognised``."""

    category: str
    recognised: bool


def _words(value: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", value.casefold()).split()) + " "


def _read(value: str, table: tuple[tuple[str, tuple[str, ...]], ...], *,
          other: str, unknown: str) -> Coded:
    text = _words(value)
    if not text.strip():
        return Coded(unknown, True)
    for category, words in table:
        if any(f" {w} " in text for w in words):
            return Coded(category, True)
    return Coded(other, False)


def weapon(value: str) -> Coded:
    """The weapon category of an assault method or weapon as written or coded."""
    return _read(value, _WEAPON_WORDS, other=OTHER_WEAPON, unknown=UNKNOWN_WEAPON)


def location_type(value: str) -> Coded:
    """The category of a type of place as written or coded."""
    return _read(value, _PLACE_WORDS, other=OTHER_PLACE, unknown=UNKNOWN_PLACE)


def yes_no(value: str) -> bool | None:
    """True, False, or None when ``value`` says neither (blank, or not a yes/no)."""
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", value.casefold()).split())
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None


def sex(value: str) -> str | None:
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", value.casefold()).split())
    return SEX.get(text)
