"""Gather an area's data from the pool and build its Strategic Needs Assessment.

Reads only through ``alliance.web.pool.queries`` and ``alliance.web.pool.geography`` (plus the
import-log models for the data currency table), turns it into the plain tables of
:class:`alliance.report.sna.SnaInputs` and calls :func:`alliance.report.sna.write_sna`.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from alliance import config
from alliance.geo.lsoa_convert import apportion_to_lsoa21
from alliance.report.sna import SnaArea, SnaDefinition, SnaInputs, SnaOutput, write_sna
from alliance.report.sna.inputs import ThemeLine, ThemeSetSummary, VoiceSummary
from alliance.sources.police_forces import force_for_pfa
from alliance.stats.harm import load_harm_weights
from alliance.web.pool import geography as geo_store
from alliance.web.pool import queries
from alliance.web.pool.models import ImportBatch, SourceFile
from alliance.web.pool.services import active_definition
from alliance.web.themes.models import ThemeSet
from alliance.web.themes.present import sna_lines
from alliance.web.themes.services import latest_for_conversation, quotable_ids
from alliance.web.themes.store import load_result

INCIDENT_COLUMNS = ("source", "month", "source_category", "sv_category", "sv_included", "sv_proxy",
                    "lsoa21_code", "easting", "northing", "partition", "batch_id")
#: Areas replaced by others: partner statistics published for the old area still describe
#: the new one (Northamptonshire County Council -> North and West Northamptonshire, April 2021).
SUCCESSORS: dict[str, tuple[str, ...]] = {"E10000021": ("E06000061", "E06000062")}


class SnaError(Exception):
    """The SNA cannot be built (no geography, no data for the area); the message says why."""


def _lsoa_table(area_lsoas: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    tables = geo_store.stored_tables()
    if tables is None:
        raise SnaError("no geography is loaded: run `alliance load geography --from DIR`")
    codes = list(area_lsoas)
    bounds = tables.lsoa21_boundaries.set_index("code").reindex(codes)
    pop = tables.population
    census: pd.Series = pop[(pop["lsoa_vintage"] == "2021")].set_index("lsoa_code")["total"]
    imd = tables.imd2025.set_index("lsoa21_code").reindex(codes)
    parents = tables.area_parents
    links = parents[(parents["child_level"] == "lsoa21") & (parents["parent_level"] == "csp")]
    csp = links.drop_duplicates("child_code").set_index("child_code")["parent_code"]
    names = tables.areas.drop_duplicates("code").set_index("code")["name"]
    frame = pd.DataFrame({
        "name": bounds["name"], "population": census.reindex(codes).astype(float),
        "imd_decile": imd["imd_decile"], "imd_score": imd["imd_score"],
        "csp_code": csp.reindex(codes), "geometry_wkb": bounds["geometry_wkb"]}, index=codes)
    frame["csp_name"] = frame["csp_code"].map(names).fillna("Unknown CSP")
    frame.index.name = "lsoa21_code"
    # Young people: the mid-2020 estimate by LSOA 2011 carried to LSOA 2021 by Census weights.
    mye = pop[pop["source"] == "ons_sape_mid2020"].set_index("lsoa_code")
    lookup = tables.lsoa11_to_21
    parents11 = lookup[lookup["lsoa21_code"].isin(codes)]["lsoa11_code"].unique()
    try:
        weights = census.reindex(lookup[lookup["lsoa11_code"].isin(parents11)]["lsoa21_code"]
                                 .unique()).astype(float)
        for column, target in (("age_10_24", "population_10_24"), ("total", "population_mye")):
            values = mye[column].reindex(parents11).astype(float)
            moved = apportion_to_lsoa21(values, lookup, weights=weights)
            frame[target] = moved.reindex(codes)
    except (ValueError, KeyError):
        pass  # the context table then leaves out the 10-24 share
    return frame, "Census 2021 usual residents (LSOA 2021); ONS mid-2020 estimates for ages"


def _related_codes(lsoa: pd.DataFrame, area_code: str | None) -> list[str]:
    tables = geo_store.stored_tables()
    assert tables is not None
    parents = tables.area_parents
    mine = parents[(parents["child_level"] == "lsoa21")
                   & parents["child_code"].isin(lsoa.index)]
    codes = set(mine.loc[mine["parent_level"].isin(["lad", "csp", "pfa"]), "parent_code"])
    if area_code:
        codes.add(area_code)
    for old, new in SUCCESSORS.items():
        if set(new) & codes:
            codes.add(old)
    return sorted(codes)


def gather(area: str, *, reference: Path | None = None) -> SnaInputs:
    """The :class:`SnaInputs` of ``area`` (a GSS code or a name) from the pool."""
    geo = geo_store.geography()
    if geo is None:
        raise SnaError("no geography is loaded: run `alliance load geography --from DIR`")
    resolved = geo.resolve(area)
    lsoa, pop_source = _lsoa_table(resolved.lsoa21)
    bad = list(lsoa.index[lsoa["population"].isna()])
    if bad:
        raise SnaError(f"no Census 2021 population for LSOAs {bad[:10]}")
    located = queries.incidents(lsoa21=resolved.lsoa21, columns=INCIDENT_COLUMNS)
    partitions = sorted(located.rows["partition"].unique()) if not located.rows.empty else []
    home = force_for_pfa(resolved.code) if resolved.level == "pfa" and resolved.code else None
    if home is not None:
        # The force's own "No Location" rows belong to its area: keep them for its totals
        # (never another force's, whose rows without a location could be anywhere).
        table = queries.incidents(lsoa21=resolved.lsoa21, columns=INCIDENT_COLUMNS,
                                  include_no_location_of=[home.slug])
    else:
        table = located
    rows = table.rows[table.rows["source"].eq("police_uk_street")] if "source" in \
        table.rows else table.rows
    if rows.empty:
        raise SnaError(f"no police.uk street crime is pooled for {resolved.name}; load it with "
                       "`alliance load police-uk --from PATH`")
    rows = rows.sort_values(["month", "lsoa21_code", "source_category", "easting", "northing"],
                            na_position="last", kind="stable").reset_index(drop=True)
    cfg = config.load()
    ref = reference or cfg.reference
    def_row, definition = active_definition(reference_dir=ref)
    rules = pd.DataFrame([{"match": r.match_field, "value": r.value, "category": r.category,
                           "label": r.label, "counted": r.included, "proxy": r.proxy}
                          for r in definition.rules])
    labels = {r.category: r.label for r in definition.rules}
    indicators = queries.indicators(area_codes=_related_codes(lsoa, resolved.code))
    geo_batch = geo_store.current_batch()
    batch_ids = sorted({*table.batch_ids, *(int(b) for b in indicators["batch_id"].unique()),
                        *([geo_batch.pk] if geo_batch else [])})
    batches = pd.DataFrame.from_records(list(ImportBatch.objects.filter(pk__in=batch_ids)
        .order_by("id").values_list("id", "kind", "source", "description", "created_at",
                                    "finished_at", "rows_loaded", "rows_set_aside")),
        columns=["id", "kind", "source", "description", "created_at", "finished_at",
                 "rows_loaded", "rows_set_aside"])
    files = pd.DataFrame.from_records(list(SourceFile.objects.filter(
        batch_id__in=table.batch_ids, partition__in=partitions).order_by("batch_id", "month",
                                                                         "name")
        .values_list("batch_id", "name", "month", "rows")),
        columns=["batch_id", "name", "month", "rows"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            harm = load_harm_weights("cchi_policeuk_category",
                                     path=ref / "crime_harm_weights.csv")
        weights = harm.weights.copy()
        weights.index = [str(i).removeprefix("police.uk: ") for i in weights.index]
        harm_text = f"{harm.scheme} {harm.edition}, {harm.unit}"
    except (FileNotFoundError, ValueError):
        weights, harm_text = pd.Series(dtype=float), "no harm weights available"
    return SnaInputs(
        area=SnaArea(code=resolved.code, name=resolved.name, level=resolved.level,
                     lsoa21=resolved.lsoa21, note=resolved.note),
        incidents=rows, lsoa=lsoa,
        definition=SnaDefinition(version=def_row.version, name=definition.name, rules=rules,
                                 real_measure_needs=definition.real_measure_needs,
                                 categories=labels),
        batches=batches, source_files=files, indicators=indicators, harm_weights=weights,
        harm_description=harm_text, population_source=pop_source,
        geography_batch=geo_batch.pk if geo_batch else None,
        **_voice(resolved.code))


def _voice(area_code: str | None) -> dict[str, Any]:
    """The community voice of partnerships on this area: statement conversations with opinion
    groups (and the themes of their latest theme set), and themes of free text: uploads marked
    for the SNA, and conversations too young for opinion groups."""
    from alliance.web.conversations import results as conversation_results
    from alliance.web.conversations import services as conversations
    from alliance.web.conversations.models import Conversation

    found = []
    themed: list[ThemeSet] = []
    for conv in (Conversation.objects.filter(partnership__area_code=area_code)
                 .exclude(status=Conversation.Status.DRAFT).order_by("created_at")):
        outcome = conversations.run_analysis(conv)
        result = outcome.analysis
        latest = latest_for_conversation(conv)
        if result is None or result.k < 1:
            themed += [latest] if latest is not None else []
            continue
        # the results page's summary: accepted statements, the consensus rule, one share rule
        summary = conversation_results.summarise(result, conversations.accepted_texts(conv),
                                                 conversations.consensus_eligible(conv))
        sizes = tuple(int(n) for n in result.groups.value_counts().sort_index())
        consensus = tuple((str(r["text"]), str(r["direction"]), int(r["percent"]))
                          for r in summary.consensus[:5])
        views = tuple((g, str(r["text"]), str(r["side"]), int(r["percent"]))
                      for g, rows in sorted(summary.group_views.items()) for r in rows[:2])
        found.append(VoiceSummary(title=conv.title, question=conv.question,
                                  participants=len(result.groups), groups=sizes,
                                  consensus=consensus, group_views=views,
                                  themes=_themes_of(latest)))
    themed = list(ThemeSet.objects.filter(
        partnership__area_code=area_code, status=ThemeSet.Status.READY, conversation=None,
        include_in_sna=True).order_by("created_at", "id")) + themed
    return {"conversations": tuple(found),
            "theme_sets": tuple(ThemeSetSummary(title=s.title, source=s.get_source_display(),
                                                themes=_themes_of(s))
                                for s in themed)}


def _themes_of(theme_set: ThemeSet | None) -> tuple[ThemeLine, ...]:
    """The themes of a stored theme set, quoting only texts that may be quoted."""
    if theme_set is None:
        return ()
    return sna_lines(load_result(theme_set), quotable_ids(theme_set))


def build_sna(area: str, out: Path, *, period: str, threshold: int | None = None,
              docx_template: Path | None = None, generated: datetime | None = None,
              pdf: bool = True) -> SnaOutput:
    """Gather ``area`` from the pool and write its SNA into ``out``."""
    cfg = config.load()
    inputs = gather(area)
    return write_sna(inputs, out, period=period,
                     threshold=threshold or cfg.suppression_threshold,
                     docx_template=docx_template, generated=generated, pdf=pdf)
