"""Outcome measures in the workspace: the catalogue that seeds a strategy's measures (the
indicator dictionary and the Home Office core measures), and each measure for every period.

Every value comes from :mod:`alliance.figures.measures` over the partnership's published
lattice: the dashboard's and the SNA's figures for the same unit, period and categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from alliance.figures.measures import measure_table
from alliance.figures.publication import Publication
from alliance.pool.measures import core_measures
from alliance.report.monitoring.scorecard import curve, source_of
from alliance.web.monitoring.services import measure_input
from alliance.web.pool.publication import POLICE_UK
from alliance.web.strategy.models import Measure, Strategy

#: (key, title, kind, source, categories, polarity, core, published statistic, what is
#: needed); IDs of ../shared/research/sna-practice.md section 7 in the titles. The core
#: measures C1 and C2 are computed from the partner sources' published sums
#: (:mod:`alliance.pool.measures`) once those sources are pooled; until then they say what is
#: needed from whom.
CATALOGUE: tuple[tuple[str, str, str, str, tuple[str, ...], str, bool, str, str], ...] = (
    ("l1-sv", "Serious violence, local definition (L1, police.uk proxy)", "pooled", POLICE_UK,
     (), "low is good", False, "", ""),
    ("l3-robbery", "Robbery (L3, police.uk)", "pooled", POLICE_UK, ("robbery",), "low is good",
     False, "", ""),
    ("l12-weapons", "Weapon-possession offences (L12, context: driven by police activity)",
     "pooled", POLICE_UK, ("possession_of_weapons",), "not applicable", False, "", ""),
    ("c1-sharp-admissions", "Hospital attendances for assault with a knife or sharp object "
     "(C1, core; A&E)", "pooled", "istv_ae", ("sharp",), "low is good", True, "",
     "Not pooled yet: needs A&E assault attendances (ISTV, ISB 1594) from the acute trusts. "
     "The Home Office measure counts admissions (ICD-10 X99) from the NHS integrated care "
     "board or OHID; A&E attendances stand in for them."),
    ("c2-knife-sv", "Knife or sharp-instrument-enabled serious violence (C2, core)",
     "pooled", "police_extract", ("knife_enabled",), "low is good", True, "",
     "Not pooled yet: needs the police's own crime records with the knife or sharp "
     "instrument flag (police.uk publishes no such flag)."),
    ("c3-homicide", "Homicide per million residents (C3, core; all homicides, ONS)",
     "published", POLICE_UK, (), "low is good", True, "homicide_rate_per_million",
     "Published by ONS for the police force area as a three-year rate; non-domestic and "
     "under-25 homicides need the Home Office Homicide Index from the police."),
)


def add_catalogue(strategy: Strategy, *, categories: dict[str, str] | None) -> list[Measure]:
    """Add the catalogue's measures a strategy does not have yet (police.uk ones only for
    categories the pool holds, when ``categories`` is given); the core measures are always
    added, with their data status."""
    made = []
    have = set(strategy.measures.values_list("key", flat=True))
    for key, title, kind, source, cats, polarity, core, published, needs in CATALOGUE:
        if key in have or (source == POLICE_UK and kind == "pooled" and categories is not None
                           and any(c not in categories for c in cats)):
            continue
        made.append(Measure.objects.create(
            strategy=strategy, key=key, title=title, kind=kind, source=source,
            categories=list(cats), polarity=polarity, core=core, published_measure=published,
            status_note=needs))
    return made


def core_choices(reference_dir: Path) -> list[tuple[str, str]]:
    """The Home Office core measures a measure may count, all ages and under 25, as
    'source:category' choices (:func:`alliance.pool.measures.core_measures`)."""
    out = []
    for m in core_measures(reference_dir):
        out += [(f"{m.source}:{m.key}", f"{m.label}, all ages"),
                (f"{m.source}:{m.under_25}", f"{m.label}, under 25")]
    return out


@dataclass(frozen=True)
class MeasurePage:
    table: pd.DataFrame  # every period: period, kind, label, count, rate, lower, upper, state
    curve: pd.DataFrame | None
    problem: str


def every_period(measure: Measure, pub: Publication) -> MeasurePage:
    m = measure_input(measure, pub, measure.strategy.partnership.area_code,
                      similar=measure.strategy.similar_codes)
    if m.kind != "pooled" or m.spec is None:
        return MeasurePage(table=pd.DataFrame(), curve=None,
                           problem=m.status or "This measure is not computed from the pool.")
    table = measure_table(source_of(pub, m), m.spec)
    frame = curve(pub, m, start=measure.strategy.start_month, through=pub.cube.months[-1])
    return MeasurePage(table=table, curve=frame, problem="")


def display(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for the page: '[c]' where hidden, words for periods not published that way."""
    rows = []
    for record in table.to_dict("records"):
        r = {str(k): v for k, v in record.items()}
        shown = r["state"] == "shown"
        rows.append({**r, "count": f"{int(r['count']):,}" if shown else
                     "[c]" if r["state"] == "hidden" else r["state"],
                     "rate": f"{r['rate']:.2f}" if shown else "",
                     "interval": f"{r['lower']:.2f} to {r['upper']:.2f}" if shown else ""})
    return rows
