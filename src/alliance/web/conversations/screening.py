"""Screen a submitted statement for personal data before anyone else sees it.

Screening is deliberately cautious: a hit does not reject the statement, it holds it for a
moderator (even in open mode) with the reason recorded. It finds e-mail addresses, UK and
international phone numbers, social-media handles and obvious names ("my name is …",
"Mr Smith", "PC Jones", "call Sam"). It cannot find every name; moderation is the backstop.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# 10-13 digits, optionally starting +44 / 0, with spaces, dots, dashes or brackets between
PHONE = re.compile(r"(?<!\w)(\+?\d[\d\s().-]{8,16}\d)(?!\w)")
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,30}\b")
NAME_PHRASE = re.compile(
    r"\b(?:my name is|my name's|i am called|i'm called|call me|ask for|named|called)\s+"
    r"[A-Z][a-z]+", re.IGNORECASE)
TITLE_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|PC|DC|PCSO|Sgt|Sergeant|Inspector|Officer)\.?\s+[A-Z][a-z]{1,}")


def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation dropped, spaces collapsed (duplicate guard)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    return " ".join(words)[:600]


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data found in ``text`` (empty when none): 'e-mail address', …"""
    found: list[str] = []
    if EMAIL.search(text):
        found.append("e-mail address")
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 10 <= len(digits) <= 13:
            found.append("phone number")
            break
    if HANDLE.search(text):
        found.append("social-media handle")
    # NAME_PHRASE is case-insensitive on the phrase, but the name itself must be capitalised
    if any(m.group(0).split()[-1][:1].isupper() for m in NAME_PHRASE.finditer(text)) or \
            TITLE_NAME.search(text):
        found.append("a person's name")
    return found
