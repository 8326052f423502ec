"""How the area compares: the SNA's comparator table (:func:`alliance.report.sna.comparators.
comparator_table`, the one function that sets a headline rate beside England, the region and
similar areas and says whether it is higher, similar or lower), over the published partner
statistics pooled for the partnership's area, worded for residents in English or Welsh.

Nothing is computed here: the table's rows are the SNA's own (the same values, intervals and
verdicts its context chapter prints), read from the pool now rather than from a build. The
police.uk proxy rate has no comparator (police.uk data for the rest of England is not pooled),
which the page says in words rather than as a row of blanks.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from alliance.report.document import Provenance
from alliance.report.sna.comparators import NO_COMPARATOR, comparator_table
from alliance.web.pool import queries
from alliance.web.pool.publication import pool_version

# the SNA's own choice of which areas' rows to read (the area, its districts, their
# predecessors, its region, the nations) and which old districts became which councils
from alliance.web.reports.services import _related_codes, _successors

#: the comparator columns, as comparator_table names them (the region's is found by prefix)
ENGLAND, VS_ENGLAND, VS_REGION = "England", "vs England", "vs region"
SIMILAR, VS_SIMILAR = "Similar areas", "vs similar areas"


@dataclass(frozen=True)
class Versus:
    """A comparator's value and the verdict, in the reader's words."""

    value: str
    verdict: str
    #: 'higher', 'lower', 'similar' or '' (not compared), for the page's tags
    tone: str


@dataclass(frozen=True)
class Row:
    indicator: str
    area: str
    period: str
    value: str
    england: Versus
    region: Versus
    similar: Versus | None


@dataclass(frozen=True)
class Comparisons:
    rows: tuple[Row, ...]
    region: str  # the region's name, or '' when the rows span several
    similar: bool  # a list of similar areas is held
    notes: tuple[str, ...]  # the SNA's own notes under the table (English)


def _said(word: str, against: str) -> str:
    """The verdict in words, whole sentences per comparator (Welsh mutates the name after
    'i': 'Tebyg i Loegr', so no name is put into a sentence)."""
    sentences = {
        "England": {"higher": _("Higher than England: a clear difference"),
                    "lower": _("Lower than England: a clear difference"),
                    "similar": _("Similar to England: no clear difference")},
        "region": {"higher": _("Higher than the region: a clear difference"),
                   "lower": _("Lower than the region: a clear difference"),
                   "similar": _("Similar to the region: no clear difference")},
        "similar areas": {"higher": _("Higher than similar areas: a clear difference"),
                          "lower": _("Lower than similar areas: a clear difference"),
                          "similar": _("About the same as similar areas: no clear difference")},
    }
    return sentences[against].get(word, _("Not compared"))


def _words(value: str, verdict: str, against: str) -> Versus:
    published = verdict.endswith(" (as published)")
    word = verdict.removesuffix(" (as published)").strip().lower()
    said = _said(word, against)
    if published and word in {"higher", "lower", "similar"}:
        said = _("%(verdict)s (the publisher's own test)") % {"verdict": said}
    shown = {NO_COMPARATOR: _("Not published"),
             "Not published for this period": _("Not published for this period"),
             "No list held": _("No list held")}.get(value, value)
    return Versus(value=shown, verdict=said,
                  tone=word if word in {"higher", "lower", "similar"} else "")


_INTERVAL = re.compile(r"^(?P<value>\S+) \((?P<low>\S+) to (?P<high>\S+)\)$")


def _value_words(text: str) -> str:
    """'10.3 (10.0 to 10.5)', as the SNA's table prints a value and its interval, in the
    reader's words (the numbers are the table's own)."""
    found = _INTERVAL.match(text)
    if found is None:
        return text
    return _("%(value)s (%(low)s to %(high)s)") % found.groupdict()


_CACHE: OrderedDict[tuple[object, ...], Comparisons | None] = OrderedDict()
_lock = threading.Lock()


def comparisons(area_code: str, lsoas: tuple[str, ...], *, last_month: str
                ) -> Comparisons | None:
    """The area's headline published statistics beside England, the region (and similar areas,
    when a list is held), or None when no published statistics are pooled for it."""
    from django.utils import translation

    key = (area_code, last_month, translation.get_language(), pool_version())
    with _lock:
        if key in _CACHE:
            return _CACHE[key]
    found = _comparisons(area_code, lsoas, last_month=last_month)
    with _lock:
        _CACHE[key] = found
        while len(_CACHE) > 16:
            _CACHE.popitem(last=False)
    return found


def _comparisons(area_code: str, lsoas: tuple[str, ...], *, last_month: str
                 ) -> Comparisons | None:
    lsoa = pd.DataFrame(index=pd.Index(list(lsoas), name="lsoa21_code"))
    indicators = queries.indicators(area_codes=_related_codes(lsoa, area_code))
    if indicators.empty:
        return None
    end = pd.Period(last_month, freq="M").to_timestamp(how="end").normalize()
    result = comparator_table(
        indicators=indicators, sna_end=end, successors=_successors(lsoa),
        provenance=Provenance(source="published partner statistics"))
    data = result.table.data
    if data.empty:
        return None
    region_head = next((c for c in data.columns if str(c).startswith("Region")), "Region")
    region = str(region_head).removeprefix("Region").lstrip(": ")
    similar = SIMILAR in data.columns
    rows = []
    for record in data.to_dict("records"):
        rows.append(Row(
            indicator=str(record["Indicator"]), area=str(record["Area"]),
            period=str(record["Period"]), value=_value_words(str(record["Value (95% CI)"])),
            england=_words(str(record[ENGLAND]), str(record[VS_ENGLAND]), "England"),
            region=_words(str(record[region_head]), str(record[VS_REGION]), "region"),
            similar=_words(str(record[SIMILAR]), str(record[VS_SIMILAR]), "similar areas")
            if similar else None))
    return Comparisons(rows=tuple(rows), region=region, similar=similar,
                       notes=result.notes)


def forget_cache() -> None:
    with _lock:
        _CACHE.clear()
