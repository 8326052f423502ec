"""UK postcodes as written: found anywhere in a text, in any spacing or case, and put in one
canonical form ("NN1 1AA": the outward code, one space, the inward code).

Shared by the partner readers (:mod:`alliance.sources`), which check a postcode column, and the
geocoder (:mod:`alliance.geo`), which looks postcodes up.
"""

from __future__ import annotations

import re

#: a UK postcode, spaces anywhere or nowhere: outward code (area, district, sub-district)
#: then inward code (sector digit, unit letters)
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][ABD-HJLNP-UW-Z]{2})\b")


def canonical_postcode(text: str) -> str | None:
    """``"nn11aa"``, ``"NN1  1AA"`` -> ``"NN1 1AA"``; ``None`` when ``text`` is not one."""
    match = POSTCODE.fullmatch(re.sub(r"\s+", " ", text.strip().upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None
