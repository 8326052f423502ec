"""Keyed pseudonyms for person identifiers (HMAC-SHA256).

A pseudonym lets records of the same person be linked (repeat victims, repeat suspects) without
holding the identifier itself. A plain hash is not enough: identifiers such as NHS numbers or
names can be enumerated and hashed by anyone, so the hash is keyed with a secret the partnership
holds (``ALLIANCE_PSEUDONYM_KEY``), following the ICO *Pseudonymisation* guidance (2022 draft
anonymisation guidance, chapter 3) and RFC 2104 (HMAC). Without the key nothing runs.

Identifiers are normalised before hashing so that trivial differences in how partners type the
same identifier do not split one person into two: Unicode NFKC, case-folded, and all white space,
hyphens, dots and slashes removed ("943 476 5919" and "943-476-5919" give the same pseudonym).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from alliance import config

MIN_KEY_LENGTH = 16
_SEPARATORS = re.compile(r"[\s\-./]+")


class MissingPseudonymKey(RuntimeError):
    """Raised when pseudonyms are asked for but no (long enough) key is set."""


def normalise_identifier(identifier: str) -> str:
    """The canonical form of an identifier that is hashed (see the module docstring)."""
    if not isinstance(identifier, str):
        raise TypeError(f"identifier must be text, not {type(identifier).__name__}")
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", identifier).casefold())
    if not text:
        raise ValueError(f"identifier {identifier!r} is empty once normalised")
    return text


@dataclass(frozen=True)
class Pseudonymiser:
    """HMAC-SHA256 pseudonyms under one secret key.

    Parameters
    ----------
    key : the secret (at least 16 characters). Use :meth:`from_config` in application code.
    domain : keeps pseudonyms of different identifier kinds apart (e.g. 'nhs-number' vs
        'police-person-id'), so the same text in two kinds never links by accident.
    """

    key: str = field(repr=False)
    domain: str = "person"

    def __post_init__(self) -> None:
        if not self.key or len(self.key) < MIN_KEY_LENGTH:
            raise MissingPseudonymKey(
                f"a pseudonym key of at least {MIN_KEY_LENGTH} characters is required; set "
                "ALLIANCE_PSEUDONYM_KEY before loading record-level person data")

    @classmethod
    def from_config(cls, *, domain: str = "person") -> Pseudonymiser:
        key = config.load().pseudonym_key
        if key is None:
            raise MissingPseudonymKey(
                "ALLIANCE_PSEUDONYM_KEY is not set: refusing to pseudonymise person "
                "identifiers without a secret key")
        return cls(key, domain)

    def pseudonym(self, identifier: str) -> str:
        """64 hexadecimal characters; the same identifier always gives the same pseudonym."""
        message = f"{self.domain}\x1f{normalise_identifier(identifier)}".encode()
        return hmac.new(self.key.encode(), message, hashlib.sha256).hexdigest()

    def pseudonyms(self, identifiers: Iterable[str]) -> list[str]:
        return [self.pseudonym(i) for i in identifiers]

    def pseudonymise_column(self, series: pd.Series, *, source: str = "") -> pd.Series:
        """Pseudonymise a column; missing or blank identifiers raise, naming the rows.

        A missing identifier is not silently turned into a pseudonym (that would link every
        unknown person together) nor dropped (that would change the counts).
        """
        text = series.astype("string")
        blank = text.isna() | (text.str.strip() == "")
        if blank.any():
            rows = list(series.index[blank.to_numpy()])[:10]
            where = f" in {source}" if source else ""
            raise ValueError(f"{int(blank.sum())} missing identifier(s){where} in column "
                             f"{series.name!r}, rows {rows}")
        return pd.Series([self.pseudonym(str(v)) for v in text], index=series.index,
                         name=series.name, dtype="string")
