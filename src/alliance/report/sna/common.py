"""Shared pieces of the SNA chapters: the build context, labels, provenance, suppression."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.privacy.suppression import MARKER, SuppressedTable, suppress_counts
from alliance.report.document import Provenance
from alliance.report.sna.inputs import SnaInputs
from alliance.report.sna.period import Comparison, ReportPeriod, comparison

POLICE_UK = "police.uk street-level crime (data.police.uk)"
ONS_GEOGRAPHY = "ONS LSOA 2021 boundaries and lookups; Census 2021 usual residents"
IMD = "MHCLG English Indices of Deprivation 2025 (LSOA 2021)"
PROXY_NOTE = ("police.uk publishes only the broad category 'Violence and sexual offences', "
              "which mixes the most serious violence with common assault, harassment, "
              "stalking and all sexual offences; it is used here as a proxy and labelled so.")
SNAP_NOTE = ("police.uk locations are snapped to anonymous map points (a street centre or "
             "landmark), so crimes pile up on those points: patterns finer than a few hundred "
             "metres, and counts for very small areas, are not reliable.")
OGL_POLICE = ("Contains public sector information licensed under the Open Government Licence "
              "v3.0. Source: data.police.uk.")
OGL_ONS = ("Source: Office for National Statistics licensed under the Open Government Licence "
           "v.3.0. Contains OS data © Crown copyright and database right 2025.")
OGL_IMD = ("Ministry of Housing, Communities and Local Government, English Indices of "
           "Deprivation 2025, OGL v3.0.")
ALL_SV = "all_sv"


@dataclass
class Context:
    """What every chapter reads: inputs, period, comparison and the tables derived once."""

    inputs: SnaInputs
    period: ReportPeriod
    threshold: int
    comparison: Comparison = field(init=False)
    rows: pd.DataFrame = field(init=False)  # incidents in the report period
    sv: pd.DataFrame = field(init=False)  # counted serious-violence rows, all months
    labels: dict[str, str] = field(init=False)  # sv category -> label ('(proxy)' where so)
    population: float = field(init=False)
    rows_outside_months: int = field(init=False)
    held: tuple[str, ...] = field(init=False)  # months held (see SnaInputs.months_held)
    all_rows: pd.DataFrame = field(init=False)  # incidents of the months held

    def __post_init__(self) -> None:
        held = self.inputs.months_held
        inc = self.inputs.incidents
        outside = ~inc["month"].isin(held)
        #: rows of months the area's force(s) have not published (from other forces)
        self.rows_outside_months = int(outside.sum())
        inc = inc[~outside]
        self.held = held
        self.all_rows = inc
        self.comparison = comparison(self.period, held)
        self.rows = inc[inc["month"].isin(self.period.months)]
        self.sv = inc[inc["sv_included"].astype(bool)]
        labels: dict[str, str] = {}
        for cat, proxy in (self.sv[["sv_category", "sv_proxy"]].drop_duplicates()
                           .sort_values("sv_category").itertuples(index=False)):
            label = self.inputs.definition.categories.get(cat) or cat.replace("_", " ")
            label = label[0].upper() + label[1:]
            if proxy and "proxy" not in label.lower():
                label += " (proxy)"
            labels[str(cat)] = label
        self.labels = labels
        self.population = float(self.inputs.lsoa["population"].sum())

    @property
    def area_name(self) -> str:
        return self.inputs.area.name

    @property
    def months_in_period_held(self) -> tuple[str, ...]:
        held = set(self.held)
        return tuple(m for m in self.period.months if m in held)

    @property
    def definition_line(self) -> str:
        d = self.inputs.definition
        return f"v{d.version} ({d.name})"

    def batch_ids(self, kinds: tuple[str, ...] = ("incidents",)) -> tuple[str, ...]:
        b = self.inputs.batches
        ids = b.loc[b["kind"].isin(kinds), "id"] if kinds else b["id"]
        return tuple(str(int(i)) for i in sorted(ids))

    def provenance(self, *, source: str = POLICE_UK, period: str | None = None,
                   filters: Mapping[str, str] | None = None, suppression: str = "",
                   batches: tuple[str, ...] | None = None) -> Provenance:
        return Provenance(
            source=source,
            import_batches=self.batch_ids() if batches is None else batches,
            period=self.period.span() if period is None else period,
            definition=self.definition_line if source == POLICE_UK else "",
            filters=dict(filters or {}),
            suppression=suppression or f"no cells suppressed (threshold {self.threshold})",
            extracted=self.extracted())

    def extracted(self) -> str:
        b = self.inputs.batches
        inc = b[b["kind"] == "incidents"]
        if inc.empty:
            return ""
        stamp = pd.to_datetime(inc["finished_at"].fillna(inc["created_at"])).max()
        return f"{stamp:%-d %b %Y} (imported into Alliance)"

    def geo_provenance(self, *, source: str = ONS_GEOGRAPHY, suppression: str = "") -> Provenance:
        batch = (str(self.inputs.geography_batch),) if self.inputs.geography_batch else ()
        return self.provenance(source=source, batches=batch, period="as published",
                               suppression=suppression or "not applicable (no counts of "
                                                          "people or incidents)")


def suppress(counts: pd.DataFrame | pd.Series, ctx: Context, *,
             margins: str = "none") -> SuppressedTable:
    """Primary and secondary suppression at the report's threshold."""
    frame = counts.to_frame() if isinstance(counts, pd.Series) else counts
    return suppress_counts(frame.astype("int64"), threshold=ctx.threshold,
                           margins=margins)  # type: ignore[arg-type]


def force_hidden(table: SuppressedTable, labels: set[str], *,
                 column: str = "Count") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``table``'s published and values frames with the rows ``labels`` hidden too (group
    totals that would reveal a hidden LSOA); if that leaves exactly one hidden row among the
    inner rows, the smallest other positive row is hidden as well, so no total gives it away."""
    published, values = table.published.copy(), table.values.copy()
    keys = [k for k in published.index if str(k) in labels]
    if not keys:
        return published, values
    published.loc[keys, column] = MARKER
    values.loc[keys, column] = np.nan
    inner = [k for k in values.index if k != "Total"]
    if int(values.loc[inner, column].isna().sum()) == 1:
        rest = values.loc[inner, column].dropna()
        rest = rest[rest > 0]
        if len(rest):
            pick = rest.idxmin()
            published.loc[pick, column] = MARKER
            values.loc[pick, column] = np.nan
    return published, values


def masked(values: pd.Series | pd.DataFrame, table: SuppressedTable) -> pd.Series | pd.DataFrame:
    """Derived values (rates, shares) hidden wherever their count is hidden."""
    return table.mask_like(values)


def publish(values: pd.Series, decimals: int | None = None) -> pd.Series:
    """A float column for publication: NaN (hidden) becomes the marker '[c]'; whole numbers
    (counts) are written as integers unless ``decimals`` is given."""
    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return MARKER
        f = float(v)  # type: ignore[arg-type]
        if decimals is not None:
            return round(f, decimals)
        return int(f) if f.is_integer() else f

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def months_between(first: str, last: str) -> list[str]:
    start, end = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    return [str(start + i) for i in range((end - start).n + 1)]


def share(part: float, whole: float) -> float:
    return float(part) / float(whole) * 100 if whole else float("nan")


def as_int(values: pd.Series) -> pd.Series:
    return values.fillna(0).astype(np.int64)
