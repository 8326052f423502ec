"""The Youth Endowment Fund Toolkit ratings held in ``reference/yef_toolkit.csv``.

The Toolkit rates approaches to preventing youth violence by *impact* (the estimated reduction
in violence, as a band: high, moderate, low, no clear evidence, insufficient evidence, harmful),
*evidence quality* (1 to 5) and *cost* (1 to 3). The table held is partial: several
approaches have no impact band, and evidence and cost scores were not captured for any. Every
missing rating is reported as missing (:attr:`YefApproach.missing`), never filled in.

Refusals name the file, the line and the field.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("approach", "impact_band", "headline_pct_reduction", "band_meaning",
           "evidence_quality_1to5", "cost_1to3", "prevention_type", "setting",
           "summary_own_words", "verification", "source_urls")
#: impact bands as the Toolkit names them, best first; "(inferred ...)" notes are kept aside
IMPACT_BANDS = ("HIGH", "MODERATE", "LOW", "NO CLEAR EVIDENCE", "INSUFFICIENT EVIDENCE",
                "HARMFUL")
IMPACT_WORDS = {"HIGH": "High impact", "MODERATE": "Moderate impact", "LOW": "Low impact",
                "NO CLEAR EVIDENCE": "No clear evidence of impact",
                "INSUFFICIENT EVIDENCE": "Too little evidence to estimate",
                "HARMFUL": "Evidence of harm"}
MISSING = "not recorded in the Toolkit table held"


class YefToolkitError(ValueError):
    """The Toolkit table cannot be read; the message names file, line and field."""


@dataclass(frozen=True, kw_only=True)
class YefApproach:
    """One Toolkit approach and the ratings held for it (None where not recorded)."""

    approach: str
    impact: str | None  # one of IMPACT_BANDS
    impact_note: str  # e.g. "inferred from %"
    headline: str
    band_meaning: str
    evidence: int | None  # 1 to 5
    cost: int | None  # 1 to 3
    prevention_type: str
    setting: str
    summary: str
    verification: str
    sources: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """The ratings the table does not hold for this approach."""
        return tuple(name for name, value in (("impact", self.impact),
                                              ("evidence quality", self.evidence),
                                              ("cost", self.cost)) if value is None)

    @property
    def impact_words(self) -> str:
        if self.impact is None:
            return f"Impact {MISSING}"
        words = IMPACT_WORDS[self.impact]
        return f"{words} ({self.band_meaning})" if self.band_meaning else words

    @property
    def evidence_words(self) -> str:
        return (f"Evidence quality {self.evidence} of 5" if self.evidence is not None
                else f"Evidence quality {MISSING}")

    @property
    def cost_words(self) -> str:
        return (f"Cost {self.cost} of 3" if self.cost is not None
                else f"Cost {MISSING}")


@dataclass(frozen=True)
class YefToolkit:
    approaches: tuple[YefApproach, ...]
    source: str

    def names(self) -> tuple[str, ...]:
        return tuple(a.approach for a in self.approaches)

    def get(self, name: str) -> YefApproach | None:
        wanted = name.strip().casefold()
        return next((a for a in self.approaches if a.approach.casefold() == wanted), None)


def _score(value: str, *, top: int, where: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= top:
        raise YefToolkitError(f"{where}, field {field}: {value!r} is not a whole number "
                              f"from 1 to {top}")
    return int(value)


def _impact(value: str, *, where: str) -> tuple[str | None, str]:
    value = value.strip()
    if not value:
        return None, ""
    band, _, note = value.partition("(")
    band = band.strip().upper()
    if band not in IMPACT_BANDS:
        raise YefToolkitError(f"{where}, field impact_band: {value!r} is not one of "
                              f"{', '.join(IMPACT_BANDS)}")
    return band, note.rstrip(")").strip()


def parse_yef_toolkit(text: str, *, name: str = "yef_toolkit.csv") -> YefToolkit:
    """Read the Toolkit table from CSV text (see :data:`COLUMNS`)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise YefToolkitError(f"{name} is empty") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise YefToolkitError(f"{name}, line 1: missing column(s) {', '.join(missing)}")
    pos = {c: header.index(c) for c in COLUMNS}
    found: list[YefApproach] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        where = f"{name}, line {line}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise YefToolkitError(f"{where}: {len(row)} fields, the header has {len(header)}")
        get = {c: row[i].strip() for c, i in pos.items()}
        if not get["approach"]:
            raise YefToolkitError(f"{where}, field approach: empty")
        if get["approach"].casefold() in seen:
            raise YefToolkitError(f"{where}, field approach: {get['approach']!r} is listed "
                                  "twice")
        seen.add(get["approach"].casefold())
        impact, note = _impact(get["impact_band"], where=where)
        found.append(YefApproach(
            approach=get["approach"], impact=impact, impact_note=note,
            headline=get["headline_pct_reduction"], band_meaning=get["band_meaning"],
            evidence=_score(get["evidence_quality_1to5"], top=5, where=where,
                            field="evidence_quality_1to5"),
            cost=_score(get["cost_1to3"], top=3, where=where, field="cost_1to3"),
            prevention_type=get["prevention_type"], setting=get["setting"],
            summary=get["summary_own_words"], verification=get["verification"],
            sources=tuple(s.strip() for s in get["source_urls"].split(" ; ") if s.strip())))
    if not found:
        raise YefToolkitError(f"{name}: no approaches listed")
    return YefToolkit(approaches=tuple(found), source=name)


def read_yef_toolkit(path: Path) -> YefToolkit:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise YefToolkitError(f"{path}: not found") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise YefToolkitError(f"{path.name}, line {line}: not UTF-8 text") from None
    return parse_yef_toolkit(text, name=path.name)
