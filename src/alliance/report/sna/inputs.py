"""What the SNA is built from: plain tables, gathered by the caller (the web shell's
``alliance.web.reports.services``, or a test), so the SNA itself needs no framework.

Every table is checked on entry; a missing column or an unknown LSOA raises ``ValueError``
naming the table and the offending values, never a silent drop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from alliance.figures.cube import AreaGeography, CountCube
from alliance.figures.publication import Publication
from alliance.report.sna.partners import PartnerData
from alliance.report.written import WrittenText

INCIDENT_COLUMNS = ("month", "source_category", "sv_category", "sv_included", "sv_proxy",
                    "lsoa21_code", "easting", "northing", "batch_id")
LSOA_COLUMNS = ("name", "population", "imd_decile", "imd_score", "csp_code", "csp_name",
                "geometry_wkb")
#: A force with at least this share of an area's rows decides which months are held.
MATERIAL_SHARE = 0.05
BATCH_COLUMNS = ("id", "kind", "source", "description", "created_at", "finished_at",
                 "rows_loaded", "rows_set_aside")
INDICATOR_COLUMNS = ("area_code", "area_name", "period", "measure", "measure_label",
                     "breakdown", "numerator", "denominator", "value", "unit", "source",
                     "batch_id")


@dataclass(frozen=True, kw_only=True)
class SnaArea:
    code: str | None
    name: str
    level: str
    lsoa21: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SnaDefinition:
    """The local definition of serious violence in force (``alliance.pool.definition``)."""

    version: int
    name: str
    rules: pd.DataFrame  # match, value, category, label, counted, proxy
    real_measure_needs: str
    categories: Mapping[str, str] = field(default_factory=dict)  # category -> label


@dataclass(frozen=True, kw_only=True)
class ThemeLine:
    """One theme found in free text: its label, how many texts it holds, a few quotes.

    ``texts`` is the exact count; the chapter suppresses it (and drops the quotes) when small.
    Quotes are participants' own words, already limited to texts that may be quoted.
    """

    label: str
    texts: int
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ThemeSetSummary:
    """Themes found in uploaded free text (survey answers, workshop notes)."""

    title: str
    source: str  # what the texts are, e.g. "Survey answers"
    themes: tuple[ThemeLine, ...]


@dataclass(frozen=True, kw_only=True)
class VoiceSummary:
    """One statement conversation (Pol.is method) summarised for the community voice chapter.

    ``groups`` are opinion-group sizes; ``consensus`` and ``group_views`` hold
    (statement text, direction, percentage agreeing or disagreeing) and (group, text,
    direction, percentage); the percentage is ``alliance.report.wording.percent_of`` of the
    votes, as on the results page. Texts are accepted statements only, shown as plain text.
    """

    title: str
    question: str
    participants: int
    groups: tuple[int, ...]
    consensus: tuple[tuple[str, str, int], ...]
    group_views: tuple[tuple[int, str, str, int], ...]
    themes: tuple[ThemeLine, ...] = ()  # from the latest theme set of its statements


@dataclass(frozen=True, kw_only=True)
class ConsultationSummary:
    """One consultation for the engagement log: what it asked, how people took part, whom it
    heard and, where a survey asked where people feel unsafe, how that compares with recorded
    violence. Counts are exact; the chapter suppresses small ones. Sentences are made by the
    survey statistics (:mod:`alliance.voice.weighting`, :mod:`alliance.voice.felt_unsafe`)."""

    title: str
    period: str  # "closed 31 March 2026" or "open until …"
    ways: tuple[str, ...]  # "Survey: Feeling safe", "Workshop: Youth forum (12 March 2026)"
    responses: tuple[tuple[str, int], ...]  # (channel, count)
    heard: tuple[str, ...] = ()  # "By age, we heard too few from 16 to 24 (…)"
    weighting: str = ""
    felt_unsafe: str = ""
    differing: tuple[tuple[str, str], ...] = ()  # (ward, verdict)
    you_said: tuple[tuple[str, str, str], ...] = ()  # (you said, status, we did)


@dataclass(frozen=True, kw_only=True)
class SnaInputs:
    """Everything one SNA needs.

    incidents
        Current pooled police.uk rows of the area for every month held (not only the report
        period), columns :data:`INCIDENT_COLUMNS`; ``lsoa21_code`` is NaN for police.uk
        "No Location" rows (kept for force-level totals only).
    lsoa
        One row per LSOA 2021 of the area, indexed by code, columns :data:`LSOA_COLUMNS`:
        resident population (Census 2021 usual residents), IMD 2025 decile and score,
        Community Safety Partnership, boundary (WKB, EPSG:4326). Optional columns
        ``population_10_24`` and ``ward_name`` (the ONS best-fit ward, which names the maps'
        towns: :func:`alliance.report.places.map_layers`).
    batches
        The import batches used (:data:`BATCH_COLUMNS`), including the geography batch.
    source_files
        Files loaded per batch: ``batch_id``, ``name``, ``month``, ``rows``.
    indicators
        Partner statistics in the pool for this area (:data:`INDICATOR_COLUMNS`), maybe empty.
    harm_weights
        Harm weight per police.uk category (CCHI, days of custody), and its description.
    written
        The partnership's own summary, findings and recommendations, written in the workspace
        (:class:`alliance.report.written.WrittenText`), in the order they are to appear.
    successors
        Areas that no longer exist and the areas that replaced them, old GSS code -> new codes
        (from the ONS lookups: the former Northamptonshire districts -> North or West
        Northamptonshire). Partner statistics of an old area are never shown as current.
    """

    area: SnaArea
    incidents: pd.DataFrame
    lsoa: pd.DataFrame
    definition: SnaDefinition
    batches: pd.DataFrame
    source_files: pd.DataFrame
    indicators: pd.DataFrame
    harm_weights: pd.Series
    harm_description: str
    population_source: str
    geography_batch: int | None = None
    narrative_dir: Path | None = None
    conversations: tuple[VoiceSummary, ...] = ()
    theme_sets: tuple[ThemeSetSummary, ...] = ()
    consultations: tuple[ConsultationSummary, ...] = ()
    #: the count cube of the *publication area* (the partnership's whole area, of which this
    #: SNA's area may be a part); built from ``incidents`` when not given
    cube: CountCube | None = None
    #: the published lattice already built from ``cube`` (the web shell's cached one), so the
    #: SNA and the dashboard share one; built here when not given
    publication: Publication | None = None
    #: where this SNA's area sits in the cube's geography: ('area', code) or ('csp', code) ...
    unit: tuple[str, str] | None = None
    #: first month of the partnership's reporting year (1 calendar, 4 financial)
    year_start: int = 1
    successors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    written: tuple[WrittenText, ...] = ()
    #: pooled partner sources (A&E, a local police extract ...) by source, each with its own
    #: published lattice: the core measures and the health lens read them
    partners: Mapping[str, PartnerData] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require(self.incidents, INCIDENT_COLUMNS, "incidents")
        _require(self.lsoa, LSOA_COLUMNS, "lsoa")
        _require(self.batches, BATCH_COLUMNS, "batches")
        _require(self.indicators, INDICATOR_COLUMNS, "indicators")
        if self.lsoa.index.has_duplicates:
            dup = sorted(set(self.lsoa.index[self.lsoa.index.duplicated()]))[:10]
            raise ValueError(f"lsoa: duplicated LSOA codes {dup}")
        if set(self.lsoa.index) != set(self.area.lsoa21):
            extra = sorted(set(self.lsoa.index) - set(self.area.lsoa21))[:10]
            missing = sorted(set(self.area.lsoa21) - set(self.lsoa.index))[:10]
            raise ValueError(f"lsoa: rows do not match the area's LSOAs (extra {extra}, "
                             f"missing {missing})")
        pop = pd.to_numeric(self.lsoa["population"], errors="coerce")
        bad = list(self.lsoa.index[pop.isna() | (pop <= 0)])
        if bad:
            raise ValueError(f"lsoa: no positive population for LSOAs {bad[:10]}")
        located = self.incidents["lsoa21_code"].dropna()
        unknown = sorted(set(located) - set(self.area.lsoa21))
        if unknown:
            raise ValueError(f"incidents: rows placed in LSOAs outside the area {unknown[:10]}")
        if self.incidents.empty:
            raise ValueError(f"incidents: no police.uk rows are pooled for {self.area.name}; "
                             "load them first (alliance load police-uk)")

    @property
    def months_held(self) -> tuple[str, ...]:
        """Months held by every force that publishes a material share (5% or more) of the
        area's rows. Another force's few rows located in the area (for example City of London
        Police records placed in Northamptonshire) must not make a month the home force has
        not published look held, with a handful of offences in it."""
        inc = self.incidents
        if "partition" not in inc.columns:
            return tuple(sorted(inc["month"].astype(str).unique()))
        shares = inc["partition"].value_counts(normalize=True)
        major = shares.index[shares >= MATERIAL_SHARE]
        held = [set(inc.loc[inc["partition"] == p, "month"].astype(str)) for p in major]
        return tuple(sorted(set.intersection(*held)))


def cube_from_incidents(inputs: SnaInputs) -> CountCube:
    """A count cube from the SNA's own tables (for callers that gather rows themselves):
    counted rows placed in the area's LSOAs; counted rows with no LSOA as unlocated."""
    lsoa = inputs.lsoa.copy()
    area = inputs.area
    if "lad_code" not in lsoa.columns:
        lsoa["lad_code"] = area.code or "area"
        lsoa["lad_name"] = area.name
    geography = AreaGeography(code=area.code or "area", name=area.name, level=area.level,
                              lsoa=lsoa)
    months = inputs.months_held
    rows = inputs.incidents[inputs.incidents["sv_included"].astype(bool)
                            & inputs.incidents["month"].isin(months)]
    located = rows[rows["lsoa21_code"].notna()]
    placed = (located.groupby(["lsoa21_code", "month", "sv_category"]).size()
              .rename("count").reset_index().rename(columns={"sv_category": "category"}))
    unlocated = (rows[rows["lsoa21_code"].isna()].groupby(["month", "sv_category"]).size()
                 .rename("count").reset_index().rename(columns={"sv_category": "category"}))
    labels: dict[str, str] = {}
    for cat, proxy in (rows[["sv_category", "sv_proxy"]].drop_duplicates()
                       .sort_values("sv_category").itertuples(index=False)):
        label = inputs.definition.categories.get(cat) or str(cat).replace("_", " ")
        label = label[0].upper() + label[1:]
        if proxy and "proxy" not in label.lower():
            label += " (proxy)"
        labels[str(cat)] = label
    return CountCube.from_counts(geography=geography, months=months, categories=labels,
                                 placed=placed, unlocated=unlocated,
                                 batches=sorted({int(b) for b in rows["batch_id"].unique()}))


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}")
