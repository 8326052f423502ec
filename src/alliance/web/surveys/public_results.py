"""The public results of a consultation's surveys: findings tables (small numbers hidden), whom
we heard, where people feel unsafe by ward, and quotes a moderator accepted.

Public results are shown only once a consultation's results are published, and no response
can be added after that (:func:`alliance.web.surveys.staff_views` refuses entry and import), so
the published tables never change and two versions of them cannot be subtracted.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alliance.web.consultations.models import Consultation, Module
from alliance.web.pool.publication import NoFigures
from alliance.web.surveys import analysis
from alliance.web.surveys.models import Survey

#: quotes shown per free-text question on the public page
QUOTES = 6


def accepted_quotes(survey: Survey, qid: str, n: int = QUOTES) -> list[str]:
    """Free-text answers a moderator accepted, newest first (never a held or flagged one)."""
    out = []
    for answers, review in survey.responses.order_by("-pk").values_list("answers",
                                                                       "text_review"):
        if (review or {}).get(qid) == "accepted" and answers.get(qid):
            out.append(str(answers[qid]))
            if len(out) >= n:
                break
    return out


def survey_results(survey: Survey) -> dict[str, Any]:
    published = analysis.results(survey, record_level=False)
    weighting = analysis.weighting(survey)
    weighted = (analysis.weighted_results(survey, published, weighting.weights)
                if weighting.weights is not None else {})
    definition = analysis.definition_of(survey)
    quotes = {q.id: accepted_quotes(survey, q.id) for q in definition.questions
              if q.type == "text"}
    pins = None
    try:
        if any(q.type == "pin" for q in definition.questions):
            wards, table = analysis.pins_by_ward(survey, record_level=False)
            shown = table.values["pins"]
            wards = wards.assign(published=table.published["pins"].reindex(wards.index))
            wards = wards[shown.reindex(wards.index).fillna(1) > 0]
            pins = {"wards": wards, "total": table.published.loc["Total", "pins"]}
    except NoFigures:
        pins = None
    return {"survey": survey, "published": published, "weighting": weighting,
            "weighted": weighted, "quotes": {k: v for k, v in quotes.items() if v},
            "definition": definition, "pins": pins}


def consultation_results(consultation: Consultation) -> dict[str, Any]:
    surveys = [m.survey for m in consultation.modules.filter(
        kind__in=[Module.Kind.SURVEY, Module.Kind.MAP]).select_related("survey__current")
        if m.survey is not None and m.survey.current is not None]
    return {"surveys": [survey_results(s) for s in surveys]}


def cell(value: float) -> str:
    return "[c]" if value is None or (isinstance(value, float) and np.isnan(value)) \
        else f"{int(value):,}"
