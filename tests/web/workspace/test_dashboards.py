"""The dashboard on two real months of Northamptonshire police.uk data (January and February
2024: no whole reporting year, so only months are published to roles without record-level
access). The whole year, and agreement with the SNA, are tested in tests/web/sna/test_sna_build.py.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.privacy.suppression import MARKER
from alliance.web.audit.models import AuditEvent
from alliance.web.dashboards.services import Unit, build

pytestmark = pytest.mark.django_db

NORTHANTS = "E23000022"
WHOLE = Unit("area", NORTHANTS, "Northamptonshire (whole area)")


def _csv(response) -> pd.DataFrame:
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode()
    assert not text.startswith("#"), "a CSV is a plain table: no comment line"
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _months() -> list[str]:
    from alliance.web.pool.publication import publication

    return list(publication(NORTHANTS, record_level=True).cube.months)


def test_numbers_match_the_store(one_month) -> None:
    """Record-level figures equal a direct count of the loaded rows placed in the area."""
    from alliance.web.pool.queries import incidents

    months = _months()
    board = build(area_code=NORTHANTS, unit=WHOLE, period_months=tuple(months), category="",
                  record_level=True)
    lsoas = list(board.lsoa["lsoa21_code"])
    rows = incidents(lsoa21=lsoas, included_only=True, months=months).rows
    rows = rows[rows["source"] == "police_uk_street"]
    assert sum(int(v) for v in board.trend["count"] if v != "") == len(rows)
    assert board.tiles[0].value == f"{len(rows):,}"
    by_lsoa = rows.groupby("lsoa21_code").size()
    assert int(board.top.iloc[0]["count"]) == int(by_lsoa.max())
    assert "<svg" in board.trend_svg and "<svg" in board.map_svg


def test_board_viewer_sees_only_published_figures(one_month, client_as) -> None:
    viewer = client_as("board_viewer")
    page = viewer.get("/dashboard/")
    assert page.status_code == 200
    assert b"Northamptonshire" in page.content
    trend = _csv(viewer.get("/dashboard/trend.csv"))
    shown = pd.to_numeric(trend["count"][~trend["count"].isin([MARKER, ""])])
    assert not ((shown >= 1) & (shown <= 4)).any()
    # no whole reporting year is held: neighbourhoods are not published, and the page says why
    assert b"whole reporting years" in page.content
    assert viewer.get("/dashboard/lsoa.csv").status_code == 404
    assert viewer.get("/dashboard/lsoa.csv?figures=unsuppressed").status_code == 403
    assert viewer.get("/dashboard/?figures=unsuppressed").status_code == 403


def test_a_span_of_months_is_not_a_choice_without_record_level_access(one_month,
                                                                      client_as) -> None:
    """Differencing two overlapping spans would reveal a month: only single months and whole
    reporting years can be chosen, so first/last are ignored."""
    months = _months()
    lead = client_as("partner_lead")
    page = lead.get("/dashboard/", {"first": months[0], "last": months[-1]})
    assert page.status_code == 200
    assert b'name="first"' not in page.content
    bad = lead.get("/dashboard/", {"period": "2024-01:2024-02"})
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.content


def test_analyst_may_see_unsuppressed_figures_and_is_audited(one_month, client_as) -> None:
    months = _months()
    analyst = client_as("analyst")
    span = {"first": months[0], "last": months[-1], "figures": "unsuppressed"}
    lsoa = _csv(analyst.get("/dashboard/lsoa.csv", span))
    assert not (lsoa["count"] == MARKER).any()
    assert AuditEvent.objects.filter(action="view_restricted").count() == 1
    assert analyst.get("/dashboard/", span).status_code == 200
    assert AuditEvent.objects.filter(action="view_restricted").count() == 2


def test_filters_area_period_category(one_month, client_as) -> None:
    months = _months()
    c = client_as("partner_lead")
    whole = _csv(c.get("/dashboard/trend.csv", {"period": months[-1]}))
    assert list(whole["month"]) == months
    west = _csv(c.get("/dashboard/trend.csv", {"area": "E06000062", "period": months[0]}))
    assert list(west["month"]) == months
    one = _csv(c.get("/dashboard/trend.csv", {"category": "robbery", "period": months[0]}))
    assert len(one) == len(months)
    assert c.get("/dashboard/", {"period": "2025-13"}).status_code == 400
    assert c.get("/dashboard/", {"area": "E99999999"}).status_code == 400


def test_change_tile_says_when_the_period_before_is_missing(one_month) -> None:
    months = _months()
    board = build(area_code=NORTHANTS, unit=WHOLE, period_months=(months[1],), category="",
                  record_level=False)
    change = board.tiles[2]
    assert change.value.endswith("%") and "rate ratio" in change.detail
    board = build(area_code=NORTHANTS, unit=WHOLE, period_months=(months[0],), category="",
                  record_level=False)
    assert board.tiles[2].value == "not available"


def test_rates_over_a_month_are_annualised_and_say_so(one_month) -> None:
    months = _months()
    board = build(area_code=NORTHANTS, unit=WHOLE, period_months=(months[0],), category="",
                  record_level=False)
    assert board.tiles[1].label == "Rate per 1,000 residents a year"
    assert "annualised from 1 month" in board.tiles[1].detail


def test_dashboard_query_count_does_not_grow_with_rows(one_month, client_as) -> None:
    """A fixed number of queries per page, whatever the number of rows, LSOAs or batches."""
    c = client_as("analyst")
    c.get("/dashboard/")  # warm the geography and figures caches
    # (one of them: the second sign-in step's device lookup for an analyst)
    for url, limit in (("/dashboard/", 15), ("/dashboard/trend.csv", 17),
                       ("/data/batches/", 11)):
        with CaptureQueriesContext(connection) as queries:
            assert c.get(url).status_code == 200
        sql = "\n".join(q["sql"][:150] for q in queries.captured_queries)
        assert len(queries) <= limit, f"{url}: {len(queries)} queries\n{sql}"


def test_expired_agreement_blocks_the_dataset(one_month, client_as, demo) -> None:
    from datetime import date, timedelta

    from alliance.web.partnerships.models import Agreement

    Agreement.objects.filter(title__startswith="Serious Violence Duty core").update(
        expiry_date=date.today() - timedelta(days=1))
    c = client_as("analyst")
    page = c.get("/dashboard/")
    assert b"cannot be used in new outputs" in page.content
    assert b"Northamptonshire Police can renew it" in page.content
    assert b"<svg" not in page.content
    assert c.get("/dashboard/trend.csv").status_code == 409


def test_hotspot_layer_labels_every_lsoa(one_month) -> None:
    """Record-level view of the two months: Gi* labels every LSOA (seed-stable inference)."""
    months = _months()
    board = build(area_code=NORTHANTS, unit=WHOLE, period_months=tuple(months), category="",
                  record_level=True)
    assert "<svg" in board.hotspot_svg and "Hot and cold spots" in board.hotspot_svg
    assert board.lsoa is not None and len(board.lsoa) == 443
    assert set(board.lsoa["hot_spot"]) <= {"Hot spot", "Cold spot", "Not significant",
                                           "Undecided (borderline)", "Not tested"}
    assert "false discovery rate" in board.hotspot_note


# --- partner data: a synthetic year of A&E assault attendances (tests/web/partner_year.py) ---

def test_partner_source_is_offered_with_its_published_categories(one_month, client_as,
                                                                 reference) -> None:
    from alliance.pool import measures
    from alliance.web.pool.publication import publication
    from tests.web.partner_year import load_istv_year

    truth = load_istv_year(reference)
    lead = client_as("partner_lead")
    page = lead.get("/dashboard/")
    assert b'value="istv_ae"' in page.content and b"A&amp;E assault attendances" in page.content
    page = lead.get("/dashboard/", {"data": "istv_ae", "period": "2024"})
    assert page.status_code == 200, page.content[:500]
    text = page.content.decode()
    assert 'id="data-source">A&amp;E assault attendances (ISTV)' in text
    for key, group in measures.ISTV.groups.items():  # the sums are offered ...
        assert f'value="{key}"' in text, group.label
    for key in measures.ISTV.categories:  # ... never a fine category on its own
        assert f'value="{key}"' not in text
    assert "Attendances per month" in text and "Offences per month" not in text
    # every figure is the A&E publication's, through the same functions as police.uk's
    pub = publication(NORTHANTS, source="istv_ae")
    year = pub.year("2024")
    for category in ("", "sharp", "sharp_u25"):
        board = build(area_code=NORTHANTS, unit=WHOLE, period_months=year.months,
                      category=category, record_level=False, source="istv_ae")
        value = pub.count(level="area", code=NORTHANTS, period=year, category=category or "all")
        assert board.tiles[0].label == "Attendances"
        assert board.tiles[0].value == f"{value:,.0f}"
    assert board.tiles[0].value == f"{truth['sharp_u25']:,}"
    trend = _csv(lead.get("/dashboard/trend.csv", {"data": "istv_ae", "period": "2024",
                                                   "category": "sharp"}))
    assert list(trend["month"]) == [f"2024-{m:02d}" for m in range(1, 13)]
    shown = pd.to_numeric(trend["count"][~trend["count"].isin([MARKER, ""])])
    assert not ((shown >= 1) & (shown <= 4)).any()
    # a fine category asked for by hand is refused, not published
    bad = lead.get("/dashboard/", {"data": "istv_ae", "period": "2024",
                                   "category": "knife or sharp object|under 25"})
    assert bad.status_code == 400
    # police.uk is still the default, unchanged by the partner's rows
    assert b"Offences per month" in lead.get("/dashboard/").content


def test_partner_data_is_not_offered_to_a_role_that_may_not_see_it(one_month, client_as,
                                                                   reference) -> None:
    from tests.web.partner_year import load_istv_year

    load_istv_year(reference)
    moderator = client_as("moderator")
    page = moderator.get("/dashboard/")
    assert page.status_code == 200 and b'value="istv_ae"' not in page.content
    refused = moderator.get("/dashboard/", {"data": "istv_ae"})
    assert refused.status_code == 400 and b"govuk-error-summary" in refused.content
    assert b"<svg" not in refused.content
    assert moderator.get("/dashboard/trend.csv", {"data": "istv_ae"}).status_code == 400


def test_partner_data_under_an_expired_agreement_is_refused_naming_who_can_renew(
        one_month, client_as, reference) -> None:
    from datetime import date, timedelta

    from alliance.web.partnerships.models import Agreement
    from alliance.web.pool.publication import forget_cache
    from tests.web.partner_year import load_istv_year

    load_istv_year(reference)
    ae = [a.pk for a in Agreement.objects.filter(superseded_at=None)
          if "ae_assaults" in a.datasets]
    Agreement.objects.filter(pk__in=ae).update(expiry_date=date.today() - timedelta(days=1))
    forget_cache()
    c = client_as("analyst")
    page = c.get("/dashboard/", {"data": "istv_ae", "period": "2024"})
    text = page.content.decode()
    assert "A&amp;E assault attendances (ISTV) cannot be used in new outputs" in text
    assert "can renew it" in text and "<svg" not in text
    assert 'value="istv_ae"' in text  # still offered, so the reason can be read
    refused = c.get("/dashboard/trend.csv", {"data": "istv_ae", "period": "2024"})
    assert refused.status_code == 409 and b"can renew it" in refused.content
    # police.uk, under its own agreement, is unaffected
    assert b"<svg" in c.get("/dashboard/").content


def test_unsuppressed_partner_figures_are_audited_with_their_source(one_month, client_as,
                                                                    reference) -> None:
    from tests.web.partner_year import load_istv_year

    truth = load_istv_year(reference)
    analyst = client_as("analyst")
    span = {"data": "istv_ae", "first": "2024-01", "last": "2024-12",
            "figures": "unsuppressed", "category": "sharp"}
    trend = _csv(analyst.get("/dashboard/trend.csv", span))
    assert sum(int(v) for v in trend["count"]) == truth["sharp"]
    event = AuditEvent.objects.get(action="view_restricted")
    assert event.detail["data"] == "istv_ae"


def test_the_rendered_page_is_kept_per_choice_and_per_what_the_reader_may_see(
        one_month, client_as) -> None:
    """The page's form and figures are drawn once per data version and choice: the next
    reader of the same choice gets them without drawing (no incident read, no template for the
    figures), and a reader with other rights gets their own (the link to unsuppressed figures
    only for a role that may follow it)."""
    lead, analyst = client_as("partner_lead"), client_as("analyst")
    link = b"Show unsuppressed figures"
    first = lead.get("/dashboard/")
    assert first.status_code == 200 and link not in first.content
    assert "dashboards/body.html" in [t.name for t in first.templates]
    with CaptureQueriesContext(connection) as queries:
        again = lead.get("/dashboard/")
    assert "dashboards/body.html" not in [t.name for t in again.templates]
    assert not [q for q in queries.captured_queries if "pool_incident" in q["sql"]]
    assert again.content.split(b"The shared picture")[1] == \
        first.content.split(b"The shared picture")[1]
    theirs = analyst.get("/dashboard/")
    assert link in theirs.content
    assert link not in lead.get("/dashboard/").content
    months = _months()
    other = lead.get("/dashboard/", {"period": months[0]})
    assert "dashboards/body.html" in [t.name for t in other.templates]


def test_a_kept_page_is_not_shown_once_its_agreement_has_expired(one_month, client_as,
                                                                 demo) -> None:
    from datetime import date, timedelta

    from alliance.web.partnerships.models import Agreement

    c = client_as("analyst")
    assert b"<svg" in c.get("/dashboard/").content
    Agreement.objects.filter(title__startswith="Serious Violence Duty core").update(
        expiry_date=date.today() - timedelta(days=1))
    page = c.get("/dashboard/")
    assert b"cannot be used in new outputs" in page.content and b"<svg" not in page.content


def test_record_level_pages_are_never_kept_and_each_is_audited(one_month, client_as) -> None:
    months = _months()
    analyst = client_as("analyst")
    span = {"first": months[0], "last": months[-1], "figures": "unsuppressed"}
    for n in (1, 2):
        page = analyst.get("/dashboard/", span)
        assert "dashboards/body.html" in [t.name for t in page.templates]
        assert AuditEvent.objects.filter(action="view_restricted").count() == n


def test_a_board_is_kept_per_language(one_month) -> None:
    """The words of a board are in the language it was drawn in: a Welsh reader's board is
    not handed to an English one from the process's memory, nor the other way round."""
    from django.utils import translation

    months = _months()
    choice = {"area_code": NORTHANTS, "unit": WHOLE, "period_months": (months[-1],),
              "category": "", "record_level": False}
    with translation.override("cy"):
        welsh = build(**choice)
    with translation.override("en"):
        english = build(**choice)
        assert build(**choice) is english
    assert english is not welsh
