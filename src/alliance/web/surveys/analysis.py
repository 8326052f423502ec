"""Results, whom we heard, weighting and the map comparison of a survey, for its pages.

The maths is the core's (:mod:`alliance.voice.surveys.results`, :mod:`alliance.voice.weighting`,
:mod:`alliance.voice.felt_unsafe`); this module reads the responses, the pooled population and
the published figures, and caches each result per version of the responses.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max

from alliance import config
from alliance.privacy.suppression import SuppressedTable, suppress_counts
from alliance.voice.felt_unsafe import FeltUnsafeComparison, compare_felt_and_recorded
from alliance.voice.surveys import SurveyDefinition
from alliance.voice.surveys.results import NOT_GIVEN, SurveyResults, tabulate, weighted_shares
from alliance.voice.weighting import (
    RakingError,
    Representation,
    WeightDiagnostics,
    rake,
    representation,
    weight_diagnostics,
)
from alliance.web.pool import geography as geo_store
from alliance.web.pool.publication import NoFigures, publication
from alliance.web.surveys import places as place_store
from alliance.web.surveys.models import Pin, Response, Survey

CACHE_SECONDS = 6 * 60 * 60
GROUPINGS = {"age_band": "age", "sex": "sex", "ethnicity": "ethnicity", "area": "area"}
#: a trimmed weight is at most this many average respondents
MAX_WEIGHT = 5.0


def _version_key(survey: Survey, *parts: object) -> str:
    stats = survey.responses.aggregate(n=Count("pk"), top=Max("pk"))
    raw = repr((survey.pk, survey.current_id, stats["n"], stats["top"],
                survey.margins, parts))
    return f"surveys:{survey.pk}:{hashlib.sha256(raw.encode()).hexdigest()[:24]}"


def _cached(key: str, compute: Any) -> Any:
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


def responses_of(survey: Survey) -> list[dict[str, Any]]:
    return list(survey.responses.order_by("pk").values_list("answers", flat=True))


def definition_of(survey: Survey) -> SurveyDefinition:
    assert survey.current is not None
    return survey.current.parsed()


def group_labels(survey: Survey, answers: list[dict[str, Any]]) -> pd.DataFrame:
    """One column per demographic grouping: each respondent's group label (None: not given);
    the area grouping is the district of the ward they chose."""
    definition = definition_of(survey)
    columns: dict[str, list[Any]] = {}
    districts: dict[str, str] = {}
    try:
        wards = place_store.area_places(survey.partnership.area_code).wards
        districts = dict(zip(wards.index, wards["lad_name"], strict=True))
    except NoFigures:
        pass
    for q in definition.questions:
        if not q.demographic:
            continue
        name = GROUPINGS[q.demographic]
        if q.type == "place":
            columns[name] = [districts.get((a.get(q.id) or {}).get("area", "")) or None
                             for a in answers]
        else:
            columns[name] = [q.choice_label(a[q.id]) if a.get(q.id) else None for a in answers]
    return pd.DataFrame(columns, index=range(len(answers)))


def results(survey: Survey, *, record_level: bool) -> SurveyResults:
    """Published tables (``record_level``: nothing hidden, for analysts and administrators)."""
    threshold = None if record_level else config.load().suppression_threshold

    def compute() -> SurveyResults:
        answers = responses_of(survey)
        return tabulate(definition_of(survey), answers, group_labels(survey, answers),
                        threshold=threshold)

    return _cached(_version_key(survey, "results", threshold), compute)


# ------------------------------------------------------------------------------ weighting
_BAND = re.compile(r"^(?:(\d+)_(\d+)|(\d+)_plus|under_(\d+))$")
#: the youngest age a survey's "under N" band is weighted to (younger children do not answer)
YOUNGEST = 10


def _age_range(value: str) -> tuple[int, int | None] | None:
    m = _BAND.match(value)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1)), int(m.group(2))
    if m.group(3):
        return int(m.group(3)), None
    return YOUNGEST, int(m.group(4)) - 1


def age_population(survey: Survey) -> dict[str, float]:
    """Residents of the partnership area in each of the survey's age bands, from the pooled
    single-year population estimates (LSOA 2011, mid-2020, summed over the area's LSOAs)."""
    definition = definition_of(survey)
    question = next((q for q in definition.questions if q.demographic == "age_band"), None)
    tables = geo_store.stored_tables()
    if question is None or tables is None:
        return {}
    try:
        lsoa21 = set(place_store.area_places(survey.partnership.area_code).lsoas.index)
    except NoFigures:
        return {}
    lookup = tables.lsoa11_to_21
    lsoa11 = set(lookup.loc[lookup["lsoa21_code"].isin(lsoa21), "lsoa11_code"])
    pop = tables.population
    rows = pop[(pop["lsoa_vintage"] == "2011") & pop["lsoa_code"].isin(lsoa11)]
    if rows.empty:
        return {}
    by_age = [pd.to_numeric(rows[f"age_{a}"], errors="coerce").sum() for a in range(90)]
    by_age.append(pd.to_numeric(rows["age_90_plus"], errors="coerce").sum())
    out = {}
    for c in question.choices:
        band = _age_range(c.value)
        if band is None:
            continue
        low, high = band
        out[c.label] = float(sum(by_age[low:(91 if high is None else min(high, 90) + 1)]))
    return out


@dataclass(frozen=True)
class Weighting:
    weights: pd.Series | None
    diagnostics: WeightDiagnostics | None
    represented: list[tuple[str, Representation]]
    margins: dict[str, dict[str, float]]
    problem: str = ""
    weighted_n: int = 0
    #: groups nobody in them answered, left out of the weighting (the weighted results speak
    #: for the rest of the population only)
    left_out: tuple[str, ...] = ()


def margins_of(survey: Survey) -> dict[str, dict[str, float]]:
    """Population margins by grouping: age from the pool, others as the analyst set them."""
    margins: dict[str, dict[str, float]] = {}
    ages = age_population(survey)
    if ages:
        margins["age"] = ages
    definition = definition_of(survey)
    for qid, shares in (survey.margins or {}).items():
        try:
            q = definition.question(qid)
        except KeyError:
            continue
        if q.demographic in GROUPINGS and shares:
            margins[GROUPINGS[q.demographic]] = {q.choice_label(k): float(v)
                                                 for k, v in shares.items() if float(v) > 0}
    return margins


def weighting(survey: Survey) -> Weighting:
    """Raking weights over every margin held (trimmed at MAX_WEIGHT), with diagnostics."""

    def compute() -> Weighting:
        answers = responses_of(survey)
        groups = group_labels(survey, answers)
        margins = margins_of(survey)
        represented = [(name, representation(groups[name], shares, margin=name))
                       for name, shares in margins.items() if name in groups]
        usable = {}
        left_out = []
        for name, shares in margins.items():
            if name not in groups:
                continue
            present = set(groups[name].dropna())
            kept = {g: v for g, v in shares.items() if g in present}
            left_out += [f"{g} ({name})" for g in shares if g not in present]
            if kept:
                usable[name] = kept
        if not usable or not answers:
            return Weighting(None, None, represented, margins,
                             problem="No population figures to weight to yet." if answers
                             else "No responses yet.")
        sample = groups[list(usable)]
        known = sample.isin({k: list(v) for k, v in usable.items()}).all(axis=1)
        weights = pd.Series(1.0, index=groups.index)
        try:
            weights[known] = rake(sample[known], usable, max_weight=MAX_WEIGHT)
        except RakingError as exc:
            return Weighting(None, None, represented, margins, problem=str(exc))
        return Weighting(weights, weight_diagnostics(weights), represented, margins,
                         weighted_n=int(known.sum()), left_out=tuple(left_out))

    return _cached(_version_key(survey, "weighting"), compute)


def weighted_results(survey: Survey, published: SurveyResults,
                     weights: pd.Series) -> dict[str, pd.DataFrame]:
    answers = responses_of(survey)
    out = {}
    for result in published.questions:
        shares = weighted_shares(result, [a.get(result.question.id) for a in answers], weights)
        if shares is not None:
            out[result.question.id] = shares
    return out


# ---------------------------------------------------------------------------- the map side
def pins_by_ward(survey: Survey, *, record_level: bool) -> tuple[pd.DataFrame, SuppressedTable]:
    """Pins per ward of the area (placed pins only), published with small counts hidden."""
    places = place_store.area_places(survey.partnership.area_code)
    counts = (Pin.objects.filter(survey=survey).exclude(ward_code="")
              .values_list("ward_code").annotate(n=Count("pk")))
    found = dict(counts)
    wards = places.wards[["name", "lad_name"]].copy()
    wards["pins"] = [int(found.get(c, 0)) for c in wards.index]
    table = suppress_counts(wards[["pins"]].astype(int), margins="columns",
                            threshold=1 if record_level else None)
    return wards, table


def felt_unsafe(survey: Survey) -> tuple[FeltUnsafeComparison, str] | None:
    """Pins against recorded violence by ward over the latest published reporting year (the
    published figures, hidden LSOAs estimated by the figures layer), or None without figures."""
    places = place_store.area_places(survey.partnership.area_code)
    try:
        pub = publication(survey.partnership.area_code)
    except NoFigures:
        return None
    if not pub.years:
        return None
    period = pub.year(pub.years[-1].label)
    recorded = pub.lsoa_values_for_statistics(period)
    lsoas = places.lsoas
    frame = pd.DataFrame({"ward": lsoas["ward_code"],
                          "recorded": recorded.reindex(lsoas.index).fillna(0.0),
                          "population": lsoas["population"].astype(float)})
    frame = frame[frame["ward"] != ""].groupby("ward")[["recorded", "population"]].sum()
    pins = dict(Pin.objects.filter(survey=survey).exclude(ward_code="")
                .values_list("ward_code").annotate(n=Count("pk")))
    frame["pins"] = [int(pins.get(c, 0)) for c in frame.index]
    frame = frame[frame["population"] > 0]
    if len(frame) < 3:
        return None
    return compare_felt_and_recorded(frame), period.label


def unplaced_pins(survey: Survey) -> int:
    return Pin.objects.filter(survey=survey, ward_code="").count()


def not_given_label() -> str:
    return NOT_GIVEN


def channel_counts(survey: Survey) -> dict[str, int]:
    labels = dict(Response.Channel.choices)
    counts = survey.responses.values_list("channel").annotate(n=Count("pk"))
    return {labels.get(c, c): int(n) for c, n in counts}


def age_groups_consented(survey: Survey) -> dict[str, int]:
    labels = dict(Response.AgeGroup.choices)
    counts = survey.responses.values_list("consent_age").annotate(n=Count("pk"))
    return {labels.get(c, c): int(n) for c, n in counts}


def percent(value: float) -> str:
    return "" if value is None or np.isnan(value) else f"{value:.0f}%"
