"""The partnership's own words in the SNA: its summary, findings and recommendations.

They are written in the workspace (``alliance.web.reports``), each resting on one item of the
report: a finding, table or figure of the build it was written against, named by its id in
``figures.json``. When it is written, the item's numbers are fingerprinted and its value and
period kept as the *baseline*. When the SNA is rebuilt, the text is placed in the report and,
as a narrative file is (:mod:`alliance.report.narrative`), flagged when the numbers it rests on
have changed since, or when the item is no longer in the report, so no stale sentence is
published unseen.

The fingerprint is taken from the ``figures.json`` form of an item (:meth:`Report.figures`), so
the workspace (which reads ``figures.json``) and the build (which holds the report) compute the
same one.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from alliance.report.wording import format_count, format_number, format_percent

Kind = Literal["summary", "finding", "recommendation"]
Status = Literal["current", "changed", "missing"]
KINDS: tuple[Kind, ...] = ("summary", "finding", "recommendation")


@dataclass(frozen=True, kw_only=True)
class WrittenText:
    """One text the partnership wrote in the workspace, as the SNA build receives it.

    ``key`` is stable across edits (the workspace's record id, e.g. ``recommendation-3``);
    ``cites`` the id of the finding, table or figure it rests on; ``fingerprint`` and
    ``checked`` what that item's numbers were when the text was last saved (checked against
    them); ``baseline`` the figure a recommendation's progress is measured from, kept from
    when it was agreed unless the partnership resets it (``checked`` when not given).
    """

    key: str
    kind: Kind
    text: str
    cites: str
    fingerprint: str
    baseline: str
    cited_label: str = ""
    owner: str = ""
    measure: str = ""
    written: str = ""  # the date it was last saved, as people write it
    checked: str = ""

    @property
    def checked_against(self) -> str:
        return self.checked or self.baseline

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"written text {self.key!r}: kind must be one of {KINDS}")
        if not self.text.strip():
            raise ValueError(f"written text {self.key!r} is empty")
        if self.kind == "recommendation" and not (self.owner.strip() and self.measure.strip()):
            raise ValueError(f"recommendation {self.key!r} needs an owner and a measure")


@dataclass(frozen=True, kw_only=True)
class Checked:
    """A written text with what has become of the item it rests on."""

    text: WrittenText
    status: Status
    now: str = ""  # a cited finding's value and period in this build ('' otherwise)

    @property
    def flagged(self) -> bool:
        return self.status != "current"

    def notice(self) -> str:
        """The sentence the report prints above a flagged text (empty when current)."""
        what = {"summary": "summary", "finding": "finding",
                "recommendation": "recommendation"}[self.text.kind]
        since = f" on {self.text.written}" if self.text.written else ""
        if self.status == "missing":
            return (f"This {what} rests on {self.text.cited_label or 'an item'}, which is no "
                    "longer in this report. Choose what it rests on again in the workspace "
                    "(SNA, then Summary, findings and recommendations) to clear this notice.")
        if self.status == "changed":
            then_now = (f": {self.text.checked_against} then, {self.now} now" if self.now
                        else "")
            return (f"The numbers this {what} rests on have changed since it was "
                    f"written{since}{then_now}. Check it and save it again in the workspace "
                    "(SNA, then Summary, findings and recommendations) to clear this notice.")
        return ""


def _canonical(value: object) -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return float(f"{value:.10g}")  # float noise below 10 significant digits is no change
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def entry_fingerprint(entry: Mapping[str, Any]) -> str:
    """SHA-256 of an item's numbers: a finding's value and unit, a table's or figure's data
    (as in ``figures.json``). Wording, captions and provenance lines do not enter it."""
    if entry.get("kind") == "finding":
        payload: object = {"id": entry["id"], "value": _canonical(entry.get("value")),
                           "unit": entry.get("unit", "")}
    else:
        payload = {"id": entry["id"], "data": _canonical(entry.get("data", []))}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def value_words(value: float, unit: str) -> str:
    """A finding's value as a baseline reads: '27,533 offences', '−5.0% change'."""
    if unit == "offences" and float(value).is_integer():
        return f"{format_count(value)} offences"
    if unit == "% change":
        return f"{format_percent(value, dp=1, signed=True)} change"
    if unit.startswith("% "):
        return f"{format_percent(value, dp=1)} {unit[2:]}"
    if unit == "p-value":
        return f"p = {value:.3f}"
    if unit == "rate ratio":
        return f"rate ratio {format_number(value, dp=2)}"
    return f"{format_number(value, dp=0 if float(value).is_integer() else 2)} {unit}".strip()


def baseline_of(entry: Mapping[str, Any]) -> str:
    """What an item's numbers are, in words with their period: '27,533 offences (January 2025
    to December 2025)', or for a table or figure its caption and period."""
    period = str((entry.get("provenance") or {}).get("period") or "")
    when = f" ({period})" if period else ""
    if entry.get("kind") == "finding":
        value = entry.get("value")
        if value is None:
            return f"hidden or not calculable{when}"
        return value_words(float(value), str(entry.get("unit", ""))) + when
    return f"as in “{entry.get('caption', entry['id'])}”{when}"


def label_of(entry: Mapping[str, Any], *, limit: int = 160) -> str:
    """How a person recognises an item: 'Finding: 27,533 offences … (The overall picture)'."""
    where = entry.get("section_title") or entry.get("section") or ""
    if entry.get("kind") == "finding":
        text = str(entry.get("plain") or entry.get("text", ""))
        short = text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
        return f"the finding “{short}”" + (f" ({where})" if where else "")
    kind = "table" if entry.get("kind") == "table" else "figure"
    return f"the {kind} “{entry.get('caption', entry['id'])}”" + (f" ({where})" if where else "")


def check(texts: Iterable[WrittenText],
          entries: Mapping[str, Mapping[str, Any]]) -> list[Checked]:
    """Each text with the state of the item it rests on in this build (``entries`` by id, as
    :meth:`Report.figures` lists them)."""
    out = []
    for t in texts:
        entry = entries.get(t.cites)
        if entry is None:
            out.append(Checked(text=t, status="missing"))
            continue
        now = baseline_of(entry) if entry.get("kind") == "finding" else ""
        changed = entry_fingerprint(entry) != t.fingerprint
        out.append(Checked(text=t, status="changed" if changed else "current", now=now))
    return out


__all__ = ["KINDS", "Checked", "WrittenText", "baseline_of", "check", "entry_fingerprint",
           "label_of", "value_words"]
