"""Shared pieces of the SNA chapters: the build context, labels, provenance, suppression."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.figures.cube import ALL
from alliance.figures.hotspots import DEFAULT_SEED
from alliance.figures.lattice import ReportingYear, reporting_years
from alliance.figures.publication import Period, Publication
from alliance.figures.publication import publish as publish_lattice
from alliance.privacy.suppression import MARKER, SuppressedTable, suppress_counts
from alliance.report.document import Provenance
from alliance.report.sna.inputs import SnaInputs, cube_from_incidents
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
ALL_SV = ALL
#: the suppression line under figures that count no people or incidents (maps of places)
NOT_APPLICABLE = "not applicable (no counts of people or incidents)"
#: the period line under figures of geography, which have no period of their own
AS_PUBLISHED = "as published"


def no_cells_suppressed(threshold: int) -> str:
    """The suppression line under a table none of whose cells is hidden."""
    return f"no cells suppressed (threshold {threshold})"


#: the report's title and a draft's notice (the Welsh summary keys its Welsh by them)
TITLE = "Serious Violence Strategic Needs Assessment"
DRAFT_NOTICE = ("Draft, not for publication: its period is not one of the partnership's "
                "reporting years, so its small-area figures are not protected against other "
                "published figures.")

@dataclass
class Context:
    """What every chapter reads: inputs, period, comparison, and the published figures.

    Every count, rate, change, trend and hot spot comes from ``pub`` (the area's published
    lattice, :mod:`alliance.figures`) for ``level``/``code`` (this SNA's area within it) over
    ``fperiod`` (the reporting year reported on): the same functions and cells the dashboard
    uses, so the two agree, and no combination of their figures reveals a small count.
    """

    inputs: SnaInputs
    period: ReportPeriod
    threshold: int
    draft: bool = False
    seed: int = DEFAULT_SEED
    comparison: Comparison = field(init=False)
    pub: Publication = field(init=False)
    fperiod: Period = field(init=False)
    level: str = field(init=False)
    code: str = field(init=False)
    labels: dict[str, str] = field(init=False)  # sv category -> label ('(proxy)' where so)
    population: float = field(init=False)
    rows_outside_months: int = field(init=False)
    held: tuple[str, ...] = field(init=False)  # months held (see SnaInputs.months_held)
    all_rows: pd.DataFrame = field(init=False)  # incidents of the months held

    def __post_init__(self) -> None:
        inputs = self.inputs
        cube = inputs.cube or (inputs.publication.cube if inputs.publication else None) \
            or cube_from_incidents(inputs)
        held = cube.months
        inc = inputs.incidents
        outside = ~inc["month"].isin(held)
        #: rows of months the area's force(s) have not published (from other forces)
        self.rows_outside_months = int(outside.sum())
        self.all_rows = inc[~outside]
        self.held = tuple(held)
        self.comparison = comparison(self.period, held)
        self.level, self.code = inputs.unit or ("area", cube.geography.code)
        months = tuple(m for m in self.period.months if m in set(held))
        years = [y for y in reporting_years(held, start_month=inputs.year_start)
                 if y.months == self.period.months]
        if inputs.publication is not None and not self.draft and years:
            self.pub = inputs.publication
        elif years and not self.draft:
            self.pub = publish_lattice(cube, threshold=self.threshold,
                                       year_start=inputs.year_start)
        elif self.draft and months:
            draft_year = ReportingYear(label=self.period.spec or "draft", months=months)
            self.pub = publish_lattice(cube, threshold=self.threshold, years=(draft_year,))
        else:
            offered = ", ".join(y.label for y in reporting_years(
                held, start_month=inputs.year_start)) or "none"
            raise ValueError(
                f"{self.period.label} is not a whole reporting year held for "
                f"{inputs.area.name} (whole years held: {offered}). An SNA covers one "
                "reporting year, so that its small-area figures cannot be set against other "
                "published figures to reveal a small number; build it as a draft (not for "
                "publication) to cover other months.")
        self.fperiod = self.pub.year(self.pub.years[-1].label if self.draft else years[0].label)
        self.labels = dict(cube.categories)
        geo = cube.geography
        self.population = float(geo.population(geo.lsoas_of(self.level, self.code)))

    def count(self, *, category: str = ALL, period: Period | None = None) -> float:
        """The published count of this SNA's area (NaN when hidden)."""
        return self.pub.count(level=self.level, code=self.code,
                              period=period or self.fperiod, category=category)

    @property
    def area_name(self) -> str:
        return self.inputs.area.name

    @property
    def months_in_period_held(self) -> tuple[str, ...]:
        return self.fperiod.months

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
            suppression=suppression or no_cells_suppressed(self.threshold),
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
        return self.provenance(source=source, batches=batch, period=AS_PUBLISHED,
                               suppression=suppression or NOT_APPLICABLE)


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
