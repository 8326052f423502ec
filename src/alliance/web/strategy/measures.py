"""Outcome measures in the workspace: the catalogue that seeds a strategy's measures (the
indicator dictionary and the Home Office core measures), and each measure for every period.

Every value comes from :mod:`alliance.figures.measures` over the partnership's published
lattice: the dashboard's and the SNA's figures for the same unit, period and categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliance.figures.measures import measure_table
from alliance.figures.publication import Publication
from alliance.report.monitoring.scorecard import curve, source_of
from alliance.web.monitoring.services import measure_input
from alliance.web.strategy.models import Measure, Strategy

#: (key, title, kind, categories, polarity, core, published statistic, what is needed);
#: IDs of ../shared/research/sna-practice.md section 7 in the titles
CATALOGUE: tuple[tuple[str, str, str, tuple[str, ...], str, bool, str, str], ...] = (
    ("l1-sv", "Serious violence, local definition (L1, police.uk proxy)", "pooled", (),
     "low is good", False, "", ""),
    ("l3-robbery", "Robbery (L3, police.uk)", "pooled", ("robbery",), "low is good", False,
     "", ""),
    ("l12-weapons", "Weapon-possession offences (L12, context: driven by police activity)",
     "pooled", ("possession_of_weapons",), "not applicable", False, "", ""),
    ("c1-sharp-admissions", "Hospital admissions for assault by a sharp object (C1, core)",
     "not held", (), "low is good", True, "",
     "Not pooled: needs emergency admissions with ICD-10 X99 (assault by sharp object) from "
     "the NHS integrated care board or OHID, all ages and under 25."),
    ("c2-knife-sv", "Knife or sharp-instrument-enabled serious violence (C2, core)",
     "not held", (), "low is good", True, "",
     "Not pooled: needs the police's own crime records with the knife or sharp instrument "
     "flag (police.uk publishes no such flag)."),
    ("c3-homicide", "Homicide per million residents (C3, core; all homicides, ONS)",
     "published", (), "low is good", True, "homicide_rate_per_million",
     "Published by ONS for the police force area as a three-year rate; non-domestic and "
     "under-25 homicides need the Home Office Homicide Index from the police."),
)


def add_catalogue(strategy: Strategy, *, categories: dict[str, str] | None) -> list[Measure]:
    """Add the catalogue's measures a strategy does not have yet (pooled ones only for
    categories the pool holds, when ``categories`` is given); the core measures are always
    added, with their data status."""
    made = []
    have = set(strategy.measures.values_list("key", flat=True))
    for key, title, kind, cats, polarity, core, published, needs in CATALOGUE:
        if key in have or (kind == "pooled" and categories is not None
                           and any(c not in categories for c in cats)):
            continue
        made.append(Measure.objects.create(
            strategy=strategy, key=key, title=title, kind=kind, categories=list(cats),
            polarity=polarity, core=core, published_measure=published, status_note=needs))
    return made


@dataclass(frozen=True)
class MeasurePage:
    table: pd.DataFrame  # every period: period, kind, label, count, rate, lower, upper, state
    curve: pd.DataFrame | None
    problem: str


def every_period(measure: Measure, pub: Publication) -> MeasurePage:
    m = measure_input(measure, pub, measure.strategy.partnership.area_code)
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
