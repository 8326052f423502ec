"""Published partner statistics as the SNA uses them: which rows describe the area today, which
series of a measure to show, how current each figure is, and which rows compare it.

* **Headline rows** only: the all-groups figure of each measure (no sex, age or reason split).
* **Comparator rows** (England, England and Wales, the UK, Wales, a region) are never shown as
  the area's own figures; :mod:`alliance.report.sna.comparators` sets the area beside them.
* **Predecessor areas** (districts and counties abolished in a reorganisation, e.g. the seven
  Northamptonshire districts replaced by North and West Northamptonshire in April 2021) are
  never shown as current. Where the measure adds up — a count, or a rate or percentage
  published with its count and denominator — and every predecessor lies wholly in one successor,
  the predecessors' figures are added up to that successor; otherwise they are left out and
  listed, with the reason, so the reader knows what is missing.
* **Currency**: a figure whose period ends more than :data:`STALE_AFTER_MONTHS` months before
  the SNA's period ends is flagged out of date, naming the newest period held for the measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from alliance.report.wording import decimals_for, period_label, unit_kind
from alliance.sources.partners.geography import rate_scale

#: A published figure is out of date when its period ends more than this many months before
#: the end of the SNA's period. Two years: most partner statistics are annual and published
#: 6-12 months after the year ends, so a current figure is at most about 21 months old.
STALE_AFTER_MONTHS = 24

#: GSS code prefixes of areas that are comparators, never the SNA's own area.
NATIONAL_PREFIXES = ("E92", "K04", "K02", "K03", "W92")
REGION_PREFIX = "E12"


def is_comparator(code: object) -> bool:
    text = str(code or "")
    return text.startswith((*NATIONAL_PREFIXES, REGION_PREFIX))


def headline(frame: pd.DataFrame) -> pd.DataFrame:
    """The all-groups rows with a value: no breakdown, or every 'key=value' part is 'Total'."""
    def is_total(text: object) -> bool:
        t = str(text or "").strip()
        if not t:
            return True
        parts = [p.partition("=") for p in t.split(";")]
        return all(sep and value.strip() == "Total" for _, sep, value in parts)

    if frame.empty:
        return frame
    keep = frame["breakdown"].fillna("").map(is_total) & frame["value"].notna()
    out = frame[keep].copy()
    ends = out["period_end"] if "period_end" in out.columns else pd.Series(pd.NaT,
                                                                         index=out.index)
    out["_when"] = pd.to_datetime(ends, errors="coerce")
    return out


@dataclass(frozen=True, kw_only=True)
class LeftOut:
    """A measure published only for areas that no longer exist, and why it is not shown."""

    measure: str
    label: str
    areas: tuple[str, ...]
    period: str
    reason: str

    def sentence(self) -> str:
        areas = (", ".join(self.areas[:-1]) + " and " + self.areas[-1] if len(self.areas) > 1
                 else self.areas[0])
        exist = "exists" if len(self.areas) == 1 else "exist"
        return (f"{self.label}: published only for {areas}, which no longer {exist} (newest "
                f"figures {period_label(self.period)}); not shown, because {self.reason}.")


@dataclass(frozen=True, kw_only=True)
class LocalFigures:
    """The area's own headline rows (predecessors added up where exact) and what was left out."""

    rows: pd.DataFrame
    left_out: tuple[LeftOut, ...]


def local_figures(indicators: pd.DataFrame, measures: Sequence[str], *,
                  successors: Mapping[str, Sequence[str]],
                  exclude: Sequence[str] = ()) -> LocalFigures:
    """Headline rows of ``measures`` for the SNA's own areas (see the module docstring);
    ``exclude`` names other areas held only to compare with (e.g. similar areas)."""
    rows = headline(indicators[indicators["measure"].isin(measures)]) if len(indicators) \
        else indicators
    if rows.empty:
        return LocalFigures(rows=rows, left_out=())
    rows = rows[~rows["area_code"].map(is_comparator) & ~rows["area_code"].isin(list(exclude))]
    rows, whole = _whole_area(rows, indicators, successors)
    old = rows["area_code"].isin([c for c in successors if c not in whole])
    current, former = rows[~old], rows[old]
    added, left_out = [], []
    for measure, group in former.groupby("measure", sort=False):
        summed = _added_up(group, successors, indicators)
        if len(summed):
            added.append(summed)
        elif not (current["measure"] == measure).any():
            last = group.sort_values("_when").iloc[-1]
            left_out.append(LeftOut(
                measure=str(measure), label=str(last["measure_label"] or measure),
                areas=tuple(sorted(group["area_name"].astype(str).unique())),
                period=str(last["period"]), reason=_why_not(group, successors)))
    out = pd.concat([current, *added], ignore_index=True) if added else current
    return LocalFigures(rows=out, left_out=tuple(left_out))


def _whole_area(rows: pd.DataFrame, indicators: pd.DataFrame,
                successors: Mapping[str, Sequence[str]]) -> tuple[pd.DataFrame, set[str]]:
    """Rows of an area split between successors that are *all* the SNA's own areas describe
    exactly their union (the former county = North + West Northamptonshire, which a youth
    justice service may still cover): kept as current, named for what they cover now.
    Returns the rows and the codes so kept."""
    own = set(indicators["area_code"].astype(str)) - set(successors)
    names = indicators.drop_duplicates("area_code").set_index("area_code")["area_name"]
    rows, kept = rows.copy(), set()
    for old, new in successors.items():
        hit = rows["area_code"] == old
        if len(new) < 2 or not set(new) <= own or not hit.any():
            continue
        now = " and ".join(str(names.get(c, c)) for c in new)
        rows.loc[hit, "area_name"] = rows.loc[hit, "area_name"].astype(str) + \
            f" (former area, now {now})"
        kept.add(old)
    return rows, kept


def _additive(group: pd.DataFrame) -> bool:
    """A count adds up; a crude rate or percentage only with every count and denominator
    (:func:`alliance.sources.partners.geography.rate_scale`: never a standardised rate)."""
    unit = str(group["unit"].iloc[0])
    if unit_kind(unit)[0] == "count":
        return True
    return rate_scale(unit) is not None and bool(
        group["numerator"].notna().all() and group["denominator"].notna().all())


#: why a former area's figure is left out (:class:`LeftOut`'s ``reason``)
SPLIT = ("the area was split between the councils that replaced it and only part of it is "
         "this SNA's area")
STANDARDISED = "a standardised rate cannot be added up to the councils that replaced them"
NOT_EVERY_PART = ("not every former area of a council that replaced them has a figure for the "
                  "period")


def not_additive(unit: str) -> str:
    return (f"a {unit} published without its count and denominator cannot be added up to the "
            "councils that replaced them")


def _why_not(group: pd.DataFrame, successors: Mapping[str, Sequence[str]]) -> str:
    unit = str(group["unit"].iloc[0])
    if any(len(successors[c]) != 1 for c in group["area_code"].unique()):
        return SPLIT
    if "standardised" in unit:
        return STANDARDISED
    if not _additive(group):
        return not_additive(unit)
    return NOT_EVERY_PART


def _added_up(group: pd.DataFrame, successors: Mapping[str, Sequence[str]],
              indicators: pd.DataFrame) -> pd.DataFrame:
    """Predecessors' rows summed to each successor, for periods where all its parts are held."""
    if not _additive(group):
        return group.iloc[:0]
    names = indicators.drop_duplicates("area_code").set_index("area_code")["area_name"]
    unit = str(group["unit"].iloc[0])
    counts, scale = unit_kind(unit)[0] == "count", rate_scale(unit)
    parts_of: dict[str, set[str]] = {}
    for old, new in successors.items():
        if len(new) == 1:
            parts_of.setdefault(str(new[0]), set()).add(str(old))
    out = []
    for _, rows in group.groupby(["source", "period"], sort=False):
        for new, parts in parts_of.items():
            mine = rows[rows["area_code"].isin(parts)]
            if set(mine["area_code"]) != parts or mine["area_code"].duplicated().any():
                continue
            first = mine.iloc[0].copy()
            former = ", ".join(sorted(mine["area_name"].astype(str)))
            first["area_code"] = new
            first["area_name"] = (f"{names.get(new, 'the council that replaced them')} "
                                  f"(former {former} added up)")
            if counts:
                first["value"] = float(mine["value"].sum())
            else:
                num, den = float(mine["numerator"].sum()), float(mine["denominator"].sum())
                first["numerator"], first["denominator"] = num, den
                first["value"] = num / den * float(scale or 1)
            first["notes"] = f"sum of the former areas {former}"
            out.append(first)
    return pd.DataFrame(out) if out else group.iloc[:0]


def newest(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (measure, area): each measure at its newest period (and so at the geography
    of its newest figures), and, where several publishers give the measure, one publisher's
    series chosen the same way every time (the newest, then one whose uncertainty is known,
    then by source name), so two tables of
    the report never show two different figures for one measure and area."""
    if rows.empty:
        return rows
    when = rows["_when"].fillna(pd.Timestamp("1900-01-01"))
    # Between equally new series, the one whose uncertainty is known (a count and denominator,
    # or a published interval) can be compared with England: prefer it.
    known = (rows["numerator"].notna() & rows["denominator"].notna()) | \
        rows.get("notes", pd.Series("", index=rows.index)).fillna("").astype(str).str.contains(
            "% CI ", regex=False)
    rows = rows.assign(_when=when, _known=known)
    rows = rows[when == when.groupby(rows["measure"]).transform("max")]
    rows = rows.sort_values(["measure", "area_code", "_when", "_known", "source"],
                            kind="stable")
    return rows.drop_duplicates(["measure", "area_code"], keep="last").drop(columns="_known")


@dataclass(frozen=True, kw_only=True)
class Currency:
    """How current one figure is against the SNA's period."""

    stale: bool
    months_before: int | None
    text: str


def currency(period_end: object, *, sna_end: pd.Timestamp, newest_period: str | None,
             stale_after_months: int = STALE_AFTER_MONTHS) -> Currency:
    """'Current', or 'Out of date: ...' naming how old it is and the newest period held."""
    end = pd.to_datetime(pd.Series([period_end]), errors="coerce").iloc[0]
    if pd.isna(end):
        return Currency(stale=False, months_before=None, text="period end not published")
    months = (sna_end.year - end.year) * 12 + (sna_end.month - end.month)
    if months <= stale_after_months:
        return Currency(stale=False, months_before=max(months, 0), text="Current")
    years = months // 12
    age = f"{years} year{'s' if years != 1 else ''}" if months >= 24 else f"{months} months"
    newest = (f"newest held: {period_label(newest_period)}" if newest_period
              else "no newer figures held")
    return Currency(stale=True, months_before=months,
                    text=f"Out of date: ended {age} before this SNA's period; {newest}")


def stale_note(sna_end: pd.Timestamp, stale_after_months: int = STALE_AFTER_MONTHS) -> str:
    """The sentence under a table with out-of-date figures."""
    return (f"Figures marked out of date end more than {stale_after_months} months before this "
            f"SNA's period ends ({sna_end:%B %Y}); the newest period held for each is named. "
            "Load a newer release from the publisher if there is one.")


def decimals(indicators: pd.DataFrame, row: pd.Series, *extra: float) -> int:
    """Decimals for one published figure: those its whole release needs (every area's value
    of the measure, source and period, England and the region included) so one figure prints
    the same in every table, and beside its comparators."""
    same = indicators[(indicators["measure"] == row["measure"])
                      & (indicators["source"] == row["source"])
                      & (indicators["period"] == row["period"])]["value"]
    values = [float(v) for v in same.dropna()] + [float(row["value"]), *extra]
    return decimals_for(values, unit=str(row["unit"]))


def newest_period(indicators: pd.DataFrame, measure: str, source: str) -> str | None:
    """The newest period of ``measure`` from ``source`` held for any area (comparators too)."""
    rows = headline(indicators[(indicators["measure"] == measure)
                               & (indicators["source"] == source)])
    if rows.empty or rows["_when"].isna().all():
        return None
    return str(rows.sort_values("_when", kind="stable").iloc[-1]["period"])
