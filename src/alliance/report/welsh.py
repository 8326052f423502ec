"""Welsh words for the report's generated text: months, lists, changes and ratios in words.

The framework-free core cannot use Django's gettext, and generated sentences carry numbers
that a message catalogue would have to take as placeholders anyway, so the SNA's Welsh text
is written here and in :mod:`alliance.report.sna.cymraeg` as functions of the same figures the
English text is made from (:mod:`alliance.report.wording` formats every number in both, so a
figure reads the same in either language). Standard modern Welsh as Welsh public bodies write
it: digits before the noun take the singular ("7 cymdogaeth") or "o" with the plural and its
soft mutation ("27,533 o droseddau"); "a" becomes "ac" before a vowel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from alliance.report.wording import format_number, format_percent, is_significant

MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
          "Medi", "Hydref", "Tachwedd", "Rhagfyr")
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December")
#: soft mutation of a word's first letters (after "i", "o", "dau" …), longest first
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"),
         ("d", "dd"), ("g", ""), ("m", "f"))
#: the letters after which "a" is "ac" ("w" left out: before a name such as Wellingborough or
#: Wrecsam it is a consonant, "a Wrecsam")
_VOWEL = re.compile(r"^[aeiouyâêîôûŷáéíóúàèìòù]", re.IGNORECASE)


def soft(word: str) -> str:
    """The soft mutation of a Welsh word ('Rhagfyr' -> 'Ragfyr', 'Tachwedd' -> 'Dachwedd')."""
    for start, into in _SOFT:
        if word.lower().startswith(start):
            rest = word[len(start):]
            if not into:
                return rest[:1].upper() + rest[1:] if word[:1].isupper() else rest
            return (into.capitalize() if word[:1].isupper() else into) + rest
    return word


def and_word(following: str) -> str:
    """'a', or 'ac' before a vowel."""
    return "ac" if _VOWEL.match(following.strip()) else "a"


def with_cy(following: str) -> str:
    """'â', or 'ag' before a vowel ('o gymharu ag Ionawr')."""
    return "ag" if _VOWEL.match(following.strip()) else "â"


def join_cy(items: Iterable[str]) -> str:
    """'a', 'a a b', 'a, b ac c' (no comma before the last, as in English)."""
    words = [str(i) for i in items if str(i)]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {and_word(words[-1])} {words[-1]}"


def month_cy(month: pd.Period | str) -> str:
    """'2025-03' -> 'Mawrth 2025'."""
    p = pd.Period(str(month), freq="M")
    return f"{MONTHS[p.month - 1]} {p.year}"


def months_cy(months: tuple[str, ...]) -> str:
    """'Ionawr–Ebrill 2025', 'Rhagfyr 2024–Mawrth 2025' or 'Mai 2025' (as months_text)."""
    first, last = pd.Period(months[0], freq="M"), pd.Period(months[-1], freq="M")
    if first == last:
        return month_cy(first)
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]}–{month_cy(last)}"
    return f"{month_cy(first)}–{month_cy(last)}"


def dates_cy(text: str) -> str:
    """English month names in ``text`` in Welsh, 'X to Y' as 'X i Y' (Y softly mutated):
    'January 2025 to December 2025' -> 'Ionawr 2025 i Ragfyr 2025'."""
    for en, cy in zip(_ENGLISH_MONTHS, MONTHS, strict=True):
        text = re.sub(rf"\b{en}\b", cy, text)
        text = re.sub(rf"\b{en[:3]}\b(?= \d{{4}})", cy, text)  # '2 Jan 2026'
    text = text.replace("(imported into Alliance)", "(mewnforiwyd i Alliance)")
    names = "|".join(MONTHS)
    return re.sub(rf"\bto ({names})\b", lambda m: f"i {soft(m.group(1))}", text)


def year_cy(label: str) -> str:
    """A reporting year's label: 'calendar year 2025 (January 2025 to December 2025)' ->
    'blwyddyn galendr 2025 (Ionawr 2025 i Ragfyr 2025)'."""
    text = label.replace("calendar year", "blwyddyn galendr").replace(
        "financial year", "blwyddyn ariannol")
    return dates_cy(text)


def _share(pct: float) -> str:
    return "llai nag 1%" if 0 < abs(pct) < 0.5 else format_percent(abs(pct), dp=0)


def _fewer_more(pct: float) -> str:
    if pct == 0:
        return "dim newid"
    return f"{_share(pct)} yn {'fwy' if pct > 0 else 'llai'}"


def change_cy(change_pct: float, ci_low_pct: float, ci_high_pct: float) -> str:
    """:func:`alliance.report.wording.describe_change_plainly` in Welsh: 'tua 5% yn llai
    (o 2% i 8% yn llai)'."""
    low, high = float(ci_low_pct), float(ci_high_pct)
    if low > high:
        raise ValueError(f"confidence interval is reversed: {low} > {high}")
    size = "tua'r un faint" if round(change_pct) == 0 else f"tua {_fewer_more(change_pct)}"
    if not is_significant(low, high):
        return (f"{size}, ond mae unrhyw beth o {soft(_fewer_more(low))} i "
                f"{soft(_fewer_more(high))} yn "
                "gyson â'r ffigurau, felly nid yw hyn yn newid clir")
    word = "fwy" if change_pct > 0 else "llai"
    near, far = sorted((abs(low), abs(high)))
    return f"{size} (o {soft(_share(near))} i {soft(_share(far))} yn {word})"


def ratio_cy(ratio: float, ci_low: float, ci_high: float, *, comparator: str) -> str:
    """:func:`alliance.report.wording.describe_ratio_plainly` in Welsh, against
    ``comparator`` ('yn y pumed lleiaf difreintiedig')."""
    r, low, high = float(ratio), float(ci_low), float(ci_high)
    if not is_significant(low, high, null=1.0):
        return (f"heb fod yn glir wahanol i'r gyfradd {comparator} (tua "
                f"{format_number(r, dp=1)} gwaith; mae unrhyw beth o "
                f"{format_number(low, dp=1)} i {format_number(high, dp=1)} gwaith yn gyson â'r "
                "ffigurau)")
    if r < 1:
        return (f"tua {format_percent((1 - r) * 100, dp=0)} yn is nag {comparator} (o "
                f"{format_percent((1 - high) * 100, dp=0)} i "
                f"{format_percent((1 - low) * 100, dp=0)} yn is)")
    return (f"tua {format_number(r, dp=1)} gwaith mor uchel ag {comparator} (o "
            f"{format_number(low, dp=1)} i {format_number(high, dp=1)} gwaith)")


def counted_cy(n: int, noun: str) -> str:
    """'dim cymdogaeth', '1 gymdogaeth', '8 cymdogaeth': Welsh keeps the noun singular after a
    numeral (``noun`` is feminine here, so 'un' mutates it)."""
    if n == 0:
        return f"dim {noun}"
    return f"1 {soft(noun)}" if n == 1 else f"{n:,} {noun}"
