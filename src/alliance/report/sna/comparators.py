"""The SNA's headline rates beside England, the region and similar areas, with significance,
as Fingertips shows them.

Each row is one headline figure of one of the area's own areas (a published partner statistic,
or a rate Alliance computed from pooled data such as police.uk proxy violence). Beside it: the
England value (or England and Wales, or the UK, when that is all the publisher gives), the
region's value and, where a published list of similar areas is given, their pooled value — each
from the same publisher, measure and period — and whether the area is significantly higher,
similar or lower (:mod:`alliance.stats.rates.comparators`: the area's 95% confidence interval
against the comparator value). Nothing is invented: where no comparator is published in the
data held, the table says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from alliance.figures import counts as count_figures
from alliance.report.document import Block, Paragraph, Provenance, Table
from alliance.report.sna.common import Context
from alliance.report.sna.published import (
    REGION_PREFIX,
    STALE_AFTER_MONTHS,
    currency,
    decimals,
    headline,
    local_figures,
    newest,
    newest_period,
)
from alliance.report.wording import (
    decimals_for,
    format_interval,
    format_value,
    period_label,
    unit_kind,
    unit_label,
)
from alliance.sources.partners.notes import published_comparison, published_interval
from alliance.stats.rates.comparators import (
    FigureComparison,
    FigureKind,
    compare_figure,
    figure_interval,
    pooled_value,
)

#: The headline rates of the SNA's context that published statistics give for comparators.
HEADLINE_MEASURES: tuple[str, ...] = (
    "homicide_rate_per_million", "prc_violence_with_injury_rate", "prc_robbery_rate",
    "prc_possession_of_weapons_offences_rate", "fte_youth_justice_rate",
    "youth_cautioned_or_sentenced_rate", "hospital_admissions_injuries_0_14",
    "cla_convicted_or_cautioned_10_17_percent", "neet_or_not_known_16_17",
    "persistent_absence_rate", "children_relative_poverty_ahc",
)
#: National comparators in order of preference, and their names (publishers write 'ENGLAND').
NATIONS: dict[str, str] = {"E92000001": "England", "K04000001": "England and Wales",
                           "K02000001": "United Kingdom", "K03000001": "Great Britain",
                           "W92000004": "Wales"}
NO_COMPARATOR = "No comparator published in the data held"
NO_SIMILAR = ("No published list of similar areas is held (HMICFRS most similar groups for "
              "police forces; CIPFA or ONS nearest neighbours for councils), so the area is "
              "compared with England and its region only.")
CAPTION = "Headline rates beside England and the region, with significance"
FINGERTIPS_NOTE = ("Higher or lower: the area's 95% confidence interval lies wholly above or "
                   "below the comparator's value (the Fingertips method); no correction is "
                   "made for the many comparisons, so read a difference as a reason to look "
                   "further.")
NOT_COMPARED = "Not compared"
NOT_PUBLISHED = "Not published for this period"
NO_LIST = "No list held"
AS_PUBLISHED = " (as published)"
OUT_OF_DATE = " (out of date)"
PROXY_LABEL = ("Serious violence under the local definition (police.uk proxy), per 1,000 "
               "residents a year")
SOURCE = ("published partner statistics (England, regional and local rows of the same "
          "release); police.uk street-level crime for the local rate")
#: Every SNA headline measure is one where a lower value is better; used only to read a
#: publisher's own 'Better'/'Worse' verdict as lower/higher.
POLARITY: Literal["low is good"] = "low is good"
#: the period under the comparators table
EACH_ROWS_PERIOD = "each row's own period (given in the table)"


@dataclass(frozen=True, kw_only=True)
class LocalRate:
    """A headline rate Alliance computed from pooled data (e.g. police.uk proxy violence per
    1,000 residents), for the comparator table. ``comparators`` maps a comparator's name to its
    value for the same measure and period; empty where none is published in the data held."""

    label: str
    area: str
    period: str
    value: float
    unit: str
    lower: float | None = None
    upper: float | None = None
    #: 'England' and/or 'region' -> the comparator's value for the same measure and period
    comparators: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.comparators) - {"England", "region"}
        if unknown:
            raise ValueError(f"local rate {self.label!r}: comparators must be 'England' or "
                             f"'region', not {sorted(unknown)}")


@dataclass(frozen=True, kw_only=True)
class ComparatorTable:
    """The comparator table and the notes that explain it (what was not compared, and why)."""

    table: Table
    notes: tuple[str, ...]
    #: the notes on particular rows: (what is said, the rows' indicators), in order
    row_notes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def blocks(self) -> tuple[Block, ...]:
        text = " ".join(self.notes)
        return (self.table, Paragraph(text=text)) if text else (self.table,)


def _comparator_rows(indicators: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    rows = indicators[(indicators["measure"] == row["measure"])
                      & (indicators["source"] == row["source"])
                      & (indicators["period"] == row["period"])]
    return headline(rows)


def national_value(rows: pd.DataFrame, area_code: str) -> tuple[str, float] | None:
    """The national comparator among ``rows`` of one measure and period (England first, or
    Wales first for a Welsh area; England and Wales, the UK ... when that is all there is):
    (its name, its value), or None."""
    order = list(NATIONS)
    if area_code.startswith("W"):
        order = ["W92000004", *[c for c in order if c != "W92000004"]]
    for code in order:
        hit = rows[rows["area_code"] == code]
        if len(hit):
            return NATIONS[code], float(hit["value"].iloc[0])
    return None


def similar_value(rows: pd.DataFrame, codes: Sequence[str], multiplier: float) -> float | None:
    """The similar areas' value as one (:func:`pooled_value` of their counts and
    denominators), or None unless every one of ``codes`` has a row."""
    mine = rows[rows["area_code"].isin(list(codes))].drop_duplicates("area_code")
    if len(mine) != len(set(codes)):
        return None
    return pooled_value(list(mine["numerator"]), list(mine["denominator"]),
                        multiplier=multiplier)


def _verdict(result: FigureComparison) -> str:
    word = result.result.capitalize()
    return f"{word}{AS_PUBLISHED}" if result.basis == "as published" else word


def comparator_table(*, indicators: pd.DataFrame, sna_end: pd.Timestamp,
                     provenance: Provenance, successors: Mapping[str, Sequence[str]] | None = None,
                     measures: Sequence[str] = HEADLINE_MEASURES,
                     local: Sequence[LocalRate] = (),
                     similar: Mapping[str, Sequence[str]] | None = None,
                     stale_after_months: int = STALE_AFTER_MONTHS,
                     table_id: str = "t3-3-comparators",
                     caption: str = CAPTION) -> ComparatorTable:
    """Build the comparator table.

    Parameters
    ----------
    indicators : the SNA's partner statistics, including the England, national and regional
        rows (:data:`alliance.report.sna.inputs.INDICATOR_COLUMNS`).
    sna_end : last day of the SNA's period (figures older by ``stale_after_months`` are
        flagged out of date).
    successors : old area code -> codes of the areas that replaced it.
    local : rates computed by Alliance from pooled data; shown first.
    similar : area code -> codes of its published similar areas; None when no list is held.
    """
    others = {c for group in (similar or {}).values() for c in group} - set(similar or {})
    figures = newest(local_figures(indicators, measures, successors=successors or {},
                                   exclude=sorted(others)).rows)
    rank = {m: i for i, m in enumerate(measures)}
    region_names = sorted(set(indicators.loc[indicators["area_code"].astype(str).str.startswith(
        REGION_PREFIX), "area_name"].astype(str)))
    region_head = f"Region: {region_names[0]}" if len(region_names) == 1 else "Region"
    records: list[dict[str, object]] = []
    notes: dict[str, list[str]] = {}
    for lr in local:
        records.append(_local_record(lr, region_head=region_head))
    for _, row in sorted(figures.iterrows(), key=lambda r: (rank[str(r[1]["measure"])],
                                                             str(r[1]["area_name"]))):
        records.append(_figure_record(row, indicators, similar=similar, sna_end=sna_end,
                                      stale_after_months=stale_after_months,
                                      region_head=region_head, notes=notes))
    columns = ["Indicator", "Area", "Period", "Value (95% CI)", "England", "vs England",
               region_head, "vs region"]
    if similar:
        columns += ["Similar areas", "vs similar areas"]
    data = pd.DataFrame(records).reindex(columns=columns).fillna("")
    table = Table(id=table_id, caption=caption, data=data, row_header=False,
                  provenance=provenance)
    all_notes = [f"{_join(labels)}: {text}" for text, labels in notes.items()]
    if not similar:
        all_notes.append(NO_SIMILAR)
    all_notes.append(FINGERTIPS_NOTE)
    return ComparatorTable(table=table, notes=tuple(all_notes), row_notes=tuple(
        (text, tuple(labels)) for text, labels in notes.items()))


def not_compared_note(reason: str) -> str:
    """The note on a row that has no interval, so is not compared."""
    return f"not compared, because {reason}."


def _note(notes: dict[str, list[str]], text: str, label: str) -> None:
    labels = notes.setdefault(text, [])
    if label not in labels:
        labels.append(label)


def _join(labels: list[str] | tuple[str, ...]) -> str:
    return labels[0] if len(labels) == 1 else "; ".join(labels[:-1]) + " and " + labels[-1]


def _local_record(lr: LocalRate, *, region_head: str) -> dict[str, object]:
    dp = decimals_for([lr.value, *lr.comparators.values()], unit=lr.unit)
    shown = format_value(lr.value, unit=lr.unit, dp=dp)
    if lr.lower is not None and lr.upper is not None:
        shown += f" ({format_interval(lr.lower, lr.upper, unit=lr.unit, dp=dp)})"
    label = lr.label if "per " in lr.label.lower() else f"{lr.label}, {unit_label(lr.unit)}"
    record: dict[str, object] = {"Indicator": label,
                                 "Area": lr.area, "Period": lr.period, "Value (95% CI)": shown}
    published = (lr.lower, lr.upper) if lr.lower is not None and lr.upper is not None else None
    interval = figure_interval(value=lr.value, kind="rate", published=published)
    results = {r.comparator: r for r in compare_figure(interval, dict(lr.comparators))}
    for name, head, versus in (("England", "England", "vs England"),
                               ("region", region_head, "vs region")):
        if name in results:
            record[head] = format_value(lr.comparators[name], unit=lr.unit, dp=dp)
            record[versus] = _verdict(results[name])
        else:
            record[head], record[versus] = NO_COMPARATOR, NOT_COMPARED
    return record


def _figure_record(row: pd.Series, indicators: pd.DataFrame, *,
                   similar: Mapping[str, Sequence[str]] | None, sna_end: pd.Timestamp,
                   stale_after_months: int, region_head: str,
                   notes: dict[str, list[str]]) -> dict[str, object]:
    unit = str(row["unit"])
    kind, per = unit_kind(unit)
    multiplier = 100.0 if kind == "percentage" else float(per or 1)
    rows = _comparator_rows(indicators, row)
    national = national_value(rows, str(row["area_code"]))
    regions = rows[rows["area_code"].astype(str).str.startswith(REGION_PREFIX)]
    comparators: dict[str, float | None] = {}
    if national is not None:
        comparators[national[0]] = national[1]
    comparators["region"] = float(regions["value"].iloc[0]) if len(regions) else None
    group = similar.get(str(row["area_code"])) if similar else None
    if similar:
        comparators["similar areas"] = (similar_value(rows, group, multiplier) if group else None)
    figure_kind: FigureKind = "rate" if kind == "rate" else \
        "percentage" if kind == "percentage" else "other"
    interval = figure_interval(value=float(row["value"]), kind=figure_kind,
                               multiplier=multiplier, numerator=row.get("numerator"),
                               denominator=row.get("denominator"),
                               published=published_interval(row.get("notes")))
    results = {r.comparator: r for r in compare_figure(
        interval, comparators, published_verdict=published_comparison(row.get("notes")),
        verdict_against=national[0] if national else "England", polarity=POLARITY)}
    dp = decimals(indicators, row, *[v for v in comparators.values() if v is not None])
    shown = format_value(float(row["value"]), unit=unit, dp=dp)
    if interval.lower is not None and interval.upper is not None:
        shown += f" ({format_interval(interval.lower, interval.upper, unit=unit, dp=dp)})"
    label = re.sub(r"\s*\[LAIT [^\]]*\]", "", str(row["measure_label"] or row["measure"]))
    if kind == "rate" and "per " not in label.lower():
        label = f"{label}, {unit_label(unit)}"
    current = currency(row["_when"], sna_end=sna_end, stale_after_months=stale_after_months,
                       newest_period=newest_period(indicators, str(row["measure"]),
                                                   str(row["source"])))
    period = period_label(str(row["period"]))
    if current.stale:
        period += OUT_OF_DATE
        _note(notes, current.text + ".", label)
    if not interval.has_interval and interval.reason:
        _note(notes, not_compared_note(interval.reason), label)

    def cell(name: str) -> tuple[str, str]:
        value = comparators.get(name)
        if value is None:
            return NOT_PUBLISHED, NOT_COMPARED
        text = format_value(value, unit=unit, dp=dp)
        return text, _verdict(results[name])

    record: dict[str, object] = {"Indicator": label,
                                 "Area": f"{row['area_name']} ({row['area_code']})",
                                 "Period": period, "Value (95% CI)": shown}
    if national is None:
        record["England"], record["vs England"] = NO_COMPARATOR, NOT_COMPARED
    else:
        text, verdict = cell(national[0])
        record["England"] = text if national[0] == "England" else f"{text} ({national[0]})"
        record["vs England"] = verdict
    record[region_head], record["vs region"] = cell("region")
    if similar:
        if not group:
            record["Similar areas"], record["vs similar areas"] = NO_LIST, NOT_COMPARED
        else:
            record["Similar areas"], record["vs similar areas"] = cell("similar areas")
    return record


def proxy_rate(ctx: Context) -> LocalRate | None:
    """The SNA's headline police.uk rate (the published figure of :mod:`alliance.figures`) as
    a :class:`LocalRate`: police.uk data for other forces is not pooled, so it has no
    comparator. None when the count is hidden."""
    count = ctx.count()
    if np.isnan(count):
        return None
    est = count_figures.rate_of(count, population=int(ctx.population), period=ctx.fperiod)
    return LocalRate(label=PROXY_LABEL, area=ctx.area_name,
                     period=ctx.fperiod.label, value=est.value, lower=est.lower,
                     upper=est.upper, unit="rate per 1,000")


def comparator_suppression(threshold: int) -> str:
    return f"as published; the local rate is not shown when its count is below {threshold}"


def comparator_blocks(ctx: Context, *, local: Sequence[LocalRate] | None = None,
                      similar: Mapping[str, Sequence[str]] | None = None,
                      measures: Sequence[str] = HEADLINE_MEASURES,
                      table_id: str = "t3-3-comparators",
                      caption: str = CAPTION) -> tuple[Block, ...]:
    """The comparator table of the SNA's context and its notes, from the build context.

    ``local`` defaults to the police.uk proxy rate (:func:`proxy_rate`).
    """
    result = comparator_result(ctx, local=local, similar=similar, measures=measures,
                               table_id=table_id, caption=caption)
    return result.blocks() if result is not None else ()


def comparator_result(ctx: Context, *, local: Sequence[LocalRate] | None = None,
                      similar: Mapping[str, Sequence[str]] | None = None,
                      measures: Sequence[str] = HEADLINE_MEASURES,
                      table_id: str = "t3-3-comparators",
                      caption: str = CAPTION) -> ComparatorTable | None:
    """:func:`comparator_blocks`' table and notes (None when there is nothing to compare)."""
    if local is None:
        proxy = proxy_rate(ctx)
        local = [proxy] if proxy is not None else []
    if ctx.inputs.indicators.empty and not local:
        return None
    batches = tuple(str(int(b)) for b in sorted(ctx.inputs.indicators["batch_id"].unique()))
    end = pd.Period(ctx.period.last, freq="M").to_timestamp(how="end").normalize()
    result = comparator_table(
        indicators=ctx.inputs.indicators, sna_end=end, successors=ctx.inputs.successors,
        measures=measures, local=local, similar=similar, table_id=table_id, caption=caption,
        provenance=ctx.provenance(
            source=SOURCE, batches=batches + ctx.batch_ids(),
            period=EACH_ROWS_PERIOD,
            suppression=comparator_suppression(ctx.threshold)))
    return result
