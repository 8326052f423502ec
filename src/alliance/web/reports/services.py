"""Gather an area's data from the pool and build its Strategic Needs Assessment.

Reads only through ``alliance.web.pool.queries`` and ``alliance.web.pool.geography`` (plus the
import-log models for the data currency table), turns it into the plain tables of
:class:`alliance.report.sna.SnaInputs` and calls :func:`alliance.report.sna.write_sna`.
"""

from __future__ import annotations

import dataclasses
import getpass
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alliance import config
from alliance.figures.hotspots import DEFAULT_SEED
from alliance.figures.publication import Publication
from alliance.geo.lsoa_convert import apportion_to_lsoa21
from alliance.report.sna import SnaArea, SnaDefinition, SnaInputs, SnaOutput, write_sna
from alliance.report.sna.inputs import ThemeLine, ThemeSetSummary, VoiceSummary
from alliance.sources.police_forces import force_for_pfa
from alliance.stats.harm import load_harm_weights
from alliance.web.pool import geography as geo_store
from alliance.web.pool import queries
from alliance.web.pool.models import ImportBatch, SourceFile
from alliance.web.pool.publication import NoFigures, publication
from alliance.web.pool.services import active_definition
from alliance.web.reports.models import SnaBuild
from alliance.web.reports.partners import partner_data
from alliance.web.tasks import services as tasks
from alliance.web.tasks.models import Task
from alliance.web.tasks.services import STALE_AFTER, Progress
from alliance.web.themes.models import ThemeSet
from alliance.web.themes.present import sna_lines
from alliance.web.themes.services import latest_for_conversation, quotable_ids
from alliance.web.themes.store import load_result
from alliance.web.workspace.wording import for_people, unexpected

INCIDENT_COLUMNS = ("source", "month", "source_category", "sv_category", "sv_included", "sv_proxy",
                    "lsoa21_code", "easting", "northing", "partition", "batch_id")
#: Areas replaced by others: partner statistics published for the old area still describe
#: the new one (Northamptonshire County Council -> North and West Northamptonshire, April 2021).
SUCCESSORS: dict[str, tuple[str, ...]] = {"E10000021": ("E06000061", "E06000062")}
#: National comparators gathered with every area's partner statistics.
COMPARATOR_NATIONS = ("E92000001", "K04000001", "K02000001", "W92000004")


class SnaError(Exception):
    """The SNA cannot be built (no geography, no data for the area).

    ``str(exc)`` is for the command line (with the command that fixes it); :attr:`in_workspace`
    says what to do in the workspace instead.
    """

    def __init__(self, problem: str, *, command: str = "", in_workspace: str = "") -> None:
        super().__init__(f"{problem}: run `{command}`" if command else problem)
        self.in_workspace = " ".join(p for p in (problem[:1].upper() + problem[1:] + ".",
                                                 in_workspace) if p)


NO_GEOGRAPHY = {"problem": "no ONS geography is loaded, so the area's LSOAs are not known",
                "command": "alliance load geography --from DIR",
                "in_workspace": "Ask your administrator to load the ONS geography."}


def _lsoa_table(area_lsoas: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    tables = geo_store.stored_tables()
    if tables is None:
        raise SnaError(**NO_GEOGRAPHY)
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
    # Ward names label the maps' towns (alliance.report.places); the ONS best-fit ward.
    wards = parents[(parents["child_level"] == "lsoa21") & (parents["parent_level"] == "ward")]
    ward = wards.drop_duplicates("child_code").set_index("child_code")["parent_code"]
    frame["ward_name"] = ward.reindex(codes).map(names).to_numpy()
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
    # Comparators: the area's region(s) and the nations (the SNA sets figures beside them).
    codes |= set(mine.loc[mine["parent_level"] == "region", "parent_code"])
    codes |= set(COMPARATOR_NATIONS)
    return sorted(codes)


def _successors(lsoa: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Districts of the area that no longer exist -> the councils (LAD 2024) now covering their
    LSOAs, from the ONS lookups held (plus :data:`SUCCESSORS`)."""
    tables = geo_store.stored_tables()
    assert tables is not None
    parents = tables.area_parents
    lad = parents[(parents["child_level"] == "lsoa21") & parents["child_code"].isin(lsoa.index)
                  & (parents["parent_level"] == "lad")]
    now = lad[lad["parent_vintage"] == "2024"].drop_duplicates("child_code").set_index(
        "child_code")["parent_code"]
    out: dict[str, tuple[str, ...]] = {}
    for old, group in lad[lad["parent_vintage"] != "2024"].groupby("parent_code"):
        new = set(now.reindex(group["child_code"]).dropna()) - {old}
        if new and old not in set(now):
            out[str(old)] = tuple(sorted(str(c) for c in new))
    return {**out, **SUCCESSORS}


def gather(area: str, *, reference: Path | None = None) -> SnaInputs:
    """The :class:`SnaInputs` of ``area`` (a GSS code or a name) from the pool."""
    geo = geo_store.geography()
    if geo is None:
        raise SnaError(**NO_GEOGRAPHY)
    resolved = geo.resolve(area)
    lsoa, pop_source = _lsoa_table(resolved.lsoa21)
    bad = list(lsoa.index[lsoa["population"].isna()])
    if bad:
        raise SnaError(f"no Census 2021 population is loaded for LSOAs {', '.join(bad[:10])}",
                       in_workspace="Ask your administrator to load the ONS geography again.")
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
        raise SnaError(f"no police.uk street crime is pooled for {resolved.name}",
                       command="alliance load police-uk --from PATH",
                       in_workspace="Upload its police.uk files on the Data page first.")
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
    pub, unit = _publication_for(resolved.code or area, resolved.lsoa21)
    return SnaInputs(
        cube=pub.cube, publication=pub, unit=unit, year_start=cfg.reporting_year_start,
        area=SnaArea(code=resolved.code, name=resolved.name, level=resolved.level,
                     lsoa21=resolved.lsoa21, note=resolved.note),
        incidents=rows, lsoa=lsoa,
        definition=SnaDefinition(version=def_row.version, name=definition.name, rules=rules,
                                 real_measure_needs=definition.real_measure_needs,
                                 categories=labels),
        batches=batches, source_files=files, indicators=indicators, harm_weights=weights,
        harm_description=harm_text, population_source=pop_source,
        geography_batch=geo_batch.pk if geo_batch else None, successors=_successors(lsoa),
        written=written_for(resolved.code), **_voice(resolved.code),
        partners=partner_data(pub, lsoas=resolved.lsoa21, police=rows))


def written_for(area_code: str | None) -> tuple[Any, ...]:
    """The partnership's summary, findings and recommendations for the area's SNA."""
    from alliance.web.reports.texts import written_for as texts_for_area

    return texts_for_area(area_code)


def _publication_for(code: str, lsoas: tuple[str, ...]) -> tuple[Publication, tuple[str, str]]:
    """The published lattice an SNA of ``code`` reads, and where the SNA's area sits in it.

    An SNA of the partnership's area, or of a district or local authority inside it, reads the
    partnership area's one lattice, so its figures are the dashboard's; any other area gets a
    lattice of its own."""
    from alliance.web.partnerships.models import Partnership

    partnership = Partnership.objects.order_by("pk").first()
    home = partnership.area_code if partnership is not None else None
    if home:
        try:
            pub = publication(home)
        except NoFigures:
            pub = None
        if pub is not None:
            geo = pub.cube.geography
            if code == geo.code:
                return pub, ("area", code)
            for level in ("lad", "csp"):
                if code in geo.units(level) and set(geo.lsoas_of(level, code)) == set(lsoas):
                    return pub, (level, code)
    try:
        return publication(code), ("area", code)
    except NoFigures as exc:
        raise SnaError(str(exc)) from exc


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
    from alliance.web.consultations.sna import consultation_summaries

    return {"conversations": tuple(found),
            "theme_sets": tuple(ThemeSetSummary(title=s.title, source=s.get_source_display(),
                                                themes=_themes_of(s))
                                for s in themed),
            "consultations": consultation_summaries(area_code)}


def _themes_of(theme_set: ThemeSet | None) -> tuple[ThemeLine, ...]:
    """The themes of a stored theme set, quoting only texts that may be quoted."""
    if theme_set is None:
        return ()
    return sna_lines(load_result(theme_set), quotable_ids(theme_set))


# ---------------------------------------------------------------------------- builds

#: the steps a build reports its progress in
STEPS = 2
#: refusals whose message says what is wrong with the request or the pool (shown as it is);
#: anything else is unexpected, logged, and shown as such
REFUSALS = (SnaError, ValueError, LookupError, FileNotFoundError)
STOPPED = ("The build stopped before it finished: the program running it was stopped or lost. "
           "Start it again.")


def _new_build(*, area: str, period: str, pdf: bool, threshold: int, command_line: bool,
               started_by: Any = None, started_by_name: str = "",
               output_folder: Path | None = None) -> SnaBuild:
    build = SnaBuild.objects.create(
        area_code=area[:200], period=period[:40], pdf=pdf, threshold=threshold,
        origin=SnaBuild.Origin.COMMAND_LINE if command_line else SnaBuild.Origin.WORKSPACE,
        started_by=started_by,
        started_by_name=(started_by_name or getattr(started_by, "email", ""))[:200],
        output_folder=str(output_folder or ""))
    if output_folder is None:
        # the workspace's builds each get a folder of their own in the data folder
        build.output_folder = str(config.load().home / "sna" / "builds" / str(build.pk))
        build.save(update_fields=["output_folder"])
    return build


def start_build(*, area_code: str, area_name: str, period: str, pdf: bool,
                user: Any, draft: bool = False) -> SnaBuild:
    """Record a build asked for in the workspace and hand it to a background task; return at
    once (the page follows its progress). ``area_name`` is shown until the build knows the
    area's own name."""
    with transaction.atomic():
        build = _new_build(area=area_code, period=period, pdf=pdf, started_by=user,
                           threshold=config.load().suppression_threshold,
                           command_line=False)
        build.area_name = area_name[:200]
        build.draft = draft
        build.task = tasks.start("build_sna", created_by=user, build_id=build.pk)
        build.save(update_fields=["area_name", "task", "draft"])
    return build


def build_sna(area: str, out: Path, *, period: str, threshold: int | None = None,
              docx_template: Path | None = None, generated: datetime | None = None,
              pdf: bool = True, started_by_name: str = "", draft: bool = False,
              seed: int = DEFAULT_SEED) -> SnaOutput:
    """Gather ``area`` from the pool and write its SNA into ``out`` now (the command line's
    build), recorded like the workspace's so that the SNA page lists it."""
    build = _new_build(area=area, period=period, pdf=pdf,
                       threshold=threshold or config.load().suppression_threshold,
                       command_line=True, output_folder=out.resolve(),
                       started_by_name=started_by_name or _login())
    if draft or seed != DEFAULT_SEED:
        build.draft, build.seed = draft, seed
        build.save(update_fields=["draft", "seed"])
    return run_build(build, docx_template=docx_template, generated=generated)


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (a container)
        return ""


def run_build(build: SnaBuild, *, docx_template: Path | None = None,
              generated: datetime | None = None, progress: Progress | None = None) -> SnaOutput:
    """Gather and write ``build``; its record follows: status, progress, then the files and the
    batches used, or why it failed (in plain words; an unexpected error is logged). Raises what
    the build raised, once recorded."""
    def step(message: str, done: int) -> None:
        SnaBuild.objects.filter(pk=build.pk).update(
            status=SnaBuild.Status.RUNNING, message=message, progress_done=done,
            progress_total=STEPS, heartbeat_at=timezone.now())
        if progress is not None:
            progress(message, done, STEPS)

    try:
        step("Gathering the pooled data", 0)
        inputs = gather(build.area_code)
        threshold = build.threshold or config.load().suppression_threshold
        if threshold != config.load().suppression_threshold:
            # another threshold needs its own lattice, not the dashboard's shared one
            inputs = dataclasses.replace(inputs, publication=None)
        step("Writing the report, its Word version" + (" and its PDF" if build.pdf else ""), 1)
        result = write_sna(inputs, Path(build.output_folder), period=build.period,
                           threshold=threshold, docx_template=docx_template,
                           generated=generated, pdf=build.pdf, draft=build.draft,
                           seed=build.seed)
    except SnaError as exc:
        _failed(build, exc.in_workspace)
        raise
    except REFUSALS as exc:
        _failed(build, for_people(str(exc).strip("'\""), where=str(build)))
        raise
    except Exception:
        _failed(build, unexpected("The SNA build", ref=f"SNA build {build.pk}"))
        raise
    except BaseException:  # interrupted (Ctrl-C)
        _failed(build, STOPPED)
        raise
    build.status, build.message = SnaBuild.Status.DONE, ""
    build.area_code = inputs.area.code or build.area_code
    build.area_name = inputs.area.name[:200]
    build.batch_ids = sorted(int(b) for b in inputs.batches["id"])
    build.files = sorted(result.files)
    build.progress_done = build.progress_total = STEPS
    build.finished_at = build.heartbeat_at = timezone.now()
    build.save()
    return result


def _failed(build: SnaBuild, message: str) -> None:
    build.status, build.message = SnaBuild.Status.FAILED, message
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "message", "finished_at"])


def fail_stale_builds(*, after: timedelta = STALE_AFTER) -> int:
    """Mark failed the builds that stopped without saying so: running with no sign of life for
    ``after``, or whose task failed first (a worker lost before the build began)."""
    stopped = (Q(status=SnaBuild.Status.RUNNING, heartbeat_at__lt=timezone.now() - after)
               | Q(status__in=[SnaBuild.Status.QUEUED, SnaBuild.Status.RUNNING],
                   task__status=Task.Status.FAILED))
    return SnaBuild.objects.filter(stopped).update(
        status=SnaBuild.Status.FAILED, message=STOPPED, finished_at=timezone.now())


def build_file(build: SnaBuild, name: str) -> Path | None:
    """The file ``name`` of a finished build, when the build wrote it and it is still there.

    Only the names the build recorded are served, and only inside its folder (a name cannot
    climb out of it, and a symbolic link pointing elsewhere is refused).
    """
    if build.status != SnaBuild.Status.DONE or name not in build.files:
        return None
    folder = Path(build.output_folder).resolve()
    path = (folder / name).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path


def batches_used(build: SnaBuild) -> list[ImportBatch]:
    return list(ImportBatch.objects.filter(pk__in=build.batch_ids).order_by("id"))
