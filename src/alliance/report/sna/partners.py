"""The SNA's partner-data sections: the core measures scorecard and the health lens, built from
partners' pooled data when it is there (``shared/research/sna-practice.md`` §6: T5.1, F11.1,
T11.1, T11.3).

Every count and rate is a cell of the partner source's own published lattice
(:func:`alliance.web.pool.publication.publication` with ``source=...``, passed in as
:class:`PartnerData`), read through the same :mod:`alliance.figures` functions as the
dashboard, so the two agree and one suppression protects both. Two tables are not lattice
cells and are suppressed here: how the rows were placed (counts by method,
:func:`alliance.privacy.suppression.suppress_counts`) and the share hidden from police data,
shown only where both its parts, with and without a police record nearby, are at least the
threshold (so neither a small "hidden" nor a small "seen" count can be worked out from it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.figures import counts as count_figures
from alliance.figures import monthly as monthly_figures
from alliance.figures.cube import ALL
from alliance.figures.publication import MARKER, NotPublished, Period, Publication
from alliance.pool import measures
from alliance.privacy.suppression import suppress_counts
from alliance.report import charts
from alliance.report.document import Block, Figure, Paragraph, Provenance, Table
from alliance.report.sna.partner_words import (
    BY_AREA,
    BY_MONTH,
    BY_WEAPON,
    HIDDEN,
    HIDDEN_LOCAL,
    PLACED,
    hidden_words,
    local_share_words,
    missing_words,
    monthly_alt,
    monthly_message,
    not_judged_words,
    placed_words,
    pooled_words,
    share_words,
    shares_words,
    weapon_alt,
    weapon_message,
)
from alliance.stats.hidden_share import Share

PER = count_figures.PER
#: the core measures in the scorecard's order, whichever sources are pooled
CORE_MEASURES: tuple[measures.Measure, ...] = (
    *measures.ISTV.measures, *measures.police_scheme(frozenset()).measures)
HEALTH_SOURCES = ("istv_ae", "ambulance")
#: the published weapon sums of a health source, in the order charts show them
WEAPON_GROUPS = ("sharp", "weapon_other")
NOT_PLACED = "not placed"
KNIFE = "Knife or sharp object"


@dataclass(frozen=True, kw_only=True)
class PartnerData:
    """One pooled partner source as the SNA reads it.

    publication
        The source's published lattice for the publication area (the dashboard's).
    placement
        Rows of the source by how they were placed: columns ``method``, ``rows`` (exact; the
        chapter suppresses them).
    hidden
        Events judged for a police record nearby, per group: columns ``by`` ("month" or
        "area"), ``group``, ``events``, ``hidden`` (exact; see the module notes), or None when
        no row could be judged; ``hidden_note`` says with what police data and window.
    hidden_local
        The same against the pooled local police extract (dates and points, a tighter
        window), or None when none is pooled or no row could be judged; with its note.
    """

    source: str
    label: str
    unit: str
    publication: Publication
    placement: pd.DataFrame
    hidden: pd.DataFrame | None = None
    hidden_note: str = ""
    hidden_local: pd.DataFrame | None = None
    hidden_local_note: str = ""


def partner_period(pub: Publication, wanted: Period) -> Period | None:
    """The SNA's reporting year if the partner holds it, else the partner's latest whole year
    (partners' data lag: the scorecard says which year each figure is for)."""
    labels = [y.label for y in pub.years]
    if wanted.label in labels:
        return pub.year(wanted.label)
    return pub.year(labels[-1]) if labels else None


def _figure(value: float) -> str:
    return MARKER if np.isnan(value) else f"{value:,.0f}"


def _rate(pub: Publication, *, level: str, code: str, period: Period, category: str) -> str:
    r = count_figures.rate(pub, level=level, code=code, period=period, category=category)
    if r.hidden:
        return MARKER
    return f"{r.value:,.2f} ({r.lower:,.2f} to {r.upper:,.2f})"


def scorecard(partners: Mapping[str, PartnerData], *, level: str, code: str,
              wanted: Period) -> tuple[pd.DataFrame, list[str]]:
    """T5.1: each core measure with its under-25 view, count and rate per 1,000 a year (95%
    exact Poisson interval) from its source's lattice; and the sources still missing."""
    rows, missing = [], []
    for m in CORE_MEASURES:
        data = partners.get(m.source)
        period = partner_period(data.publication, wanted) if data is not None else None
        if data is None or period is None:
            if m.source not in missing:
                missing.append(m.source)
            status = "not pooled" if data is None else "no whole reporting year held yet"
            rows.append({"Measure": m.label, "Year": "", "Count": "", f"Rate per {PER:,} a "
                         "year (95% CI)": "", "Under 25: count": "",
                         f"Under 25: rate per {PER:,} a year (95% CI)": "", "Status": status})
            continue
        pub = data.publication
        row = {"Measure": m.label, "Year": period.label}
        for prefix, key in (("", m.key), ("Under 25: ", m.under_25)):
            label = "count" if prefix else "Count"
            try:
                row[prefix + label] = _figure(pub.count(level=level, code=code, period=period,
                                                        category=key))
                row[f"{prefix}{'rate' if prefix else 'Rate'} per {PER:,} a year (95% CI)"] = \
                    _rate(pub, level=level, code=code, period=period, category=key)
            except NotPublished:
                row[prefix + label] = "whole area only"
                row[f"{prefix}{'rate' if prefix else 'Rate'} per {PER:,} a year (95% CI)"] = ""
        row["Status"] = "pooled"
        rows.append(row)
    return pd.DataFrame(rows), missing


def by_month(data: PartnerData, *, level: str, code: str) -> pd.DataFrame:
    """F11.1 as a table: each month's count, all and with a knife or sharp object, as
    published (blank: published by year only here)."""
    pub = data.publication
    out = pd.DataFrame({"Month": list(pub.cube.months)})
    for category, column in ((ALL, f"All {data.unit}"), ("sharp", KNIFE)):
        if category != ALL and category not in pub.cube.published_categories:
            continue
        series = monthly_figures.monthly(pub, level=level, code=code, category=category)
        shown = {m: ("" if s in (monthly_figures.NOT_HELD, monthly_figures.BY_YEAR_ONLY)
                     else _figure(v))
                 for m, v, s in zip(series["month"], series["count"], series["state"],
                                    strict=True)}
        out[column] = out["Month"].map(shown).fillna("")
    return out


def by_area(data: PartnerData, *, period: Period) -> pd.DataFrame:
    """Each local authority's count and rate for the partner's year, from the lattice."""
    pub = data.publication
    geo = pub.cube.geography
    rows = []
    for code, name in geo.units("lad").items():
        try:
            value = pub.count(level="lad", code=code, period=period)
        except NotPublished:
            continue
        rows.append({"Local authority": name, f"{data.unit.capitalize()}": _figure(value),
                     f"Rate per {PER:,} a year (95% CI)": _rate(
                         pub, level="lad", code=code, period=period, category=ALL)})
    return pd.DataFrame(rows)


def placement_table(data: PartnerData, threshold: int) -> pd.DataFrame:
    """T11.1: rows by how they were placed, small counts suppressed."""
    counts = (data.placement.assign(method=data.placement["method"].replace("", NOT_PLACED))
              .groupby("method")["rows"].sum().astype(int))
    counts.index = [method_words(str(i)) for i in counts.index]
    table = suppress_counts(counts.rename("Rows").to_frame(), threshold=threshold,
                            margins="columns")
    out = table.published.reset_index().rename(columns={"index": "How the row was placed"})
    return out


def method_words(method: str) -> str:
    """How a row was placed, as the placement table writes it ('Postcode')."""
    return method[:1].upper() + method[1:]


def hidden_table(data: PartnerData, threshold: int, *,
                 local: bool = False) -> pd.DataFrame | None:
    """T11.3: share with no police record nearby for the whole area, by month and by area,
    with Wilson 95% intervals. A share is shown only where both its parts (with and without a
    police record nearby) are 0 or at least ``threshold``, and a breakdown (the months, the
    areas) is shown whole or not at all: its rows add up to the whole area's, so one hidden
    row among shown ones could be worked out by difference. ``local``: against the local
    police extract rather than police.uk."""
    judged = data.hidden_local if local else data.hidden
    if judged is None or judged.empty:
        return None
    frame = judged[judged["events"] > 0]

    def small(r: object) -> bool:
        hidden, events = int(r.hidden), int(r.events)  # type: ignore[attr-defined]
        return any(0 < x < threshold for x in (hidden, events - hidden))

    # the two tables count the events judged against each police source; where both are
    # published, a small difference between them (events with a point but no date, say) would
    # be a small count worked out by subtraction: the local table's breakdown is then withheld
    other = data.hidden if local else None
    theirs: dict[tuple[str, str], int] = (
        {} if other is None else {(str(by), str(group)): int(events) for by, group, events
                                  in zip(other["by"], other["group"], other["events"],
                                         strict=True)})

    def apart(r: object) -> bool:
        key = (str(r.by), str(r.group))  # type: ignore[attr-defined]
        return key in theirs and 0 < abs(theirs[key] - int(r.events)) < threshold  # type: ignore[attr-defined]

    rows = []
    for by, group in frame.groupby("by", sort=False):
        whole = not any(small(r) or apart(r) for r in group.itertuples(index=False))
        for r in group.itertuples(index=False):
            share = Share(hidden=int(r.hidden), events=int(r.events))  # type: ignore[arg-type]
            low, high = share.interval()
            shown = whole and not small(r)
            rows.append({"By": str(by).capitalize(), "Group": r.group,
                         "Assaults judged": f"{share.events:,}" if shown else MARKER,
                         "No police record nearby": f"{share.share:.0%}" if shown else MARKER,
                         "95% CI": f"{low:.0%} to {high:.0%}" if shown else MARKER})
    return pd.DataFrame(rows)


def provenance(data: PartnerData, period: str, *, suppression: str = "") -> Provenance:
    pub = data.publication
    return Provenance(source=data.label, period=period,
                      import_batches=tuple(str(b) for b in pub.cube.batches),
                      suppression=suppression or (
                          "unsuppressed (record-level)" if pub.record_level else
                          hidden_words(pub.threshold or 1)))


def missing_sentence(sources: list[str]) -> Paragraph:
    return Paragraph(text=missing_words(sources))


def health_blocks(data: PartnerData, *, level: str, code: str, wanted: Period,
                  threshold: int) -> list[Block]:
    """The health lens of one pooled health source (A&E or ambulance)."""
    period = partner_period(data.publication, wanted)
    blocks: list[Block] = []
    held = data.publication.cube.months
    span = f"{held[0]} to {held[-1]}"
    blocks.append(Paragraph(text=pooled_words(data)))
    monthly = monthly_figure(data, level=level, code=code)
    if monthly is not None:
        blocks.append(monthly)
    blocks.append(Table(id=f"t11-month-{_slug(data.source)}",
                        caption=BY_MONTH.format(label=data.label),
                        data=by_month(data, level=level, code=code),
                        provenance=provenance(data, span), row_header=True))
    if period is not None:
        weapon = weapon_figure(data, level=level, code=code, period=period)
        if weapon is not None:
            blocks.append(weapon)
        area = by_area(data, period=period)
        if not area.empty:
            blocks.append(Table(id=f"t11-area-{_slug(data.source)}",
                                caption=BY_AREA.format(label=data.label,
                                                       period=period.label),
                                data=area, provenance=provenance(data, period.label)))
    blocks.append(Table(id=f"t11-placed-{_slug(data.source)}",
                        caption=PLACED.format(unit=data.unit),
                        data=placement_table(data, threshold), provenance=provenance(
                            data, span, suppression=placed_words(threshold))))
    hidden = hidden_table(data, threshold)
    if hidden is None:
        blocks.append(Paragraph(text=not_judged_words(data.unit)))
    else:
        blocks += [Paragraph(text=share_words(data, threshold)),
            Table(id=f"t11-hidden-{_slug(data.source)}",
                  caption=HIDDEN.format(label=data.label),
                  data=hidden, row_header=False,
                  provenance=provenance(data, span, suppression=shares_words(threshold)))]
    local = hidden_table(data, threshold, local=True)
    if local is not None:
        blocks += [Paragraph(text=local_share_words(data)),
            Table(id=f"t11-hidden-local-{_slug(data.source)}",
                  caption=HIDDEN_LOCAL.format(label=data.label),
                  data=local, row_header=False, provenance=provenance(
                      data, span, suppression=shares_words(threshold)))]
    return blocks


def monthly_figure(data: PartnerData, *, level: str, code: str) -> Figure | None:
    """F11.1: the source's published monthly counts, all and with a knife or sharp object
    (:func:`alliance.figures.monthly.monthly`: hidden months are gaps), or None where the
    unit's months are published by year only."""
    found = monthly_series(data, level=level, code=code)
    if found is None:
        return None
    series, extra = found
    span, peak, count = busiest(series)
    desc = monthly_alt(data, span, peak, count, knife=bool(extra))
    chart = charts.line_chart(charts.month_axis(list(series["month"])),
                              series["count"].tolist(), chart_id=f"f11-1-{_slug(data.source)}",
                              title=f"{data.label} by month", desc=desc,
                              y_label=data.unit.capitalize(), series_label=f"All {data.unit}",
                              extra=extra)
    return Figure(id=f"f11-1-{_slug(data.source)}", caption=f"{data.label} by month", svg=chart.svg,
                  alt_text=desc, data=by_month(data, level=level, code=code),
                  provenance=provenance(data, span, suppression=(
                      monthly_figures.status(series, data.publication.threshold))),
                  message=monthly_message(data, peak, count))


def monthly_series(data: PartnerData, *, level: str,
                   code: str) -> tuple[pd.DataFrame, dict[str, list[float]]] | None:
    """The source's published monthly counts and, where published, those with a knife or
    sharp object; None where fewer than two months are published one by one."""
    pub = data.publication
    series = monthly_figures.monthly(pub, level=level, code=code)
    if series["count"].notna().sum() < 2:
        return None
    extra = {}
    if "sharp" in pub.cube.published_categories:
        sharp = monthly_figures.monthly(pub, level=level, code=code, category="sharp")
        if sharp["count"].notna().any():
            extra[KNIFE] = sharp["count"].tolist()
    return series, extra


def busiest(series: pd.DataFrame) -> tuple[str, pd.Period, float]:
    """The series' span ('2024-01 to 2024-12'), its busiest published month and its count."""
    counts = series["count"].to_numpy(dtype=float)
    top = int(np.nanargmax(counts))
    peak = pd.Period(str(series["month"].iloc[top]), freq="M")
    return f"{series['month'].iloc[0]} to {series['month'].iloc[-1]}", peak, counts[top]


def weapon_figure(data: PartnerData, *, level: str, code: str,
                  period: Period) -> Figure | None:
    """F11.2: the source's year by weapon (the published weapon sums), or None if it has
    none. Location types are not counted by the scheme (each split would multiply the
    suppression audit's work), so they are not charted."""
    found = weapon_counts(data, level=level, code=code, period=period)
    if found is None:
        return None
    labels, values, share = found
    desc = weapon_alt(data, period.label, labels, values)
    chart = charts.bar_chart(labels, values, chart_id=f"f11-2-{_slug(data.source)}",
                             title=f"{data.label} by weapon", desc=desc,
                             value_label=data.unit.capitalize())
    return Figure(id=f"f11-2-{_slug(data.source)}",
                  caption=BY_WEAPON.format(label=data.label, period=period.label),
                  svg=chart.svg, alt_text=desc,
                  data=pd.DataFrame({"Weapon": labels,
                                     data.unit.capitalize(): [_figure(v) for v in values]}),
                  provenance=provenance(data, period.label),
                  message=weapon_message(data, share))


def weapon_counts(data: PartnerData, *, level: str, code: str,
                  period: Period) -> tuple[list[str], list[float], float] | None:
    """The published weapon sums (their labels and counts) and the share with a knife or
    sharp object (NaN where hidden), or None if the source has none published."""
    pub = data.publication
    groups = [k for k in WEAPON_GROUPS if k in pub.cube.groups]
    if not groups:
        return None
    try:
        values = [pub.count(level=level, code=code, period=period, category=k) for k in groups]
    except NotPublished:
        return None
    total = pub.count(level=level, code=code, period=period)
    sharp = values[groups.index("sharp")] if "sharp" in groups else np.nan
    share = sharp / total * 100 if total and not np.isnan(total) else np.nan
    return [pub.cube.groups[k].label for k in groups], values, share


def _slug(source: str) -> str:
    return source.replace("_", "-")
