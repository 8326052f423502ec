"""Did it work? for one intervention, as the workspace shows it.

The published analysis (interrupted time series and before/after rate ratio of the
intervention's place, :func:`alliance.report.monitoring.evaluation.evaluate`) is for everyone:
it reads published monthly figures only. Roles with record-level access also get Andresen's
spatial point pattern test (SPPT) of the neighbourhoods inside the place, before against
after: it reads neighbourhood counts by month, which are never published, so its page is
marked "not for publication" and each view is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.report.charts import line_chart
from alliance.report.monitoring.evaluation import Evaluation, evaluate
from alliance.stats.hotspots.sppt import SpptResult, spatial_point_pattern_test
from alliance.web.pool.publication import NoFigures, publication
from alliance.web.strategy import services as strategy_services
from alliance.web.strategy.models import Intervention

SPPT_SEED = 20_250_101


@dataclass(frozen=True)
class DidItWork:
    evaluation: Evaluation | None
    place: str
    comparison: str
    problem: str
    chart: str = ""
    sppt: SpptResult | None = None
    sppt_months: int = 0


def did_it_work(item: Intervention, *, record_level: bool) -> DidItWork:
    partnership = item.priority.strategy.partnership
    known = strategy_services.places(partnership)
    places = [c for c in item.places if c in known]
    names = ", ".join(known[c].name for c in places) or "the whole area"
    if item.start is None:
        return DidItWork(None, names, "", "Give the intervention a start date first.")
    if len(places) > 1:
        return DidItWork(None, names, "", "It runs in several places: choose one place (or "
                         "the whole area) for its before and after analysis.")
    code = places[0] if places else partnership.area_code
    level = known[code].level if code in known else "area"
    comparison = (known[item.comparison].level, item.comparison) \
        if item.comparison in known else None
    try:
        pub = publication(partnership.area_code)
    except NoFigures as exc:
        return DidItWork(None, names, "", str(exc))
    start = f"{item.start:%Y-%m}"
    ev = evaluate(pub, unit=(level, code), start=start, comparison=comparison)
    chart = ""
    if ev.its is not None:
        mine = ev.its.series[ev.its.series["area"] == "intervention"]
        first, last = pd.Period(mine["month"].min(), freq="M"), pd.Period(mine["month"].max(),
                                                                            freq="M")
        months = [str(first + i) for i in range((last - first).n + 1)]
        frame = mine.set_index("month").reindex(months)
        chart = line_chart(
            [f"{m}-01" for m in months], frame["count"].tolist(), chart_id=f"its-{item.pk}",
            title=f"Offences a month in {names}, before and after {start}",
            desc="Monthly offences, the model's fit, and the path had nothing started; the "
                 "figures are in the table.", y_label="Offences a month",
            series_label="Offences",
            extra={"Model": frame["fitted"].tolist(),
                   "Had nothing started": [v if m >= start else np.nan for m, v in
                                           zip(months, frame["without"], strict=True)]},
            breaks=[(f"{start}-01", "Started")]).svg
    result = DidItWork(ev, names, known[item.comparison].name if comparison else "",
                       ev.refusal, chart)
    if record_level:
        result = _with_sppt(result, partnership.area_code, level, code, start)
    return result


def _with_sppt(result: DidItWork, area_code: str, level: str, code: str,
               start: str) -> DidItWork:
    record = publication(area_code, record_level=True)
    cube = record.cube
    before = [m for m in cube.months if m < start]
    after = [m for m in cube.months if m >= start]
    n = min(len(before), len(after))
    if n == 0:
        return result
    lsoas = list(cube.geography.lsoas_of(level, code))
    base = cube.by_lsoa(months=before[-n:], category="all").reindex(lsoas)
    test = cube.by_lsoa(months=after[:n], category="all").reindex(lsoas)
    if base.sum() == 0 or test.sum() == 0:
        return result
    sppt = spatial_point_pattern_test(base, test, seed=SPPT_SEED)
    return DidItWork(result.evaluation, result.place, result.comparison, result.problem,
                     result.chart, sppt, n)
