"""The Home Office core measures as outcome measures: offered by the measure form, computed from
the partner source's published lattice by the same one function as every other measure, with
their data status until the source is pooled; and the similar areas a strategy compares with."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.django_db


def _draft(partnership):  # type: ignore[no-untyped-def]
    from alliance.web.strategy.models import Strategy

    strategy = Strategy.objects.get(partnership=partnership)
    strategy.status = Strategy.Status.DRAFT
    strategy.save()
    return strategy


def test_a_core_measure_is_chosen_with_baseline_and_target_and_computed_from_partner_data(
        partnership, client_as, reference, one_month) -> None:  # type: ignore[no-untyped-def]
    from alliance.figures.measures import measure_value
    from alliance.report.monitoring import score
    from alliance.web.monitoring.services import gather
    from alliance.web.pool.publication import publication
    from alliance.web.strategy.models import Measure
    from tests.web.partner_year import AREA, load_istv_year

    strategy = _draft(partnership)
    c = client_as("analyst")
    form = c.get(f"/strategy/{strategy.pk}/measures/add/").content.decode()
    assert "Hospital attendances for assault with a knife or sharp object, under 25" in form
    assert "Knife or sharp instrument enabled serious violence, all ages" in form
    response = c.post(f"/strategy/{strategy.pk}/measures/add/", {
        "title": "Knife assaults seen in A&E", "key": "ae-knife", "kind": "pooled",
        "core_measure": "istv_ae:sharp", "code": AREA, "polarity": "low is good",
        "baseline_period": "2024-Q1", "target": "0.5", "target_period": "2024"})
    assert response.status_code == 302, response.content.decode()[:2000]
    m = Measure.objects.get(strategy=strategy, key="ae-knife")
    assert (m.source, m.categories, m.core, m.baseline_period) == (
        "istv_ae", ["sharp"], True, "2024-Q1")
    # not pooled yet: the measure says so, and is not counted from police.uk instead
    before = {x.key: x for x in gather(strategy, today=date(2025, 1, 1)).measures}
    assert before["ae-knife"].kind == "not held"
    assert "Not pooled yet" in before["ae-knife"].status
    # pooled: computed from the A&E lattice, equal to the synthetic file's own count
    truth = load_istv_year(reference)
    inputs = gather(strategy, today=date(2025, 1, 1))
    mine = next(x for x in inputs.measures if x.key == "ae-knife")
    assert mine.kind == "pooled" and mine.publication is not None and mine.spec is not None
    year = measure_value(publication(AREA, source="istv_ae"), mine.spec, "2024")
    assert year.count == truth["sharp"]
    s = score(inputs.publication, mine, period="2024", start="2024-07")
    assert s.value is not None and s.value.count == truth["sharp"]
    assert s.target is not None and s.target.rag in ("green", "amber", "red")
    assert s.change is None  # the baseline (2024-Q1) does not end before the year starts
    quarter = score(inputs.publication, mine, period="2024-Q3", start="2024-07")
    assert quarter.change is not None and quarter.change.before_label.startswith("January")
    page = c.get(f"/strategy/measures/{m.pk}/").content.decode()
    assert f"{truth['sharp']:,}" in page


def test_both_police_uk_offences_and_a_core_measure_are_refused(
        partnership, client_as, one_month) -> None:  # type: ignore[no-untyped-def]
    strategy = _draft(partnership)
    page = client_as("analyst").post(f"/strategy/{strategy.pk}/measures/add/", {
        "title": "Muddle", "key": "muddle", "kind": "published", "categories": ["robbery"],
        "core_measure": "istv_ae:sharp", "polarity": "low is good"}).content.decode()
    assert "not both" in page and "choose" in page.lower()


def test_similar_areas_are_codes_and_are_kept_in_the_next_version(partnership, client_as,
                                                                   user_of) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.strategy import services
    from alliance.web.strategy.models import Strategy

    strategy = _draft(partnership)
    c = client_as("analyst")
    data = {"title": strategy.title, "period": strategy.period,
            "starts": strategy.starts.isoformat(), "vision": strategy.vision}
    bad = c.post(f"/strategy/{strategy.pk}/edit/",
                 {**data, "similar_areas": "E23000020, <script>"}).content.decode()
    assert "is not an area code" in bad and "<script>" not in bad.split("is not an area")[0][-30:]
    ok = c.post(f"/strategy/{strategy.pk}/edit/", {**data, "similar_areas": "e23000020,E23000021"})
    assert ok.status_code == 302
    strategy.refresh_from_db()
    assert strategy.similar_codes == ("E23000020", "E23000021")
    strategy.status = Strategy.Status.ADOPTED
    strategy.save()
    copy = services.new_version(strategy, user_of("analyst"))
    assert copy.similar_codes == strategy.similar_codes
