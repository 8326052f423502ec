"""Screen participant text for personal data and safeguarding concerns before anyone sees it.

One function, :func:`screen`, used by every path that stores or shows participant text:
conversation statements, Polis imports, uploaded survey answers and workshop notes, the
consent form's area field. A hit never rejects the text; it holds it for a moderator (even in
an open conversation) with the reason recorded, and moderation is the backstop.

Cleaning first (:func:`clean`), because the screen is only as good as the text it reads:
Unicode NFKC folds look-alike forms (fullwidth ``＠`` → ``@``, ``０７`` → ``07``), then control,
format (bidi overrides such as U+202E, zero-width joiners) and private-use characters are
removed and spaces collapsed. The cleaned text is what is stored and shown, so a right-to-left
override cannot make a stored statement read differently from what the moderator saw; the
screen also reads the text in the order such an override would display it.

What it finds (personal data):

* e-mail addresses, also written ``name (at) host dot com``;
* phone numbers: digit runs with spaces, dots, dashes or brackets between any digits
  (``0 7 7 0 0 …``), and a letter O or I typed for 0 or 1 beside a digit (``O7700``), read as a
  UK number (0 then 9–10 digits, +44 or 0044 then 9–10, or 7 then 9 digits) or an
  international one (+ then 8–15 digits);
* social-media handles (``@name``; ``snap: name``, ``insta name`` and the like);
* full UK postcodes (``NN1 4DX``; a district alone, ``NN1``, is not personal);
* house-number addresses (``14 Wellingborough Road``, ``3b Mill Lane``);
* names: "my name is …", a title and a name (``PC Jones``, ``Mr Smith``), and — the case that
  harms people — a name next to an accusation: a capitalised first name and surname, or one
  capitalised name followed directly by the accusation, within eight words of words such as
  *deals*, *sells drugs*, *carries a knife*, *stabbed*, *grooms*, *is a dealer*.

What it finds (safeguarding): a child at risk (*he hits me*, *scared to go home*, *they make
me carry drugs*, *being groomed*), a threat (*I'm going to stab him*, *bring a knife to*, *is
going to get shot*) and self-harm (*I want to kill myself*).

What it misses (say so to moderators): names typed in lower case or in other scripts,
nicknames (*Big T*), people described rather than named (*the lad in flat 3*), numbers
spelt out in words (*oh seven seven …*), addresses without a house number, threats and
disclosures in words not on its lists, slang it does not know. The name rule needs capitals
because a list of every name would also catch *Rose*, *Hope*, *Mark* and *Will*; there is no
permissively licensed list of UK names on PyPI to narrow it (the US census lists are US).

False positives, measured on every statement of the six real Pol.is conversations in
``shared/data/polis`` (2,041 in English, German and Chinese, moderated ones included): one
held, 0.05% — "… Bypass @work", read as a handle (``tests/voice/test_screening.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ------------------------------------------------------------------------------- cleaning
#: Unicode categories removed after NFKC: controls, format (bidi, zero-width), private use,
#: surrogates, unassigned. Tabs and line breaks become spaces first.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})


def clean(text: str) -> str:
    """NFKC, controls/format/bidi characters removed, whitespace collapsed to single spaces."""
    folded = unicodedata.normalize("NFKC", text)
    spaced = re.sub(r"[\t\n\r\f\v\u2028\u2029\x85]", " ", folded)
    kept = "".join(ch for ch in spaced if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    return " ".join(kept.split())


def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation dropped, spaces collapsed (duplicate guard)."""
    folded = unicodedata.normalize("NFKD", clean(text)).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    return " ".join(words)[:600]


# ------------------------------------------------------------------------- personal data
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_SPELT = re.compile(
    r"\b[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\w-]+\s*"
    r"(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\.)\s*(?:com|net|org|co|uk|gov|ac|me|io)\b", re.I)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b")
HANDLE_NAMED = re.compile(
    r"\b(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|tik tok|twitter|fb|facebook|telegram|"
    r"whatsapp|discord)\s*(?::|-|is|me|me on|handle|name)\s*@?[A-Za-z0-9_.]{3,30}\b", re.I)
POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][ABD-HJLNP-UW-Z]{2})\b",
                      re.I)
STREET_TYPES = (r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|court|"
                r"ct|place|pl|gardens|grove|terrace|walk|hill|square|mews|row|rise|view|"
                r"parade|green|park|estate")
HOUSE_ADDRESS = re.compile(
    rf"\b(?:flat\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?!(?:hours?|mins?|minutes?|days?|"
    rf"weeks?|years?|miles?|yards?|metres?|meters?|times?|people|kids|youths?|per)\b)"
    rf"(?:[A-Za-z'-]+\s+){{0,2}}(?!(?:the|a|an|in|on|at|of|to|by|near|this|that|our|my|"
    rf"their|his|her|its|your|big|local|new|old)\s)[A-Za-z'-]+\s+(?:{STREET_TYPES})\b\.?",
    re.I)
NAME_PHRASE = re.compile(
    r"\b(?:my name is|my name's|i am called|i'm called|call me|ask for|(?<!so-)(?<!so )named|"
    r"(?<!so-)(?<!so )called)\s+"
    r"([A-Za-z][a-z]+)", re.I)
TITLE_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|PC|DC|PCSO|Sgt|Sergeant|Inspector|Officer|Cllr|Councillor)\.?"
    r"\s+[A-Z][a-z]{1,}")
# An accusation: what the named person is said to do or be.
ACCUSATION = re.compile(
    r"\b(?:deal(?:s|ing)\b(?!\s+with)|dealer|sells?|selling|supplies|supplying|pushes|pushing|"
    r"carr(?:y|ies|ying)\s+(?:a\s+)?(?:knife|knives|blade|gun|shank|machete)|"
    r"stabb?(?:s|ed|ing)?|shot|shoots|robb?(?:s|ed|ing)|mugg?(?:s|ed|ing)|burgl(?:ed|es|ing)|"
    r"attack(?:s|ed)|assault(?:s|ed)|beat(?:s)?\s+up|battered|threaten(?:s|ed)|"
    r"groom(?:s|ed|ing)|abus(?:es|ed|ing)|rap(?:es|ed)|touch(?:es|ed)\s+(?:kids|children)|"
    r"is\s+a\s+(?:dealer|paedo|pedo|nonce|groomer|rapist|thief|grass|snitch|pimp|abuser)|"
    r"runs?\s+(?:county\s+)?lines|in\s+a\s+gang|gang\s+member|traffick(?:s|ed|ing))\b", re.I)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?\b")
#: capitalised words that start a sentence or name a place, group or thing, not a person
_NOT_A_NAME = frozenset({
    "a", "an", "the", "i", "i'm", "my", "our", "we", "they", "he", "she", "it", "its", "his",
    "her", "their", "this", "that", "these", "those", "there", "here", "if", "when", "where",
    "what", "who", "why", "how", "and", "but", "or", "so", "because", "also", "then", "some",
    "someone", "somebody", "everyone", "everybody", "anyone", "people", "person", "kids",
    "children", "youths", "young", "adults", "police", "officers", "council", "councillors",
    "dealers", "gangs", "gang", "drugs", "knives", "knife", "crime", "violence", "parents",
    "teachers", "school", "schools", "youth", "club", "shop", "shops", "tesco", "asda", "lidl",
    "aldi", "mcdonalds", "kfc", "town", "city", "centre", "center", "station", "market",
    "street", "road", "lane", "avenue", "park", "estate", "london", "northampton", "northants",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "yes", "no", "not", "never", "always", "please", "stop", "more",
    "less", "most", "many", "much", "all", "every", "each", "other", "others", "men", "women",
    "boys", "girls", "lads", "teens"
})
_PLACE_SUFFIX = frozenset({
    "street", "st", "road", "rd", "lane", "ln", "avenue", "ave", "park", "estate", "centre",
    "center", "station", "market", "square", "close", "drive", "way", "court", "gardens",
    "grove", "terrace", "hill", "green", "school", "academy", "college", "shop", "mall",
    "club", "council", "police", "town", "city", "county", "bridge", "common", "fields",
    "field", "house", "hall", "church", "library"
})
#: words between an accusation and a name that keep them "next to" each other
WINDOW = 8

# -------------------------------------------------------------------------- safeguarding
CHILD_AT_RISK = re.compile(
    r"\b(?:(?:he|she|they|my\s+(?:dad|mum|mom|step\w*|uncle|brother|sister|mum's|mom's|"
    r"dad's)\s*\w*)\s+(?:hits?|beats?|hurts?|touch(?:es)?|kicks?|punch(?:es)?|burns?|"
    r"chokes?|abuses?)\s+me|(?:scared|afraid|frightened)\s+to\s+go\s+home|not\s+safe\s+at\s+"
    r"home|(?:makes?|made|forcing|forces?)\s+me\s+(?:to\s+)?(?:carry|sell|deliver|hold|"
    r"run|move)\b|(?:being|been|getting|got)\s+groomed|i\s+(?:have|had|got)\s+to\s+"
    r"(?:carry|sell|run)\s+(?:drugs|food|a\s+knife|lines)|(?:sent\s+me|(?:get|got|been|"
    r"being)\s+sent)\s+(?:to|on)\s+(?:a\s+)?(?:line|lines|trap)|"
    r"owe\s+(?:them|a\s+dealer)\s+money)\b", re.I)
THREAT = re.compile(
    r"\b(?:(?:i'?m|i\s+am|im|we'?re|we\s+are|i'?ll|we'?ll|i\s+will|we\s+will|gonna|going\s+to)"
    r"\s+(?:\w+\s+)?(?:stab|shank|kill|shoot|merk|batter|slash)\s+"
    r"(?:him|her|them|you|u|someone|somebody|that\s+\w+|(?-i:[A-Z]\w+))|(?:bring|bringing|brought)\s+"
    r"(?:a\s+)?(?:knife|blade|gun|shank|machete|weapon)\s+(?:to|into|in)\b|(?:is|are)\s+going"
    r"\s+to\s+get\s+(?:stabbed|shot|jumped|merked|killed|wet)|there\s+will\s+be\s+a\s+"
    r"(?:stabbing|shooting))", re.I)
SELF_HARM = re.compile(
    r"\b(?:(?:want|wanna|going)\s+to\s+(?:kill|hurt|end)\s+myself|kill\s+myself|"
    r"end\s+(?:it\s+all|my\s+life)|self[\s-]?harm(?:ing)?|cut(?:ting)?\s+myself|"
    r"suicid(?:e|al))\b", re.I)

EMAIL_KIND, PHONE_KIND, HANDLE_KIND = "e-mail address", "phone number", "social-media handle"
POSTCODE_KIND, ADDRESS_KIND = "full postcode", "street address"
NAME_KIND, ACCUSED_KIND = "a person's name", "a person named next to an accusation"
CHILD_KIND, THREAT_KIND, SELF_HARM_KIND = ("a child may be at risk", "a threat of violence",
                                           "risk of self-harm")
_PERSONAL_KINDS = (EMAIL_KIND, PHONE_KIND, HANDLE_KIND, POSTCODE_KIND, ADDRESS_KIND, ACCUSED_KIND,
                   NAME_KIND)


@dataclass(frozen=True)
class Screened:
    """What :func:`screen` found.

    Attributes
    ----------
    text
        The cleaned text (:func:`clean`): what to store and show.
    personal_data
        Kinds of personal data found, in a fixed order ('e-mail address', …).
    safeguarding
        Kinds of safeguarding concern found ('a child may be at risk', …).
    """

    text: str
    personal_data: tuple[str, ...] = ()
    safeguarding: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        """True when a moderator must look before anyone else sees the text."""
        return bool(self.personal_data or self.safeguarding)

    @property
    def reason(self) -> str:
        """All kinds found, comma-separated (empty when nothing was found)."""
        return ", ".join(self.safeguarding + self.personal_data)


#: letters NFKC leaves alone that are typed for 0 beside digits (Cyrillic and Greek O)
_LOOKS_LIKE_DIGIT = {"\u041e": "O", "\u043e": "o", "\u039f": "O", "\u03bf": "o"}


def _digits_for_phone(text: str) -> list[str]:
    """Digit runs read as a phone number would be typed, separators and look-alikes removed."""
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else
                   _LOOKS_LIKE_DIGIT.get(ch, ch) for ch in text)
    text = re.sub(r"(?<=\d)[Oo]|[Oo](?=\d)", "0", text)
    text = re.sub(r"(?<=\d)[Il|]|[Il|](?=\d)", "1", text)
    runs = re.finditer(r"(?:\+|\b00)?\d(?:[\s.\-()/]{0,3}\d){7,}", text)
    return [("+" if m.group(0).startswith("+") else "") + re.sub(r"\D", "", m.group(0))
            for m in runs]


def _is_phone(digits: str) -> bool:
    if digits.startswith("+"):
        body = digits[1:]
        return (body.startswith("44") and 11 <= len(body) <= 12) or 8 <= len(body) <= 15
    if digits.startswith("0044"):
        return 13 <= len(digits) <= 14
    if digits.startswith("44") and len(digits) in (11, 12):
        return digits[2] in "123578"
    if digits.startswith("0"):
        return 10 <= len(digits) <= 11 and digits[1] in "123578"
    return len(digits) == 10 and digits[0] == "7"


def _names_near_accusations(text: str) -> bool:
    """A capitalised first name and surname within WINDOW words of an accusation, or one
    capitalised name directly followed by it (see module docstring)."""
    accusations = [m.span() for m in ACCUSATION.finditer(text)]
    if not accusations:
        return False
    words = list(re.finditer(r"\S+", text))
    starts = [w.start() for w in words]

    def word_index(position: int) -> int:
        return max(0, sum(1 for s in starts if s <= position) - 1)

    names = []
    tokens = [w.group(0).strip(".,;:!?\"'()") for w in words]
    for i in range(len(tokens) - 1):
        first, second = tokens[i], tokens[i + 1]
        if (_CAPITALISED.fullmatch(first) and _CAPITALISED.fullmatch(second)
                and first.lower() not in _NOT_A_NAME and second.lower() not in _NOT_A_NAME
                and second.lower() not in _PLACE_SUFFIX
                and not (i + 2 < len(tokens) and tokens[i + 2].lower() in _PLACE_SUFFIX)):
            names.append((i, i + 1))
    for start, end in accusations:
        a_first, a_last = word_index(start), word_index(end - 1)
        if any(a_first - WINDOW <= j and i <= a_last + WINDOW and not a_first <= j <= a_last
               and not a_first <= i <= a_last for i, j in names):
            return True
        before = a_first - 1
        if before >= 0 and _CAPITALISED.fullmatch(tokens[before]) \
                and tokens[before].lower() not in _NOT_A_NAME and before > 0 \
                and not words[before - 1].group(0).endswith((".", "!", "?")):
            return True  # "… and Jordan deals to kids" (not a sentence's first word)
    return False


def _personal_data(text: str) -> tuple[str, ...]:
    found = []
    if EMAIL.search(text) or EMAIL_SPELT.search(text):
        found.append(EMAIL_KIND)
    if any(_is_phone(d) for d in _digits_for_phone(text)):
        found.append(PHONE_KIND)
    if HANDLE.search(text) or HANDLE_NAMED.search(text):
        found.append(HANDLE_KIND)
    if POSTCODE.search(text):
        found.append(POSTCODE_KIND)
    if HOUSE_ADDRESS.search(text):
        found.append(ADDRESS_KIND)
    if _names_near_accusations(text):
        found.append(ACCUSED_KIND)
    # the phrase may be any case, but the name after it must be capitalised
    elif any(m.group(1)[:1].isupper() for m in NAME_PHRASE.finditer(text)) or \
            TITLE_NAME.search(text):
        found.append(NAME_KIND)
    return tuple(found)


_RIGHT_TO_LEFT_OVERRIDE = re.compile("\u202e([^\u202a-\u202e]*)(?:\u202c|$)")


def as_displayed(text: str) -> str:
    """``text`` as a screen shows it where a right-to-left override (U+202E … U+202C)
    reverses a run: ``\u202e321009 00770\u202c`` reads as ``07700 900123``."""
    return _RIGHT_TO_LEFT_OVERRIDE.sub(lambda m: m.group(1)[::-1], text)


def screen(text: str) -> Screened:
    """Clean ``text`` and find personal data and safeguarding concerns in it.

    Both the typed order and the displayed order (:func:`as_displayed`) are screened; the
    cleaned typed order is what is kept, overrides removed, so nobody sees the reversed run.
    """
    cleaned = clean(text)
    readings = {cleaned, clean(as_displayed(text))}
    concerns = tuple(kind for kind, pattern in ((CHILD_KIND, CHILD_AT_RISK),
                                                (THREAT_KIND, THREAT),
                                                (SELF_HARM_KIND, SELF_HARM))
                     if any(pattern.search(r) for r in readings))
    found = {kind for r in readings for kind in _personal_data(r)}
    ordered = tuple(kind for kind in _PERSONAL_KINDS if kind in found)
    return Screened(text=cleaned, personal_data=ordered, safeguarding=concerns)


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data and safeguarding concern in ``text`` (empty when none)."""
    found = screen(text)
    return list(found.safeguarding + found.personal_data)
